use super::*;

fn user(entries: &[(&str, &[&str])]) -> Vec<KeyOverride> {
    entries
        .iter()
        .map(|(action, keys)| KeyOverride {
            action: (*action).into(),
            keys: keys.iter().map(|k| (*k).to_string()).collect(),
        })
        .collect()
}

fn key(spec: &str) -> KeySpec {
    parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"))
}

#[test]
fn every_default_key_parses_and_every_action_is_bound_somewhere() {
    for row in table::DEFAULTS {
        for k in row.keys {
            assert!(parse(k).is_ok(), "{k}");
        }
    }
    let keymap = Keymap::default();
    for action in Action::ALL {
        assert!(
            keymap.bindings().iter().any(|b| b.action == *action),
            "{} is in no context",
            action.name()
        );
    }
}

#[test]
fn the_defaults_have_no_key_doing_two_things_in_one_context() {
    let keymap = Keymap::default();
    for context in Context::ALL {
        let mut seen: Vec<(KeySpec, Action)> = Vec::new();
        for b in keymap.of(context) {
            for k in &b.keys {
                if let Some((_, other)) = seen.iter().find(|(s, a)| s == k && *a != b.action) {
                    panic!(
                        "{k} is {} and {} {}",
                        other.name(),
                        b.action.name(),
                        context.title()
                    );
                }
                seen.push((*k, b.action));
            }
        }
    }
}

#[test]
fn a_place_asks_its_own_context_first_and_anywhere_last() {
    let keymap = Keymap::default();
    assert_eq!(
        keymap.action(Context::List, false, key("q")),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap.action(Context::Picker, false, key("q")),
        Some(Action::Back)
    );
    assert_eq!(keymap.action(Context::Field, true, key("q")), None, "typed");
    assert_eq!(
        keymap.action(Context::Field, true, key("ctrl-r")),
        Some(Action::History)
    );
    assert_eq!(
        keymap.action(Context::Filter, true, key("home")),
        Some(Action::LineStart)
    );
    assert_eq!(
        keymap.action(Context::List, false, key("home")),
        Some(Action::First)
    );
    assert_eq!(
        keymap.action(Context::Picker, true, key("enter")),
        Some(Action::Pick)
    );
    assert_eq!(
        keymap.action(Context::Picker, true, key("tab")),
        Some(Action::KeepFilter)
    );
    assert_eq!(keymap.action(Context::Password, true, key("ctrl-r")), None);
}

#[test]
fn user_keys_replace_the_defaults_wherever_the_action_is_bound() {
    let keymap = Keymap::with_overrides(&user(&[
        ("quit", &["q", "ctrl-q"]),
        ("copy_id", &["c"]),
        ("instances", &["I"]),
    ]))
    .expect("valid");
    for place in [
        Context::List,
        Context::Picker,
        Context::History,
        Context::Popup,
    ] {
        assert_eq!(
            keymap.action(place, false, key("c")),
            Some(Action::CopyId),
            "{place:?}"
        );
        assert_ne!(
            keymap.action(place, false, key("y")),
            Some(Action::CopyId),
            "{place:?}"
        );
    }
    assert_eq!(
        keymap.action(Context::List, false, key("I")),
        Some(Action::Instances)
    );
    assert_eq!(keymap.action(Context::List, false, key("i")), None);
    assert_eq!(
        keymap.action(Context::Field, true, key("ctrl-q")),
        Some(Action::Quit)
    );
    // Ctrl-C stays, even when not listed.
    assert_eq!(
        keymap.action(Context::List, false, key("ctrl-c")),
        Some(Action::Quit)
    );
    let only = Keymap::with_overrides(&user(&[("quit", &["x"])])).expect("valid");
    assert_eq!(
        only.action(Context::List, false, key("ctrl-c")),
        Some(Action::Quit)
    );
}

