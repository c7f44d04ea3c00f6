//! Every screen state, drawn on a TestBackend and compared with the
//! reviewed snapshots in tests/snapshots.

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use ddm_backups::tui::app::{Focus, Lookup};
use ddm_backups::tui::msg::Msg;
use ddm_backups::tui::test_support::*;

fn snap(name: &str, app: &mut ddm_backups::tui::App, width: u16, height: u16) {
    let terminal = draw(app, width, height);
    assert_screen!("tui_snapshots", name, terminal.backend());
}

#[test]
fn empty_form() {
    snap("empty_form_80x24", &mut app(), 80, 24);
}

#[test]
fn empty_form_under_demo_suggests_ids() {
    snap("empty_form_demo_80x24", &mut demo_app(), 80, 24);
}

#[test]
fn invalid_id_beside_the_field() {
    let mut a = app();
    type_str(&mut a, "demo-in09");
    press(&mut a, KeyCode::Tab);
    type_str(&mut a, "nodes/br09");
    snap("invalid_id_80x24", &mut a, 80, 24);
}

#[test]
fn fetching_with_the_spinner() {
    let mut a = submitted_with("demo-in09", "slow-br09");
    let Lookup::Loading { started, .. } = a.slot().lookup else {
        panic!("loading")
    };
    a.update(Msg::Tick, started + Duration::from_millis(1300));
    snap("fetching_80x24", &mut a, 80, 24);
}

#[test]
fn loaded_example() {
    snap(
        "loaded_example_80x24",
        &mut loaded_with(example_detail()),
        80,
        24,
    );
    snap(
        "loaded_example_120x40",
        &mut loaded_with(example_detail()),
        120,
        40,
    );
    snap(
        "loaded_example_40x12",
        &mut loaded_with(example_detail()),
        40,
        12,
    );
}

#[test]
fn several_nodes_with_the_selection_moved() {
    let mut a = loaded_with(nodes_detail(30));
    for _ in 0..10 {
        press(&mut a, KeyCode::Char('j'));
    }
    snap("nodes_selection_moved_80x24", &mut a, 80, 24);
    snap("nodes_selection_moved_120x40", &mut a, 120, 40);
}

#[test]
fn filtered_list() {
    let mut a = loaded_with(nodes_detail(30));
    press(&mut a, KeyCode::Char('/'));
    type_str(&mut a, "shard_1");
    snap("filter_typing_80x24", &mut a, 80, 24);
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Char('j'));
    snap("filter_kept_80x24", &mut a, 80, 24);
    press(&mut a, KeyCode::Char('/'));
    type_str(&mut a, "zz");
    snap("filter_no_match_80x24", &mut a, 80, 24);
}

#[test]
fn a_cut_node_list_says_so_in_its_title() {
    let mut detail = nodes_detail(30);
    detail.nodes_cut = Some(5_500_000);
    let terminal = draw(&mut loaded_with(detail), 80, 24);
    let screen = format!("{}", terminal.backend());
    assert!(
        screen.contains("Related data nodes (30; cut from 5500000)"),
        "{screen}"
    );
}

#[test]
fn empty_node_list() {
    let mut detail = nodes_detail(0);
    detail.id = "empty-br09".into();
    snap("empty_nodes_80x24", &mut loaded_with(detail), 80, 24);
}

#[test]
fn wide_characters_keep_the_layout() {
    let mut detail = nodes_detail(0);
    detail.id = "wide-br09".into();
    detail.name =
        "订单库-每日备份-🚀-a-very-long-backup-name-that-keeps-going-and-going-past-the-edge"
            .into();
    detail.instance_name = "分布式数据库中间件实例名称非常长非常长非常长非常长非常长".into();
    detail.related_data_nodes = vec![
        ddm_backups::api::RelatedDataNode {
            instance_id: "fc33739e5d2741529e21d87a7b5923fain01".into(),
            instance_name: "订单库_分片_01_很长很长很长很长很长很长很长很长很长".into(),
        },
        ddm_backups::api::RelatedDataNode {
            instance_id: "a-very-long-node-id-that-does-not-fit-in-the-column-at-all-in01".into(),
            instance_name: "🚀rocket\u{1b}[31m-red\u{202e}-rtl".into(),
        },
        ddm_backups::api::RelatedDataNode {
            instance_id: String::new(),
            instance_name: String::new(),
        },
    ];
    snap("wide_80x24", &mut loaded_with(detail.clone()), 80, 24);
    snap("wide_40x12", &mut loaded_with(detail), 40, 12);
}

