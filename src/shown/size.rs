//! Sizes: one unit ladder for every screen and text output. Below 1 KiB
//! in bytes (`512 B`, never `0 KB`); then KB, MB, GB, TB, PB (each 1024
//! of the one before), in at most a few characters whatever the server
//! sent.

use crate::api::Bytes;

/// `512 B`, `170 KB`, `2.0 MB`, `> 999 PB`.
pub fn bytes(size: Bytes) -> String {
    if size.0 < 1024 {
        return format!("{} B", size.0);
    }
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    /// The largest number shown before the next unit (or the cap) is used.
    const MAX_SHOWN: f64 = 999.0;
    let mut value = size.as_kb();
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let last = UNITS.len() - 1;
    if unit == last && value > MAX_SHOWN {
        return format!("> {MAX_SHOWN:.0} {}", UNITS[last]);
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_ladder_from_bytes_up() {
        for (n, shown) in [
            (0, "0 B"),
            (512, "512 B"),
            (1023, "1023 B"),
            (1024, "1 KB"),
            (170 * 1024, "170 KB"),
            (2048 * 1024, "2.0 MB"),
            (5 << 40, "5.0 TB"),
            (u64::MAX, "> 999 PB"),
        ] {
            assert_eq!(bytes(Bytes(n)), shown, "{n}");
        }
        // Every size fits in a table cell.
        let mut n = 1u64;
        while let Some(next) = n.checked_mul(3) {
            assert!(bytes(Bytes(n)).len() <= 9, "{n}: {}", bytes(Bytes(n)));
            n = next;
        }
    }
}
