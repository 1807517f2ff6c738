//! How often residents' pages take a report: per report link and per address, token buckets
//! refilled by the hour. Near the end of its allowance a sender is slowed (its answer waits),
//! then refused; nothing of this reaches the relay's core, so a flood of posts costs the
//! people syncing nothing but the HTTP work of refusing it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Reports allowed at once, and refilled per hour.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    pub burst: f64,
    pub per_hour: f64,
}

/// Per link: a busy 邻 with a poster on the gate.
pub const PER_LINK: Allowance = Allowance {
    burst: 30.0,
    per_hour: 60.0,
};
/// Per address (a phone, or the people behind one NAT).
pub const PER_ADDRESS: Allowance = Allowance {
    burst: 8.0,
    per_hour: 20.0,
};
/// Ratings and tracking-page posts per address.
pub const RATINGS_PER_ADDRESS: Allowance = Allowance {
    burst: 20.0,
    per_hour: 60.0,
};
/// Tracking pages opened per address: each one reads the community document on the core
/// thread, so a flood of them is cut off too.
pub const VIEWS_PER_ADDRESS: Allowance = Allowance {
    burst: 60.0,
    per_hour: 1200.0,
};
/// How long a sender near the end of its allowance waits.
pub const SLOWED_BY: Duration = Duration::from_millis(1500);
/// Buckets kept; past this, full ones (rested senders) are forgotten.
const MAX_BUCKETS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// Allowed, after [`SLOWED_BY`].
    Slowed,
    Refused,
}

/// One allowance for many keys.
pub struct Limiter {
    allowance: Allowance,
    buckets: Mutex<Buckets>,
}

#[derive(Default)]
struct Buckets {
    by_key: HashMap<String, (f64, Instant)>,
    pruned_at: Option<Instant>,
}

impl Limiter {
    pub fn new(allowance: Allowance) -> Limiter {
        Limiter {
            allowance,
            buckets: Mutex::default(),
        }
    }

    /// Takes one report's worth for `key`, if there is one. At most [`MAX_BUCKETS`] keys are
    /// kept: past it, rested ones are forgotten (at most once a second), and if a spray of
    /// addresses left none rested, all are (each sender then starts afresh, as a new address
    /// would anyway).
    pub fn take(&self, key: &str, now: Instant) -> Verdict {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let Allowance { burst, per_hour } = self.allowance;
        let Buckets { by_key, pruned_at } = &mut *buckets;
        if by_key.len() >= MAX_BUCKETS && !by_key.contains_key(key) {
            let due = pruned_at.is_none_or(|at| now.saturating_duration_since(at).as_secs() >= 1);
            if due {
                let rate = per_hour / 3600.0;
                by_key.retain(|_, (tokens, at)| {
                    *tokens + now.saturating_duration_since(*at).as_secs_f64() * rate < burst
                });
                *pruned_at = Some(now);
            }
            if by_key.len() >= MAX_BUCKETS {
                by_key.clear();
            }
        }
        let (tokens, at) = by_key.entry(key.to_string()).or_insert((burst, now));
        let refill = now.saturating_duration_since(*at).as_secs_f64() * per_hour / 3600.0;
        *tokens = (*tokens + refill).min(burst);
        *at = now;
        if *tokens < 1.0 {
            return Verdict::Refused;
        }
        *tokens -= 1.0;
        if *tokens < burst / 4.0 {
            Verdict::Slowed
        } else {
            Verdict::Go
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_is_slowed_then_refused_then_let_in_again_as_time_passes() {
        let limiter = Limiter::new(Allowance {
            burst: 8.0,
            per_hour: 3600.0,
        });
        let t0 = Instant::now();
        let verdicts: Vec<Verdict> = (0..10).map(|_| limiter.take("a", t0)).collect();
        assert_eq!(&verdicts[..6], &[Verdict::Go; 6]);
        assert_eq!(&verdicts[6..8], &[Verdict::Slowed; 2]);
        assert_eq!(&verdicts[8..], &[Verdict::Refused; 2]);
        assert_eq!(limiter.take("b", t0), Verdict::Go, "others are not held up");
        let later = t0 + Duration::from_secs(1);
        assert_ne!(limiter.take("a", later), Verdict::Refused);
    }

    #[test]
    fn a_spray_of_addresses_keeps_the_buckets_bounded() {
        let limiter = Limiter::new(PER_ADDRESS);
        let t0 = Instant::now();
        for i in 0..MAX_BUCKETS + 10 {
            limiter.take(&i.to_string(), t0);
        }
        let held = limiter.buckets.lock().unwrap().by_key.len();
        assert!(held <= MAX_BUCKETS, "{held}");
    }
}
