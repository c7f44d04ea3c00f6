//! `restore-check` for a person: the backup, then the blockers (said to be
//! facts, not a verdict), the windows in the operator's time zone newest
//! first, the node comparison and the targets as tables that fit the width,
//! and the calls that failed. Every server string is made terminal-safe.

use std::io::{self, Write};

use jiff::tz::TimeZone;

use super::super::table::{Column, Dropped, Fit, KEEP, field, write_table};
use super::super::{clean, or_dash};
use super::{Report, Target};
use crate::api::SentTime;
use crate::readiness::{Call, Part, Readiness};
use crate::shown::time;

/// Prints the report for a person; returns the table columns left out to
/// fit `width`, for a note on stderr.
pub fn write_text(
    out: &mut impl Write,
    r: &Readiness,
    zone: &TimeZone,
    width: usize,
) -> io::Result<Dropped> {
    let report = Report::of(r);
    let mut dropped = Dropped::new();
    header(out, &report, r, zone)?;
    blockers(out, &report, r)?;
    windows(out, &report, r, zone)?;
    writeln!(out)?;
    match &report.nodes {
        Some(nodes) if !nodes.is_empty() => {
            // The time related-dn was asked at, not the latest restorable
            // time it answered with (which may lie outside every window).
            let at = report.nodes_at.as_deref();
            let at = at.map_or_else(|| "now".to_string(), |t| local(t, zone));
            writeln!(out, "Data nodes: in the backup, and at {at}")?;
            dropped.extend(node_table(out, &report, width)?);
        }
        Some(_) => writeln!(
            out,
            "Data nodes: none, in the backup or at the restore time"
        )?,
        None => writeln!(out, "Data nodes: {}", nodes_missing(r))?,
    }
    writeln!(out)?;
    match &report.targets {
        Some(targets) if !targets.is_empty() => {
            writeln!(out, "Restore targets (DDM instances that could take it)")?;
            dropped.extend(target_table(out, targets, width)?);
        }
        Some(_) => writeln!(out, "Restore targets: none listed")?,
        None => writeln!(
            out,
            "Restore targets: {}",
            missing(&r.targets, Call::Targets)
        )?,
    }
    if !report.failed.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Failed calls (the sections above that need them are empty)"
        )?;
        for f in &report.failed {
            writeln!(out, "  {}: {}", f.call, clean(&f.error))?;
        }
    }
    dropped.dedup();
    Ok(dropped)
}

fn header(out: &mut impl Write, report: &Report, r: &Readiness, zone: &TimeZone) -> io::Result<()> {
    let Some(b) = &report.backup else {
        writeln!(out, "Backup ID      {}", clean(&r.backup_id))?;
        writeln!(out, "Instance ID    {}", clean(&r.instance_id))?;
        return writeln!(out, "(ShowBackup and ListBackups both failed: see below)");
    };
    let opt = |v: &Option<String>| or_dash(&clean(v.as_deref().unwrap_or("")));
    let status = match (&r.row, &b.status) {
        (Part::Ready(None), _) => "unknown (not in its instance's backup list)".to_string(),
        (Part::Failed(_), _) => "unknown (ListBackups failed)".to_string(),
        // Escaped, not cleaned, as the blocker quotes it.
        (_, status) => or_dash(&crate::terminal_text::escape(
            status.as_deref().unwrap_or(""),
        )),
    };
    let created = b
        .created
        .as_deref()
        .map_or_else(|| "-".to_string(), |t| local(t, zone));
    writeln!(out, "Backup         {}", opt(&b.name))?;
    writeln!(out, "Backup ID      {}", clean(&b.id))?;
    writeln!(out, "Instance       {}", opt(&b.instance_name))?;
    writeln!(out, "Instance ID    {}", clean(&b.instance_id))?;
    writeln!(out, "Status         {status}")?;
    writeln!(out, "Created        {created}")
}

fn blockers(out: &mut impl Write, report: &Report, r: &Readiness) -> io::Result<()> {
    writeln!(out)?;
    // A failed call leads, before anything that could read as a pass.
    let incomplete = r.incomplete();
    if let Some(said) = &incomplete {
        writeln!(out, "{said} (see Failed calls below)")?;
    }
    let scope = if incomplete.is_some() {
        " in what loaded"
    } else {
        ""
    };
    if report.blockers.is_empty() {
        return match incomplete {
            Some(_) => writeln!(out, "Blockers: none in what loaded (not a verdict)"),
            None => writeln!(out, "Blockers: none found (facts to check, not a verdict)"),
        };
    }
    writeln!(
        out,
        "Blockers ({}){scope}: facts to check before a restore, not a verdict",
        report.blockers.len()
    )?;
    for b in &report.blockers {
        writeln!(out, "  - {}", clean(b))?;
    }
    Ok(())
}

