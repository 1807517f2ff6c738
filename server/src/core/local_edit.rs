//! What the relay writes itself: residents' reports (吹哨) and their verdicts, under an actor
//! naming [`linli_shared::domain::RESIDENT`] (one per relay process, replaced after any failure
//! to store, so a sequence number is never used for two different changes).
//!
//! Invariant, as for a member's change (`batch.rs`): what an edit wrote is stored (fsync)
//! before any peer hears of it, and the caller learns "stored" only then. It is held to the
//! owning community's quotas and the disk reserve like a member's change (the community's
//! residents count as one member per community); refused, nothing of it is kept. Edits are
//! never judged by the authority rules: the relay runs only the commands its callers name
//! (`crate::resident`), and phones get them as any other change. A read
//! ([`Relay::read_document`]) writes, stores and sends nothing.

use std::io;

use automerge::AutoCommit;
use linli_shared::domain::{resident_actor, RESIDENT};
use linli_shared::wire::DocumentId;

use super::routing::load_doc;
use super::{Authorize, Output, Relay};
use crate::storage::Storage;

/// A command run on a document by the relay itself.
pub type Edit = Box<dyn FnOnce(&mut AutoCommit) + Send>;

/// A fresh actor for what the relay writes.
pub(super) fn fresh_resident_actor() -> automerge::ActorId {
    resident_actor(*uuid::Uuid::new_v4().as_bytes())
}

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Runs `edit` on document `id` of `community` under the relay's resident actor, then
    /// stores what it wrote and sends it to the document's peers. A document not stored is
    /// `NotFound` unless `create`; past a quota or the disk reserve, `QuotaExceeded`; `Err`
    /// also when storing failed. On any `Err` nothing of the edit is kept.
    ///
    /// Call with nothing pending (the hub flushes before every control command).
    pub fn edit_document(
        &mut self,
        id: DocumentId,
        community: DocumentId,
        create: bool,
        edit: Edit,
    ) -> (io::Result<()>, Vec<Output>) {
        if let Err(e) = self.load_for_relay(id, create) {
            return (Err(e), Vec::new());
        }
        let actor = self.resident_actor.clone();
        let doc = self.docs.get_mut(&id).expect("loaded above");
        let before = doc.heads();
        doc.edit(actor, edit);
        if let Some(bytes) = doc.unstored_bytes() {
            let new_doc = doc.stored_bytes() == 0;
            let who = format!("{RESIDENT}:{community}");
            let refused = if self.storage.room_for(bytes) {
                let quotas = self.config.quotas;
                let usage = &mut self.usage;
                usage.admit(&quotas, (&community, &who), &id, bytes, new_doc)
            } else {
                Err("quota: disk reserve".to_string())
            };
            if let Err(reason) = refused {
                self.stats.quota_refusals += 1;
                let undone = doc.rewind(&before);
                self.drop_if_unused(id);
                if undone.is_err() {
                    return (
                        Err(io::Error::other("cannot undo")),
                        self.forget_document(id),
                    );
                }
                return (
                    Err(io::Error::new(io::ErrorKind::QuotaExceeded, reason)),
                    Vec::new(),
                );
            }
            self.pending.dirty.insert(id);
        }
        let out = self.flush();
        let stored = match self.docs.get_mut(&id) {
            Some(doc) => doc.is_persisted(),
            None => false, // storing failed: `storage_failed` dropped it and closed its peers
        };
        self.drop_if_unused(id);
        if stored {
            (Ok(()), out)
        } else {
            self.resident_actor = fresh_resident_actor();
            (
                Err(io::Error::other("the relay could not store the change")),
                out,
            )
        }
    }

    /// Runs `read` on document `id` (loaded from storage if no one syncs it, then dropped):
    /// nothing is written, stored or sent.
    pub fn read_document(&mut self, id: DocumentId, read: Edit) -> io::Result<()> {
        self.load_for_relay(id, false)?;
        let doc = self.docs.get_mut(&id).expect("loaded above");
        doc.read(read);
        self.drop_if_unused(id);
        Ok(())
    }

    /// After a panic in an edit: the document may be half-written in memory. Drops it and
    /// closes its peers, who resync from storage.
    pub fn forget_document(&mut self, id: DocumentId) -> Vec<Output> {
        let mut out = Vec::new();
        self.pending.dirty.remove(&id);
        self.resident_actor = fresh_resident_actor();
        if let Some(doc) = self.docs.remove(&id) {
            for peer in doc.peers.keys() {
                self.fail(*peer, "internal relay error; reconnect", &mut out);
            }
        }
        out
    }

    /// The document in memory, from storage (new only if `create`).
    fn load_for_relay(&mut self, id: DocumentId, create: bool) -> io::Result<()> {
        if !self.docs.contains_key(&id) && !create && !self.storage.contains(&id)? {
            return Err(io::ErrorKind::NotFound.into());
        }
        if let Err(e) = load_doc(&mut self.docs, &mut self.storage, id) {
            self.stats.storage_errors += 1;
            return Err(e);
        }
        Ok(())
    }

    /// Forgets a document loaded only for the relay's own use.
    fn drop_if_unused(&mut self, id: DocumentId) {
        if self.docs.get(&id).is_some_and(|d| d.peers.is_empty()) {
            self.docs.remove(&id);
        }
    }
}
