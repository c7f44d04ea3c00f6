use std::collections::HashSet;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::listing::Specs;
use super::*;
use crate::health::{self, Outcome, Rule, State, Thresholds};
use crate::ids::{IdField, check_id};

fn at(s: &str) -> i64 {
    seconds(s.parse::<Timestamp>().expect("a timestamp"))
}

/// Nows around the daily backup time, midnight, a month's end and a leap day.
const NOWS: [&str; 8] = [
    "2025-07-01T00:00:00Z",
    "2025-07-01T01:59:59Z",
    "2025-07-01T02:00:00Z",
    "2025-07-01T02:00:01Z",
    "2025-07-01T12:34:56Z",
    "2025-07-01T23:59:59Z",
    "2025-03-01T03:00:00Z",
    "2028-02-29T01:00:00Z",
];

fn named() -> Vec<Spec> {
    let mut specs = Vec::new();
    for eu in [false, true] {
        let fleet = Fleet::Named.specs(eu);
        specs.extend((0..fleet.instance_count()).filter_map(|i| fleet.get(i)));
    }
    specs
}

fn scale(instances: usize, backups: usize) -> Specs {
    Fleet::Scale(FleetSize { instances, backups }).specs(false)
}

/// The rules' verdict on `spec` at `now`, as the checker will read it.
fn judged(spec: &Spec, now: i64) -> health::Verdict {
    let backups: Vec<health::Backup> = spec
        .backups(now)
        .iter()
        .map(|b| health::Backup {
            created: Timestamp::from_second(b.created).unwrap(),
            outcome: if b.failed {
                Outcome::Failed
            } else {
                Outcome::Normal
            },
            bytes: Some(b.kb * 1024),
        })
        .collect();
    let restore = match spec.windows(now) {
        None => Err("500".to_string()),
        Some(w) => Ok(w
            .iter()
            .filter_map(|(_, end)| crate::api::parse_api_time(end)?.timestamp())
            .max()),
    };
    let input = health::Input {
        backups: &backups,
        unreadable: 0,
        listing: Ok(()),
        restore,
    };
    let now = Timestamp::from_second(now).unwrap();
    health::judge(&input, &Thresholds::default(), now, &TimeZone::UTC)
}

/// The state each kind is there to show, and the rule that says so.
fn expected(kind: Kind) -> (State, Option<Rule>) {
    match kind {
        Kind::Healthy | Kind::SizeJump => (State::Ok, None),
        Kind::Stopped | Kind::NoBackups => (State::Critical, Some(Rule::Freshness)),
        Kind::NewestFailed => (State::Critical, Some(Rule::Failures)),
        Kind::MissedDays => (State::Warning, Some(Rule::MissedDays)),
        Kind::RestoreLag => (State::Critical, Some(Rule::RestoreLag)),
        Kind::WindowError => (State::Unknown, Some(Rule::RestoreLag)),
    }
}

fn check_states(specs: &[Spec]) {
    for now in NOWS {
        for spec in specs {
            let verdict = judged(spec, at(now));
            let (state, rule) = expected(spec.kind);
            let why = format!("{} at {now}: {:?}", spec.id, verdict.findings);
            assert_eq!(verdict.state, state, "{why}");
            let worst = verdict.findings.first().map(|f| f.rule);
            assert_eq!(worst, rule, "{why}");
            match spec.kind {
                // Nothing else fires beside what the instance is there for.
                Kind::Healthy | Kind::SizeJump | Kind::RestoreLag | Kind::WindowError => {
                    assert!(verdict.findings.len() <= 1, "{why}");
                }
                Kind::MissedDays => assert_eq!(verdict.missed_days.len(), 2, "{why}"),
                Kind::Stopped => {
                    let age = verdict.last_good.map(|b| b.created);
                    let want = Timestamp::from_second(at(now) - STOPPED_AGO.as_secs()).ok();
                    assert_eq!(age, want, "{why}");
                }
                Kind::NewestFailed => {
                    assert_eq!(verdict.newest.map(|b| b.outcome), Some(Outcome::Failed));
                }
                Kind::NoBackups => {
                    assert!(verdict.newest.is_none(), "{why}");
                    assert!(verdict.restore_latest.is_none(), "{why}");
                }
            }
        }
    }
}

