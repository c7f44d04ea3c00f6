//! The version as `--version`, the help popup and the log file say it: the
//! package version, with the git revision and commit date when the binary
//! was built from a git checkout (see `build.rs`).

/// `0.1.0 (1a2b3c4d5e 2026-12-06)`, or `0.1.0` from a source archive.
pub const LONG: &str = env!("DDM_BACKUPS_VERSION");

/// `ddm-backups 0.1.0 (1a2b3c4d5e 2026-12-06)`: the first line of
/// `--version`, as the help popup and the log file repeat it.
pub fn line() -> String {
    format!("ddm-backups {LONG}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_long_version_starts_with_the_package_version() {
        let long = super::LONG;
        let plain = env!("CARGO_PKG_VERSION");
        assert!(
            long == plain || long.starts_with(&format!("{plain} (")),
            "{long}"
        );
        if let Some(rest) = long.strip_prefix(&format!("{plain} (")) {
            // A ten-digit revision, a space, a YYYY-MM-DD date, the paren.
            let (rev, date) = rest
                .trim_end_matches(')')
                .split_once(' ')
                .expect("rev date");
            assert!(
                rev.len() == 10 && rev.chars().all(|c| c.is_ascii_hexdigit()),
                "{long}"
            );
            assert!(
                jiff::civil::Date::strptime("%Y-%m-%d", date).is_ok(),
                "{long}"
            );
        }
    }
}
