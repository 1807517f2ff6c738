//! Changes the relay refused for a quota are tried again on the same connection. The relay
//! does not answer a refused message (so a phone does not resend it in a loop); without a
//! retry the change would wait for the phone's next edit or the next connection. A quota can
//! free up while the socket stays open — the member's hourly bytes refill, the operator frees
//! disk or raises a limit — so the phone asks again after a growing delay, until the relay
//! acknowledges everything.

use std::cell::Cell;

/// The first retry after a refusal.
const FIRST_RETRY_MS: u32 = 5_000;
/// Retries slow down to one every five minutes.
const MAX_RETRY_MS: u32 = 300_000;

/// When to try refused changes again; owned by the connection.
#[derive(Default)]
pub struct QuotaRetry {
    /// Retries since the relay last acknowledged everything.
    attempts: Cell<u32>,
    /// A retry is waiting on its timer.
    scheduled: Cell<bool>,
}

impl QuotaRetry {
    /// The relay refused a change: the delay before trying again, or `None` when a retry is
    /// already waiting.
    pub fn refused(&self) -> Option<u32> {
        if self.scheduled.replace(true) {
            return None;
        }
        let n = self.attempts.get();
        self.attempts.set(n.saturating_add(1));
        Some(
            FIRST_RETRY_MS
                .saturating_mul(1 << n.min(6))
                .min(MAX_RETRY_MS),
        )
    }

    /// The retry's timer fired.
    pub fn fired(&self) {
        self.scheduled.set(false);
    }

    /// The relay acknowledged every open document: the next refusal starts from the
    /// shortest delay again.
    pub fn synced(&self) {
        self.attempts.set(0);
    }
}
