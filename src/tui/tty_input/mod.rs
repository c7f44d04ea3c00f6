//! The terminal's input, read by us. crossterm's reader takes one 1 KiB
//! read per wake-up of its edge-triggered poll, so the rest of a larger
//! burst (keys pasted without bracketed paste, key repeat over a slow SSH
//! link) sat unread in the kernel until the next key arrived: the app
//! looked frozen. Here a thread waits with a level-triggered `poll(2)` and
//! reads until nothing is left, so every byte the terminal sends is read
//! and handled, however it arrives.

mod parse;

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};

use crossterm::event::Event;
use futures_util::Stream;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;

pub use parse::Parser;

/// How long an unfinished sequence (an Esc on its own, most often) waits
/// for the rest before it is read as the keys it holds. Only while one is
/// pending: an idle app waits with no timeout at all.
const SEQUENCE_WAIT_MS: i32 = 30;

/// Events read but not yet taken by the loop. A full queue stops the
/// reader, and the kernel's then the terminal's, so nothing is lost.
const QUEUE: usize = 1024;

/// Terminal events as a stream: keys, pastes and mouse reports from the
/// reader thread, and a resize on every SIGWINCH.
pub struct TtyEvents {
    events: mpsc::Receiver<io::Result<Event>>,
    resized: Option<Signal>,
    /// Writing here wakes the reader so it ends.
    stop: OwnedFd,
}

impl TtyEvents {
    /// Reads the controlling terminal: stdin when it is one, else `/dev/tty`.
    pub fn open() -> io::Result<Self> {
        let tty = if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
            duplicate(libc::STDIN_FILENO)?
        } else {
            let fd = unsafe {
                libc::open(
                    c"/dev/tty".as_ptr(),
                    libc::O_RDWR | libc::O_CLOEXEC | libc::O_NOCTTY,
                )
            };
            owned(fd)?
        };
        let resized = signal(SignalKind::window_change())?;
        Self::reading(tty, Some(resized))
    }

    /// Reads `input` (a terminal in raw mode, or a pipe in tests); resizes
    /// come from `resized` when given.
    pub fn reading(input: OwnedFd, resized: Option<Signal>) -> io::Result<Self> {
        let (stop_read, stop) = pipe()?;
        let (tx, events) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("tty-input".into())
            .spawn(move || read_loop(&input, &stop_read, &tx))?;
        Ok(TtyEvents {
            events,
            resized,
            stop,
        })
    }
}

impl Stream for TtyEvents {
    type Item = io::Result<Event>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(resized) = &mut this.resized
            && let Poll::Ready(Some(())) = resized.poll_recv(cx)
        {
            let size = crossterm::terminal::size().map(|(w, h)| Event::Resize(w, h));
            return Poll::Ready(Some(size));
        }
        this.events.poll_recv(cx)
    }
}

impl Drop for TtyEvents {
    fn drop(&mut self) {
        // A reader blocked on a full queue sees it closed; one waiting in
        // poll(2) sees the stop pipe. Either way it ends by itself, with
        // nothing to join: the process may be on its way out.
        self.events.close();
        let byte = [1u8];
        unsafe { libc::write(self.stop.as_raw_fd(), byte.as_ptr().cast(), 1) };
    }
}

fn owned(fd: RawFd) -> io::Result<OwnedFd> {
    if fd < 0 {
        Err(io::Error::last_os_error())
    } else {
        // SAFETY: a fresh descriptor that nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }
}

fn duplicate(fd: RawFd) -> io::Result<OwnedFd> {
    owned(unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) })
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((owned(fds[0])?, owned(fds[1])?))
}

/// Waits for bytes, reads all there are, and sends what they mean, until
/// the terminal closes, the stop pipe wakes it, or the stream is gone.
fn read_loop(input: &OwnedFd, stop: &OwnedFd, tx: &mpsc::Sender<io::Result<Event>>) {
    let mut parser = Parser::default();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let wait = if parser.waiting() {
            SEQUENCE_WAIT_MS
        } else {
            -1
        };
        let mut fds = [
            libc::pollfd {
                fd: input.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: stop.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), 2, wait) };
        if ready < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            let _ = tx.blocking_send(Err(e));
            return;
        }
        if fds[1].revents != 0 {
            return;
        }
        if ready == 0 {
            // Nothing followed in time: an Esc on its own is the Esc key.
            parser.flush();
        } else if fds[0].revents != 0 {
            let read = unsafe { libc::read(input.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            match read {
                // The terminal went away (EOF, or EIO after a hang-up):
                // the stream ends and the loop shuts down.
                0 => return,
                n if n > 0 => parser.feed(&buf[..n.unsigned_abs()]),
                _ => {
                    let e = io::Error::last_os_error();
                    match e.kind() {
                        io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock => continue,
                        _ if e.raw_os_error() == Some(libc::EIO) => return,
                        _ => {
                            let _ = tx.blocking_send(Err(e));
                            return;
                        }
                    }
                }
            }
        }
        while let Some(event) = parser.pop() {
            if tx.blocking_send(Ok(event)).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests;