#[test]
fn bad_user_keys_name_the_entry_and_the_key() {
    let err = Keymap::with_overrides(&user(&[("copy_id", &["c"]), ("launch", &["l"])]))
        .expect_err("unknown");
    assert_eq!((err.entry, err.key), (1, None));
    assert!(
        err.message.contains("keys.launch") && err.message.contains("not an action"),
        "{}",
        err.message
    );

    let err = Keymap::with_overrides(&user(&[("quit", &["q", "ctrl-"])])).expect_err("bad spec");
    assert_eq!((err.entry, err.key), (0, Some(1)));
    assert!(err.message.contains("\"ctrl-\""), "{}", err.message);

    let err = Keymap::with_overrides(&user(&[("help", &["ctrl-c"])])).expect_err("ctrl-c");
    assert_eq!((err.entry, err.key), (0, Some(0)));
    assert!(
        err.message.contains("Ctrl-C always quits"),
        "{}",
        err.message
    );

    let err = Keymap::with_overrides(&user(&[("type", &["t"])])).expect_err("fixed");
    assert!(err.message.contains("cannot be rebound"), "{}", err.message);
}

#[test]
fn two_actions_on_one_key_in_one_place_are_refused() {
    // `j` already moves down in every list.
    let err = Keymap::with_overrides(&user(&[("help", &["f1"]), ("instances", &["x", "j"])]))
        .expect_err("conflict");
    assert_eq!((err.entry, err.key), (1, Some(1)));
    assert!(
        err.message.contains("key j")
            && err.message.contains("in the list")
            && err.message.contains("instances")
            && err.message.contains("down"),
        "{}",
        err.message
    );
    // Two user entries on one key: the later one is blamed.
    let err = Keymap::with_overrides(&user(&[("sort", &["z"]), ("reload", &["z"])]))
        .expect_err("conflict");
    assert_eq!((err.entry, err.key), (1, Some(0)));
    // The same key in different places is fine: `c` copies in the list and
    // is typed in a field.
    assert!(Keymap::with_overrides(&user(&[("copy_id", &["c"]), ("sort", &["c"])])).is_err());
    assert!(Keymap::with_overrides(&user(&[("copy_id", &["c"]), ("switch", &["c"])])).is_ok());
}

#[test]
fn the_reference_lists_every_binding_with_its_action_name() {
    let text = reference::markdown(&Keymap::default());
    for needle in [
        "| anywhere | `Ctrl-C` | `quit` |",
        "| out of a text field | `q` | `quit` |",
        "`Ctrl-A`",
        "`Ctrl-E`",
        "`Ctrl-D`",
        "`copy_id`",
        "| password popup |",
        "| history |",
        "| profiles |",
        "1–9",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    // Every binding once, and the `anywhere` ones with keys of both kinds
    // (`q` and `Ctrl-C`) twice: once per section.
    let both = Keymap::default()
        .of(Context::Anywhere)
        .filter(|b| b.keys.iter().any(|k| k.typed().is_some()))
        .filter(|b| b.keys.iter().any(|k| k.typed().is_none()))
        .count();
    assert_eq!(both, 4, "quit, help, find and health");
    let lines = text.lines().count();
    assert_eq!(lines, Keymap::default().bindings().len() + both + 2);
}

#[test]
fn the_readme_key_table_is_the_generated_reference() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md is readable");
    let after_start = readme
        .split_once("<!-- keys:start")
        .and_then(|(_, rest)| rest.split_once("-->\n"))
        .map(|(_, rest)| rest)
        .expect("README.md has the keys:start marker");
    let (table, _) = after_start
        .split_once("<!-- keys:end -->")
        .expect("README.md has the keys:end marker");
    assert_eq!(
        table,
        reference::markdown(&Keymap::default()),
        "README.md's key table differs from the reference: paste `ddm-backups keys` between its markers"
    );
}

#[test]
fn a_key_must_be_a_visible_character() {
    for bad in [
        "\u{202e}",
        "\u{200b}",
        "\u{301}",
        "ctrl-\u{200b}",
        "alt-\u{feff}",
        "\u{a0}",
    ] {
        let why = parse(bad).unwrap_err();
        assert!(why.contains("is not a visible character"), "{bad:?}: {why}");
        assert!(crate::terminal_text::is_safe(&why), "{bad:?}: {why}");
    }
    for good in ["é", "订", "ctrl-ä", "?"] {
        assert!(parse(good).is_ok(), "{good:?}");
    }
}
