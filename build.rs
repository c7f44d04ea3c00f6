//! Stamps the version with the git revision and commit date when built from
//! a git checkout (`0.1.0 (1a2b3c4d5e 2026-12-06)`), and leaves the plain
//! version when built from a source archive or without git. Reads only the
//! local repository: no network at build time.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    let long = match revision(&manifest) {
        Some(rev) => format!("{version} ({rev})"),
        None => version,
    };
    println!("cargo:rustc-env=DDM_BACKUPS_VERSION={long}");
}

/// `1a2b3c4d5e 2026-12-06` for the checkout at `manifest`, with the files
/// whose change means a new revision marked for a rebuild. `None` when the
/// sources are not the top of a git work tree (an archive unpacked inside
/// someone's home repository must not take that repository's revision).
fn revision(manifest: &Path) -> Option<String> {
    let top = git(manifest, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), manifest) {
        return None;
    }
    let rev = git(manifest, &["rev-parse", "--short=10", "HEAD"])?;
    let date = git(manifest, &["show", "-s", "--format=%cs", "HEAD"])?;
    // HEAD moves on a checkout; the branch's ref (loose or packed) on a
    // commit. Only files that exist: Cargo reruns for a missing one on
    // every build, which would rebuild the crate each time.
    let mut watched = Vec::new();
    if let Some(dir) = git(manifest, &["rev-parse", "--absolute-git-dir"]) {
        watched.push(Path::new(&dir).join("HEAD"));
    }
    if let Some(common) = git(manifest, &["rev-parse", "--git-common-dir"]) {
        let common = manifest.join(common);
        watched.push(common.join("packed-refs"));
        if let Some(branch) = git(manifest, &["symbolic-ref", "-q", "HEAD"]) {
            watched.push(common.join(branch));
        }
    }
    for path in watched.iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    Some(format!("{rev} {date}"))
}

/// The trimmed output of `git args` run in `dir`, if it succeeded.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}
