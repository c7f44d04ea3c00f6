//! The readiness view's state: the shared `Readiness` report, which call
//! of each section is in flight, and where the operator is in its two
//! tables. Plain data; the keys and answers that change it are in `mod.rs`.

use std::time::Instant;

use crate::api::ApiTime;

use crate::api::{self, BackupDetail, BackupRow, Listing, RelatedDataNodesAt, RestoreTarget};
use crate::api::{Fetched, RestoreWindows};
use crate::fleet::ProfileId;
use crate::readiness::{Blocker, Call, Coverage, NodeRow, Part, Readiness};

use super::super::layout::readiness as fits;

/// One call of the view, as the effect runner makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// ShowBackup: the backup's name and the data nodes it covers.
    Detail {
        instance: String,
        backup: String,
    },
    /// The backup's ListBackups row, found by paging.
    Row {
        instance: String,
        backup: String,
    },
    Windows {
        instance: String,
    },
    /// related-dn at the latest restorable time.
    Now {
        instance: String,
        at: ApiTime,
    },
    Targets {
        instance: String,
    },
}

impl Ask {
    /// The section this call fills.
    pub fn call(&self) -> Call {
        match self {
            Ask::Detail { .. } => Call::ShowBackup,
            Ask::Row { .. } => Call::ListBackups,
            Ask::Windows { .. } => Call::Windows,
            Ask::Now { .. } => Call::RelatedDn,
            Ask::Targets { .. } => Call::Targets,
        }
    }

    /// Makes the call with `client`.
    pub async fn run(self, client: &api::DdmClient) -> Answer {
        fn value<T>(r: Result<Fetched<T>, api::Error>) -> Result<T, api::Error> {
            r.map(|f| f.value)
        }
        match self {
            Ask::Detail { instance, backup } => {
                Answer::Detail(value(client.show_backup(&instance, &backup).await))
            }
            Ask::Row { instance, backup } => {
                Answer::Row(crate::readiness::find_row(client, &instance, &backup).await)
            }
            Ask::Windows { instance } => Answer::Windows(client.restore_windows(&instance).await),
            Ask::Now { instance, at } => {
                Answer::Now(crate::readiness::nodes_at(client, &instance, at).await)
            }
            Ask::Targets { instance } => {
                Answer::Targets(client.restore_targets(&instance, api::ListLimit::ALL).await)
            }
        }
    }
}

/// One call's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Detail(Result<BackupDetail, api::Error>),
    Row(Result<Option<BackupRow>, api::Error>),
    Windows(Result<RestoreWindows, api::Error>),
    Now(Result<RelatedDataNodesAt, api::Error>),
    Targets(Result<Listing<RestoreTarget>, api::Error>),
}

impl Answer {
    /// The section it fills.
    pub fn call(&self) -> Call {
        match self {
            Answer::Detail(_) => Call::ShowBackup,
            Answer::Row(_) => Call::ListBackups,
            Answer::Windows(_) => Call::Windows,
            Answer::Now(_) => Call::RelatedDn,
            Answer::Targets(_) => Call::Targets,
        }
    }
}

/// Which of the view's tables `j`/`k` and `y` act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Nodes,
    Targets,
}

/// A row of the node table: the joined row once both sides are known;
/// before related-dn answers, the backup's own nodes, not compared yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeLine {
    pub id: String,
    pub name: Option<String>,
    /// `None`: not compared (related-dn has not answered, or failed).
    pub coverage: Option<Coverage>,
    pub status: Option<String>,
    pub engine: Option<String>,
    pub version: Option<String>,
    pub size_bytes: Option<u64>,
}

/// The open view.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessView {
    /// The profile whose client makes the calls; answers for another are
    /// dropped.
    pub profile: ProfileId,
    /// Read it freely; change it only through [`Self::update_report`],
    /// which keeps the joined nodes and the blockers in step.
    pub report: Readiness,
    /// The node table and blockers of `report`, joined once per change
    /// rather than on every frame and key (a backup may have 100,000 nodes).
    derived: Derived,
    /// Per section (in `Call` order), the generation of its call in
    /// flight: an answer with another generation is late and dropped.
    pub in_flight: [Option<u64>; 5],
    /// When loading started and the last spinner tick.
    pub started: Instant,
    pub now: Instant,
    pub focus: Table,
    pub node_at: usize,
    pub target_at: usize,
    /// Lines of the view scrolled past.
    pub scroll: usize,
}

