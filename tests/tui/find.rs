//! Find in the TUI: snapshots of its results (both demo regions and a
//! failing profile) at 80x24 and 120x40, and a whole session against the
//! demo endpoint over TCP through the real effect runner.

use crossterm::event::KeyCode;
use ddm_backups::api::DdmClient;
use ddm_backups::demo::{self, DemoServer, RunningDemo};
use ddm_backups::tui::test_support::*;
use ddm_backups::tui::{App, LaunchProfile};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        let mut a = app.clone();
        let terminal = draw(&mut a, w, h);
        assert_screen!("tui_find", format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn loaded_from_two_profiles_with_one_failing() {
    snap("find_loaded", &find_loaded());
}

#[test]
fn loading_with_a_skipped_profile() {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    find_started(&mut a, "demo-eu");
    let matches = (0..4).map(|n| found("demo-eu", "eu-west-101", n)).collect();
    find_page(&mut a, "demo-eu", 1_200, 3_400, matches);
    let skipped = ddm_backups::api::Error::Auth(ddm_backups::auth::AuthError::Credentials(
        "profile \"demo-ap\": no password was given".into(),
    ));
    find_failed(&mut a, "demo-ap", skipped);
    snap("find_loading", &a);
}

#[test]
fn too_short_to_search() {
    let mut a = find_app();
    find_typed(&mut a, "or");
    snap("find_short", &a);
}

/// The demo's two profiles (token in cn-north-4, AK/SK in eu-west-101),
/// each with a real client, and an app that offers both (Health's loopback
/// tests use it too).
pub(crate) fn two_profiles(running: &RunningDemo) -> (App, Vec<Option<DdmClient>>) {
    let launch: Vec<LaunchProfile> = demo::profiles_for(running)
        .iter()
        .map(|p| LaunchProfile::new(p, DdmClient::new(p).map_err(|e| e.to_string())))
        .collect();
    let mut app = app();
    app.set_profiles(launch.iter().map(|p| p.info.clone()).collect(), 0);
    let clients = launch.into_iter().map(|p| p.client).collect();
    (app, clients)
}

#[tokio::test]
async fn f_orders_finds_both_regions_and_enter_lands_in_the_right_profile() {
    let running = DemoServer::builder().bind().await.expect("demo");
    let (app, clients) = two_profiles(&running);
    let mut h = Harness::start_with(app, clients, None, 100, 30);
    h.wait_for("Ready").await;
    // From the form `f` is text: Esc to the list first, as a user would.
    h.key(KeyCode::Esc);
    h.type_str("f");
    h.wait_for("type at least 3 characters").await;
    h.type_str("orders");
    // demo's 23 results fill the screen; the title counts both profiles'
    // and, once nothing loads, has no spinner after it.
    let frame = h.wait_for("results in 2 profiles ─").await;
    assert!(frame.contains("demo · cn-north-4: "), "{frame}");
    assert!(frame.contains("nodes-br09"), "{frame}");
    // The last result is demo-eu's (the second profile's) oldest.
    h.key(KeyCode::Tab);
    h.type_str("G");
    let frame = h.wait_for("163/163").await;
    assert!(
        frame.contains("eu-orders-139-br09"),
        "eu-west-101's results:\n{frame}"
    );
    h.key(KeyCode::Enter);
    let frame = h.wait_for("profile demo-eu │ eu-west-101").await;
    assert!(!frame.contains("Find · "), "Find closed:\n{frame}");
    let frame = h.wait_for("✓ 200 OK").await;
    assert!(frame.contains("eu-orders-"), "{frame}");
    let app = h.quit().await;
    assert_eq!(app.profile().name, "demo-eu");
    assert!(app.slot().backup.value().starts_with("eu-orders-"));
    assert!(app.find().is_none());
    // Each profile's list was kept, as its own, for the next Find.
    assert!((0..app.slots().len()).all(|i| {
        app.found_listing(ddm_backups::fleet::ProfileId(i))
            .is_some()
    }));
}

/// At 80 columns the names are cut: the cut keeps the word searched for
/// (it used to read `Backup-ddm…rs-202512` for `orders`) and its cells are
/// underlined, on every result row, selected or not.
#[test]
fn a_cut_name_keeps_the_match_in_view_and_marks_it() {
    use ratatui::style::Modifier;
    let mut a = find_loaded();
    let terminal = draw(&mut a, 80, 24);
    let buf = terminal.backend().buffer();
    let text = screen(buf);
    let rows: Vec<(u16, &str)> = (0u16..)
        .zip(text.lines())
        .filter(|(_, l)| l.contains("-br09") && (l.starts_with("│▶") || l.starts_with("│  ")))
        .collect();
    assert!(rows.len() >= 10, "{text}");
    for (y, line) in rows {
        let chars: Vec<char> = line.chars().collect();
        let at: Vec<usize> = (0..chars.len())
            .filter(|&i| chars[i..].starts_with(&['o', 'r', 'd', 'e', 'r', 's']))
            .collect();
        // The instance's name and the backup's name, both in view.
        assert_eq!(at.len(), 2, "{line}\n{text}");
        for start in at {
            for x in start..start + 6 {
                let cell = &buf[(x as u16, y)];
                assert!(cell.modifier.contains(Modifier::UNDERLINED), "{line} x={x}");
            }
            let after = &buf[(start as u16 + 6, y)];
            assert!(!after.modifier.contains(Modifier::UNDERLINED), "{line}");
        }
    }
}

/// After `G` the last result's group header has scrolled away: it stays
/// pinned over the results, and the footer starts with the profile and
/// region, so where the selected backup lives is always on screen.
#[test]
fn after_g_the_selected_results_profile_and_region_stay_in_view() {
    let mut a = find_loaded();
    send(&mut a, key(KeyCode::Tab));
    send(&mut a, ch('G'));
    assert_eq!(a.find().map(|v| v.selected), Some(13));
    for (w, h) in [(40, 12), (80, 24)] {
        let mut shot = a.clone();
        let terminal = draw(&mut shot, w, h);
        let text = screen(terminal.backend().buffer());
        let lines: Vec<&str> = text.lines().collect();
        let selected = lines.iter().position(|l| l.starts_with("│▶")).unwrap();
        let header = lines
            .iter()
            .position(|l| l.starts_with("│demo-eu · eu-west-101: "));
        assert!(
            header.is_some_and(|at| at < selected),
            "{w}x{h}: the group header above the selected result:\n{text}"
        );
        assert!(
            lines[selected + 1].starts_with("│demo-eu · eu-west-101 · "),
            "{w}x{h}: the footer starts with where it lives:\n{text}"
        );
        assert_screen!("tui_find", format!("find_last_{w}x{h}"), terminal.backend());
    }
}