#[test]
fn each_error_class() {
    for (name, error) in every_error() {
        let mut a = submitted_with("demo-in09", "e404-br09");
        answer(&mut a, Err(error));
        snap(&format!("error_{name}_80x24"), &mut a, 80, 24);
    }
}

#[test]
fn an_error_at_the_minimum_size() {
    let mut a = submitted_with("demo-in09", "e404-br09");
    answer(
        &mut a,
        Err(api_error_with(
            404,
            "DBS.280238",
            "The backup does not exist.",
        )),
    );
    snap("error_404_40x12", &mut a, 40, 12);
}

#[test]
fn cancelled() {
    let mut a = submitted_with("demo-in09", "hang-br09");
    let Lookup::Loading { started, .. } = a.slot().lookup else {
        panic!("loading")
    };
    a.update(
        Msg::Key(crossterm::event::KeyEvent::from(KeyCode::Esc)),
        started + Duration::from_millis(2400),
    );
    snap("cancelled_80x24", &mut a, 80, 24);
}

#[test]
fn help_overlay() {
    let mut a = app();
    a.slot_mut().focus = Focus::List;
    press(&mut a, KeyCode::Char('?'));
    snap("help_80x24", &mut a, 80, 24);
    snap("help_120x40", &mut a, 120, 40);
    snap("help_40x12", &mut a, 40, 12);
    press(&mut a, KeyCode::Char('G'));
    snap("help_scrolled_to_end_80x24", &mut a, 80, 24);
}

#[test]
fn help_lists_the_demo_backups_under_demo() {
    let mut a = demo_app();
    a.slot_mut().focus = Focus::List;
    press(&mut a, KeyCode::Char('?'));
    press(&mut a, KeyCode::Char('G'));
    snap("help_demo_end_100x30", &mut a, 100, 30);
    press(&mut a, KeyCode::PageUp);
    snap("help_demo_page_up_100x30", &mut a, 100, 30);
}

#[test]
fn error_popup() {
    for (name, error) in [
        (
            "404",
            api_error_with(404, "DBS.280238", "The backup does not exist."),
        ),
        ("502_html", every_error().remove(7).1),
    ] {
        let mut a = submitted_with("demo-in09", "e404-br09");
        answer(&mut a, Err(error));
        press(&mut a, KeyCode::Char('e'));
        snap(&format!("error_popup_{name}_80x24"), &mut a, 80, 24);
    }
}

#[test]
fn too_small() {
    let mut a = loaded_with(example_detail());
    snap("too_small_39x12", &mut a, 39, 12);
    snap("too_small_80x11", &mut a, 80, 11);
    snap("too_small_10x3", &mut a, 10, 3);
}

#[test]
fn fetching_uses_no_clock_of_its_own() {
    // The same state drawn twice gives the same frame: render reads no clock.
    let mut a = submitted_with("demo-in09", "slow-br09");
    let t = Instant::now();
    a.update(Msg::Tick, t);
    let one = draw(&mut a, 80, 24).backend().to_string();
    std::thread::sleep(Duration::from_millis(20));
    let two = draw(&mut a, 80, 24).backend().to_string();
    assert_eq!(one, two);
}

