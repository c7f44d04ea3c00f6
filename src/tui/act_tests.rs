//! `App::update` for copying, saving and the node popup.

use std::path::PathBuf;

use crossterm::event::KeyCode;

use super::super::app::*;
use super::super::msg::{Effect, Msg, SaveProblem};
use crate::tui::test_support::*;

#[test]
fn y_copies_the_node_id_and_without_nodes_the_backup_id() {
    let mut a = loaded(3);
    send(&mut a, ch('j'));
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, vec![Effect::Copy("node01in01".into())]);
    assert!(a.notice.as_deref().unwrap_or("").contains("via OSC 52"));
    let mut a = loaded(0);
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, vec![Effect::Copy("nodes-br09".into())]);
    a.in_tmux = true;
    send(&mut a, ch('y'));
    assert!(a.notice.as_deref().unwrap_or("").contains("tmux buffer"));
}

#[test]
fn shift_y_copies_the_backup_as_show_prints_it() {
    let mut a = loaded(2);
    let u = send(&mut a, ch('Y'));
    let [Effect::Copy(json)] = &u.effects[..] else {
        panic!("{:?}", u.effects);
    };
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(value["id"], "nodes-br09");
    assert_eq!(value["related_data_nodes"][1]["instance_id"], "node01in01");
    assert!(a.notice.as_deref().unwrap_or("").contains("2 nodes"));
}

#[test]
fn a_backup_over_100_kb_is_not_copied_and_s_is_suggested() {
    let mut a = loaded(5_000);
    let u = send(&mut a, ch('Y'));
    assert!(u.effects.is_empty());
    let notice = a.notice.clone().unwrap_or_default();
    assert!(notice.contains("s saves the backup"), "{notice}");
    assert!(
        notice.contains("over the 100 KB clipboard limit"),
        "{notice}"
    );
}

#[test]
fn nothing_to_copy_or_save_before_a_lookup() {
    let mut a = app();
    send(&mut a, key(KeyCode::Esc));
    for c in ['y', 'Y', 's'] {
        let u = send(&mut a, ch(c));
        assert!(u.effects.is_empty(), "{c}");
        assert!(
            a.notice
                .as_deref()
                .unwrap_or("")
                .contains("look a backup up first")
        );
    }
    assert!(a.save().is_none());
}

#[test]
fn s_offers_the_default_path_and_asks_before_replacing() {
    let mut a = loaded(2);
    send(&mut a, ch('s'));
    let prompt = a.save().cloned().expect("prompt");
    assert_eq!(prompt.path.value(), "./nodes-br09.json");
    // Keys go to the path, not the list.
    send(&mut a, ch('q'));
    send(&mut a, key(KeyCode::Backspace));
    let u = send(&mut a, key(KeyCode::Enter));
    let [
        Effect::Save {
            path,
            contents,
            overwrite: false,
        },
    ] = &u.effects[..]
    else {
        panic!("{:?}", u.effects);
    };
    assert_eq!(path, &PathBuf::from("./nodes-br09.json"));
    assert!(contents.contains("node01in01"));
    send(
        &mut a,
        Msg::Saved(Err(SaveProblem::Exists(PathBuf::from("./nodes-br09.json")))),
    );
    assert!(a.save().is_some_and(|p| p.confirm.is_some()));
    assert!(a.notice.as_deref().unwrap_or("").contains("Replace it?"));
    let u = send(&mut a, ch('y'));
    assert!(matches!(
        u.effects[..],
        [Effect::Save {
            overwrite: true,
            ..
        }]
    ));
    send(
        &mut a,
        Msg::Saved(Ok(PathBuf::from("/tmp/x/nodes-br09.json"))),
    );
    assert!(a.save().is_none());
    assert!(
        a.notice
            .as_deref()
            .unwrap_or("")
            .contains("/tmp/x/nodes-br09.json")
    );
}

#[test]
fn declining_to_replace_goes_back_to_the_path_and_esc_cancels() {
    let mut a = loaded(1);
    send(&mut a, ch('s'));
    send(&mut a, key(KeyCode::Enter));
    send(
        &mut a,
        Msg::Saved(Err(SaveProblem::Exists(PathBuf::from("x.json")))),
    );
    let u = send(&mut a, ch('n'));
    assert!(u.effects.is_empty());
    assert!(a.save().is_some_and(|p| p.confirm.is_none()));
    send(&mut a, key(KeyCode::Esc));
    assert!(a.save().is_none());
    assert_eq!(a.notice.as_deref(), Some("Not saved"));
}

