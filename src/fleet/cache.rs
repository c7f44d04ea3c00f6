//! Listings loaded lately, per profile, with one freshness rule: Find,
//! the pickers (and the coming fleet view) look here before they ask a
//! server again, and put here what they loaded.

use std::time::{Duration, Instant};

use super::ProfileId;

/// How long a loaded listing may stand in for a new one: statuses and new
/// backups change during a long day, and after this the operator sees the
/// server's answer again.
pub const FRESH_FOR: Duration = Duration::from_secs(5 * 60);

/// True when a listing that ended at `at` is still fresh at `now`.
pub fn is_fresh(at: Instant, now: Instant) -> bool {
    now.saturating_duration_since(at) < FRESH_FOR
}

/// What was listed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Listing {
    /// The DDM instances of the profile's project.
    Instances,
    /// The backups of one instance.
    Backups { instance_id: String },
    /// Every backup of the project, whatever its instance (what Find
    /// reads): a whole one also answers for each instance's backups.
    ProjectBackups,
}

/// One listing kept.
#[derive(Debug, Clone, PartialEq)]
struct Entry<V> {
    profile: ProfileId,
    listing: Listing,
    /// When its last page arrived, if every row was read (not stopped,
    /// not failed): only then may it stand in for a new listing.
    whole_at: Option<Instant>,
    value: V,
}

/// Loaded listings by profile and [`Listing`], each kept as `V` (the shape
/// its reader wants). One entry per profile and listing: a newer one
/// replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingCache<V> {
    entries: Vec<Entry<V>>,
}

impl<V> Default for ListingCache<V> {
    fn default() -> Self {
        ListingCache {
            entries: Vec::new(),
        }
    }
}

impl<V> ListingCache<V> {
    /// Keeps `value`, the `listing` of `profile`; `whole_at` is when it
    /// ended with every row read, `None` when it did not (kept for what
    /// it holds, never standing in for a listing).
    pub fn put(
        &mut self,
        profile: ProfileId,
        listing: Listing,
        whole_at: Option<Instant>,
        value: V,
    ) {
        self.remove(profile, &listing);
        self.entries.push(Entry {
            profile,
            listing,
            whole_at,
            value,
        });
    }

    /// Keeps only the listings of `from`, now called `to` (the profiles
    /// were replaced, and only that one's screen stays).
    pub fn keep_only(&mut self, from: ProfileId, to: ProfileId) {
        self.entries.retain(|e| e.profile == from);
        for e in &mut self.entries {
            e.profile = to;
        }
    }

    /// The `listing` of `profile` if it is whole and fresh at `now`.
    pub fn fresh(&self, profile: ProfileId, listing: &Listing, now: Instant) -> Option<&V> {
        self.entries
            .iter()
            .find(|e| e.profile == profile && &e.listing == listing && e.usable(now))
            .map(|e| &e.value)
    }

    /// Takes the `listing` of `profile` out if it is whole and fresh at
    /// `now` (a reader that changes it and puts it back).
    pub fn take_fresh(&mut self, profile: ProfileId, listing: &Listing, now: Instant) -> Option<V> {
        let at = self
            .entries
            .iter()
            .position(|e| e.profile == profile && &e.listing == listing && e.usable(now))?;
        Some(self.entries.remove(at).value)
    }

    /// Removes the `listing` of `profile`, fresh or not.
    pub fn remove(&mut self, profile: ProfileId, listing: &Listing) -> Option<V> {
        let at = self
            .entries
            .iter()
            .position(|e| e.profile == profile && &e.listing == listing)?;
        Some(self.entries.remove(at).value)
    }

    /// Removes every listing of `profile` that `drop` picks.
    pub fn forget(&mut self, profile: ProfileId, drop: impl Fn(&Listing) -> bool) {
        self.entries
            .retain(|e| e.profile != profile || !drop(&e.listing));
    }

    /// Every listing of `profile` kept, fresh or not (names of rows are
    /// worth showing after the rows stopped being fresh).
    pub fn of(&self, profile: ProfileId) -> impl Iterator<Item = (&Listing, &V)> {
        self.entries
            .iter()
            .filter(move |e| e.profile == profile)
            .map(|e| (&e.listing, &e.value))
    }

    /// [`Self::of`], to change (a newer row learnt elsewhere).
    pub fn of_mut(&mut self, profile: ProfileId) -> impl Iterator<Item = (&Listing, &mut V)> {
        self.entries
            .iter_mut()
            .filter(move |e| e.profile == profile)
            .map(|e| (&e.listing, &mut e.value))
    }

    /// Every whole listing fresh at `now`, of any profile.
    pub fn all_fresh(&self, now: Instant) -> impl Iterator<Item = (ProfileId, &Listing, &V)> {
        self.entries
            .iter()
            .filter(move |e| e.usable(now))
            .map(|e| (e.profile, &e.listing, &e.value))
    }
}

impl<V> Entry<V> {
    fn usable(&self, now: Instant) -> bool {
        self.whole_at.is_some_and(|at| is_fresh(at, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_decides_for_every_listing_and_profile() {
        let start = Instant::now();
        let mut cache = ListingCache::default();
        let (a, b) = (ProfileId(0), ProfileId(1));
        cache.put(a, Listing::Instances, Some(start), "a-instances");
        cache.put(b, Listing::ProjectBackups, Some(start), "b-backups");
        cache.put(a, Listing::ProjectBackups, None, "a-stopped");
        assert_eq!(
            cache.fresh(a, &Listing::Instances, start),
            Some(&"a-instances")
        );
        assert_eq!(
            cache.fresh(a, &Listing::ProjectBackups, start),
            None,
            "not whole"
        );
        assert_eq!(cache.fresh(b, &Listing::Instances, start), None, "not b's");
        let late = start + FRESH_FOR;
        assert_eq!(cache.fresh(a, &Listing::Instances, late), None, "too old");
        assert_eq!(cache.of(a).count(), 2, "kept, fresh or not");
        // A newer listing replaces the older one.
        cache.put(a, Listing::Instances, Some(late), "newer");
        assert_eq!(cache.fresh(a, &Listing::Instances, late), Some(&"newer"));
        assert_eq!(
            cache.take_fresh(a, &Listing::Instances, late),
            Some("newer")
        );
        assert_eq!(cache.of(a).count(), 1);
        assert_eq!(cache.all_fresh(start).count(), 1);
    }
}