#[test]
fn every_named_instance_shows_its_state_at_any_hour() {
    let specs = named();
    check_states(&specs);
    // Every state is there, the EU project taking part.
    for kind in [
        Kind::Healthy,
        Kind::SizeJump,
        Kind::Stopped,
        Kind::NewestFailed,
        Kind::MissedDays,
        Kind::NoBackups,
        Kind::RestoreLag,
        Kind::WindowError,
    ] {
        assert!(specs.iter().any(|s| s.kind == kind), "{kind:?}");
    }
    let eu = Fleet::Named.specs(true);
    assert!(
        (0..eu.instance_count())
            .filter_map(|i| eu.get(i))
            .any(|s| s.kind != Kind::Healthy)
    );
}

#[test]
fn every_generated_instance_shows_its_state_at_any_hour() {
    let fleet = scale(50, 30);
    let specs: Vec<Spec> = (0..50).filter_map(|i| fleet.get(i)).collect();
    check_states(&specs);
    assert!(specs.iter().all(|s| s.backups(at(NOWS[4])).len() == 30));
}

#[test]
fn healthy_backups_sit_on_the_daily_time_and_grow() {
    let fleet = Fleet::Named.specs(false);
    let payments = fleet.find(PAYMENTS_INSTANCE_ID).unwrap();
    let rows = payments.backups(at("2025-07-01T12:34:56Z"));
    assert_eq!(rows.len(), FLEET_BACKUPS);
    assert_eq!(api_time(rows[0].created), "2025-07-01T02:00:00+0000");
    assert_eq!(api_time(rows[9].created), "2025-06-22T02:00:00+0000");
    assert_eq!(rows[0].id, "payments-prod-20250701-br09");
    assert_eq!(rows[0].name, "Backup-payments-prod-20250701T020000");
    // Before 02:00 the newest is yesterday's.
    let early = payments.backups(at("2025-07-01T01:59:59Z"));
    assert_eq!(api_time(early[0].created), "2025-06-30T02:00:00+0000");
    // Oldest to newest, each bigger than the day before.
    assert!(rows.windows(2).all(|w| w[0].kb > w[1].kb), "{rows:?}");

    let jump = fleet.find(SIZE_JUMP_INSTANCE_ID).unwrap();
    let rows = jump.backups(at("2025-07-01T12:34:56Z"));
    let (after, before) = (rows[JUMPED - 1].kb, rows[JUMPED].kb);
    assert!(
        after > 2 * before && after < 4 * before,
        "{before} -> {after}"
    );
}

#[test]
fn ids_follow_the_id_rule_are_unique_and_avoid_older_searches() {
    let now = at(NOWS[4]);
    let mut seen = HashSet::new();
    let mut specs = named();
    let big = scale(MAX_FLEET_INSTANCES, 3);
    specs.extend([0, 42, MAX_FLEET_INSTANCES - 1].map(|i| big.get(i).unwrap()));
    for spec in &specs {
        check_id(IdField::Instance, &spec.id).unwrap();
        assert!(spec.id.ends_with("-in09"), "{}", spec.id);
        assert!(seen.insert(spec.id.to_string()), "{}", spec.id);
        for (node, _) in spec.nodes() {
            assert!(node.ends_with("in01") && node.len() == 36, "{node}");
        }
        for b in spec.backups(now) {
            check_id(IdField::Backup, &b.id).unwrap();
            assert!(b.id.ends_with("-br09"), "{}", b.id);
            assert!(seen.insert(b.id.clone()), "{}", b.id);
        }
    }
    for text in &seen {
        for word in ["orders", "archive", "ledger"] {
            assert!(!text.contains(word), "{text} holds {word}");
        }
    }
}

/// Every backup ID of `fleet`, instance by instance.
fn every_id(fleet: &Specs, now: i64) -> Vec<String> {
    (0..fleet.instance_count())
        .filter_map(|i| fleet.get(i))
        .flat_map(|s| s.backups(now))
        .map(|b| b.id)
        .collect()
}

fn paged_ids(fleet: &Specs, limit: usize, now: i64) -> Vec<String> {
    let mut ids = Vec::new();
    let mut offset = 0;
    while offset < fleet.backup_count() + limit {
        let page = fleet.backup_page(offset, limit, now);
        assert!(page.len() <= limit);
        ids.extend(page.iter().map(|r| r["id"].as_str().unwrap().to_string()));
        offset += limit;
    }
    ids
}

