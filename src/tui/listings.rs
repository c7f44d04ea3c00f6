//! The app's one cache of loaded listings (see `fleet::ListingCache`):
//! what Find and the pickers loaded, per profile, read by both, with one
//! freshness rule. A backup picker opened after Find is filled from Find's
//! rows of its profile without a request; Find after Find searches them
//! again. (Find cannot be answered by a picker: one instance's backups are
//! not every backup of the project.)

use std::sync::Arc;
use std::time::Instant;

use crate::find::Loaded;
use crate::fleet::{Listing, ListingCache, ProfileId};

use super::app::App;
use super::picker::{PickRow, Picker, PickerKind};

/// A listing as the app keeps it.
#[derive(Debug, Clone, PartialEq)]
pub enum Listed {
    /// A picker closed after loading, shown again as it was (order and
    /// selection) while fresh.
    Picker(Box<Picker>),
    /// Every backup of a profile as Find loaded them.
    Found(Arc<Loaded>),
}

/// The cache the app holds.
pub type Listings = ListingCache<Listed>;

/// What a picker of `kind` lists.
pub fn listing_of(kind: &PickerKind) -> Listing {
    match kind {
        PickerKind::Instances => Listing::Instances,
        PickerKind::Backups { instance_id } => Listing::Backups {
            instance_id: instance_id.clone(),
        },
    }
}

impl App {
    /// The shown profile's identity.
    pub fn active_id(&self) -> ProfileId {
        ProfileId(self.active)
    }

    /// Every profile's loaded listings.
    pub fn listings(&self) -> &Listings {
        &self.listings
    }

    /// Every backup of `profile` as the last Find loaded them, fresh or not.
    pub fn found_listing(&self, profile: ProfileId) -> Option<&Arc<Loaded>> {
        self.listings
            .of(profile)
            .find_map(|(_, listed)| match listed {
                Listed::Found(loaded) => Some(loaded),
                Listed::Picker(_) => None,
            })
    }

    /// Keeps a closed picker of `profile` for the next time: one per kind
    /// (a backup picker of another instance replaces it).
    pub(super) fn keep_picker(&mut self, profile: ProfileId, picker: Picker) {
        let listing = listing_of(&picker.kind);
        self.listings.forget(profile, |l| {
            std::mem::discriminant(l) == std::mem::discriminant(&listing)
        });
        let whole_at = picker.fresh_since();
        self.listings
            .put(profile, listing, whole_at, Listed::Picker(Box::new(picker)));
    }

    /// A picker of `kind` for `profile` from a listing loaded lately, if
    /// one is fresh: the picker itself as it was closed, else (backups)
    /// the instance's rows out of Find's whole listing of the project.
    pub(super) fn cached_picker(
        &mut self,
        profile: ProfileId,
        kind: &PickerKind,
        now: Instant,
    ) -> Option<Picker> {
        let listing = listing_of(kind);
        if let Some(Listed::Picker(picker)) = self.listings.take_fresh(profile, &listing, now) {
            return Some(*picker);
        }
        let PickerKind::Backups { instance_id } = kind else {
            return None;
        };
        let Some(Listed::Found(loaded)) =
            self.listings.fresh(profile, &Listing::ProjectBackups, now)
        else {
            return None;
        };
        // Only a listing of every row: one cut at the row cap or the
        // memory budget may lack some of this instance's backups.
        if loaded.cut.is_some() {
            return None;
        }
        let rows = loaded
            .rows()
            .iter()
            .filter(|f| f.instance_id.as_deref() == Some(instance_id.as_str()))
            .map(|f| PickRow::from(&**f))
            .collect();
        Some(Picker::loaded(
            kind.clone(),
            rows,
            loaded.at,
            self.picker_rows(),
        ))
    }

    /// `backup`'s row in a backup list of `instance` that `profile` loaded
    /// in the last few minutes, if one has it.
    pub fn fresh_pick_row(
        &self,
        profile: ProfileId,
        instance: &str,
        backup: &str,
        now: Instant,
    ) -> Option<&PickRow> {
        let listing = Listing::Backups {
            instance_id: instance.to_string(),
        };
        match self.listings.fresh(profile, &listing, now)? {
            Listed::Picker(picker) => picker.rows.all().iter().find(|r| r.id == backup),
            Listed::Found(_) => None,
        }
    }
}
