//! Fractional position keys for ordering agenda items.
//!
//! Automerge lists have no move: a move is a delete plus an insert, and two
//! concurrent moves of one item would duplicate it. Instead each item keeps a
//! position key (a last-writer-wins string); the order is by (key, item id).
//! A move writes one new key between its new neighbours, so concurrent moves of
//! the same item end with one of the keys, and nothing is lost or duplicated.

/// Digits in ascending ASCII order: '0'..'9', 'a'..'z'.
const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const BASE: u8 = 36;

fn digit(c: u8) -> u8 {
    DIGITS.iter().position(|d| *d == c).unwrap_or(0) as u8
}

/// A key strictly between `lo` and `hi` (None = unbounded). Requires `lo < hi`
/// when both are given; keys never end in '0', so there is always room below.
pub fn key_between(lo: Option<&str>, hi: Option<&str>) -> String {
    let lo: Vec<u8> = lo.unwrap_or("").bytes().map(digit).collect();
    let hi: Option<Vec<u8>> = hi.map(|h| h.bytes().map(digit).collect());
    let mut upper_open = hi.is_none();
    let mut out = Vec::new();
    for i in 0.. {
        let l = lo.get(i).copied().unwrap_or(0);
        let h = if upper_open {
            BASE
        } else {
            match hi.as_ref().and_then(|h| h.get(i)) {
                Some(h) => *h,
                // `hi` is a prefix of `lo`: not `lo < hi`; fall back to after `lo`.
                None => {
                    upper_open = true;
                    BASE
                }
            }
        };
        if h >= l + 2 {
            out.push((l + h) / 2);
            break;
        }
        out.push(l);
        if h > l {
            upper_open = true;
        }
    }
    out.into_iter()
        .map(|d| DIGITS[d as usize] as char)
        .collect()
}

/// `n` ascending keys spread from the start, for renumbering.
pub fn spread_keys(n: usize) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let next = key_between(keys.last().map(String::as_str), None);
        keys.push(next);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_is_strictly_between_and_never_ends_in_zero() {
        let cases: &[(Option<&str>, Option<&str>)] = &[
            (None, None),
            (None, Some("i")),
            (Some("i"), None),
            (Some("a"), Some("b")),
            (Some("a"), Some("a1")),
            (Some("a"), Some("a01")),
            (Some("zz"), None),
            (None, Some("01")),
            (Some("1"), Some("2")),
        ];
        for (lo, hi) in cases {
            let k = key_between(*lo, *hi);
            assert!(!k.ends_with('0'), "{k}");
            if let Some(lo) = lo {
                assert!(k.as_str() > *lo, "{k} > {lo}");
            }
            if let Some(hi) = hi {
                assert!(k.as_str() < *hi, "{k} < {hi}");
            }
        }
    }

    #[test]
    fn repeated_insertion_at_the_front_and_between_stays_ordered() {
        let mut keys = vec![key_between(None, None)];
        for _ in 0..200 {
            let k = key_between(None, Some(&keys[0]));
            keys.insert(0, k);
            let k = key_between(Some(&keys[0]), Some(&keys[1]));
            keys.insert(1, k);
        }
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn spread_keys_ascend() {
        let keys = spread_keys(100);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    proptest::proptest! {
        #[test]
        fn random_insertions_keep_keys_strictly_ordered(slots in proptest::collection::vec(0usize..1000, 1..300)) {
            let mut keys: Vec<String> = Vec::new();
            for slot in slots {
                let i = slot % (keys.len() + 1);
                let lo = i.checked_sub(1).map(|j| keys[j].as_str());
                let hi = keys.get(i).map(String::as_str);
                let k = key_between(lo, hi);
                proptest::prop_assert!(!k.ends_with('0'));
                keys.insert(i, k);
            }
            proptest::prop_assert!(keys.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
