//! Presence (`ephemeral`) messages are forwarded, never stored: the relay caps their size and
//! how many one member may send, so that a member cannot make the relay copy megabytes to every
//! peer of a document.

use std::collections::HashMap;
use std::time::Instant;

use crate::transport::rate_limit::{RateLimit, TokenBucket};

/// Presence messages each member may send, all its sockets together. Messages over the rate
/// are dropped (presence is repeated every few seconds anyway).
#[derive(Debug, Default)]
pub(super) struct PresenceLimiter {
    buckets: HashMap<String, TokenBucket>,
}

impl PresenceLimiter {
    /// True if `who` may send one more presence message now.
    pub fn allow(&mut self, limit: RateLimit, who: &str, now: Instant) -> bool {
        if let Some(bucket) = self.buckets.get_mut(who) {
            return bucket.try_take(now);
        }
        let mut bucket = TokenBucket::new(limit, now);
        let allowed = bucket.try_take(now);
        self.buckets.insert(who.to_string(), bucket);
        allowed
    }

    /// Forgets the members for whom `keep` is false (those without sockets).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.buckets.retain(|who, _| keep(who));
    }
}
