//! The instance and backup pickers: rows that arrive page by page from a
//! background task, sorted and filtered on the client. Plain data; the keys
//! that drive it are in `browse.rs`.

use std::cmp::Ordering;
use std::time::Instant;

use crate::api::{self, BackupRow, InstanceRow};
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

/// One row of either picker; fields the API left out are empty.
#[derive(Debug, Clone, PartialEq)]
pub struct PickRow {
    pub id: String,
    pub name: String,
    pub status: String,
    /// Backups: "auto" or "manual"; instances: the engine version.
    pub kind: String,
    /// As the API wrote it, like `2025-02-19T02:50:20+0000`.
    pub created: String,
    /// Backups only, in KB.
    pub size_kb: Option<f64>,
}

impl From<&InstanceRow> for PickRow {
    fn from(row: &InstanceRow) -> Self {
        PickRow {
            id: row.id.clone().unwrap_or_default(),
            name: row.name.clone().unwrap_or_default(),
            status: row.status.clone().unwrap_or_default(),
            kind: row.engine_version.clone().unwrap_or_default(),
            created: row.created.clone().unwrap_or_default(),
            size_kb: None,
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
            status: row.status.clone().unwrap_or_default(),
            kind,
            created: row.created.clone().unwrap_or_default(),
            size_kb: row.file_size.filter(|kb| kb.is_finite() && *kb >= 0.0),
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
            status: row.status.clone().unwrap_or_default(),
            kind,
            created: row.created.clone().unwrap_or_default(),
            size_kb: row.size_kb.filter(|kb| kb.is_finite() && *kb >= 0.0),
        }
    }
}

impl Keyed for PickRow {
    fn key(&self) -> String {
        format!("{}\u{0}{}", self.name, self.id)
    }
}

impl PickRow {
    /// `2025-02-19 02:50` from the API's timestamp; other shapes as given.
    pub fn created_short(&self) -> String {
        let c = &self.created;
        if c.len() >= 16 && c.is_char_boundary(16) && c.as_bytes().get(10) == Some(&b'T') {
            format!("{} {}", &c[..10], &c[11..16])
        } else {
            c.clone()
        }
    }

    /// The size in a human unit, or empty when the API gave none.
    pub fn size(&self) -> String {
        self.size_kb.map(api::human_size).unwrap_or_default()
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
        // Rows without a date go last either way.
        let dated = |r: &PickRow| r.created.is_empty();
        match self {
            SortOrder::Newest => dated(a)
                .cmp(&dated(b))
                .then_with(|| b.created.cmp(&a.created)),
            SortOrder::Oldest => dated(a)
                .cmp(&dated(b))
                .then_with(|| a.created.cmp(&b.created)),
            SortOrder::Name => a
                .name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id)),
            SortOrder::Largest => {
                let size = |r: &PickRow| r.size_kb.unwrap_or(-1.0);
                size(b).total_cmp(&size(a))
            }
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

    fn backup(i: usize, created: &str, kb: Option<f64>) -> PickRow {
        PickRow {
            id: format!("b{i:03}br09"),
            name: format!("Backup-{i:03}"),
            status: "normal".into(),
            kind: "auto".into(),
            created: created.into(),
            size_kb: kb,
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
                backup(1, "2025-01-01T00:00:00+0000", Some(10.0)),
                backup(2, "2025-02-01T00:00:00+0000", Some(30.0)),
                backup(3, "2025-03-01T00:00:00+0000", Some(20.0)),
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
            file_size: Some(f64::NAN),
            created: Some("2025-02-19T02:50:20+0000".into()),
            ..Default::default()
        };
        let pick = PickRow::from(&row);
        assert_eq!(pick.kind, "auto");
        assert_eq!(pick.size_kb, None);
        assert_eq!(pick.created_short(), "2025-02-19 02:50");
        let odd = PickRow {
            created: "yesterday".into(),
            ..pick
        };
        assert_eq!(odd.created_short(), "yesterday");
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
