//! `find`'s table: where each found backup lives and what it is, fitted to
//! a width like the lists (names cut in the middle, IDs never).

use std::borrow::{Borrow, Cow};
use std::io::{self, Write};

use super::table::{Column, Dropped, Fit, KEEP, field, write_rows};
use crate::find::Found;
use crate::shown::{status, time};
use jiff::tz::TimeZone;

/// Prints found backups as a table at most `width` cells wide (IDs are
/// never cut, so long ones may still make it wider), times in `zone`.
pub fn write_found<F: Borrow<Found>>(
    out: &mut impl Write,
    rows: &[F],
    zone: &TimeZone,
    width: usize,
) -> io::Result<Dropped> {
    // Where it is (profile, region) and which it is (name, ID) outlast
    // the rest; the instance ID goes first, as the instance name tells it
    // too, and the instance name next, as DDM's backup names carry it.
    // STATUS outlasts every other optional column: it is short, and
    // without it a `creating` backup reads as a done one.
    const COLUMNS: &[Column] = &[
        Column {
            header: "PROFILE",
            fit: Fit::Cut(10),
            keep: KEEP,
        },
        Column {
            header: "REGION",
            fit: Fit::Cut(11),
            keep: 4,
        },
        Column {
            header: "INSTANCE",
            fit: Fit::Middle(12),
            keep: 3,
        },
        Column {
            header: "NAME",
            // A search is read by its names: other columns but STATUS give
            // way before a name is cut below 38 cells (a whole
            // `Backup-<instance>-<time>` of a short instance name, with
            // room for STATUS beside an 18-character ID at 80 columns).
            fit: Fit::Middle(38),
            keep: KEEP,
        },
        Column {
            header: "STATUS",
            fit: Fit::Cut(10),
            keep: 6,
        },
        Column {
            header: "CREATED",
            fit: Fit::Cut(16),
            keep: 5,
        },
        Column {
            header: "ID",
            fit: Fit::Whole,
            keep: KEEP,
        },
        Column {
            header: "INSTANCE ID",
            fit: Fit::Whole,
            keep: 1,
        },
    ];
    // Made per row as the table asks: a search may have found many rows
    // of long fields, and they are not copied whole again.
    let cells = |i: usize| {
        let r: &Found = rows[i].borrow();
        let created = r.created.as_ref().map(|c| time::sent_minute(c, zone));
        Cow::Owned(vec![
            field(&Some(r.profile.clone())),
            field(&Some(r.region.clone())),
            field(&r.instance_name),
            field(&r.backup_name),
            field(&r.status.as_ref().map(|s| status::label(s).to_string())),
            field(&created),
            field(&r.backup_id),
            field(&r.instance_id),
        ])
    };
    write_rows(out, COLUMNS, rows.len(), &cells, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cells;

    fn found(profile: &str, name: &str, id: &str) -> Found {
        Found {
            profile: profile.into(),
            region: "eu-west-101".into(),
            instance_id: Some("eu-orders-in09".into()),
            instance_name: Some("ddm-demo-orders".into()),
            backup_id: Some(id.into()),
            backup_name: Some(name.into()),
            status: Some("normal".into()),
            created: Some("2025-06-28T02:00:00+0000".into()),
            ..Found::default()
        }
    }

    #[test]
    fn fits_the_width_and_keeps_ids_whole() {
        let id = "09902ee7866649b8908ec209bfee2747br09";
        let rows = vec![
            found("demo-eu", &format!("Backup-{}", "订单".repeat(30)), id),
            found("a\u{1b}[31mb", "plain", "b1-br09"),
        ];
        for width in [60, 80, 120, 200] {
            let mut out = Vec::new();
            let dropped = write_found(&mut out, &rows, &TimeZone::UTC, width).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains(id), "{width}: {text}");
            assert!(!text.contains('\u{1b}'), "server text is cleaned: {text:?}");
            for line in text.lines() {
                assert!(
                    cells::width(line) <= width.max(10 + 2 + 40 + 2 + id.len()),
                    "{width}: {line}"
                );
            }
            assert!(!dropped.contains(&"PROFILE") && !dropped.contains(&"ID"));
            if width >= 200 {
                assert!(dropped.is_empty(), "{dropped:?}");
            }
        }
        let mut out = Vec::new();
        let dropped = write_found(&mut out, &rows, &TimeZone::UTC, 80).unwrap();
        assert!(dropped.contains(&"INSTANCE ID"), "{dropped:?}");
    }
}
