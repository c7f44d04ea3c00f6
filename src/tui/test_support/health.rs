//! The Health view in each state, from fixed reports judged by the real
//! rules at a pinned instant in UTC, so no picture depends on the clock:
//! Find's three profiles (demo, demo-eu, demo-ap), the third refused.

use std::sync::Arc;
use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::{find_app, find_id, send, token_refused};
use crate::fleet::{Event, ProfileId};
use crate::health::{Backup, Checked, Input, InstanceReport, Outcome, Progress, Thresholds};
use crate::tui::App;
use crate::tui::health::News;
use crate::tui::msg::{Effect, Msg};

/// The instant every report here is judged at: 2025-06-28 09:00 UTC.
pub const HEALTH_NOW: Timestamp = Timestamp::constant(1_751_101_200, 0);

fn at_day(days_back: i64, hour: i64) -> Timestamp {
    // Midnight UTC of 2025-06-28, less whole days, plus hours.
    let midnight = HEALTH_NOW - SignedDuration::from_hours(9);
    midnight - SignedDuration::from_hours(24 * days_back) + SignedDuration::from_hours(hour)
}

/// A normal backup at 02:00 UTC `days_back` days before 2025-06-28.
fn normal(days_back: i64, bytes: u64) -> Backup {
    Backup {
        created: at_day(days_back, 2),
        outcome: Outcome::Normal,
        bytes: Some(bytes),
    }
}

/// Daily normal backups from `oldest` days back to `newest` days back,
/// growing by about 1% a day from 1 MiB.
fn daily(oldest: i64, newest: i64) -> Vec<Backup> {
    (newest..=oldest)
        .rev()
        .map(|d| normal(d, (1 << 20) + (20 - d as u64) * 10_000))
        .collect()
}

/// How one instance fares.
pub struct Case {
    pub profile: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    pub backups: Vec<Backup>,
    /// The latest restorable time's distance before now; `None`: no
    /// window; `Err`: the call failed.
    pub restore: Result<Option<SignedDuration>, String>,
}

/// Judges `case` at [`HEALTH_NOW`] with the default thresholds.
pub fn judged(case: Case) -> InstanceReport {
    let limits = Arc::new(Thresholds::default());
    let mut backups = case.backups;
    backups.sort_by_key(|b| b.created);
    let input = Input {
        backups: &backups,
        unreadable: 0,
        listing: Ok(()),
        restore: case.restore.clone().map(|d| d.map(|d| HEALTH_NOW - d)),
    };
    let verdict = crate::health::judge(&input, &limits, HEALTH_NOW, &TimeZone::UTC);
    let region = super::FIND_PROFILES
        .iter()
        .find(|(n, _)| *n == case.profile)
        .map_or("", |(_, r)| r);
    InstanceReport {
        profile_id: find_id(case.profile),
        profile: case.profile.into(),
        region: region.into(),
        instance_id: case.id.into(),
        instance_name: case.name.into(),
        verdict,
        backups,
        limits,
    }
}

fn minutes(m: i64) -> Result<Option<SignedDuration>, String> {
    Ok(Some(SignedDuration::from_mins(m)))
}

/// The demo profile's five instances: healthy, stopped two days ago,
/// newest failed, two missed days, no backups.
pub fn demo_reports() -> Vec<InstanceReport> {
    let mut ledger = daily(14, 1);
    ledger.push(Backup {
        created: at_day(0, 2),
        outcome: Outcome::Failed,
        bytes: None,
    });
    let archive = daily(14, 0)
        .into_iter()
        .filter(|b| b.created != at_day(5, 2) && b.created != at_day(3, 2))
        .collect();
    [
        Case {
            profile: "demo",
            id: "orders-in09",
            name: "ddm-orders",
            backups: daily(14, 0),
            restore: minutes(10),
        },
        Case {
            profile: "demo",
            id: "billing-in09",
            name: "ddm-billing",
            backups: daily(14, 2),
            restore: minutes(55 * 60),
        },
        Case {
            profile: "demo",
            id: "ledger-in09",
            name: "ddm-ledger",
            backups: ledger,
            restore: minutes(20),
        },
        Case {
            profile: "demo",
            id: "archive-in09",
            name: "ddm-archive",
            backups: archive,
            restore: minutes(5),
        },
        Case {
            profile: "demo",
            id: "empty-in09",
            name: "ddm-empty",
            backups: Vec::new(),
            restore: Ok(None),
        },
    ]
    .into_iter()
    .map(judged)
    .collect()
}

/// demo-eu's three: a size that tripled today, a restore lag of two
/// hours, and a restore-window call that failed.
pub fn eu_reports() -> Vec<InstanceReport> {
    let mut jump = daily(14, 1);
    jump.push(normal(0, 3 * ((1 << 20) + 200_000)));
    [
        Case {
            profile: "demo-eu",
            id: "eu-orders-in09",
            name: "ddm-eu-orders",
            backups: jump,
            restore: minutes(15),
        },
        Case {
            profile: "demo-eu",
            id: "eu-lag-in09",
            name: "ddm-eu-lag",
            backups: daily(14, 0),
            restore: minutes(125),
        },
        Case {
            profile: "demo-eu",
            id: "eu-flaky-in09",
            name: "ddm-eu-flaky",
            backups: daily(14, 0),
            restore: Err("429 Too Many Requests · request id req-429".into()),
        },
    ]
    .into_iter()
    .map(judged)
    .collect()
}

