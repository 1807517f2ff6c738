//! Per-community quotas: bytes stored, documents, and bytes each member may send per hour;
//! and the disk reserve ([`Storage::room_for`]).
//!
//! A community's usage is what the documents it owns hold in the store. [`Usage::count`]
//! computes it once at start (the store's sizes of the registry's documents); afterwards the
//! core keeps it up to date as it stores changes. A `sync` whose changes would pass a limit is
//! refused before anything of it is applied: nothing is stored or forwarded, what is stored
//! stays, the sender gets an `error` that starts with the limit's
//! [`Quota::prefix`](linli_shared::wire::quota::Quota::prefix), and its socket stays open.
//! The relay does not answer the refused message, so the peer does not resend it in a loop;
//! it tries again with its next change, or after reconnecting.
//!
//! Checking costs a sum of the message's change lengths and a few counter comparisons. What a
//! message will add to the store is estimated by its changes' size until the flush stores them
//! and the exact sizes replace the estimate.

use std::collections::HashMap;
use std::io;
use std::time::Instant;

use automerge::sync;
use linli_shared::wire::quota::Quota;
use linli_shared::wire::DocumentId;

use super::{Action, Authorize, ConnId, Relay};
use crate::storage::Storage;

const HOUR_SECS: f64 = 3600.0;

/// The limits (`--quota-*` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Bytes all of a community's documents may hold in the store.
    pub bytes_per_community: u64,
    /// Documents a community may store.
    pub documents_per_community: u64,
    /// Bytes of changes one member may send per hour (a bucket that holds an hour's worth and
    /// refills continuously).
    pub bytes_per_member_per_hour: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            bytes_per_community: 2 * 1024 * 1024 * 1024,
            documents_per_community: 50_000,
            bytes_per_member_per_hour: 256 * 1024 * 1024,
        }
    }
}

/// What one community stores.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CommunityUsage {
    pub bytes: u64,
    pub documents: u64,
}

/// Every community's usage, and each member's bytes of the last hour.
#[derive(Debug, Default)]
pub struct Usage {
    stored: HashMap<DocumentId, CommunityUsage>,
    /// Accepted since the last flush and not stored yet (estimated by the changes' size).
    pending: HashMap<DocumentId, CommunityUsage>,
    /// Documents changed since the last flush: their community, and whether the change is the
    /// document's first (counted in `pending.documents`).
    charged: HashMap<DocumentId, (DocumentId, bool)>,
    members: HashMap<String, ByteBucket>,
}

/// A change that may be stored, to be charged once it is applied.
pub(super) struct Admission {
    charge: Option<(DocumentId, String)>,
    doc: DocumentId,
    bytes: u64,
    new_doc: bool,
}

impl Usage {
    /// The usage of the documents in `owned` (`(community, document)` pairs, the registry's
    /// ownership) as `storage` holds them. A document with nothing stored does not count.
    pub fn count(
        storage: &mut impl Storage,
        owned: impl IntoIterator<Item = (DocumentId, DocumentId)>,
    ) -> io::Result<Usage> {
        let mut usage = Usage::default();
        let (communities, docs): (Vec<DocumentId>, Vec<DocumentId>) = owned.into_iter().unzip();
        let sizes = storage.stored_sizes(&docs)?;
        for (community, bytes) in communities.into_iter().zip(sizes) {
            if bytes > 0 {
                let entry = usage.stored.entry(community).or_default();
                entry.bytes += bytes;
                entry.documents += 1;
            }
        }
        Ok(usage)
    }

    /// What `community` stores.
    pub fn of(&self, community: &DocumentId) -> CommunityUsage {
        self.stored.get(community).copied().unwrap_or_default()
    }

    /// Records that `doc`, which held `before` bytes in the store, now holds `after`.
    pub(super) fn stored(&mut self, doc: &DocumentId, before: u64, after: u64) {
        let Some((community, _)) = self.charged.get(doc) else {
            return; // written by no member (a relay without access control)
        };
        let entry = self.stored.entry(*community).or_default();
        entry.bytes = (entry.bytes + after).saturating_sub(before);
        if before == 0 && after > 0 {
            entry.documents += 1;
        }
    }

    /// Everything accepted is stored (or failed): the estimates go.
    pub(super) fn flushed(&mut self) {
        self.pending.clear();
        self.charged.clear();
    }

    /// Forgets members whose bucket is full again (they sent nothing for an hour): a full
    /// bucket and none are the same.
    pub(super) fn forget_rested_members(&mut self, quotas: &Quotas, now: Instant) {
        let per_hour = quotas.bytes_per_member_per_hour;
        self.members
            .retain(|_, b| b.level(per_hour, now) < per_hour as f64);
    }

