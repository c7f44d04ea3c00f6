//! The on-disk IAM token cache: one file per (user, domain, project, IAM
//! endpoint), private to the user, replaced atomically under an advisory lock
//! so two panes never lose each other's writes.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::private_fs;
use crate::secret::Secret;

/// A token and when IAM said it expires.
#[derive(Debug, Clone)]
pub struct CachedToken {
    pub token: Secret,
    pub expires_at: OffsetDateTime,
}

impl CachedToken {
    /// Usable until five minutes before it expires, so a lookup never starts
    /// with a token that dies on the way.
    pub fn is_fresh(&self, now: OffsetDateTime) -> bool {
        now + time::Duration::minutes(5) < self.expires_at
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
        let _lock = self.locked(false).ok()?;
        let mut text = String::new();
        File::open(&self.file)
            .ok()?
            .read_to_string(&mut text)
            .ok()?;
        let parsed = parse(&text);
        zeroize::Zeroize::zeroize(&mut text);
        parsed
    }

    /// Writes the entry: a private temp file renamed over the old one.
    pub fn store(&self, token: &CachedToken) -> io::Result<()> {
        let _lock = self.locked(true)?;
        let expires = token
            .expires_at
            .format(&Rfc3339)
            .map_err(io::Error::other)?;
        let mut text =
            serde_json::json!({ "token": token.token.expose(), "expires_at": expires }).to_string();
        let written = private_fs::replace(&self.file, text.as_bytes());
        zeroize::Zeroize::zeroize(&mut text);
        written
    }

    /// Removes the entry if it still holds `token` (another pane may
    /// already have replaced it with a good one).
    pub fn forget(&self, token: &Secret) {
        let Ok(_lock) = self.locked(true) else { return };
        let mut text = String::new();
        let same = File::open(&self.file)
            .and_then(|mut f| f.read_to_string(&mut text))
            .ok()
            .and_then(|_| parse(&text))
            .is_some_and(|cached| cached.token == *token);
        zeroize::Zeroize::zeroize(&mut text);
        if same {
            let _ = std::fs::remove_file(&self.file);
        }
    }

    /// [`TokenCache::load`] on a blocking thread: the lock may wait on
    /// another process, and the UI's runtime must not.
    pub async fn load_off_thread(&self) -> Option<CachedToken> {
        let cache = self.clone();
        tokio::task::spawn_blocking(move || cache.load())
            .await
            .ok()
            .flatten()
    }

    /// [`TokenCache::store`] on a blocking thread (it locks and fsyncs).
    pub async fn store_off_thread(&self, token: CachedToken) -> io::Result<()> {
        let cache = self.clone();
        tokio::task::spawn_blocking(move || cache.store(&token))
            .await
            .map_err(io::Error::other)?
    }

    /// [`TokenCache::forget`] on a blocking thread.
    pub async fn forget_off_thread(&self, token: Secret) {
        let cache = self.clone();
        let _ = tokio::task::spawn_blocking(move || cache.forget(&token)).await;
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

fn parse(text: &str) -> Option<CachedToken> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let token = value.get("token")?.as_str()?.to_string();
    let expires_at = OffsetDateTime::parse(value.get("expires_at")?.as_str()?, &Rfc3339).ok()?;
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
            expires_at: OffsetDateTime::now_utc() + time::Duration::minutes(minutes),
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
        assert!(loaded.is_fresh(OffsetDateTime::now_utc()));
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
        let now = OffsetDateTime::now_utc();
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
}