/// The generation the last `HealthCheck` effect of `effects` carries.
pub fn check_generation(effects: &[Effect]) -> Option<u64> {
    effects.iter().rev().find_map(|e| match e {
        Effect::HealthCheck { generation, .. } => Some(*generation),
        _ => None,
    })
}

/// Find's app (three profiles, focus on the list) with Health open:
/// the generation of the check it started.
pub fn health_opened() -> (App, u64) {
    let mut a = find_app();
    let u = send(&mut a, super::ch('H'));
    let g = check_generation(&u.effects).expect("H starts a check");
    (a, g)
}

/// Hands `news` of check `generation` to the app.
pub fn health_news(a: &mut App, generation: u64, news: News) -> crate::tui::msg::Update {
    send(a, Msg::Health { generation, news })
}

/// An event of profile `profile` in check `generation`.
pub fn health_event(a: &mut App, generation: u64, event: Event<Progress, Checked>) {
    health_news(a, generation, News::Event(event));
}

/// Check `generation` began at [`HEALTH_NOW`].
pub fn health_began(a: &mut App, generation: u64) {
    health_news(a, generation, News::Began { at: HEALTH_NOW });
}

/// Profile `profile` started and listed `reports.len()` instances, of
/// which the first `judged` are judged.
pub fn health_judging(
    a: &mut App,
    generation: u64,
    profile: ProfileId,
    reports: &[InstanceReport],
    judged: usize,
) {
    health_event(a, generation, Event::Started { profile });
    health_event(
        a,
        generation,
        Event::Progress {
            profile,
            progress: Progress::Listed {
                instances: reports.len(),
            },
        },
    );
    for r in reports.iter().take(judged) {
        health_event(
            a,
            generation,
            Event::Progress {
                profile,
                progress: Progress::Judged(Box::new(r.clone())),
            },
        );
    }
}

/// Profile `profile` done after judging every one of `reports`.
pub fn health_profile_done(
    a: &mut App,
    generation: u64,
    profile: ProfileId,
    reports: &[InstanceReport],
) {
    health_judging(a, generation, profile, reports, reports.len());
    health_event(
        a,
        generation,
        Event::Done {
            profile,
            value: Checked {
                instances: reports.len(),
                took: Duration::from_millis(1_300),
                truncated: false,
            },
        },
    );
}

/// Check `generation` ended two seconds after it began.
pub fn health_ended(a: &mut App, generation: u64) -> crate::tui::msg::Update {
    let at = HEALTH_NOW + SignedDuration::from_secs(2);
    health_news(a, generation, News::Ended { at })
}

/// A whole check: demo-eu's rows, demo-ap refused, then demo's.
pub fn health_loaded() -> App {
    let (mut a, g) = health_opened();
    health_began(&mut a, g);
    health_profile_done(&mut a, g, find_id("demo-eu"), &eu_reports());
    health_event(
        &mut a,
        g,
        Event::Started {
            profile: find_id("demo-ap"),
        },
    );
    health_event(
        &mut a,
        g,
        Event::Failed {
            profile: find_id("demo-ap"),
            error: token_refused(),
        },
    );
    health_profile_done(&mut a, g, find_id("demo"), &demo_reports());
    health_ended(&mut a, g);
    a
}

/// A check under way: demo has judged two of its five, demo-eu is
/// listing, demo-ap waits for a turn.
pub fn health_loading() -> App {
    let (mut a, g) = health_opened();
    health_began(&mut a, g);
    health_judging(&mut a, g, find_id("demo"), &demo_reports(), 2);
    health_event(
        &mut a,
        g,
        Event::Started {
            profile: find_id("demo-eu"),
        },
    );
    a
}

/// An app of `profiles` profiles of `per` instances each, every one
/// checked (the demo's and demo-eu's reports over and over, renamed), with
/// Health open on a `width` x `height` screen and the selection in the
/// middle: what the benchmarks draw and move in.
pub fn health_fleet(profiles: usize, per: usize, width: u16, height: u16) -> App {
    let mut a = super::app();
    a.set_profiles(
        (0..profiles)
            .map(|p| super::profile_info(&format!("p{p}"), "cn-north-4", "127.0.0.1:8080", "token"))
            .collect(),
        0,
    );
    a.slot_mut().focus = crate::tui::app::Focus::List;
    send(&mut a, Msg::Resize { width, height });
    let u = send(&mut a, super::ch('H'));
    let g = check_generation(&u.effects).expect("H starts a check");
    health_began(&mut a, g);
    let models: Vec<InstanceReport> = demo_reports().into_iter().chain(eu_reports()).collect();
    for p in 0..profiles {
        let profile = ProfileId(p);
        let reports: Vec<InstanceReport> = (0..per)
            .map(|n| {
                let mut r = models[n % models.len()].clone();
                r.profile_id = profile;
                r.profile = format!("p{p}");
                r.region = "cn-north-4".into();
                r.instance_id = format!("{:032x}in09", p * 100_000 + n);
                r.instance_name = format!("{}-{n:03}", r.instance_name);
                r
            })
            .collect();
        health_profile_done(&mut a, g, profile, &reports);
    }
    health_ended(&mut a, g);
    for _ in 0..(profiles * per / 2) {
        send(&mut a, super::ch('j'));
    }
    a
}
