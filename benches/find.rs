//! Find's keystroke: narrowing every loaded row of 8 profiles × 2,000
//! backups (16,000) without a request. Budget: well under 1 ms.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ddm_backups::find::{Event, Found, Loaded, Progress, Query};
use ddm_backups::fleet::ProfileId;

const PROFILES: usize = 8;
const ROWS: usize = 2_000;

/// Names like DDM's own, `Backup-<instance name>-<yyyymmddHHMM>`, over a
/// few instances per profile, one of them not ASCII.
fn loaded() -> Vec<Loaded> {
    let instances = [
        "ddm-orders-prod",
        "ddm-billing",
        "订单中心-ddm",
        "ddm-ledger-eu",
    ];
    (0..PROFILES)
        .map(|p| {
            let rows = (0..ROWS)
                .map(|n| {
                    let instance = instances[n % instances.len()];
                    let h = (p * ROWS + n) as u64;
                    let hex = format!("{:016x}{:016x}", h.wrapping_mul(0x9e37_79b9_7f4a_7c15), h);
                    Found {
                        profile: format!("profile-{p}"),
                        region: "cn-north-4".into(),
                        instance_id: Some(format!("{}in09", &hex[..32])),
                        instance_name: Some(instance.into()),
                        backup_id: Some(format!("{hex}br09")),
                        backup_name: Some(format!(
                            "Backup-{instance}-2025{:02}{:02}{:02}00",
                            1 + n % 12,
                            1 + n % 28,
                            n % 24
                        )),
                        status: Some("normal".into()),
                        created: Some("2025-06-01T02:00:00+0000".into()),
                        ..Found::default()
                    }
                })
                .collect();
            Loaded::new(
                format!("profile-{p}"),
                "cn-north-4".into(),
                rows,
                Some(ROWS as u64),
                None,
                Instant::now(),
            )
        })
        .collect()
}

fn keystroke(c: &mut Criterion) {
    let all = loaded();
    // A name part many rows share, one few do, an ID prefix, and none.
    for text in ["orders-prod", "orders-prod-2025061", "9e3779b9", "zzzzzz"] {
        let query = Query::parse(text).expect("query");
        c.bench_function(&format!("find narrow 16,000 rows: {text}"), |b| {
            b.iter(|| {
                let hits: usize = all
                    .iter()
                    .map(|l| l.index().narrow(black_box(&query)).len())
                    .sum();
                black_box(hits)
            })
        });
    }
    // The next keystroke narrows the last one's matches only.
    let wide = Query::parse("orders").expect("query");
    let before: Vec<Vec<usize>> = all.iter().map(|l| l.index().narrow(&wide)).collect();
    let next = Query::parse("orders-").expect("query");
    c.bench_function("find narrow within the last matches: orders-", |b| {
        b.iter(|| {
            let hits: usize = all
                .iter()
                .zip(&before)
                .map(|(l, w)| l.index().narrow_within(w, black_box(&next)).len())
                .sum();
            black_box(hits)
        })
    });
    // The grouped results as `find` (and a Find overlay) holds them: the
    // matching rows are cloned out.
    let mut progress = Progress::new(
        wide.clone(),
        all.iter()
            .enumerate()
            .map(|(i, l)| (ProfileId(i), l.profile.clone(), l.region.clone())),
    );
    for (i, l) in all.iter().enumerate() {
        progress.apply(Event::Done {
            profile: ProfileId(i),
            loaded: Arc::new(l.clone()),
            reused: true,
        });
    }
    let narrower = Query::parse("orders-prod-2025061").expect("query");
    c.bench_function(
        "find Progress::narrow 16,000 rows: orders-prod-2025061",
        |b| {
            b.iter_batched(
                || (progress.clone(), narrower.clone()),
                |(mut p, q)| {
                    black_box(p.narrow(q));
                    p
                },
                BatchSize::LargeInput,
            )
        },
    );
}

criterion_group!(benches, keystroke);
criterion_main!(benches);