/// What a table's column holds across all its rows: whether any row has
/// a value, and the widest value in cells. Measured once per report
/// change (by the layout layer, which knows the cells), so a frame only
/// builds the rows it shows and drawing changes nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnFit {
    pub filled: bool,
    pub widest: usize,
}

/// What the view shows that follows from its report alone.
#[derive(Debug, Clone, Default)]
struct Derived {
    nodes: Vec<NodeLine>,
    blockers: Vec<Blocker>,
    /// Entry `i`: how many targets before target `i` are unavailable (and
    /// so have a reason line under them); one entry more than there are
    /// targets. Lets a frame find a row's line without walking the rows.
    target_notes: Vec<usize>,
    /// [`Readiness::latest_outside_windows`], which walks every window.
    latest_outside: bool,
    /// The two tables' [`ColumnFit`]s.
    node_fit: Vec<ColumnFit>,
    target_fit: Vec<ColumnFit>,
}

/// The fits and notes follow from the rest, so they do not make two views
/// differ.
impl PartialEq for Derived {
    fn eq(&self, other: &Self) -> bool {
        self.nodes == other.nodes
            && self.blockers == other.blockers
            && self.latest_outside == other.latest_outside
    }
}

impl Derived {
    fn of(report: &Readiness) -> Self {
        let joined = report.nodes();
        let targets = report.targets.ready().map_or(&[][..], |t| &t.rows[..]);
        let mut target_notes = Vec::with_capacity(targets.len() + 1);
        target_notes.push(0);
        for t in targets {
            let before = target_notes.last().copied().unwrap_or(0);
            target_notes.push(before + usize::from(has_note(t)));
        }
        let blockers = report.blockers_over(joined.as_deref());
        let nodes = node_lines(report, joined);
        Derived {
            blockers,
            latest_outside: report.latest_outside_windows(),
            node_fit: fits::node_fits(&nodes),
            target_fit: fits::target_fits(targets),
            nodes,
            target_notes,
        }
    }
}

/// Whether a target gets a reason line under it: it says it is not
/// available.
pub fn has_note(target: &RestoreTarget) -> bool {
    target.available == Some(false)
}

/// Where a section's generation is kept.
pub fn slot_of(call: Call) -> usize {
    match call {
        Call::ShowBackup => 0,
        Call::ListBackups => 1,
        Call::Windows => 2,
        Call::RelatedDn => 3,
        Call::Targets => 4,
    }
}

impl ReadinessView {
    /// Every section loading.
    pub fn new(profile: ProfileId, instance: &str, backup: &str, now: Instant) -> Self {
        let report = Readiness::new(instance, backup);
        ReadinessView {
            profile,
            derived: Derived::of(&report),
            report,
            in_flight: [None; 5],
            started: now,
            now,
            focus: Table::Nodes,
            node_at: 0,
            target_at: 0,
            scroll: 0,
        }
    }

    /// True while a call is in flight (the spinners need ticks).
    pub fn loading(&self) -> bool {
        self.in_flight.iter().any(Option::is_some)
    }

    /// The generations in flight, to cancel; none is left in flight.
    pub fn stop(&mut self) -> Vec<u64> {
        self.in_flight.iter_mut().filter_map(Option::take).collect()
    }

    /// Puts a list row read elsewhere (a watch re-reading a `creating`
    /// backup) into the Backup section; a call for it still in flight is
    /// given up and its generation returned, to cancel.
    pub fn set_row(&mut self, row: Option<BackupRow>) -> Option<u64> {
        self.update_report(|r| r.row = Part::Ready(row));
        self.in_flight[slot_of(Call::ListBackups)].take()
    }

    /// The backup's name: ShowBackup's, else the list row's.
    pub fn name(&self) -> Option<&str> {
        let detail = self.report.detail.ready().map(|d| d.name.as_str());
        let row = self
            .report
            .row
            .ready()
            .and_then(|r| r.as_ref())
            .and_then(|r| r.name.as_deref());
        detail.or(row).filter(|n| !n.trim().is_empty())
    }

    /// Changes the report, then what follows from it.
    pub fn update_report(&mut self, change: impl FnOnce(&mut Readiness)) {
        change(&mut self.report);
        self.derived = Derived::of(&self.report);
    }

    /// The node table's rows.
    pub fn node_lines(&self) -> &[NodeLine] {
        &self.derived.nodes
    }

    /// The report's blockers.
    pub fn blockers(&self) -> &[Blocker] {
        &self.derived.blockers
    }

