//! The instance and backup pickers: rows that arrive page by page from a
//! background task, sorted and filtered on the client. Plain data; the keys
//! that drive it are in `browse.rs`.

use std::cmp::Ordering;
use std::time::Instant;

use crate::api::{self, BackupRow, Bytes, InstanceRow, SentTime, Status};
use crate::find::Found;

use super::input::TextField;
use super::rows::{Keyed, Rows};

/// The most rows a picker loads: enough for any real instance, bounded so
/// a runaway listing cannot eat the operator's memory.
pub const PICKER_CAP: usize = 2_000;

/// What a picker lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKind {
    /// The DDM instances of the profile's project.
    Instances,
    /// The backups of one instance.
    Backups { instance_id: String },
}

/// One row of either picker; text fields the API left out are empty.
#[derive(Debug, Clone, PartialEq)]
pub struct PickRow {
    pub id: String,
    pub name: String,
    /// Free-form for instances (`RUNNING`); a backup's reads as documented.
    pub status: Status,
    /// Backups: "auto" or "manual"; instances: the engine version.
    pub kind: String,
    /// Read once from the API's text, like `2025-02-19T02:50:20+0000`.
    pub created: SentTime,
    /// Backups only.
    pub size: Option<Bytes>,
}

impl From<&InstanceRow> for PickRow {
    fn from(row: &InstanceRow) -> Self {
        PickRow {
            id: row.id.clone().unwrap_or_default(),
            name: row.name.clone().unwrap_or_default(),
            status: Status::parse(row.status.as_deref().unwrap_or_default()),
            kind: row.engine_version.clone().unwrap_or_default(),
            created: SentTime::parse(row.created.as_deref().unwrap_or_default()),
            size: None,
        }
    }
}

impl From<&BackupRow> for PickRow {
    fn from(row: &BackupRow) -> Self {
        // The same words as the headless tables.
        let kind = crate::api::backup_type_label(row.backup_type.as_deref().unwrap_or_default())
            .to_string();
        PickRow {
            id: row.id.clone().unwrap_or_default(),
            name: row.name.clone().unwrap_or_default(),
            status: row.status.clone().unwrap_or_else(|| Status::parse("")),
            kind,
            created: row.created.clone().unwrap_or_default(),
            size: row.file_size.map(|s| s.bytes()),
        }
    }
}

impl From<&Found> for PickRow {
    /// A backup as Find loaded it, for a backup picker filled from Find's
    /// rows: the same fields as from its list row.
    fn from(row: &Found) -> Self {
        let kind = crate::api::backup_type_label(row.backup_type.as_deref().unwrap_or_default())
            .to_string();
        PickRow {
            id: row.backup_id.clone().unwrap_or_default(),
            name: row.backup_name.clone().unwrap_or_default(),
            status: row.status.clone().unwrap_or_else(|| Status::parse("")),
            kind,
            created: row.created.clone().unwrap_or_default(),
            size: row.size.map(|s| s.bytes()),
        }
    }
}

impl Keyed for PickRow {
    fn key(&self) -> String {
        format!("{}\u{0}{}", self.name, self.id)
    }
}

impl PickRow {
    /// The creation time in `zone` to the minute, as every table shows
    /// it; text that is no time as sent.
    pub fn created_minute(&self, zone: &jiff::tz::TimeZone) -> String {
        crate::shown::time::sent_minute(&self.created, zone)
    }

    /// The size on the one ladder, or empty when the API gave none.
    pub fn size(&self) -> String {
        self.size.map(crate::shown::size::bytes).unwrap_or_default()
    }
}

/// How the rows are ordered; `o` steps through the orders that fit the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Newest,
    Oldest,
    Name,
    Largest,
}

