use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Duration;

use crossterm::event::{Event, KeyCode};
use futures_util::StreamExt;

use super::{TtyEvents, pipe};

/// A pseudo-terminal in raw mode, as the app sets its terminal: the
/// master is the "terminal" that types, the slave is what the app reads.
fn raw_pty() -> (std::fs::File, OwnedFd) {
    let (master, slave) = crate::tui::test_support::pty();
    let mut mode: libc::termios = unsafe { std::mem::zeroed() };
    unsafe {
        assert_eq!(libc::tcgetattr(slave.as_raw_fd(), &mut mode), 0);
        libc::cfmakeraw(&mut mode);
        assert_eq!(libc::tcsetattr(slave.as_raw_fd(), libc::TCSANOW, &mode), 0);
    }
    (master, slave)
}

/// Takes events until `done` says so; a hang fails the test instead of
/// stalling the suite.
async fn take_until(events: &mut TtyEvents, mut done: impl FnMut(&Event) -> bool) -> Vec<Event> {
    let mut got = Vec::new();
    let read = async {
        while let Some(event) = events.next().await {
            let event = event.expect("read");
            let last = done(&event);
            got.push(event);
            if last {
                break;
            }
        }
    };
    let finished = tokio::time::timeout(Duration::from_secs(60), read).await;
    assert!(finished.is_ok(), "stalled after {} events", got.len());
    got
}

#[tokio::test]
async fn sixty_kilobytes_of_keys_through_a_terminal_are_every_key() {
    let (mut master, slave) = raw_pty();
    let mut events = TtyEvents::reading(slave, None).unwrap();
    // Keys as a paste without bracketed paste sends them: one burst, far
    // more than crossterm's 1 KiB read, then `?` as the key that must work.
    let mut burst: Vec<u8> = (0..60 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
    burst.push(b'?');
    let writer = std::thread::spawn(move || master.write_all(&burst).map(|()| master));
    let got = take_until(
        &mut events,
        |e| matches!(e, Event::Key(k) if k.code == KeyCode::Char('?')),
    )
    .await;
    assert_eq!(got.len(), 60 * 1024 + 1);
    assert!(got.iter().all(|e| matches!(e, Event::Key(_))));
    let _master = writer.join().unwrap().unwrap();
}

#[tokio::test]
async fn an_esc_on_its_own_is_read_without_another_key() {
    let (mut master, slave) = raw_pty();
    let mut events = TtyEvents::reading(slave, None).unwrap();
    master.write_all(b"\x1b").unwrap();
    let got = take_until(&mut events, |_| true).await;
    assert!(
        matches!(&got[..], [Event::Key(k)] if k.code == KeyCode::Esc),
        "{got:?}"
    );
    // An Esc that starts a sequence is not read as the key.
    master.write_all(b"\x1b[A").unwrap();
    let got = take_until(&mut events, |_| true).await;
    assert!(
        matches!(&got[..], [Event::Key(k)] if k.code == KeyCode::Up),
        "{got:?}"
    );
}

#[tokio::test]
async fn the_stream_ends_when_the_input_closes() {
    let (read, write) = pipe().unwrap();
    let mut events = TtyEvents::reading(read, None).unwrap();
    let mut write = std::fs::File::from(write);
    write.write_all(b"q").unwrap();
    drop(write);
    let first = events.next().await;
    assert!(matches!(first, Some(Ok(Event::Key(k))) if k.code == KeyCode::Char('q')));
    let end = tokio::time::timeout(Duration::from_secs(60), events.next()).await;
    assert!(matches!(end, Ok(None)), "{end:?}");
}
