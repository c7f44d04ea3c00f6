//! The on-disk IAM token cache: one file per (user, domain, project, IAM
//! endpoint), private to the user, replaced atomically under an advisory lock
//! so two panes never lose each other's writes.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use crate::private_fs;
use crate::secret::Secret;

/// How often a held lock is tried again: short next to any deadline, long
/// enough that waiting costs nothing.
const LOCK_POLL: Duration = Duration::from_millis(25);

/// The lock stayed with another process until the deadline.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "another ddm-backups process holds the token cache lock {} and did not let go within {:.1} s (the lookup's timeout_secs); try again when it is done",
    lock.display(),
    waited.as_secs_f64()
)]
pub struct CacheBusy {
    pub lock: PathBuf,
    pub waited: Duration,
}

/// A token and when IAM said it expires.
#[derive(Debug, Clone)]
pub struct CachedToken {
    pub token: Secret,
    pub expires_at: Timestamp,
}

impl CachedToken {
    /// Usable until five minutes before it expires, so a lookup never starts
    /// with a token that dies on the way.
    pub fn is_fresh(&self, now: Timestamp) -> bool {
        now.checked_add(SignedDuration::from_mins(5))
            .is_ok_and(|margin| margin < self.expires_at)
    }
}

/// The cache entry of one identity.
#[derive(Debug, Clone)]
pub struct TokenCache {
    file: PathBuf,
    lock: PathBuf,
}

impl TokenCache {
    /// The entry for these identity parts under `dir` (the user's cache
    /// directory by default). The file name is a hash: it reveals no names.
    pub fn new(dir: &Path, identity: &[&str]) -> Self {
        let mut hasher = Sha256::new();
        for part in identity {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        let digest = hasher.finalize();
        let name: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        TokenCache {
            file: dir.join(format!("{name}.json")),
            lock: dir.join(format!("{name}.lock")),
        }
    }

    /// The default folder: `~/.cache/ddm-backups/tokens` on Linux.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "ddm-backups").map(|d| d.cache_dir().join("tokens"))
    }

    /// Where the entry lives, for `config check`.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The cached token, if there is a readable one. A damaged entry is
    /// treated as absent: IAM is asked again and the entry rewritten.
    pub fn load(&self) -> Option<CachedToken> {
        let lock = self.locked(false).ok()?;
        self.load_locked(lock)
    }

    /// [`TokenCache::load`] once the shared lock is held.
    fn load_locked(&self, _lock: File) -> Option<CachedToken> {
        let mut text = String::new();
        private_fs::open_read(&self.file)
            .ok()?
            .read_to_string(&mut text)
            .ok()?;
        let parsed = parse(&text);
        zeroize::Zeroize::zeroize(&mut text);
        parsed
    }

    /// Writes the entry: a private temp file renamed over the old one.
    pub fn store(&self, token: &CachedToken) -> io::Result<()> {
        let lock = self.locked(true)?;
        self.store_locked(lock, token)
    }

    /// [`TokenCache::store`] once the exclusive lock is held.
    fn store_locked(&self, _lock: File, token: &CachedToken) -> io::Result<()> {
        // RFC 3339 in UTC, as the `time` crate wrote it before.
        let expires = token.expires_at.to_string();
        let mut text =
            serde_json::json!({ "token": token.token.expose(), "expires_at": expires }).to_string();
        let written = private_fs::replace(&self.file, text.as_bytes());
        zeroize::Zeroize::zeroize(&mut text);
        written
    }

    /// Removes the entry if it still holds `token` (another pane may
    /// already have replaced it with a good one).
    pub fn forget(&self, token: &Secret) {
        if let Ok(lock) = self.locked(true) {
            self.forget_locked(lock, token);
        }
    }

    /// [`TokenCache::forget`] once the exclusive lock is held.
    fn forget_locked(&self, _lock: File, token: &Secret) {
        let mut text = String::new();
        let same = private_fs::open_read(&self.file)
            .and_then(|mut f| f.read_to_string(&mut text))
            .ok()
            .and_then(|_| parse(&text))
            .is_some_and(|cached| cached.token == *token);
        zeroize::Zeroize::zeroize(&mut text);
        if same {
            let _ = std::fs::remove_file(&self.file);
        }
    }

    /// [`TokenCache::load`], waiting for the lock only until `deadline`;
    /// the reading happens on a blocking thread, off the UI's runtime.
    /// Anything but a busy lock counts as no entry, as in `load`.
    pub async fn load_until(
        &self,
        deadline: tokio::time::Instant,
    ) -> Result<Option<CachedToken>, CacheBusy> {
        let lock = match self.lock_until(false, deadline).await {
            Ok(lock) => lock,
            Err(LockFailed::Busy(busy)) => return Err(busy),
            Err(LockFailed::Io(_)) => return Ok(None),
        };
        let cache = self.clone();
        Ok(tokio::task::spawn_blocking(move || cache.load_locked(lock))
            .await
            .ok()
            .flatten())
    }

    /// [`TokenCache::store`], waiting for the lock only until `deadline`;
    /// the writing (and its fsync) happens on a blocking thread.
    pub async fn store_until(
        &self,
        token: CachedToken,
        deadline: tokio::time::Instant,
    ) -> io::Result<()> {
        let lock = self.lock_until(true, deadline).await.map_err(|e| match e {
            LockFailed::Busy(busy) => io::Error::new(io::ErrorKind::TimedOut, busy.to_string()),
            LockFailed::Io(e) => e,
        })?;
        let cache = self.clone();
        tokio::task::spawn_blocking(move || cache.store_locked(lock, &token))
            .await
            .map_err(io::Error::other)?
    }