#[test]
fn pages_join_into_the_whole_listing() {
    let now = at(NOWS[4]);
    for fleet in [
        Fleet::Named.specs(false),
        Fleet::Named.specs(true),
        scale(7, 5),
        scale(3, 1),
    ] {
        let all = every_id(&fleet, now);
        assert_eq!(all.len(), fleet.backup_count());
        for limit in [1, 3, 10, 128] {
            assert_eq!(paged_ids(&fleet, limit, now), all, "limit {limit}");
        }
        let instances: Vec<Value> = fleet.instance_page(0, 128, now);
        assert_eq!(instances.len(), fleet.instance_count());
        assert!(
            fleet
                .instance_page(fleet.instance_count(), 10, now)
                .is_empty()
        );
    }
    assert_eq!(scale(100, 30).backup_count(), 3000);
    let past_the_end = scale(100, 30).backup_page(3000, 128, now);
    assert!(past_the_end.is_empty());
}

#[test]
fn lookups_answer_listed_backups_under_their_own_instance_only() {
    let now = at(NOWS[4]);
    let fleet = Fleet::Named.specs(false);
    let newest = "payments-prod-20250701-br09";
    assert!(fleet.show(PAYMENTS_INSTANCE_ID, newest, now).is_some());
    assert!(fleet.show(USERS_INSTANCE_ID, newest, now).is_none());
    assert!(
        fleet
            .show(PAYMENTS_INSTANCE_ID, "payments-prod-20250702-br09", now)
            .is_none()
    );
    // Not in the other project.
    assert!(
        Fleet::Named
            .specs(true)
            .show(PAYMENTS_INSTANCE_ID, newest, now)
            .is_none()
    );
    let big = scale(100, 30);
    assert!(
        big.show("fleet-00042-in09", "fleet-00042-20250701-br09", now)
            .is_some()
    );
    assert!(big.find("fleet-00100-in09").is_none());
}

#[test]
fn fleet_names_sort_after_the_built_in_instances() {
    // The README's launch recipe (Enter, `j`, Enter, Enter) picks the
    // second instance by name, demo-in09: the fleet must not come first.
    let names = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|r| r["name"].as_str().unwrap().to_lowercase())
            .collect()
    };
    let now = at(NOWS[4]);
    for (eu, builtin) in [
        (false, crate::demo::lists::instances()),
        (true, crate::demo::eu::instances()),
    ] {
        let last = names(builtin).into_iter().max().unwrap();
        for name in names(Fleet::Named.specs(eu).instance_page(0, 128, now)) {
            assert!(name > last, "{name} sorts before {last}");
        }
    }
}

/// A lookup builds only the backup its ID names (by its UTC day): every
/// listed backup is found whole, and no near miss is.
#[test]
fn a_lookup_finds_each_listed_backup_by_its_day_alone() {
    let mut specs = named();
    let big = scale(100, 40);
    specs.extend([3, 8, 13, 18, 23, 42].map(|i| big.get(i).unwrap()));
    for now in NOWS.map(at) {
        for spec in &specs {
            let listed = spec.backups(now);
            let times: Vec<i64> = spec.times(now).collect();
            assert_eq!(times, listed.iter().map(|b| b.created).collect::<Vec<_>>());
            assert_eq!(
                spec.backup_range(now, 2, 3),
                listed.iter().skip(2).take(3).cloned().collect::<Vec<_>>()
            );
            for b in &listed {
                assert_eq!(spec.backup(&b.id, now).as_ref(), Some(b), "{}", b.id);
            }
            let stem = spec.id.strip_suffix("-in09").unwrap();
            let tomorrow = stamp(now + DAY, "%Y%m%d");
            for miss in [
                format!("{stem}-{tomorrow}-br09"),
                format!("{stem}-+{tomorrow}-br09"),
                format!("{stem}-{tomorrow}0-br09"),
                format!("{stem}-20251301-br09"),
                format!("{stem}--br09"),
                format!("{stem}x-{tomorrow}-br09"),
                "payments-prod-20250701-br09x".to_string(),
            ] {
                assert_eq!(spec.backup(&miss, now), None, "{miss}");
            }
        }
    }
    // A skipped day of the missed-days instance has no backup to find.
    let missed = Fleet::Named.specs(false).find(MISSED_INSTANCE_ID).unwrap();
    let now = at(NOWS[4]);
    let newest = missed.times(now).next().unwrap();
    let skipped = format!("reports-missed-{}-br09", stamp(newest - 2 * DAY, "%Y%m%d"));
    assert_eq!(missed.backup(&skipped, now), None);
}
