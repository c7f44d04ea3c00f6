//! Where a query's key stands in a shown value, so a screen can keep the
//! match in view when it cuts the value and mark it. Folding may turn one
//! character into several (`İ` into `i̇`), so the match is found in the
//! folded text and mapped back to whole characters of the original.

use std::ops::Range;

use super::fold::push_folded;
use super::rule::Query;

impl Query {
    /// The characters of `shown` (a char range) where the query's key
    /// first stands, compared case-folded as the match rule does; `None`
    /// when it is not there (the value was escaped for the screen, say).
    pub fn locate(&self, shown: &str) -> Option<Range<usize>> {
        locate_key(self.key(), shown, false)
    }

    /// As [`Query::locate`], but only at the start of `shown`: IDs match
    /// by prefix only.
    pub fn locate_prefix(&self, shown: &str) -> Option<Range<usize>> {
        locate_key(self.key(), shown, true)
    }
}

fn locate_key(key: &str, shown: &str, prefix: bool) -> Option<Range<usize>> {
    if key.is_empty() {
        return None;
    }
    // Which character of `shown` each byte of the folded text came from.
    let mut folded = String::with_capacity(shown.len());
    let mut owner: Vec<usize> = Vec::with_capacity(shown.len());
    let mut one = [0u8; 4];
    for (i, c) in shown.chars().enumerate() {
        let before = folded.len();
        push_folded(&mut folded, c.encode_utf8(&mut one));
        owner.extend(std::iter::repeat_n(i, folded.len() - before));
    }
    let at = if prefix {
        folded.starts_with(key).then_some(0)?
    } else {
        folded.find(key)?
    };
    let first = *owner.get(at)?;
    let last = *owner.get(at + key.len() - 1)?;
    Some(first..last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Query {
        Query::parse(text).unwrap()
    }

    #[test]
    fn a_match_is_found_in_characters_of_the_original() {
        let name = "Backup-ddm-demo-ORDERS-2025";
        assert_eq!(q("orders").locate(name), Some(16..22));
        assert_eq!(q("nothing").locate(name), None);
        assert_eq!(q("backup").locate_prefix(name), Some(0..6));
        assert_eq!(q("ddm-demo").locate_prefix(name), None);
        // Wide and multi-byte characters count one each.
        assert_eq!(q("订单库").locate("x-订单库-1"), Some(2..5));
        assert_eq!(q("ΣΣΕ").locate("ΟΔΥΣΣΕΥΣ"), Some(3..6));
    }

    #[test]
    fn folding_that_grows_a_character_maps_back_to_whole_characters() {
        // `İ` folds to two characters; the match still covers it whole.
        assert_eq!(q("i\u{307}st").locate("xİSTANBUL"), Some(1..4));
        // A key starting inside such a fold takes the whole character.
        assert_eq!(q("\u{307}stan").locate("xİSTANBUL"), Some(1..6));
        // Escaped for the screen, the text no longer holds what was
        // typed: not located (the caller cuts it plainly).
        assert_eq!(q("a\u{200b}bc").locate("xa\\u{200b}bc"), None);
    }
}