    /// [`TokenCache::forget`], waiting for the lock only until `deadline`
    /// (if it cannot be had, the entry stays; IAM's 401 will say so again).
    pub async fn forget_until(&self, token: Secret, deadline: tokio::time::Instant) {
        let Ok(lock) = self.lock_until(true, deadline).await else {
            return;
        };
        let cache = self.clone();
        let _ = tokio::task::spawn_blocking(move || cache.forget_locked(lock, &token)).await;
    }

    /// Tries the lock every LOCK_POLL until `deadline`, sleeping in between,
    /// so neither the runtime thread nor a blocking thread is stuck on a
    /// lock another process may hold for minutes. Each try is a
    /// non-blocking open and flock, cheap enough for the runtime thread.
    async fn lock_until(
        &self,
        exclusive: bool,
        deadline: tokio::time::Instant,
    ) -> Result<File, LockFailed> {
        let started = tokio::time::Instant::now();
        loop {
            if let Some(file) = self.try_locked(exclusive).map_err(LockFailed::Io)? {
                return Ok(file);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(LockFailed::Busy(CacheBusy {
                    lock: self.lock.clone(),
                    waited: now - started,
                }));
            }
            tokio::time::sleep(LOCK_POLL.min(deadline - now)).await;
        }
    }

    /// Takes the lock if it is free; `None` when another process holds it.
    fn try_locked(&self, exclusive: bool) -> io::Result<Option<File>> {
        if let Some(dir) = self.file.parent() {
            private_fs::create_dir(dir)?;
        }
        private_fs::try_lock(&self.lock, exclusive)
    }

    /// Takes the advisory lock (shared to read, exclusive to write); it is
    /// released when the returned file is dropped.
    fn locked(&self, exclusive: bool) -> io::Result<File> {
        if let Some(dir) = self.file.parent() {
            private_fs::create_dir(dir)?;
        }
        private_fs::lock(&self.lock, exclusive)
    }
}

/// Why a lock was not taken.
enum LockFailed {
    Busy(CacheBusy),
    Io(io::Error),
}

fn parse(text: &str) -> Option<CachedToken> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let token = value.get("token")?.as_str()?.to_string();
    let expires_at = value.get("expires_at")?.as_str()?.parse().ok()?;
    Some(CachedToken {
        token: Secret::new(token),
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn token(value: &str, minutes: i64) -> CachedToken {
        CachedToken {
            token: Secret::new(value.into()),
            expires_at: Timestamp::now() + SignedDuration::from_mins(minutes),
        }
    }

    #[test]
    fn stores_privately_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let tokens = dir.path().join("tokens");
        let cache = TokenCache::new(&tokens, &["user", "domain", "project", "https://iam"]);
        assert!(cache.load().is_none());
        cache.store(&token("tok-1", 60)).unwrap();
        let loaded = cache.load().unwrap();
        assert_eq!(loaded.token.expose(), "tok-1");
        assert!(loaded.is_fresh(Timestamp::now()));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(cache.path()), 0o600);
        assert_eq!(mode(&tokens), 0o700);
        assert!(
            !cache.path().to_string_lossy().contains("user"),
            "the name is a hash"
        );
    }

    #[test]
    fn identities_do_not_share_entries() {
        let dir = tempfile::tempdir().unwrap();
        let a = TokenCache::new(dir.path(), &["u", "d", "p1", "iam"]);
        let b = TokenCache::new(dir.path(), &["u", "d", "p2", "iam"]);
        a.store(&token("a", 60)).unwrap();
        assert!(b.load().is_none());
    }

    #[test]
    fn freshness_keeps_a_five_minute_margin() {
        let now = Timestamp::now();
        assert!(!token("t", 4).is_fresh(now));
        assert!(token("t", 6).is_fresh(now));
    }

    #[test]
    fn forget_only_removes_the_same_token() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::new(dir.path(), &["x"]);
        cache.store(&token("new", 60)).unwrap();
        cache.forget(&Secret::new("old".into()));
        assert!(cache.load().is_some());
        cache.forget(&Secret::new("new".into()));
        assert!(cache.load().is_none());
    }

    #[test]
    fn a_damaged_entry_counts_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::new(dir.path(), &["x"]);
        cache.store(&token("t", 60)).unwrap();
        std::fs::write(cache.path(), "{not json").unwrap();
        assert!(cache.load().is_none());
    }

    #[tokio::test]
    async fn a_held_lock_is_awaited_only_until_the_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::new(dir.path(), &["x"]);
        cache.store(&token("t", 60)).unwrap();
        let held = private_fs::lock(&cache.lock, true).unwrap();
        let started = std::time::Instant::now();
        let deadline = tokio::time::Instant::now() + Duration::from_millis(300);
        let busy = cache.load_until(deadline).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(busy.lock, cache.lock);
        let message = busy.to_string();
        assert!(message.contains("another ddm-backups process"), "{message}");
        assert!(
            message.contains(&cache.lock.display().to_string()),
            "{message}"
        );
        let deadline = tokio::time::Instant::now() + Duration::from_millis(100);
        let stored = cache.store_until(token("u", 60), deadline).await;
        assert_eq!(stored.unwrap_err().kind(), io::ErrorKind::TimedOut);
        // Released while waiting: the wait ends with the entry.
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(held);
        });
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        let loaded = cache.load_until(deadline).await.unwrap().unwrap();
        assert_eq!(loaded.token.expose(), "t");
        release.join().unwrap();
    }
}