#[test]
fn password_prompt_is_masked() {
    let mut a = submitted_with("demo-in09", "nodes-br09");
    a.update(
        Msg::PasswordWanted {
            question: "Password for IAM user demo-user in account demo-account (profile demo)"
                .into(),
        },
        Instant::now(),
    );
    type_str(&mut a, "hunter2");
    snap("password_prompt_80x24", &mut a, 80, 24);
    snap("password_prompt_40x12", &mut a, 40, 12);
}

/// The README's first screen: the demo's `demo-in09` / `nodes-br09`
/// looked up, the selection moved down twice.
#[test]
fn readme_lookup() {
    let mut a = loaded_with(demo_nodes_detail());
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('j'));
    snap("readme_lookup_80x24", &mut a, 80, 24);
}

/// One screen the README shows: the lines `lines` (1-based, inclusive;
/// all when `None`) of snapshot `name`, as drawn (without the quotes).
fn snapshot_lines(name: &str, lines: Option<(usize, usize)>) -> Vec<String> {
    let path = format!("{}/tests/snapshots/{name}.snap", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // After the front matter (between two `---` lines), one quoted line
    // per screen row.
    let body: Vec<String> = text
        .splitn(3, "---\n")
        .nth(2)
        .unwrap_or("")
        .lines()
        .map(|l| l.trim_matches('"').trim_end().to_string())
        .collect();
    match lines {
        Some((from, to)) => body[from - 1..to].to_vec(),
        None => body,
    }
}

/// Every fenced block the README puts after a `<!-- screen: NAME -->` (or
/// `<!-- screen: NAME lines A-B -->`) marker is that snapshot, so the
/// README's screens cannot drift from what the app draws.
#[test]
fn the_readme_screens_are_snapshots() {
    let readme = include_str!("../../README.md");
    let mut checked = 0;
    let mut rest = readme;
    while let Some(at) = rest.find("<!-- screen: ") {
        rest = &rest[at + "<!-- screen: ".len()..];
        let (marker, after) = rest.split_once(" -->").expect("a closed marker");
        let mut words = marker.split_whitespace();
        let name = words.next().expect("a snapshot name");
        let lines = match (words.next(), words.next()) {
            (Some("lines"), Some(range)) => {
                let (a, b) = range.split_once('-').expect("lines A-B");
                Some((a.parse().expect("A"), b.parse().expect("B")))
            }
            _ => None,
        };
        let block = after
            .split_once("```\n")
            .and_then(|(_, b)| b.split_once("```"))
            .map(|(b, _)| b)
            .expect("a fenced block after the marker");
        let shown: Vec<String> = block.lines().map(|l| l.trim_end().to_string()).collect();
        let expected = snapshot_lines(name, lines);
        assert_eq!(
            shown,
            expected,
            "README.md's screen for {name} differs from the snapshot; paste this:\n{}",
            expected.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 2, "the README's screens are marked ({checked})");
}

/// Issue 18 item 7: where a node's row is cut (here its ID, at 60
/// columns), the footer under the rows shows the selected node whole, and
/// follows the selection.
#[test]
fn the_selected_node_is_whole_in_the_footer_where_its_row_is_cut() {
    let mut detail = nodes_detail(12);
    for (i, node) in detail.related_data_nodes.iter_mut().enumerate() {
        node.instance_name = format!("rds-orders-shard-{i:02}");
    }
    let mut a = loaded_with(detail.clone());
    a.width = 60;
    a.height = 24;
    for pick in [0, 5] {
        let node = &detail.related_data_nodes[pick];
        let screen = screen_text(&a);
        let row = screen
            .lines()
            .find(|l| l.contains('▶'))
            .unwrap_or_else(|| panic!("a selected row:\n{screen}"));
        assert!(
            !row.contains(&node.instance_id),
            "the row is cut:\n{screen}"
        );
        let whole = format!("{} · {}", node.instance_name, node.instance_id);
        assert!(screen.contains(&whole), "{whole} missing:\n{screen}");
        for _ in 0..5 {
            press(&mut a, KeyCode::Char('j'));
        }
    }
}
