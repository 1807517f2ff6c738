//! Stable sorting through one shared code path.
//!
//! `slice::sort_by` is monomorphised for every element type *and* every
//! comparator closure: each call site in the app brought its own copy of
//! driftsort (3–5 KB of wasm each, ~20 copies). These helpers sort a list of
//! indices with a `dyn` comparator — one instantiation for the whole program —
//! then move the elements into that order with swaps. Same result as
//! `slice::sort_by` (stable: equal elements keep their order).

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Sorts `v` stably by the key `f`, like `v.sort_by_key(f)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], f: impl Fn(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// The indices `0..n` in the order `cmp` sorts them (stable).
#[inline(never)]
fn sorted_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that `v[k]` becomes the old `v[order[k]]`, cycle by cycle.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut cur = start;
        while order[cur] != start {
            let next = order[cur];
            v.swap(cur, next);
            order[cur] = cur;
            cur = next;
        }
        order[cur] = cur;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn matches_the_standard_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..60)) {
            let mut expected = v.clone();
            expected.sort_by(|a, b| a.0.cmp(&b.0).reverse());
            let mut got = v.clone();
            sort_by(&mut got, |a, b| a.0.cmp(&b.0).reverse());
            prop_assert_eq!(&got, &expected);

            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            let mut got = v;
            sort_by_key(&mut got, |x| x.0);
            prop_assert_eq!(got, expected);
        }
    }
}