impl SortOrder {
    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest first",
            SortOrder::Oldest => "oldest first",
            SortOrder::Name => "by name",
            SortOrder::Largest => "largest first",
        }
    }

    fn compare(self, a: &PickRow, b: &PickRow) -> Ordering {
        // By the time each names, not its text (a server may write two
        // offsets in one list); rows without a readable date go last
        // either way.
        let by_time = |newest: bool| match (a.created.at(), b.created.at()) {
            (Some(x), Some(y)) if newest => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (x, y) => y.is_some().cmp(&x.is_some()),
        };
        match self {
            SortOrder::Newest => by_time(true),
            SortOrder::Oldest => by_time(false),
            SortOrder::Name => a
                .name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id)),
            // No size sorts below every size.
            SortOrder::Largest => b.size.cmp(&a.size),
        }
    }
}

/// How far the loading got.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerLoad {
    Loading {
        generation: u64,
        /// Rows the server has sent so far, kept or not.
        scanned: usize,
        /// What the server says it has.
        total: Option<u64>,
        started: Instant,
        /// The last spinner tick.
        now: Instant,
    },
    /// Every page read, or the cap reached (`capped`).
    Done {
        capped: bool,
    },
    /// Esc stopped the loading; what arrived stays.
    Stopped,
    Failed {
        error: api::Error,
    },
}

/// An open picker.
#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub kind: PickerKind,
    pub rows: Rows<PickRow>,
    pub filter: TextField,
    /// The filter takes the keys.
    pub typing: bool,
    pub load: PickerLoad,
    pub sort: SortOrder,
    /// When the last listing ended.
    pub loaded_at: Option<Instant>,
}

impl Picker {
    /// An empty picker whose rows will come from load `generation`.
    pub fn new(kind: PickerKind, generation: u64, now: Instant) -> Self {
        let sort = match kind {
            PickerKind::Instances => SortOrder::Name,
            PickerKind::Backups { .. } => SortOrder::Newest,
        };
        Picker {
            kind,
            rows: Rows::default(),
            filter: TextField::default(),
            typing: false,
            load: PickerLoad::Loading {
                generation,
                scanned: 0,
                total: None,
                started: now,
                now,
            },
            sort,
            loaded_at: None,
        }
    }

    /// A picker of `kind` whose listing (`rows`, every one) ended at `at`
    /// somewhere else: shown at once, sorted, nothing to load.
    pub fn loaded(kind: PickerKind, rows: Vec<PickRow>, at: Instant, view: usize) -> Self {
        let mut picker = Picker::new(kind, 0, at);
        let count = rows.len();
        picker.add_page(rows, count, Some(count as u64), view);
        picker.finish(Ok(false), at);
        picker
    }

    /// Starts over for load `generation` (`r`): the rows go, the filter and
    /// order stay.
    pub fn restart(&mut self, generation: u64, now: Instant) {
        self.rows = Rows::default();
        self.rows.set_filter(self.filter.value(), 1);
        self.load = PickerLoad::Loading {
            generation,
            scanned: 0,
            total: None,
            started: now,
            now,
        };
    }

    /// The generation of the load in flight, if any.
    pub fn loading(&self) -> Option<u64> {
        match self.load {
            PickerLoad::Loading { generation, .. } => Some(generation),
            _ => None,
        }
    }

