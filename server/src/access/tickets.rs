//! One-use sync tickets: a phone posts its member credential (`Authorization: Bearer`) to
//! `/api/sync-ticket` and opens its WebSocket as `/sync?ticket=<ticket>`. The ticket works
//! once, for a short while (`--sync-ticket-secs`, 60 by default), so a URL that lands in a
//! proxy's access log holds nothing that still works. Tickets live in memory only (a
//! restarted relay has none: phones ask again); the relay keeps the SHA-256 of each.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::secret;
use crate::core::Principal;

/// Unused tickets one member may hold at once (a phone needs one per connection attempt).
pub const PER_MEMBER: usize = 16;
/// Unused tickets in total; past this, expired ones are swept before a new one is made.
const SWEEP_AT: usize = 10_000;

/// The relay's outstanding tickets.
#[derive(Clone)]
pub struct Tickets {
    inner: Arc<Mutex<Outstanding>>,
    lifetime: Duration,
}

#[derive(Default)]
struct Outstanding {
    /// By the SHA-256 (hex) of the ticket.
    tickets: HashMap<String, Pending>,
    /// Unused tickets per member.
    per_member: HashMap<String, usize>,
}

struct Pending {
    principal: Principal,
    expires: Instant,
}

/// Why no ticket was made.
#[derive(Debug, PartialEq, Eq)]
pub struct TooMany;

impl Tickets {
    /// Tickets that work for `lifetime` after they are made.
    pub fn new(lifetime: Duration) -> Tickets {
        Tickets {
            inner: Arc::default(),
            lifetime,
        }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A fresh ticket for `principal`.
    pub fn issue(&self, principal: &Principal) -> Result<String, TooMany> {
        self.issue_at(principal, Instant::now())
    }

    /// The member the ticket was made for, once: a ticket that is unknown, used or expired
    /// gives `None`.
    pub fn redeem(&self, ticket: &str) -> Option<Principal> {
        self.redeem_at(ticket, Instant::now())
    }

    fn issue_at(&self, principal: &Principal, now: Instant) -> Result<String, TooMany> {
        let mut outstanding = self.lock();
        let held = |o: &Outstanding| o.per_member.get(&principal.member_id).copied();
        if outstanding.tickets.len() >= SWEEP_AT || held(&outstanding) >= Some(PER_MEMBER) {
            outstanding.sweep(now);
        }
        if held(&outstanding) >= Some(PER_MEMBER) {
            return Err(TooMany);
        }
        let ticket = secret::issue("t").token;
        let pending = Pending {
            principal: principal.clone(),
            expires: now + self.lifetime,
        };
        outstanding.tickets.insert(secret::hash(&ticket), pending);
        *outstanding
            .per_member
            .entry(principal.member_id.clone())
            .or_default() += 1;
        Ok(ticket)
    }

    fn redeem_at(&self, ticket: &str, now: Instant) -> Option<Principal> {
        let mut outstanding = self.lock();
        let pending = outstanding.tickets.remove(&secret::hash(ticket))?;
        outstanding.forget(&pending.principal.member_id);
        (now < pending.expires).then_some(pending.principal)
    }

    fn lock(&self) -> MutexGuard<'_, Outstanding> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Outstanding {
    /// Drops expired tickets.
    fn sweep(&mut self, now: Instant) {
        let expired: Vec<String> = self
            .tickets
            .iter()
            .filter(|(_, p)| p.expires <= now)
            .map(|(hash, _)| hash.clone())
            .collect();
        for hash in expired {
            if let Some(p) = self.tickets.remove(&hash) {
                self.forget(&p.principal.member_id);
            }
        }
    }

    fn forget(&mut self, member_id: &str) {
        if let Some(n) = self.per_member.get_mut(member_id) {
            *n -= 1;
            if *n == 0 {
                self.per_member.remove(member_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use linli_shared::wire::DocumentId;

    use super::*;

    fn member(id: &str) -> Principal {
        Principal {
            member_id: id.into(),
            community: DocumentId::from_bytes([1; 16]),
            role: None,
            admin: false,
        }
    }

    #[test]
    fn a_ticket_opens_once_and_only_before_it_expires() {
        let tickets = Tickets::new(Duration::from_secs(60));
        let t0 = Instant::now();
        let ticket = tickets.issue_at(&member("a"), t0).unwrap();
        assert_eq!(tickets.redeem_at(&ticket, t0), Some(member("a")));
        assert_eq!(tickets.redeem_at(&ticket, t0), None, "replayed");
        let late = tickets.issue_at(&member("a"), t0).unwrap();
        let expiry = t0 + Duration::from_secs(60);
        assert_eq!(tickets.redeem_at(&late, expiry), None, "expired");
        assert_eq!(tickets.redeem_at("t.00", t0), None);
        assert_eq!(tickets.redeem_at("", t0), None);
    }

    #[test]
    fn a_member_holds_a_bounded_number_of_unused_tickets() {
        let tickets = Tickets::new(Duration::from_secs(60));
        let t0 = Instant::now();
        let held: Vec<String> = (0..PER_MEMBER)
            .map(|_| tickets.issue_at(&member("a"), t0).unwrap())
            .collect();
        assert_eq!(tickets.issue_at(&member("a"), t0), Err(TooMany));
        assert!(
            tickets.issue_at(&member("b"), t0).is_ok(),
            "others unaffected"
        );
        // Using one, or their expiry, makes room.
        assert!(tickets.redeem_at(&held[0], t0).is_some());
        assert!(tickets.issue_at(&member("a"), t0).is_ok());
        let later = t0 + Duration::from_secs(61);
        assert!(tickets.issue_at(&member("a"), later).is_ok());
        assert_eq!(tickets.lock().per_member["a"], 1);
    }
}
