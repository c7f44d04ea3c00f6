//! A terminal's key event as the binding table names keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::keymap::{KeyName, KeySpec};

/// The key spec of `key`, or `None` for keys no binding can name (media
/// keys, bare modifiers…). Shift is in the character already (`Y`), so it
/// is dropped for characters.
pub fn spec_of(key: &KeyEvent) -> Option<KeySpec> {
    let name = match key.code {
        KeyCode::Char(c) => KeyName::Char(c),
        KeyCode::F(n) => KeyName::F(n),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Esc => KeyName::Esc,
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => KeyName::BackTab,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Delete => KeyName::Delete,
        _ => return None,
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let name = match name {
        // Terminals differ on Ctrl-letter case; bindings use the lower one.
        KeyName::Char(c) if ctrl => KeyName::Char(c.to_ascii_lowercase()),
        other => other,
    };
    Some(KeySpec {
        name,
        ctrl,
        alt: key.modifiers.contains(KeyModifiers::ALT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::parse;

    #[test]
    fn events_become_the_specs_the_config_writes() {
        let ev = |code, mods| spec_of(&KeyEvent::new(code, mods));
        let spec = |s: &str| parse(s).ok();
        assert_eq!(ev(KeyCode::Char('Y'), KeyModifiers::SHIFT), spec("Y"));
        assert_eq!(
            ev(KeyCode::Char('R'), KeyModifiers::CONTROL),
            spec("ctrl-r")
        );
        assert_eq!(ev(KeyCode::BackTab, KeyModifiers::SHIFT), spec("shift-tab"));
        assert_eq!(ev(KeyCode::F(1), KeyModifiers::NONE), spec("f1"));
        assert_eq!(ev(KeyCode::Char('x'), KeyModifiers::ALT), spec("alt-x"));
        assert_eq!(ev(KeyCode::CapsLock, KeyModifiers::NONE), None);
    }
}
