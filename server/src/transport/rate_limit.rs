//! Per-connection message rate limit: a token bucket. A peer over its rate is not cut off but
//! slowed down — its frames wait, and TCP backpressure does the rest.

use std::time::{Duration, Instant};

/// How fast one connection may send.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Sustained frames per second.
    pub per_second: u32,
    /// Frames allowed at once (e.g. opening many documents after connecting).
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_second: 200,
            burst: 2000,
        }
    }
}

/// The state of one connection's bucket.
#[derive(Debug)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    refilled_at: Instant,
}

impl TokenBucket {
    pub fn new(limit: RateLimit, now: Instant) -> TokenBucket {
        TokenBucket {
            limit,
            tokens: f64::from(limit.burst),
            refilled_at: now,
        }
    }

    /// Takes a token for one frame; returns how long to wait before handling it.
    pub fn take(&mut self, now: Instant) -> Duration {
        let rate = f64::from(self.limit.per_second.max(1));
        self.refill(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / rate)
        }
    }
}

impl TokenBucket {
    /// Takes a token if one is there (for messages that are dropped, not delayed, when over
    /// the rate).
    pub fn try_take(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn refill(&mut self, now: Instant) {
        let rate = f64::from(self.limit.per_second.max(1));
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(f64::from(self.limit.burst.max(1)));
        self.refilled_at = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_frames_are_spaced_at_the_rate() {
        let start = Instant::now();
        let limit = RateLimit {
            per_second: 10,
            burst: 3,
        };
        let mut bucket = TokenBucket::new(limit, start);
        for _ in 0..3 {
            assert_eq!(bucket.take(start), Duration::ZERO);
        }
        let wait = bucket.take(start);
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-6, "{wait:?}");
        // The next frame, right after, waits for two tokens' worth.
        let wait = bucket.take(start);
        assert!((wait.as_secs_f64() - 0.2).abs() < 1e-6, "{wait:?}");
        // After a quiet second the bucket is full again (but no fuller than the burst).
        let later = start + Duration::from_secs(10);
        for _ in 0..3 {
            assert_eq!(bucket.take(later), Duration::ZERO);
        }
        assert!(bucket.take(later) > Duration::ZERO);
    }

    #[test]
    fn try_take_refuses_without_borrowing() {
        let start = Instant::now();
        let limit = RateLimit {
            per_second: 10,
            burst: 2,
        };
        let mut bucket = TokenBucket::new(limit, start);
        assert!(bucket.try_take(start));
        assert!(bucket.try_take(start));
        assert!(!bucket.try_take(start));
        assert!(!bucket.try_take(start));
        assert!(bucket.try_take(start + Duration::from_millis(100)));
    }
}
