//! Case folding for the match rule: one function for the query and for
//! every row, so the two cannot disagree. (A string's `to_lowercase` writes
//! a word-final Σ as ς and a character's writes σ: the query `ΟΔΥΣΣΕΥΣ`
//! became "οδυσσευς" while the row it names was indexed "οδυσσευσ", so
//! `find` missed the very name it was given.)

/// `s` folded: each character's lowercase, with a lowercase letter that is
/// only a variant form of another written as that letter, as Unicode's
/// simple case folding does. Context never changes a character's fold.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_folded(&mut out, s);
    out
}

/// Pushes `s` folded onto `out` (see [`fold`]).
pub fn push_folded(out: &mut String, s: &str) {
    // ASCII, nearly all a server sends, folds byte by byte without the
    // case tables. Unoptimised (every `cargo test`), the per-character
    // iterators below spent 80 s of one test's 106 folding 4 KiB fields.
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        out.extend(c.to_lowercase().map(variant_of));
    }
}

/// The letter a lowercase variant form folds to (CaseFolding.txt's entries
/// whose target is not the lowercase): final sigma, the Greek symbol
/// letters, long s, the micro sign, iota subscript and the old Cyrillic
/// letter forms. Any other character is its own fold.
fn variant_of(c: char) -> char {
    match c {
        'ς' => 'σ',
        'ϐ' => 'β',
        'ϑ' => 'θ',
        'ϕ' => 'φ',
        'ϖ' => 'π',
        'ϰ' => 'κ',
        'ϱ' => 'ρ',
        'ϵ' => 'ε',
        'ſ' => 's',
        'µ' => 'μ',
        '\u{345}' | '\u{1fbe}' => 'ι',
        'ẛ' => 'ṡ',
        '\u{1c80}' => 'в',
        '\u{1c81}' => 'д',
        '\u{1c82}' => 'о',
        '\u{1c83}' => 'с',
        '\u{1c84}' | '\u{1c85}' => 'т',
        '\u{1c86}' => 'ъ',
        '\u{1c87}' => 'ѣ',
        '\u{1c88}' => 'ꙋ',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_folds_the_same_wherever_it_stands() {
        assert_eq!(fold("ΟΔΥΣΣΕΥΣ"), "οδυσσευσ");
        assert_eq!(fold("οδυσσευς"), "οδυσσευσ");
        assert_eq!(fold("ΕΥΣ"), fold("ευς"));
        // A string is folded as its characters are, one by one.
        let word = "ΟΔΥΣΣΕΥΣ Σ ΑΣ";
        let by_char: String = word.chars().map(|c| fold(&c.to_string())).collect();
        assert_eq!(fold(word), by_char);
    }

    #[test]
    fn ascii_folds_as_each_character_does() {
        let every: String = (0u8..128).map(char::from).collect();
        for s in [
            every.as_str(),
            "Backup-ORDERS-07",
            "",
            "MiXeD ascii ÄND NOT",
        ] {
            let by_char: String = s
                .chars()
                .flat_map(|c| c.to_lowercase().map(variant_of))
                .collect();
            assert_eq!(fold(s), by_char, "{s:?}");
        }
        // Appends after what `out` holds, which it leaves alone.
        let mut out = String::from("KEEP ");
        push_folded(&mut out, "ABC");
        assert_eq!(out, "KEEP abc");
    }

    #[test]
    fn variant_letters_fold_to_their_letter() {
        // Pairs checked against Python's str.casefold (full Unicode folding).
        for (variant, letter) in [
            ("ϐϑϕϖϰϱϵ", "βθφπκρε"),
            ("ſµ\u{345}\u{1fbe}ẛ", "sμιιṡ"),
            ("\u{1c80}\u{1c85}\u{1c88}", "втꙋ"),
            ("ÄRGER-İ", "ärger-i\u{307}"),
            ("订单 🚀 abc", "订单 🚀 abc"),
        ] {
            assert_eq!(fold(variant), letter, "{variant}");
        }
    }
}
