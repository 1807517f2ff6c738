//! What the relay writes itself: residents' reports (吹哨) and their verdicts, under an actor
//! naming [`linli_shared::domain::RESIDENT`] (fresh for each relay process, so two processes
//! never reuse a sequence number).
//!
//! Invariant, as for a member's change (`batch.rs`): what an edit wrote is stored (fsync)
//! before any peer hears of it, and the caller learns "stored" only then. An edit that writes
//! nothing (a read) stores and sends nothing. Edits are never judged by the authority rules:
//! the relay runs only the commands its callers name (`crate::resident`), and phones get them
//! as any other change.

use std::io;

use automerge::AutoCommit;
use linli_shared::wire::DocumentId;

use super::routing::load_doc;
use super::{Authorize, Output, Relay};
use crate::storage::Storage;

/// A command run on a document by the relay itself.
pub type Edit = Box<dyn FnOnce(&mut AutoCommit) + Send>;

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Runs `edit` on document `id` under the relay's resident actor, then stores what it wrote
    /// and sends it to the document's peers. A document not stored is `NotFound` unless
    /// `create`. `Err` also when storing failed: then nothing of the edit is kept.
    ///
    /// Call with nothing pending (the hub flushes before every control command).
    pub fn edit_document(
        &mut self,
        id: DocumentId,
        create: bool,
        edit: Edit,
    ) -> (io::Result<()>, Vec<Output>) {
        let in_memory = self.docs.contains_key(&id);
        if !in_memory && !create {
            match self.storage.contains(&id) {
                Ok(true) => {}
                Ok(false) => return (Err(io::ErrorKind::NotFound.into()), Vec::new()),
                Err(e) => return (Err(e), Vec::new()),
            }
        }
        let doc = match load_doc(&mut self.docs, &mut self.storage, id) {
            Ok(doc) => doc,
            Err(e) => {
                self.stats.storage_errors += 1;
                return (Err(e), Vec::new());
            }
        };
        let changed = doc.edit(self.resident_actor.clone(), edit);
        if changed {
            self.pending.dirty.insert(id);
        }
        let out = self.flush();
        let stored = match self.docs.get_mut(&id) {
            Some(doc) => doc.is_persisted(),
            None => false, // storing failed: `storage_failed` dropped it and closed its peers
        };
        if self.docs.get(&id).is_some_and(|d| d.peers.is_empty()) {
            self.docs.remove(&id); // loaded for this edit only
        }
        let result = if stored {
            Ok(())
        } else {
            Err(io::Error::other("the relay could not store the change"))
        };
        (result, out)
    }

    /// After a panic in an edit: the document may be half-written in memory. Drops it and
    /// closes its peers, who resync from storage.
    pub fn forget_document(&mut self, id: DocumentId) -> Vec<Output> {
        let mut out = Vec::new();
        self.pending.dirty.remove(&id);
        if let Some(doc) = self.docs.remove(&id) {
            for peer in doc.peers.keys() {
                self.fail(*peer, "internal relay error; reconnect", &mut out);
            }
        }
        out
    }
}