    /// What the rows are called, for titles and the status bar.
    pub fn noun(&self) -> &'static str {
        match self.kind {
            PickerKind::Instances => "instances",
            PickerKind::Backups { .. } => "backups",
        }
    }

    /// A page arrived; the order is kept as rows come in.
    pub fn add_page(
        &mut self,
        rows: Vec<PickRow>,
        scanned: usize,
        total: Option<u64>,
        view: usize,
    ) {
        if let PickerLoad::Loading {
            scanned: s,
            total: t,
            ..
        } = &mut self.load
        {
            *s = scanned;
            *t = total.or(*t);
        }
        // A selection still at the top stays at the top as rows arrive;
        // one the operator moved stays on its row.
        let at_top = self.rows.selected() == 0;
        self.rows.extend(rows);
        let sort = self.sort;
        self.rows.sort_by(|a, b| sort.compare(a, b), view);
        if at_top {
            self.rows.select(0, view);
        }
    }

    /// True when it finished loading lately (the fleet's one freshness
    /// rule, [`crate::fleet::FRESH_FOR`]).
    pub fn fresh(&self, now: Instant) -> bool {
        self.fresh_since()
            .is_some_and(|at| crate::fleet::is_fresh(at, now))
    }

    /// When it finished loading every row (or up to its cap), if it did.
    pub fn fresh_since(&self) -> Option<Instant> {
        match self.load {
            PickerLoad::Done { .. } => self.loaded_at,
            _ => None,
        }
    }

    /// The loading ended at `now`.
    pub fn finish(&mut self, result: Result<bool, api::Error>, now: Instant) {
        self.loaded_at = Some(now);
        self.load = match result {
            Ok(capped) => PickerLoad::Done { capped },
            Err(error) => PickerLoad::Failed { error },
        };
    }

    /// The orders that make sense for this kind, in `o` order.
    fn orders(&self) -> &'static [SortOrder] {
        match self.kind {
            PickerKind::Instances => &[SortOrder::Name, SortOrder::Newest, SortOrder::Oldest],
            PickerKind::Backups { .. } => &[
                SortOrder::Newest,
                SortOrder::Oldest,
                SortOrder::Name,
                SortOrder::Largest,
            ],
        }
    }

    /// Steps to the next order. A cursor on the first row stays on the
    /// first row (the operator had not chosen a row yet); one moved to a row
    /// follows that row to its new place. The status line says which.
    pub fn cycle_sort(&mut self, view: usize) -> String {
        let orders = self.orders();
        let at = orders.iter().position(|o| *o == self.sort).unwrap_or(0);
        self.sort = orders[(at + 1) % orders.len()];
        let sort = self.sort;
        let at_top = self.rows.selected() == 0;
        self.rows.sort_by(|a, b| sort.compare(a, b), view);
        let order = sort.label();
        if at_top {
            self.rows.select(0, view);
            return format!("Sorted {order} · cursor on the first row");
        }
        match self.rows.selected_item() {
            Some(row) => format!(
                "Sorted {order} · still on {} (row {} of {})",
                crate::terminal_text::sanitize(if row.name.is_empty() {
                    &row.id
                } else {
                    &row.name
                }),
                self.rows.selected() + 1,
                self.rows.shown()
            ),
            None => format!("Sorted {order}"),
        }
    }

    /// Applies the typed filter.
    pub fn refilter(&mut self, view: usize) {
        self.rows.set_filter(self.filter.value(), view);
    }

    /// "loaded 256 of 300", "300 backups", …: the count for titles.
    pub fn progress(&self) -> String {
        let total = self.rows.total();
        let shown = if self.rows.filter().trim().is_empty() {
            format!("{total}")
        } else {
            format!("{} of {total}", self.rows.shown())
        };
        match &self.load {
            PickerLoad::Loading {
                scanned,
                total: Some(claimed),
                ..
            } => format!("loaded {scanned} of {claimed}"),
            PickerLoad::Loading { scanned, .. } => format!("loaded {scanned}"),
            PickerLoad::Done { capped: true } => {
                format!("{shown} {} · first {PICKER_CAP} only", self.noun())
            }
            PickerLoad::Done { capped: false } => format!("{shown} {}", self.noun()),
            PickerLoad::Stopped => format!("{shown} {} · loading stopped", self.noun()),
            PickerLoad::Failed { .. } => format!("{shown} {} · loading failed", self.noun()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backup(i: usize, created: &str, kb: Option<u64>) -> PickRow {
        PickRow {
            id: format!("b{i:03}br09"),
            name: format!("Backup-{i:03}"),
            status: "normal".into(),
            kind: "auto".into(),
            created: created.into(),
            size: kb.map(|kb| Bytes(kb * 1024)),
        }
    }

    fn picker() -> Picker {
        Picker::new(
            PickerKind::Backups {
                instance_id: "x".into(),
            },
            1,
            Instant::now(),
        )
    }

    #[test]
    fn pages_are_kept_newest_first_while_they_arrive() {
        let mut p = picker();
        p.add_page(
            vec![backup(1, "2025-01-01T00:00:00+0000", None)],
            1,
            Some(3),
            5,
        );
        assert_eq!(p.progress(), "loaded 1 of 3");
        p.add_page(
            vec![
                backup(2, "2025-03-01T00:00:00+0000", None),
                backup(3, "", None),
            ],
            3,
            None,
            5,
        );
        let ids: Vec<&str> = p.rows.all().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["b002br09", "b001br09", "b003br09"]);
        assert_eq!(p.progress(), "loaded 3 of 3");
        p.finish(Ok(false), Instant::now());
        assert_eq!(p.progress(), "3 backups");
    }

    #[test]
    fn orders_cycle_and_the_selection_follows_its_row() {
        let mut p = picker();
        p.add_page(
            vec![
                backup(1, "2025-01-01T00:00:00+0000", Some(10)),
                backup(2, "2025-02-01T00:00:00+0000", Some(30)),
                backup(3, "2025-03-01T00:00:00+0000", Some(20)),
            ],
            3,
            Some(3),
            5,
        );
        p.rows.select(1, 5);
        assert_eq!(
            p.rows.selected_item().map(|r| r.id.as_str()),
            Some("b002br09")
        );
        let said = p.cycle_sort(5);
        assert_eq!(p.sort, SortOrder::Oldest);
        assert_eq!(p.rows.all()[0].id, "b001br09");
        assert_eq!(
            said,
            "Sorted oldest first · still on Backup-002 (row 2 of 3)"
        );
        p.cycle_sort(5);
        p.cycle_sort(5);
        assert_eq!(p.sort, SortOrder::Largest);
        assert_eq!(p.rows.all()[0].id, "b002br09");
        assert_eq!(
            p.rows.selected_item().map(|r| r.id.as_str()),
            Some("b002br09")
        );
        p.cycle_sort(5);
        assert_eq!(p.sort, SortOrder::Newest);
        // A cursor on the first row stays there, whatever row comes first.
        p.rows.select(0, 5);
        let said = p.cycle_sort(5);
        assert_eq!(p.rows.selected(), 0);
        assert_eq!(
            p.rows.selected_item().map(|r| r.id.as_str()),
            Some("b001br09")
        );
        assert_eq!(said, "Sorted oldest first · cursor on the first row");
    }

    #[test]
    fn list_rows_become_picker_rows_with_readable_fields() {
        let row = BackupRow {
            id: Some("a".into()),
            backup_type: Some("auto_metadata".into()),
            created: Some("2025-02-19T02:50:20+0000".into()),
            ..Default::default()
        };
        let pick = PickRow::from(&row);
        assert_eq!(pick.kind, "auto");
        assert_eq!(pick.size, None);
        let utc = jiff::tz::TimeZone::UTC;
        assert_eq!(pick.created_minute(&utc), "2025-02-19 02:50");
        let plus8 = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        assert_eq!(pick.created_minute(&plus8), "2025-02-19 10:50");
        let odd = PickRow {
            created: "yesterday".into(),
            ..pick
        };
        assert_eq!(odd.created_minute(&utc), "yesterday");
    }

    #[test]
    fn a_filter_shows_in_the_count() {
        let mut p = picker();
        p.add_page(
            (0..20).map(|i| backup(i, "", None)).collect(),
            20,
            Some(20),
            5,
        );
        p.finish(Ok(true), Instant::now());
        p.filter.insert_str("backup-01");
        p.refilter(5);
        assert_eq!(p.progress(), "10 of 20 backups · first 2000 only");
    }
}
