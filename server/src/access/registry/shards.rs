//! The registry's index maps (member → community, document → community, report link →
//! community), shared between copies of the registry and copied on write one bucket at a
//! time.
//!
//! Every registry change works on a copy of the registry (`Access::update`), so readers keep
//! the one they hold. Copying a city's index whole (36,000 members) took milliseconds of CPU
//! for each join. Split into buckets behind `Arc`s, a copy shares every bucket, and a change
//! copies only the bucket it touches.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

const BUCKETS: usize = 64;

#[derive(Debug, Clone)]
pub(super) struct Shards {
    buckets: Vec<Arc<HashMap<String, String>>>,
}

impl Default for Shards {
    fn default() -> Self {
        Shards {
            buckets: (0..BUCKETS).map(|_| Arc::default()).collect(),
        }
    }
}

impl Shards {
    fn bucket(key: &str) -> usize {
        // A fixed hasher: the same key always lands in the same bucket.
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        (hasher.finish() % BUCKETS as u64) as usize
    }

    pub(super) fn get(&self, key: &str) -> Option<&String> {
        self.buckets[Self::bucket(key)].get(key)
    }

    pub(super) fn insert(&mut self, key: String, value: String) {
        Arc::make_mut(&mut self.buckets[Self::bucket(&key)]).insert(key, value);
    }

    /// Maps `key` to `value()` unless it is mapped already (the first one stays).
    pub(super) fn insert_if_absent(&mut self, key: String, value: impl FnOnce() -> String) {
        let i = Self::bucket(&key);
        if self.buckets[i].contains_key(&key) {
            return;
        }
        Arc::make_mut(&mut self.buckets[i]).insert(key, value());
    }

    pub(super) fn remove(&mut self, key: &str) {
        let i = Self::bucket(key);
        if self.buckets[i].contains_key(key) {
            Arc::make_mut(&mut self.buckets[i]).remove(key);
        }
    }

    #[cfg(test)]
    fn shares_with(&self, other: &Shards) -> usize {
        self.buckets
            .iter()
            .zip(&other.buckets)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_shares_every_bucket_but_the_one_it_changes() {
        let mut city = Shards::default();
        for m in 0..36_000 {
            city.insert_if_absent(format!("member-{m}"), || format!("community-{}", m / 120));
        }
        let mut copy = city.clone();
        assert_eq!(copy.shares_with(&city), BUCKETS);
        copy.insert_if_absent("member-new".into(), || "community-7".into());
        assert_eq!(copy.shares_with(&city), BUCKETS - 1, "one bucket copied");
        assert_eq!(
            copy.get("member-new").map(String::as_str),
            Some("community-7")
        );
        assert_eq!(city.get("member-new"), None, "the original is untouched");
        // The first mapping stays; removing what is absent copies nothing.
        copy.insert_if_absent("member-5".into(), || "elsewhere".into());
        assert_eq!(
            copy.get("member-5").map(String::as_str),
            Some("community-0")
        );
        copy.remove("nobody");
        assert_eq!(copy.shares_with(&city), BUCKETS - 1);
        copy.remove("member-5");
        assert_eq!(copy.get("member-5"), None);
        assert_eq!(
            city.get("member-5").map(String::as_str),
            Some("community-0")
        );
    }
}