    /// `Err(reason)` if storing `bytes` more of `doc` (its first, if `new_doc`) for
    /// `member` of `community` would pass a limit. Changes nothing.
    fn check(
        &self,
        quotas: &Quotas,
        (community, member): (&DocumentId, &str),
        doc: &DocumentId,
        bytes: u64,
        new_doc: bool,
        now: Instant,
    ) -> Result<(), String> {
        let stored = self.of(community);
        let pending = self.pending.get(community).copied().unwrap_or_default();
        let documents = stored.documents + pending.documents;
        let max_documents = quotas.documents_per_community;
        if new_doc && documents >= max_documents {
            return Err(format!(
                "{}: the community stores {documents} documents, its limit of {max_documents}; \
                 document {doc} was not stored",
                Quota::Documents.prefix()
            ));
        }
        let used = stored.bytes + pending.bytes;
        let max_bytes = quotas.bytes_per_community;
        if used.saturating_add(bytes) > max_bytes {
            return Err(format!(
                "{}: the community's documents hold {used} bytes; {bytes} more would pass its \
                 limit of {max_bytes}; the change to document {doc} was not stored",
                Quota::BytesStored.prefix()
            ));
        }
        let per_hour = quotas.bytes_per_member_per_hour;
        let level = self
            .members
            .get(member)
            .map_or(per_hour as f64, |b| b.level(per_hour, now));
        if (bytes as f64) > level {
            return Err(format!(
                "{}: {bytes} bytes more would pass this member's limit of {per_hour} bytes \
                 per hour; the change to document {doc} was not stored; try again later",
                Quota::MemberBytesPerHour.prefix()
            ));
        }
        Ok(())
    }

    /// Checks and charges the relay's own change of `bytes` to `doc` for `who` (`community`'s
    /// residents, `local_edit.rs`).
    pub(super) fn admit(
        &mut self,
        quotas: &Quotas,
        (community, who): (&DocumentId, &str),
        doc: &DocumentId,
        bytes: u64,
        new_doc: bool,
    ) -> Result<(), String> {
        let now = Instant::now();
        self.check(quotas, (community, who), doc, bytes, new_doc, now)?;
        let admission = Admission {
            charge: Some((*community, who.to_string())),
            doc: *doc,
            bytes,
            new_doc,
        };
        self.charge(quotas, admission, now);
        Ok(())
    }

    fn charge(&mut self, quotas: &Quotas, admission: Admission, now: Instant) {
        let Some((community, member)) = admission.charge else {
            return;
        };
        let per_hour = quotas.bytes_per_member_per_hour;
        self.members
            .entry(member)
            .or_insert_with(|| ByteBucket::full(per_hour, now))
            .take(admission.bytes, per_hour, now);
        let counted = self.charged.get(&admission.doc).is_some_and(|(_, n)| *n);
        let new_doc = admission.new_doc && !counted;
        let pending = self.pending.entry(community).or_default();
        pending.bytes += admission.bytes;
        pending.documents += u64::from(new_doc);
        self.charged
            .entry(admission.doc)
            .or_insert((community, false))
            .1 |= new_doc;
    }
}

/// Bytes a member may still send: up to an hour's worth, refilled continuously.
#[derive(Debug)]
struct ByteBucket {
    level: f64,
    at: Instant,
}

impl ByteBucket {
    fn full(per_hour: u64, now: Instant) -> ByteBucket {
        ByteBucket {
            level: per_hour as f64,
            at: now,
        }
    }

    fn level(&self, per_hour: u64, now: Instant) -> f64 {
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * per_hour as f64;
        (self.level + refill / HOUR_SECS).min(per_hour as f64)
    }

    fn take(&mut self, bytes: u64, per_hour: u64, now: Instant) {
        self.level = (self.level(per_hour, now) - bytes as f64).max(0.0);
        self.at = now;
    }
}

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Whether the changes in `message` for `id` may be stored: `Err(reason)` names the limit
    /// they would pass. Changes nothing; [`Relay::charge`] records an admitted message.
    pub(super) fn admission(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        action: Action,
        message: &sync::Message,
    ) -> Result<Admission, String> {
        let bytes: u64 = message.changes.iter().map(|c| c.len() as u64).sum();
        let mut admission = Admission {
            charge: None,
            doc: id,
            bytes,
            new_doc: false,
        };
        if bytes == 0 {
            return Ok(admission);
        }
        if !self.storage.room_for(bytes) {
            return Err(format!(
                "{}: the relay's disk is nearly full; the change to document {id} was not \
                 stored",
                Quota::DiskReserve.prefix()
            ));
        }
        let Some(principal) = self.conns.get(&conn).and_then(|c| c.principal.as_ref()) else {
            return Ok(admission); // nobody to charge: a relay without access control
        };
        admission.new_doc = match self.docs.get(&id) {
            Some(doc) => doc.stored_bytes() == 0,
            None => match action {
                Action::Create => true,
                Action::Request => !self.storage.contains(&id).unwrap_or(true),
                Action::Sync | Action::Ephemeral => false,
            },
        };
        let who = (&principal.community, principal.member_id.as_str());
        let now = Instant::now();
        self.usage
            .check(&self.config.quotas, who, &id, bytes, admission.new_doc, now)?;
        admission.charge = Some((principal.community, principal.member_id.clone()));
        Ok(admission)
    }

    /// Records an admitted message's changes as pending until the flush stores them.
    pub(super) fn charge(&mut self, admission: Admission) {
        self.usage
            .charge(&self.config.quotas, admission, Instant::now());
    }

    /// What `community` stores, as the relay counts it.
    pub fn usage_of(&self, community: &DocumentId) -> CommunityUsage {
        self.usage.of(community)
    }
}
