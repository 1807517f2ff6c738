//! How many WebSockets one member, and everybody together, may hold open.
//!
//! Checked at the upgrade, before a socket exists: a member over its limit gets `429`, a full
//! relay `503`. A slot is given back when its socket ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The limits.
#[derive(Debug, Clone, Copy)]
pub struct SocketLimits {
    /// Sockets of one member at once (phones, tablets, open tabs).
    pub per_member: usize,
    /// Sockets of all members at once.
    pub total: usize,
}

impl Default for SocketLimits {
    fn default() -> Self {
        SocketLimits {
            per_member: 32,
            total: 10_000,
        }
    }
}

/// Why a socket was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    Member,
    Relay,
}

#[derive(Default)]
struct Counts {
    total: usize,
    by_member: HashMap<String, usize>,
}

/// The open sockets, counted.
#[derive(Clone)]
pub struct SocketCounter {
    limits: SocketLimits,
    counts: Arc<Mutex<Counts>>,
}

/// One open socket; dropping it frees the slot.
pub struct SocketSlot {
    member: String,
    counts: Arc<Mutex<Counts>>,
}

impl SocketCounter {
    pub fn new(limits: SocketLimits) -> SocketCounter {
        SocketCounter {
            limits,
            counts: Arc::default(),
        }
    }

    /// A slot for one more socket of `member`, if the limits allow it.
    pub fn open(&self, member: &str) -> Result<SocketSlot, Full> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.total >= self.limits.total {
            return Err(Full::Relay);
        }
        let mine = counts.by_member.get(member).copied().unwrap_or(0);
        if mine >= self.limits.per_member {
            return Err(Full::Member);
        }
        counts.total += 1;
        counts.by_member.insert(member.to_string(), mine + 1);
        Ok(SocketSlot {
            member: member.to_string(),
            counts: self.counts.clone(),
        })
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total -= 1;
        if let Some(mine) = counts.by_member.get_mut(&self.member) {
            *mine -= 1;
            if *mine == 0 {
                counts.by_member.remove(&self.member);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_the_relay_have_their_limits() {
        let counter = SocketCounter::new(SocketLimits {
            per_member: 2,
            total: 3,
        });
        let a1 = counter.open("a").unwrap();
        let _a2 = counter.open("a").unwrap();
        assert_eq!(counter.open("a").err(), Some(Full::Member));
        let _b1 = counter.open("b").unwrap();
        assert_eq!(counter.open("c").err(), Some(Full::Relay));
        drop(a1);
        assert!(counter.open("a").is_ok(), "a closed socket frees its slot");
    }
}
