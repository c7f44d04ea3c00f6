//! A project's fleet read as the lists, ShowBackup and the restore calls
//! read it: a page at a time, computing only the instances a page touches.

use std::borrow::Cow;

use serde_json::Value;

use super::{FLEET, FleetInstance, FleetSize, Spec, scale};
use crate::demo::reply::Reply;

/// Which fleet a demo server serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fleet {
    /// The named instances ([`FLEET`] and the EU project's), after the
    /// built-in instances and backups.
    Named,
    /// Generated instances only, in both projects (`demo-server --fleet`).
    Scale(FleetSize),
}

impl Fleet {
    /// The instances one project serves.
    pub(crate) fn specs(self, eu: bool) -> Specs {
        let zone = if eu { "eu-west-101a" } else { "cn-north-4a" };
        let recipes = match self {
            Fleet::Named if eu => Recipes::Named(crate::demo::eu::FLEET),
            Fleet::Named => Recipes::Named(FLEET),
            Fleet::Scale(size) => Recipes::Scale(size),
        };
        Specs { recipes, zone }
    }
}

enum Recipes {
    Named(&'static [FleetInstance]),
    Scale(FleetSize),
}

/// One project's fleet, read a page at a time.
pub(crate) struct Specs {
    recipes: Recipes,
    zone: &'static str,
}

impl Specs {
    /// How many instances the fleet has.
    pub(crate) fn instance_count(&self) -> usize {
        match &self.recipes {
            Recipes::Named(table) => table.len(),
            Recipes::Scale(size) => size.instances,
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<Spec> {
        match &self.recipes {
            Recipes::Named(table) => table.get(i).map(|f| {
                Spec::new(
                    Cow::Borrowed(f.instance_id),
                    Cow::Borrowed(f.name),
                    f.kind,
                    i as u64,
                )
            }),
            Recipes::Scale(size) => scale::spec(*size, i),
        }
    }

    /// The instance `instance_id`, if it is one of this fleet's.
    pub(crate) fn find(&self, instance_id: &str) -> Option<Spec> {
        match &self.recipes {
            Recipes::Named(table) => {
                let i = table.iter().position(|f| f.instance_id == instance_id)?;
                self.get(i)
            }
            Recipes::Scale(size) => scale::index(*size, instance_id).and_then(|i| self.get(i)),
        }
    }

    /// Instance rows `offset..offset + limit`.
    pub(crate) fn instance_page(&self, offset: usize, limit: usize, now: i64) -> Vec<Value> {
        (offset..self.instance_count().min(offset.saturating_add(limit)))
            .filter_map(|i| self.get(i))
            .map(|s| s.instance_row(now, self.zone))
            .collect()
    }

    /// How many ListBackups rows the fleet has: each instance's, in
    /// instance order, newest first within each.
    pub(crate) fn backup_count(&self) -> usize {
        match &self.recipes {
            Recipes::Named(_) => (0..self.instance_count())
                .filter_map(|i| self.get(i))
                .map(|s| s.row_count())
                .sum(),
            Recipes::Scale(size) => size.instances.saturating_mul(size.backups),
        }
    }

    /// Backup rows `offset..offset + limit`, computing only the
    /// instances the page touches.
    pub(crate) fn backup_page(&self, offset: usize, limit: usize, now: i64) -> Vec<Value> {
        let mut page = Vec::with_capacity(limit.min(128));
        // Every generated instance has the same number of rows, so the
        // first one the page touches is found by division.
        let (mut i, mut skip) = match &self.recipes {
            Recipes::Scale(size) if size.backups > 0 => {
                (offset / size.backups, offset % size.backups)
            }
            _ => (0, offset),
        };
        while page.len() < limit && i < self.instance_count() {
            let Some(spec) = self.get(i) else { break };
            i += 1;
            let count = spec.row_count();
            if skip >= count {
                skip -= count;
                continue;
            }
            let wanted = limit - page.len();
            page.extend(
                spec.backup_range(now, skip, wanted)
                    .iter()
                    .map(|b| spec.backup_row(b)),
            );
            skip = 0;
        }
        page
    }

    /// Restore call `name` of one of the fleet's instances; `None` when
    /// it is not one of them (or `name` is no restore call).
    pub(crate) fn restore(
        &self,
        instance_id: &str,
        name: &str,
        req: &crate::demo::Request,
        now: i64,
    ) -> Option<Reply> {
        let spec = self.find(instance_id)?;
        let Some(windows) = spec.windows(now) else {
            return Some(Reply::ddm_internal_error());
        };
        let instance = crate::demo::restore::Instance {
            windows,
            nodes: spec.nodes(),
        };
        crate::demo::restore::answer(&instance, instance_id, name, req)
    }

    /// ShowBackup for one of the fleet's backups, asked for under its own
    /// instance; `None` when it is not one.
    pub(crate) fn show(&self, instance_id: &str, backup_id: &str, now: i64) -> Option<Reply> {
        let spec = self.find(instance_id)?;
        let backup = spec.backup(backup_id, now)?;
        Some(Reply::json(200, spec.show(&backup).to_string()))
    }
}