#[test]
fn enter_on_a_node_opens_its_popup_with_copy_keys() {
    let mut a = loaded(3);
    send(&mut a, ch('j'));
    send(&mut a, key(KeyCode::Enter));
    assert_eq!(a.popup().map(|p| p.kind), Some(PopupKind::Node));
    let u = send(&mut a, ch('n'));
    assert_eq!(u.effects, vec![Effect::Copy("mysql_node_01".into())]);
    let u = send(&mut a, ch('y'));
    assert_eq!(u.effects, vec![Effect::Copy("node01in01".into())]);
    send(&mut a, key(KeyCode::Esc));
    assert!(a.popup().is_none());
}

#[test]
fn keys_wait_while_a_save_runs_and_a_late_answer_still_reports() {
    let mut a = loaded(1);
    send(&mut a, ch('s'));
    send(&mut a, key(KeyCode::Enter));
    assert!(a.save().is_some_and(|p| p.pending));
    for msg in [ch('x'), key(KeyCode::Esc), key(KeyCode::Enter)] {
        assert!(send(&mut a, msg).effects.is_empty());
    }
    let prompt = a.save().cloned().expect("still open");
    assert_eq!(prompt.path.value(), "./nodes-br09.json");
    assert_eq!(a.notice.as_deref(), Some("Saving…"));
    // Ctrl-R closes the prompt; the answer still reaches the status bar.
    send(&mut a, ctrl('r'));
    assert!(a.save().is_none());
    send(&mut a, key(KeyCode::Esc));
    send(
        &mut a,
        Msg::Saved(Ok(PathBuf::from("/tmp/y/nodes-br09.json"))),
    );
    assert_eq!(a.notice.as_deref(), Some("Saved to /tmp/y/nodes-br09.json"));
}

/// A backup whose node came from a hostile server: a newline and the end of
/// a bracketed paste in its ID, escape sequences and a bidi override in its
/// name.
fn hostile() -> App {
    let (mut a, _) = submitted();
    let mut backup = detail("nodes-br09", 1);
    backup.related_data_nodes[0] = crate::api::RelatedDataNode {
        instance_id: "x\n\u{1b}[201~rm -rf ~\n".into(),
        instance_name: "rds\u{1b}]52;c;aGk=\u{7}\u{202e}evil\u{85}".into(),
    };
    let fetched = Ok(crate::api::Fetched {
        value: backup,
        status: 200,
        elapsed: std::time::Duration::from_millis(1),
        request_id: None,
        attempts: 1,
    });
    send(&mut a, super::super::test_support::fetched(1, fetched));
    a
}

#[test]
fn copies_carry_nothing_a_terminal_or_a_shell_would_act_on() {
    let mut a = hostile();
    // `y` on the node: its ID breaks the ID rule, so nothing is copied.
    let u = send(&mut a, ch('y'));
    assert!(u.effects.is_empty(), "{:?}", u.effects);
    let notice = a.notice.clone().unwrap_or_default();
    assert!(
        notice.starts_with("Not copied: this data node ID contains U+000A"),
        "{notice}"
    );
    // The popup's `y` too; its `n` copies the name through the filter.
    send(&mut a, key(KeyCode::Enter));
    assert!(send(&mut a, ch('y')).effects.is_empty());
    let u = send(&mut a, ch('n'));
    assert_eq!(
        u.effects,
        vec![Effect::Copy("rds]52;c;aGk=evil".into())],
        "escape, BEL, bidi override and NEL are gone"
    );
    send(&mut a, key(KeyCode::Esc));
    // `Y`: the JSON keeps the data exact, every unsafe character escaped.
    let u = send(&mut a, ch('Y'));
    let [Effect::Copy(json)] = &u.effects[..] else {
        panic!("{:?}", u.effects);
    };
    assert!(
        json.chars()
            .all(|c| c == '\n' || !crate::terminal_text::is_unsafe(c)),
        "{json:?}"
    );
    assert!(json.contains(r#""x\n\u001b[201~rm -rf ~\n""#), "{json}");
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(
        value["related_data_nodes"][0]["instance_name"],
        "rds\u{1b}]52;c;aGk=\u{7}\u{202e}evil\u{85}"
    );
}
