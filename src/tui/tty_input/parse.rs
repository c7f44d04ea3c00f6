//! Terminal input bytes to crossterm events: keys (plain, control, Alt as
//! an Esc prefix, CSI and SS3 sequences with xterm's modifier parameter),
//! bracketed paste, SGR and X10 mouse reports, focus reports. Pure: bytes
//! in, events out; the reader decides when no more bytes are coming.

use std::collections::VecDeque;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// The longest control sequence kept while waiting for its end; longer is
/// garbage (or hostile) and is dropped rather than buffered for ever.
const SEQUENCE_MAX: usize = 64;

/// The most bytes one bracketed paste keeps; the rest of it is read and
/// dropped (the fields cap a paste far below this anyway).
pub const PASTE_MAX: usize = 1024 * 1024;

const ESC: u8 = 0x1b;
const PASTE_END: &[u8] = b"\x1b[201~";

/// Bytes in, events out, across reads that split a sequence anywhere.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes not yet read as an event (an unfinished sequence).
    pending: Vec<u8>,
    /// Inside a bracketed paste: what it carried so far.
    paste: Option<Vec<u8>>,
    events: VecDeque<Event>,
}

/// What the bytes at the front of the buffer are.
enum Step {
    Event(Event, usize),
    /// Bytes that mean nothing to the app (a report it never asked for).
    Skip(usize),
    PasteStart(usize),
    /// A sequence that may go on in the next read.
    Incomplete,
}

impl Parser {
    /// Reads `bytes` after what came before.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        self.parse(false);
    }

    /// No more bytes are coming for now: an unfinished sequence is read as
    /// the keys it holds (a lone Esc is the Esc key). A paste stays open.
    pub fn flush(&mut self) {
        self.parse(true);
    }

    /// Whether bytes wait for the rest of their sequence (outside a paste,
    /// whose end may come at any time).
    pub fn waiting(&self) -> bool {
        self.paste.is_none() && !self.pending.is_empty()
    }

    /// The next event read, oldest first.
    pub fn pop(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    fn parse(&mut self, final_read: bool) {
        let mut start = 0;
        while start < self.pending.len() {
            let rest = &self.pending[start..];
            if let Some(paste) = &mut self.paste {
                match find(rest, PASTE_END) {
                    Some(end) => {
                        keep_within(paste, &rest[..end]);
                        let text = String::from_utf8_lossy(paste).into_owned();
                        self.events.push_back(Event::Paste(text));
                        self.paste = None;
                        start += end + PASTE_END.len();
                    }
                    None => {
                        // Keep a tail that may be the start of the end marker.
                        let keep = partial_suffix(rest, PASTE_END);
                        keep_within(paste, &rest[..rest.len() - keep]);
                        start += rest.len() - keep;
                        break;
                    }
                }
                continue;
            }
            match step(rest) {
                Step::Event(event, used) => {
                    self.events.push_back(event);
                    start += used;
                }
                Step::Skip(used) => start += used,
                Step::PasteStart(used) => {
                    self.paste = Some(Vec::new());
                    start += used;
                }
                Step::Incomplete if final_read => {
                    // An Esc with nothing after it in time is the Esc key;
                    // a cut UTF-8 character is dropped.
                    if rest[0] == ESC {
                        self.events.push_back(key(KeyCode::Esc, KeyModifiers::NONE));
                    }
                    start += 1;
                }
                Step::Incomplete => break,
            }
        }
        self.pending.drain(..start);
    }
}

