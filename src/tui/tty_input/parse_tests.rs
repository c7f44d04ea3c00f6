use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::{PASTE_MAX, Parser};

fn k(code: KeyCode, m: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, m))
}

fn plain(c: char) -> Event {
    k(KeyCode::Char(c), KeyModifiers::NONE)
}

/// Everything `bytes` reads as, fed in one go and then flushed.
fn read(bytes: &[u8]) -> Vec<Event> {
    let mut p = Parser::default();
    p.feed(bytes);
    p.flush();
    std::iter::from_fn(|| p.pop()).collect()
}

/// The same bytes fed one at a time, flushing only at the end: a sequence
/// cut by any read boundary must read the same.
fn read_bytewise(bytes: &[u8]) -> Vec<Event> {
    let mut p = Parser::default();
    for b in bytes {
        p.feed(std::slice::from_ref(b));
    }
    p.flush();
    std::iter::from_fn(|| p.pop()).collect()
}

#[test]
fn plain_control_and_shifted_keys() {
    assert_eq!(
        read(b"aQ\r\t\x7f\x03\x12"),
        [
            plain('a'),
            k(KeyCode::Char('Q'), KeyModifiers::SHIFT),
            k(KeyCode::Enter, KeyModifiers::NONE),
            k(KeyCode::Tab, KeyModifiers::NONE),
            k(KeyCode::Backspace, KeyModifiers::NONE),
            k(KeyCode::Char('c'), KeyModifiers::CONTROL),
            k(KeyCode::Char('r'), KeyModifiers::CONTROL),
        ]
    );
    assert_eq!(
        read("订Ω".as_bytes()),
        [plain('订'), k(KeyCode::Char('Ω'), KeyModifiers::SHIFT)]
    );
}

#[test]
fn escape_alone_alt_and_sequences() {
    assert_eq!(read(b"\x1b"), [k(KeyCode::Esc, KeyModifiers::NONE)]);
    assert_eq!(
        read(b"\x1b\x1b"),
        [
            k(KeyCode::Esc, KeyModifiers::NONE),
            k(KeyCode::Esc, KeyModifiers::NONE)
        ]
    );
    assert_eq!(read(b"\x1bx"), [k(KeyCode::Char('x'), KeyModifiers::ALT)]);
    let cases: &[(&[u8], Event)] = &[
        (b"\x1b[A", k(KeyCode::Up, KeyModifiers::NONE)),
        (b"\x1bOB", k(KeyCode::Down, KeyModifiers::NONE)),
        (b"\x1b[1;5C", k(KeyCode::Right, KeyModifiers::CONTROL)),
        (b"\x1b[Z", k(KeyCode::BackTab, KeyModifiers::SHIFT)),
        (b"\x1b[5~", k(KeyCode::PageUp, KeyModifiers::NONE)),
        (b"\x1b[6;2~", k(KeyCode::PageDown, KeyModifiers::SHIFT)),
        (b"\x1b[3~", k(KeyCode::Delete, KeyModifiers::NONE)),
        (b"\x1b[H", k(KeyCode::Home, KeyModifiers::NONE)),
        (b"\x1b[4~", k(KeyCode::End, KeyModifiers::NONE)),
        (b"\x1bOP", k(KeyCode::F(1), KeyModifiers::NONE)),
        (b"\x1b[24~", k(KeyCode::F(12), KeyModifiers::NONE)),
        (b"\x1b[114;5u", k(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    ];
    for (bytes, event) in cases {
        assert_eq!(read(bytes), std::slice::from_ref(event), "{bytes:?}");
        assert_eq!(
            read_bytewise(bytes),
            std::slice::from_ref(event),
            "{bytes:?} bytewise"
        );
    }
}

#[test]
fn a_cut_sequence_waits_and_a_final_read_resolves_it() {
    let mut p = Parser::default();
    p.feed(b"\x1b[");
    assert!(p.waiting() && p.pop().is_none());
    p.feed(b"B");
    assert_eq!(p.pop(), Some(k(KeyCode::Down, KeyModifiers::NONE)));
    assert!(!p.waiting());
    // Nothing followed: Esc, then the bracket as typed.
    p.feed(b"\x1b[");
    p.flush();
    assert_eq!(p.pop(), Some(k(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(p.pop(), Some(plain('[')));
    // A character cut in the middle waits too.
    p.feed(&"é".as_bytes()[..1]);
    assert!(p.waiting());
    p.feed(&"é".as_bytes()[1..]);
    assert_eq!(p.pop(), Some(plain('é')));
}

#[test]
fn bracketed_paste_is_one_event_across_reads() {
    let bytes = b"x\x1b[200~line 1\r\nq\x1b[Aend\x1b[201~y";
    let want = [
        plain('x'),
        Event::Paste("line 1\r\nq\x1b[Aend".into()),
        plain('y'),
    ];
    assert_eq!(read(bytes), want);
    assert_eq!(read_bytewise(bytes), want);
    // A paste with no end yet is not flushed as keys.
    let mut p = Parser::default();
    p.feed(b"\x1b[200~abc\x1b[20");
    p.flush();
    assert!(p.pop().is_none() && !p.waiting());
    p.feed(b"1~");
    assert_eq!(p.pop(), Some(Event::Paste("abc".into())));
}

#[test]
fn an_endless_paste_is_capped_not_buffered() {
    let mut p = Parser::default();
    p.feed(b"\x1b[200~");
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..(2 * PASTE_MAX / chunk.len()) {
        p.feed(&chunk);
        assert!(p.pending.len() < 8, "the paste moves out of pending");
    }
    p.feed(b"\x1b[201~");
    match p.pop() {
        Some(Event::Paste(text)) => assert_eq!(text.len(), PASTE_MAX),
        other => panic!("{other:?}"),
    }
}

#[test]
fn mouse_reports() {
    let at = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert_eq!(
        read(b"\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<65;1;1M"),
        [
            at(MouseEventKind::Down(MouseButton::Left), 9, 4),
            at(MouseEventKind::Up(MouseButton::Left), 9, 4),
            at(MouseEventKind::ScrollDown, 0, 0),
        ]
    );
    assert_eq!(
        read(&[0x1b, b'[', b'M', 32 + 64, 32 + 3, 32 + 2]),
        [at(MouseEventKind::ScrollUp, 2, 1)]
    );
}

#[test]
fn garbage_is_dropped_not_kept() {
    // Reports never asked for, a runaway sequence, a stray continuation byte.
    let mut bytes = b"\x1b[?1;2c\x1b[>0;1u".to_vec();
    bytes.extend(b"\x1b[".iter().chain([b'1'; 200].iter()));
    bytes.extend([0x80, b'z']);
    let events = read(&bytes);
    assert!(
        events.iter().all(|e| matches!(e, Event::Key(_))),
        "{events:?}"
    );
    assert_eq!(events.last(), Some(&plain('z')));
    let mut p = Parser::default();
    p.feed(&bytes);
    assert!(p.pending.len() < 64);
}

#[test]
fn sixty_kilobytes_of_keys_are_every_key() {
    // A burst like a paste without bracketed paste, in reads of any size.
    let text: Vec<u8> = (0..60 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
    let mut p = Parser::default();
    let mut got = 0;
    for chunk in text.chunks(1000) {
        p.feed(chunk);
        while let Some(e) = p.pop() {
            assert!(matches!(e, Event::Key(_)));
            got += 1;
        }
    }
    assert_eq!(got, text.len());
}
