//! Demo backups still being made, so watching and `wait` can be tried:
//! `creating-br09` turns `normal` and `failing-br09` turns `createfail`
//! a while after either is first read (its list row or its lookup).
//! The clock starts per demo server, so every `--demo` run starts over.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The backup that ends `normal`.
pub const CREATING_BACKUP_ID: &str = "creating-br09";
/// The backup that ends `createfail`.
pub const FAILING_BACKUP_ID: &str = "failing-br09";
/// How long both stay `creating` after their first read.
pub const CREATING_FOR: Duration = Duration::from_secs(10);

/// When each backup being made was first read.
#[derive(Debug)]
pub(crate) struct Making {
    lasts: Duration,
    first_read: Mutex<HashMap<&'static str, Instant>>,
}

impl Making {
    pub(crate) fn new(lasts: Duration) -> Self {
        Making {
            lasts,
            first_read: Mutex::new(HashMap::new()),
        }
    }

    /// The status of `backup_id` now, starting its clock on the first
    /// read; `None` for backups that are not being made.
    pub(crate) fn status(&self, backup_id: &str) -> Option<&'static str> {
        let (id, done) = match backup_id {
            CREATING_BACKUP_ID => (CREATING_BACKUP_ID, "normal"),
            FAILING_BACKUP_ID => (FAILING_BACKUP_ID, "createfail"),
            _ => return None,
        };
        let now = Instant::now();
        let mut first = self.first_read.lock().unwrap_or_else(|e| e.into_inner());
        let since = *first.entry(id).or_insert(now);
        Some(if now.duration_since(since) >= self.lasts {
            done
        } else {
            "creating"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creating_until_the_time_is_up() {
        let making = Making::new(Duration::from_millis(30));
        assert_eq!(making.status("nodes-br09"), None);
        assert_eq!(making.status(CREATING_BACKUP_ID), Some("creating"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(making.status(CREATING_BACKUP_ID), Some("normal"));
        // failing-br09's clock starts at its own first read.
        assert_eq!(making.status(FAILING_BACKUP_ID), Some("creating"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(making.status(FAILING_BACKUP_ID), Some("createfail"));
        assert_eq!(
            Making::new(Duration::ZERO).status(CREATING_BACKUP_ID),
            Some("normal")
        );
    }
}
