//! Arrays read with a cap on how many elements are built: a body of a few
//! million `{}` fits under the body cap at 3 bytes an element, but each one
//! would become a struct a hundred times larger. Elements past the cap are
//! parsed as [`IgnoredAny`] (checked as JSON, never built) and only counted,
//! so what a caller holds is bounded by the cap, not by the body.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// What a bounded read of an array kept.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bounded<T> {
    /// The elements `keep` accepted, in order, at most the cap.
    pub kept: Vec<T>,
    /// How many elements the array held, kept or not.
    pub sent: usize,
    /// Some element was built and refused by `keep`.
    pub refused: bool,
    /// An element `keep` accepts was left out because the cap was reached.
    pub cut: bool,
}

impl<T> Default for Bounded<T> {
    fn default() -> Self {
        Bounded {
            kept: Vec::new(),
            sent: 0,
            refused: false,
            cut: false,
        }
    }
}

/// Reads an array (or `null`, as empty) keeping at most `max` elements that
/// `keep` accepts.
pub(super) struct BoundedSeq<'k, T, K> {
    max: usize,
    keep: &'k K,
    element: PhantomData<fn() -> T>,
}

impl<'k, T, K> BoundedSeq<'k, T, K> {
    pub fn new(max: usize, keep: &'k K) -> Self {
        BoundedSeq {
            max,
            keep,
            element: PhantomData,
        }
    }
}

impl<'de, T, K> DeserializeSeed<'de> for BoundedSeq<'_, T, K>
where
    T: Deserialize<'de>,
    K: Fn(&T) -> bool,
{
    type Value = Bounded<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T, K> Visitor<'de> for BoundedSeq<'_, T, K>
where
    T: Deserialize<'de>,
    K: Fn(&T) -> bool,
{
    type Value = Bounded<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Bounded::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Bounded::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Bounded::default();
        // Up to the cap, every element is built, and kept if `keep` wants it.
        while out.kept.len() < self.max {
            let Some(element) = seq.next_element::<T>()? else {
                return Ok(out);
            };
            out.sent = out.sent.saturating_add(1);
            if (self.keep)(&element) {
                out.kept.push(element);
            } else {
                out.refused = true;
            }
        }
        // At the cap, elements are still built one at a time (and dropped)
        // until one would have been kept: whether the cut lost anything is
        // then exact, and memory stays at one element.
        while !out.cut {
            let Some(element) = seq.next_element::<T>()? else {
                return Ok(out);
            };
            out.sent = out.sent.saturating_add(1);
            if (self.keep)(&element) {
                out.cut = true;
            } else {
                out.refused = true;
            }
        }
        // The rest is only counted.
        while seq.next_element::<IgnoredAny>()?.is_some() {
            out.sent = out.sent.saturating_add(1);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str, max: usize, keep: impl Fn(&u32) -> bool) -> Bounded<u32> {
        let mut de = serde_json::Deserializer::from_str(json);
        let value = BoundedSeq::new(max, &keep).deserialize(&mut de).unwrap();
        de.end().unwrap();
        value
    }

    #[test]
    fn under_the_cap_everything_is_kept() {
        let b = read("[1,2,3]", 10, |_| true);
        assert_eq!(
            (b.kept, b.sent, b.refused, b.cut),
            (vec![1, 2, 3], 3, false, false)
        );
        let b = read("null", 10, |_| true);
        assert_eq!((b.kept.len(), b.sent, b.cut), (0, 0, false));
        let b = read("[]", 0, |_| true);
        assert_eq!((b.kept.len(), b.sent, b.cut), (0, 0, false));
    }

    #[test]
    fn past_the_cap_elements_are_counted_not_kept() {
        let b = read("[1,2,3,4,5]", 2, |_| true);
        assert_eq!((b.kept, b.sent, b.cut), (vec![1, 2], 5, true));
        let b = read("[1,2]", 2, |_| true);
        assert_eq!((b.kept, b.sent, b.cut), (vec![1, 2], 2, false));
        let b = read("[1,2,3]", 0, |_| true);
        assert_eq!((b.kept.len(), b.sent, b.cut), (0, 3, true));
    }

    #[test]
    fn refused_elements_do_not_use_the_cap() {
        // Odd numbers only: 1 and 3 fill the cap; 4 is refused and 5 is cut.
        let b = read("[2,1,3,4,5,6]", 2, |n| n % 2 == 1);
        assert_eq!(
            (b.kept, b.sent, b.refused, b.cut),
            (vec![1, 3], 6, true, true)
        );
        // Past the cap, only refused elements follow: nothing was cut.
        let b = read("[1,3,2,4]", 2, |n| n % 2 == 1);
        assert_eq!((b.kept, b.sent, b.cut), (vec![1, 3], 4, false));
    }

    #[test]
    fn skipped_elements_are_not_built_but_still_checked_as_json() {
        // Past the cut, an element of the wrong type is not an error (it is
        // never built); broken JSON still is.
        let b = read(r#"[1,2,{"a":[null]},"x"]"#, 1, |_| true);
        assert_eq!((b.kept, b.sent, b.cut), (vec![1], 4, true));
        let mut de = serde_json::Deserializer::from_str("[1,2,{]");
        assert!(
            BoundedSeq::new(1, &|_: &u32| true)
                .deserialize(&mut de)
                .is_err()
        );
        // Inside the cap, the element type still holds.
        let mut de = serde_json::Deserializer::from_str(r#"["x"]"#);
        assert!(
            BoundedSeq::new(1, &|_: &u32| true)
                .deserialize(&mut de)
                .is_err()
        );
        let mut de = serde_json::Deserializer::from_str(r#"{"a":1}"#);
        assert!(
            BoundedSeq::new(1, &|_: &u32| true)
                .deserialize(&mut de)
                .is_err()
        );
    }

    #[test]
    fn millions_of_elements_past_the_cap_hold_only_the_cap() {
        let json = format!("[{}]", vec!["7"; 2_000_000].join(","));
        let b = read(&json, 100, |_| true);
        assert_eq!((b.kept.len(), b.sent, b.cut), (100, 2_000_000, true));
        assert!(b.kept.capacity() <= 128);
    }
}
