//! The Find overlay in each state: three profiles (the demo's two and a
//! third whose token is refused), results fed as the engine sends them.

use std::sync::Arc;
use std::time::Instant;

use super::{api_error_with, profile_info, send, type_str};
use crate::api::{self, BackupRow};
use crate::find::{Event, Found, Loaded};
use crate::fleet::ProfileId;
use crate::tui::App;
use crate::tui::app::Focus;
use crate::tui::msg::{Effect, Msg};

/// The profiles Find searches here, with their regions.
pub const FIND_PROFILES: [(&str, &str); 3] = [
    ("demo", "cn-north-4"),
    ("demo-eu", "eu-west-101"),
    ("demo-ap", "ap-southeast-1"),
];

/// The identity of [`FIND_PROFILES`]' profile `name` (its place there).
pub fn find_id(name: &str) -> ProfileId {
    let at = FIND_PROFILES.iter().position(|(n, _)| *n == name);
    ProfileId(at.unwrap_or(FIND_PROFILES.len()))
}

/// An app offering [`FIND_PROFILES`], `demo` shown, focus on the list.
pub fn find_app() -> App {
    let mut a = super::app();
    a.set_profiles(
        FIND_PROFILES
            .iter()
            .map(|(n, r)| profile_info(n, r, "127.0.0.1:8080", "token"))
            .collect(),
        0,
    );
    a.slot_mut().focus = Focus::List;
    a
}

/// Opens Find and types `text`; the effects the last key asked for.
pub fn find_typed(a: &mut App, text: &str) -> Vec<Effect> {
    send(a, super::ch('f'));
    let mut last = Vec::new();
    for c in text.chars() {
        last = send(a, super::ch(c)).effects;
    }
    last
}

/// Types more into the open Find.
pub fn find_more(a: &mut App, text: &str) {
    type_str(a, text);
}

/// Backup `n` of `profile`: named after orders or after billing.
pub fn found(profile: &str, region: &str, n: usize) -> Found {
    let what = if n % 3 == 2 { "billing" } else { "orders" };
    let row = BackupRow {
        id: Some(format!("{profile}-{n:03}-br09")),
        name: Some(format!("Backup-ddm-{what}-2025{:02}", 12 - n % 12)),
        status: Some(if n == 4 { "creating" } else { "normal" }.into()),
        instance_id: Some(format!("{profile}-{what}-in09")),
        instance_name: Some(format!("ddm-{what}")),
        created: Some(format!("2025-06-{:02}T02:00:00+0000", 28 - n % 28).into()),
        ..BackupRow::default()
    };
    crate::find::found(profile, region, row)
}

/// `count` rows of `profile`, indexed as a finished listing holds them.
pub fn loaded(profile: &str, region: &str, count: usize) -> Arc<Loaded> {
    let rows = (0..count).map(|n| found(profile, region, n)).collect();
    Arc::new(Loaded::new(
        profile.into(),
        region.into(),
        rows,
        Some(count as u64),
        None,
        Instant::now(),
    ))
}

/// [`loaded`], by a name that does not clash with the app helper.
pub fn find_rows_loaded(profile: &str, region: &str, count: usize) -> Arc<Loaded> {
    loaded(profile, region, count)
}

/// Hands event `e` of search `generation` to the app.
pub fn find_event(a: &mut App, generation: u64, e: Event) {
    send(
        a,
        Msg::Find {
            generation,
            event: e,
        },
    );
}

/// The generation of the open Find's search.
pub fn find_generation(a: &App) -> u64 {
    a.find().and_then(|v| v.generation).unwrap_or(0)
}

/// Profile `profile`'s listing started, in the open Find's search.
pub fn find_started(a: &mut App, profile: &str) {
    let g = find_generation(a);
    let profile = find_id(profile);
    find_event(a, g, Event::Started { profile });
}

/// A page of `profile`'s listing in the open Find's search: `scanned` of
/// `total` rows read, with `matches` among them.
pub fn find_page(a: &mut App, profile: &str, scanned: usize, total: u64, matches: Vec<Found>) {
    let g = find_generation(a);
    let event = Event::Page {
        profile: find_id(profile),
        scanned,
        total: Some(total),
        matches: matches.into_iter().map(Arc::new).collect(),
    };
    find_event(a, g, event);
}

/// Profile `profile` listed whole: started, one page, done.
pub fn find_done(a: &mut App, profile: &str, region: &str, count: usize) {
    let g = find_generation(a);
    let loaded = loaded(profile, region, count);
    let query = a
        .find()
        .and_then(|v| v.progress.as_ref())
        .map(|p| p.query().clone());
    let matches = query
        .map(|q| {
            loaded
                .matching(&q)
                .iter()
                .map(|f| Found::clone(f))
                .collect()
        })
        .unwrap_or_default();
    find_started(a, profile);
    find_page(a, profile, count, count as u64, matches);
    find_event(
        a,
        g,
        Event::Done {
            profile: find_id(profile),
            loaded,
            reused: false,
        },
    );
}

/// Profile `profile` failed with `error`.
pub fn find_failed(a: &mut App, profile: &str, error: api::Error) {
    let g = find_generation(a);
    find_event(
        a,
        g,
        Event::Started {
            profile: find_id(profile),
        },
    );
    find_event(
        a,
        g,
        Event::Failed {
            profile: find_id(profile),
            error,
        },
    );
}

/// The token a profile's IAM refused.
pub fn token_refused() -> api::Error {
    api_error_with(
        401,
        "APIGW.0301",
        "Incorrect IAM authentication information: the token must be updated",
    )
}

/// `orders` found in `demo` and `demo-eu`; `demo-ap`'s token refused.
pub fn find_loaded() -> App {
    let mut a = find_app();
    find_typed(&mut a, "orders");
    find_done(&mut a, "demo-eu", "eu-west-101", 9);
    find_failed(&mut a, "demo-ap", token_refused());
    find_done(&mut a, "demo", "cn-north-4", 12);
    a
}