fn windows(
    out: &mut impl Write,
    report: &Report,
    r: &Readiness,
    zone: &TimeZone,
) -> io::Result<()> {
    writeln!(out)?;
    let Some(windows) = &report.windows else {
        return writeln!(
            out,
            "Restore windows: {}",
            missing(&r.windows, Call::Windows)
        );
    };
    if windows.is_empty() {
        return writeln!(out, "Restore windows: none");
    }
    let latest = report
        .latest_restorable_time
        .as_deref()
        .map_or_else(|| "-".to_string(), |t| local(t, zone));
    if report.latest_outside_windows {
        // Said as related-dn's, not as a fact: no window holds it.
        let read = if r.windows.ready().and_then(|w| w.shortfall()).is_some() {
            " read"
        } else {
            ""
        };
        writeln!(
            out,
            "Restore windows (local time, newest first); related-dn's latest restorable \
             time {latest} is outside every window{read}"
        )?;
    } else {
        writeln!(
            out,
            "Restore windows (local time, newest first); latest restorable time {latest}"
        )?;
    }
    for w in windows {
        let show = |t: &Option<String>| t.as_deref().map_or_else(|| "?".into(), |t| local(t, zone));
        let note = if w.inverted {
            "  (ends before it starts: not counted)"
        } else {
            ""
        };
        writeln!(out, "  {}  to  {}{note}", show(&w.start), show(&w.end))?;
    }
    Ok(())
}

/// A report's time (RFC 3339 in UTC) as the readiness view writes it: in
/// `zone`, to the second (`shown::time`'s detail style).
fn local(rfc3339: &str, zone: &TimeZone) -> String {
    clean(&time::sent_second(&SentTime::parse(rfc3339), zone)).into_owned()
}

/// Why a section has nothing to show.
fn missing<T>(part: &Part<T>, call: Call) -> String {
    match part {
        Part::Failed(_) => format!("not loaded ({} failed: see below)", call.name()),
        Part::Skipped(why) => format!("not asked: {why}"),
        Part::Loading | Part::Ready(_) => "not loaded".to_string(),
    }
}

/// The node table needs both sides: the backup's nodes (ShowBackup) and
/// the instance's now (related-dn); say which one is missing.
fn nodes_missing(r: &Readiness) -> String {
    let side = if matches!(r.detail, Part::Ready(_)) {
        missing(&r.now, Call::RelatedDn)
    } else {
        missing(&r.detail, Call::ShowBackup)
    };
    format!("not compared: {side}")
}

fn node_table(out: &mut impl Write, report: &Report, width: usize) -> io::Result<Dropped> {
    // The coverage words are the point of the table: never cut or left out.
    const COLUMNS: &[Column] = &[
        Column {
            header: "NAME",
            fit: Fit::Middle(16),
            keep: KEEP,
        },
        Column {
            header: "COVERAGE",
            fit: Fit::Whole,
            keep: KEEP,
        },
        Column {
            header: "STATUS",
            fit: Fit::Cut(8),
            keep: 3,
        },
        Column {
            header: "ENGINE",
            fit: Fit::Cut(8),
            keep: 1,
        },
        Column {
            header: "SIZE",
            fit: Fit::Cut(9),
            keep: 2,
        },
        Column {
            header: "ID",
            fit: Fit::Whole,
            keep: KEEP,
        },
    ];
    let nodes = report.nodes.as_deref().unwrap_or_default();
    let cells: Vec<Vec<String>> = nodes
        .iter()
        .map(|n| {
            let engine = [&n.engine, &n.version]
                .into_iter()
                .flatten()
                .map(|s| clean(s).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            vec![
                field(&n.instance_name),
                n.coverage.label().to_string(),
                field(&n.status),
                or_dash(&engine),
                n.size_bytes.map_or_else(|| "-".to_string(), bytes),
                or_dash(&clean(&n.instance_id)),
            ]
        })
        .collect();
    write_table(out, COLUMNS, &cells, width)
}

fn target_table(out: &mut impl Write, targets: &[Target], width: usize) -> io::Result<Dropped> {
    const COLUMNS: &[Column] = &[
        Column {
            header: "NAME",
            fit: Fit::Middle(16),
            keep: KEEP,
        },
        Column {
            header: "STATUS",
            fit: Fit::Cut(8),
            keep: 1,
        },
        Column {
            header: "AVAILABLE",
            fit: Fit::Whole,
            keep: KEEP,
        },
        Column {
            header: "ID",
            fit: Fit::Whole,
            keep: KEEP,
        },
    ];
    let cells: Vec<Vec<String>> = targets
        .iter()
        .map(|t| {
            let available = match t.available {
                Some(true) => "yes",
                Some(false) => "no",
                None => "unknown",
            };
            vec![
                field(&t.instance_name),
                field(&t.status),
                available.to_string(),
                field(&t.instance_id),
            ]
        })
        .collect();
    let dropped = write_table(out, COLUMNS, &cells, width)?;
    // Reasons are sentences: on their own lines, whole, rather than a
    // column that a narrow table would cut or leave out.
    for t in targets {
        if let Some(reason) = t.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            let who = t.instance_name.as_ref().or(t.instance_id.as_ref());
            let who = or_dash(&clean(who.map_or("", String::as_str)));
            match t.available {
                Some(false) => writeln!(out, "  {who} is not available: {}", clean(reason))?,
                _ => writeln!(out, "  {who}: {}", clean(reason))?,
            }
        }
    }
    Ok(dropped)
}

/// Bytes on the one ladder (`512 B`, not `0 KB`).
fn bytes(n: u64) -> String {
    crate::shown::size::bytes(crate::api::Bytes(n))
}