    /// related-dn's latest restorable time lies in no window read.
    pub fn latest_outside_windows(&self) -> bool {
        self.derived.latest_outside
    }

    /// `table`'s column fits, measured when the report last changed.
    pub fn column_fit(&self, table: Table) -> &[ColumnFit] {
        match table {
            Table::Nodes => &self.derived.node_fit,
            Table::Targets => &self.derived.target_fit,
        }
    }

    /// The target table's rows.
    pub fn targets(&self) -> &[RestoreTarget] {
        self.report
            .targets
            .ready()
            .map(|t| t.rows.as_slice())
            .unwrap_or(&[])
    }

    /// How many targets before target `at` have a reason line under them
    /// (all of them for `at` past the last).
    pub fn target_notes_before(&self, at: usize) -> usize {
        let notes = &self.derived.target_notes;
        notes.get(at).or(notes.last()).copied().unwrap_or(0)
    }

    /// Rows of each table.
    pub fn counts(&self) -> (usize, usize) {
        (self.node_lines().len(), self.targets().len())
    }

    /// The table the keys act on: the focused one, or the other when the
    /// focused one has no rows; `None` when neither has any.
    pub fn acting(&self) -> Option<Table> {
        let (nodes, targets) = self.counts();
        let has = |t: Table| match t {
            Table::Nodes => nodes > 0,
            Table::Targets => targets > 0,
        };
        let other = match self.focus {
            Table::Nodes => Table::Targets,
            Table::Targets => Table::Nodes,
        };
        [self.focus, other].into_iter().find(|t| has(*t))
    }

    /// The selected row of `table`, kept inside its rows.
    pub fn selected(&self, table: Table) -> usize {
        let (nodes, targets) = self.counts();
        match table {
            Table::Nodes => self.node_at.min(nodes.saturating_sub(1)),
            Table::Targets => self.target_at.min(targets.saturating_sub(1)),
        }
    }

    /// The selected row's ID and what it is, for `y`.
    pub fn selected_id(&self) -> Option<(String, &'static str)> {
        match self.acting()? {
            Table::Nodes => {
                let at = self.selected(Table::Nodes);
                let line = self.node_lines().get(at)?;
                Some((line.id.clone(), "data node ID"))
            }
            Table::Targets => {
                let at = self.selected(Table::Targets);
                let id = self.targets().get(at)?.instance_id.clone()?;
                Some((id, "target instance ID"))
            }
        }
    }

    /// Sets the selection of the acting table; true when it changed.
    pub fn select(&mut self, to: impl FnOnce(usize, usize) -> usize) -> bool {
        let Some(table) = self.acting() else {
            return false;
        };
        let (nodes, targets) = self.counts();
        let (at, len) = match table {
            Table::Nodes => (&mut self.node_at, nodes),
            Table::Targets => (&mut self.target_at, targets),
        };
        let before = (*at).min(len.saturating_sub(1));
        let after = to(before, len).min(len.saturating_sub(1));
        *at = after;
        // Keys act on this table from now on, even if it was the fallback.
        self.focus = table;
        before != after
    }
}

impl Answer {
    /// The failed answer to a call of `call`'s section.
    pub fn failed(call: Call, error: api::Error) -> Answer {
        match call {
            Call::ShowBackup => Answer::Detail(Err(error)),
            Call::ListBackups => Answer::Row(Err(error)),
            Call::Windows => Answer::Windows(Err(error)),
            Call::RelatedDn => Answer::Now(Err(error)),
            Call::Targets => Answer::Targets(Err(error)),
        }
    }
}

/// The node table's rows: the joined row once both sides are known, else
/// the backup's own nodes, not compared yet. `joined` is `report.nodes()`.
fn node_lines(report: &Readiness, joined: Option<Vec<NodeRow>>) -> Vec<NodeLine> {
    if let Some(rows) = joined {
        return rows
            .into_iter()
            .map(|r| NodeLine {
                id: r.instance_id,
                name: r.instance_name,
                coverage: Some(r.coverage),
                status: r.status,
                engine: r.engine,
                version: r.version,
                size_bytes: r.size_bytes,
            })
            .collect();
    }
    let Some(detail) = report.detail.ready() else {
        return Vec::new();
    };
    detail
        .related_data_nodes
        .iter()
        .map(|n| NodeLine {
            id: n.instance_id.trim().to_string(),
            name: Some(n.instance_name.clone()).filter(|n| !n.trim().is_empty()),
            coverage: None,
            status: None,
            engine: None,
            version: None,
            size_bytes: None,
        })
        .collect()
}
