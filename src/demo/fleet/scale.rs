//! The generated fleet of `demo-server --fleet NxM`, for measuring the
//! health view and `check` at scale: N instances with M backups each in
//! both demo projects, mostly healthy, with a few of each bad state.
//! Instance `i` is computed from `i` alone, so a page of rows costs only
//! that page. Every instance has exactly M backups, so there is no
//! no-backup instance here (the named fleet has one); the listing holds
//! N x M rows.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use super::{Kind, MINUTE, Spec};

/// The most instances `--fleet` takes.
pub const MAX_FLEET_INSTANCES: usize = 99_999;
/// The most backups per instance `--fleet` takes.
pub const MAX_FLEET_BACKUPS: usize = 1_000;

/// `--fleet 100x30`: how many instances, and backups each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FleetSize {
    pub instances: usize,
    pub backups: usize,
}

impl FromStr for FleetSize {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let shape = || format!("{s:?} is not INSTANCESxBACKUPS, like 100x30");
        let (n, m) = s.split_once(['x', 'X']).ok_or_else(shape)?;
        let number = |t: &str, max: usize, what: &str| {
            let v: usize = t.trim().parse().map_err(|_| shape())?;
            if (1..=max).contains(&v) {
                Ok(v)
            } else {
                Err(format!("{what} must be 1..={max}, not {v}"))
            }
        };
        Ok(FleetSize {
            instances: number(n, MAX_FLEET_INSTANCES, "instances")?,
            backups: number(m, MAX_FLEET_BACKUPS, "backups per instance")?,
        })
    }
}

impl fmt::Display for FleetSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.instances, self.backups)
    }
}

/// What instance `i` shows: about one in 25 of each bad state, one in 50
/// whose restore-window call fails, the rest healthy (one in ten of those
/// with a size jump).
fn kind(i: usize) -> Kind {
    match i % 25 {
        3 => Kind::Stopped,
        8 => Kind::NewestFailed,
        13 => Kind::MissedDays,
        18 => Kind::RestoreLag,
        23 if i % 50 == 23 => Kind::WindowError,
        _ if i % 10 == 6 => Kind::SizeJump,
        _ => Kind::Healthy,
    }
}

fn instance_id(i: usize) -> String {
    format!("fleet-{i:05}-in09")
}

/// Instance `i` of a fleet of `size`.
pub(super) fn spec(size: FleetSize, i: usize) -> Option<Spec> {
    if i >= size.instances {
        return None;
    }
    let mut spec = Spec::new(
        Cow::Owned(instance_id(i)),
        Cow::Owned(format!("fleet-{i:05}")),
        kind(i),
        i as u64,
    );
    spec.backups = size.backups;
    // Spread over the hour after 02:00, as a real schedule is.
    spec.at += 5 * MINUTE * (i % 12) as i64;
    Some(spec)
}

/// The index of `instance_id` in a fleet of `size`, if it names one.
pub(super) fn index(size: FleetSize, instance_id: &str) -> Option<usize> {
    let digits = instance_id.strip_prefix("fleet-")?.strip_suffix("-in09")?;
    let i: usize = digits.parse().ok()?;
    // `fleet-7-in09` or `fleet-+0007-in09` are not its IDs.
    (i < size.instances && self::instance_id(i) == instance_id).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_within_bounds() {
        let size = |s: &str| s.parse::<FleetSize>();
        assert_eq!(
            size("100x30"),
            Ok(FleetSize {
                instances: 100,
                backups: 30
            })
        );
        assert_eq!(size("100x30").unwrap().to_string(), "100x30");
        assert!(size("1X1").is_ok());
        for bad in [
            "", "100", "x30", "100x", "0x30", "100x0", "100000x1", "1x1001", "ax3",
        ] {
            assert!(size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_map_back_to_their_index_and_no_further() {
        let size = FleetSize {
            instances: 100,
            backups: 30,
        };
        assert_eq!(index(size, "fleet-00042-in09"), Some(42));
        assert_eq!(index(size, "fleet-00100-in09"), None);
        assert_eq!(index(size, "fleet-42-in09"), None);
        assert_eq!(index(size, "fleet-+0042-in09"), None);
        let kinds: Vec<Kind> = (0..100).map(kind).collect();
        let count = |k| kinds.iter().filter(|&&x| x == k).count();
        assert_eq!(
            [
                count(Kind::Stopped),
                count(Kind::NewestFailed),
                count(Kind::MissedDays),
                count(Kind::RestoreLag),
                count(Kind::WindowError)
            ],
            [4, 4, 4, 4, 2]
        );
        assert!(count(Kind::Healthy) + count(Kind::SizeJump) >= 80);
    }
}