/// Appends `bytes` to a paste, up to [`PASTE_MAX`].
fn keep_within(paste: &mut Vec<u8>, bytes: &[u8]) {
    let room = PASTE_MAX.saturating_sub(paste.len());
    paste.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How many bytes at the end of `bytes` could begin `marker`.
fn partial_suffix(bytes: &[u8], marker: &[u8]) -> usize {
    (1..marker.len())
        .rev()
        .find(|&n| n <= bytes.len() && bytes.ends_with(&marker[..n]))
        .unwrap_or(0)
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

/// A typed character; an upper-case one carries Shift, as terminals send
/// no separate flag for it.
fn char_key(c: char) -> Event {
    let modifiers = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    key(KeyCode::Char(c), modifiers)
}

fn step(bytes: &[u8]) -> Step {
    let Some(&first) = bytes.first() else {
        return Step::Incomplete;
    };
    let control = |c: u8| Step::Event(key(KeyCode::Char(c as char), KeyModifiers::CONTROL), 1);
    match first {
        ESC => escape(bytes),
        b'\r' => Step::Event(key(KeyCode::Enter, KeyModifiers::NONE), 1),
        b'\t' => Step::Event(key(KeyCode::Tab, KeyModifiers::NONE), 1),
        0x7f => Step::Event(key(KeyCode::Backspace, KeyModifiers::NONE), 1),
        0x00 => control(b' '),
        // In raw mode Ctrl-J is a line feed, Ctrl-H a backspace byte.
        0x01..=0x1a => control(first - 1 + b'a'),
        0x1c..=0x1f => control(first - 0x1c + b'4'),
        _ => utf8(bytes),
    }
}

/// One UTF-8 character, or `Incomplete` when its bytes are cut.
fn utf8(bytes: &[u8]) -> Step {
    let len = match bytes[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        // A continuation byte or an invalid lead: not a character.
        _ => return Step::Skip(1),
    };
    if bytes.len() < len {
        // Only if what is there so far could still become a character.
        return if bytes[1..].iter().all(|b| b & 0xc0 == 0x80) {
            Step::Incomplete
        } else {
            Step::Skip(1)
        };
    }
    match std::str::from_utf8(&bytes[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => Step::Event(char_key(c), len),
        None => Step::Skip(1),
    }
}

fn escape(bytes: &[u8]) -> Step {
    match bytes.get(1) {
        None => Step::Incomplete,
        Some(b'[') => csi(bytes),
        Some(b'O') => ss3(bytes),
        // Esc Esc: the first is the key, the second starts over.
        Some(&ESC) => Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
        // Esc before a key is how terminals send Alt with it.
        Some(_) => match step(&bytes[1..]) {
            Step::Event(Event::Key(mut k), used) => {
                k.modifiers |= KeyModifiers::ALT;
                Step::Event(Event::Key(k), used + 1)
            }
            Step::Incomplete => Step::Incomplete,
            _ => Step::Skip(1),
        },
    }
}

/// `Esc O x`: the application-mode arrows, Home/End, and F1-F4.
fn ss3(bytes: &[u8]) -> Step {
    let Some(&last) = bytes.get(2) else {
        return Step::Incomplete;
    };
    match letter_key(last) {
        Some(code) => Step::Event(key(code, KeyModifiers::NONE), 3),
        None => Step::Skip(3),
    }
}

/// The keys a sequence names by its final letter.
fn letter_key(letter: u8) -> Option<KeyCode> {
    Some(match letter {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    })
}

/// The keys `Esc [ n ~` names by its number.
fn tilde_key(number: u16) -> Option<KeyCode> {
    Some(match number {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((number - 10) as u8),
        17..=21 => KeyCode::F((number - 11) as u8),
        23 | 24 => KeyCode::F((number - 12) as u8),
        _ => return None,
    })
}

/// xterm's modifier parameter: 1 + a bit mask.
fn modifiers(parameter: Option<u16>) -> KeyModifiers {
    let mask = parameter.unwrap_or(1).saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    for (bit, flag) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ] {
        if mask & bit != 0 {
            m |= flag;
        }
    }
    m
}

/// `Esc [` sequences: parameters, then one final byte.
fn csi(bytes: &[u8]) -> Step {
    // X10 mouse: `Esc [ M` and three raw bytes, which may look like anything.
    if bytes.get(2) == Some(&b'M') {
        return match bytes.get(3..6) {
            Some(&[cb, cx, cy]) => x10_mouse(cb, cx, cy),
            _ => Step::Incomplete,
        };
    }
    // Parameter and intermediate bytes, then one final byte.
    let Some(end) = bytes
        .iter()
        .skip(2)
        .position(|b| !(0x20..=0x3f).contains(b))
        .map(|i| i + 2)
    else {
        return if bytes.len() >= SEQUENCE_MAX {
            // A runaway sequence: drop it rather than buffer it for ever.
            Step::Skip(bytes.len())
        } else {
            Step::Incomplete
        };
    };
    if !(0x40..=0x7e).contains(&bytes[end]) {
        // Cut off by something that cannot end it: drop what came before.
        return Step::Skip(end);
    }
    let used = end + 1;
    if end >= SEQUENCE_MAX {
        return Step::Skip(used);
    }
    let params = &bytes[2..end];
    let last = bytes[end];
    if params.first() == Some(&b'<') {
        return sgr_mouse(&params[1..], last == b'M', used);
    }
    if params
        .first()
        .is_some_and(|b| !b.is_ascii_digit() && *b != b';')
    {
        // A private report (`?`, `>`, `=`) the app never asked for.
        return Step::Skip(used);
    }
    let numbers = numbers(params);
    let first = numbers.first().copied().flatten();
    let modifier = numbers.get(1).copied().flatten();
    let event = match last {
        b'Z' => Some(key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        b'I' => Some(Event::FocusGained),
        b'O' => Some(Event::FocusLost),
        b'~' => match first {
            Some(200) => return Step::PasteStart(used),
            Some(n) => tilde_key(n).map(|code| key(code, modifiers(modifier))),
            None => None,
        },
        b'u' => first.and_then(unicode_key).map(|code| {
            let mut m = modifiers(modifier);
            if let KeyCode::Char(c) = code
                && c.is_uppercase()
            {
                m |= KeyModifiers::SHIFT;
            }
            key(code, m)
        }),
        letter => letter_key(letter).map(|code| key(code, modifiers(modifier))),
    };
    match event {
        Some(event) => Step::Event(event, used),
        None => Step::Skip(used),
    }
}

/// `;`-separated numbers; an empty or unreadable one is `None`. Sub-
/// parameters after `:` (kitty's) are ignored.
fn numbers(params: &[u8]) -> Vec<Option<u16>> {
    params
        .split(|b| *b == b';')
        .map(|p| {
            let p = p.split(|b| *b == b':').next().unwrap_or_default();
            std::str::from_utf8(p).ok()?.parse().ok()
        })
        .collect()
}

/// A key sent as its code point (`Esc [ code ; mods u`).
fn unicode_key(code: u16) -> Option<KeyCode> {
    Some(match code {
        9 => KeyCode::Tab,
        13 => KeyCode::Enter,
        27 => KeyCode::Esc,
        127 => KeyCode::Backspace,
        _ => KeyCode::Char(char::from_u32(u32::from(code)).filter(|c| !c.is_control())?),
    })
}

/// The button, modifiers and kind a mouse report's first number holds.
fn mouse_kind(cb: u16, pressed: bool) -> Option<(MouseEventKind, KeyModifiers)> {
    let mut m = KeyModifiers::NONE;
    if cb & 4 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if cb & 8 != 0 {
        m |= KeyModifiers::ALT;
    }
    if cb & 16 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    let button = match cb & 3 {
        0 => Some(MouseButton::Left),
        1 => Some(MouseButton::Middle),
        2 => Some(MouseButton::Right),
        _ => None,
    };
    let kind = if cb & 64 != 0 {
        match cb & 3 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if cb & 32 != 0 {
        match button {
            Some(b) => MouseEventKind::Drag(b),
            None => MouseEventKind::Moved,
        }
    } else if pressed {
        // X10 reports a release as button 3, not saying which.
        match button {
            Some(b) => MouseEventKind::Down(b),
            None => MouseEventKind::Up(MouseButton::Left),
        }
    } else {
        MouseEventKind::Up(button.unwrap_or(MouseButton::Left))
    };
    Some((kind, m))
}

fn mouse(kind: MouseEventKind, modifiers: KeyModifiers, x: u16, y: u16) -> Event {
    // Reports count from 1.
    Event::Mouse(MouseEvent {
        kind,
        column: x.saturating_sub(1),
        row: y.saturating_sub(1),
        modifiers,
    })
}

fn sgr_mouse(params: &[u8], pressed: bool, used: usize) -> Step {
    match numbers(params)[..] {
        [Some(cb), Some(x), Some(y)] => match mouse_kind(cb, pressed) {
            Some((kind, m)) => Step::Event(mouse(kind, m, x, y), used),
            None => Step::Skip(used),
        },
        _ => Step::Skip(used),
    }
}

fn x10_mouse(cb: u8, cx: u8, cy: u8) -> Step {
    let Some(cb) = cb.checked_sub(32) else {
        return Step::Skip(6);
    };
    match mouse_kind(u16::from(cb), true) {
        Some((kind, m)) => Step::Event(
            mouse(
                kind,
                m,
                u16::from(cx.saturating_sub(32)),
                u16::from(cy.saturating_sub(32)),
            ),
            6,
        ),
        None => Step::Skip(6),
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
