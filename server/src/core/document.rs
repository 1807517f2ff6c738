//! One document held in memory by the relay, with a sync state per connected peer.

use std::collections::BTreeMap;

use automerge::sync::{self, SyncDoc};
use automerge::{AutoCommit, AutomergeError, ChangeHash};
use linli_shared::wire::DocumentId;

use super::ConnId;
use crate::storage::{Storage, StoredDoc};

/// A document in memory and the peers syncing it.
pub(super) struct Document {
    /// Boxed: an `AutoCommit` is several KB by value, and the relay's map of documents is
    /// sized in slots, so keeping it inline cost that much for every slot, used or not.
    doc: Box<AutoCommit>,
    /// One sync state per connection that asked for this document.
    pub peers: BTreeMap<ConnId, sync::State>,
    /// Heads whose changes are durably stored.
    persisted_heads: Vec<ChangeHash>,
    log_bytes: u64,
    snapshot_bytes: u64,
    /// False after [`Document::unload`]: the content is only on disk until reloaded.
    loaded: bool,
    /// Set on every use; cleared by each idle sweep.
    pub touched: bool,
}

impl Document {
    /// A document the relay has never stored.
    pub fn new() -> Document {
        Document {
            doc: Box::default(),
            peers: BTreeMap::new(),
            persisted_heads: Vec::new(),
            log_bytes: 0,
            snapshot_bytes: 0,
            loaded: true,
            touched: true,
        }
    }

    /// Rebuilds a document from storage.
    pub fn load(stored: &StoredDoc) -> Result<Document, AutomergeError> {
        let mut doc = Box::new(stored.to_automerge()?);
        Ok(Document {
            persisted_heads: doc.get_heads(),
            doc,
            peers: BTreeMap::new(),
            log_bytes: stored.log_bytes,
            snapshot_bytes: stored.snapshot_bytes(),
            loaded: true,
            touched: true,
        })
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Frees the content of an idle document (all of it is on disk). Peers and their sync
    /// states stay: for them nothing changes.
    pub fn unload(&mut self) {
        if self.loaded && self.is_persisted() {
            *self.doc = AutoCommit::new();
            self.loaded = false;
        }
    }

    /// Reads the content back after [`Document::unload`].
    pub fn reload(&mut self, stored: &StoredDoc) -> Result<(), AutomergeError> {
        let fresh = Document::load(stored)?;
        self.doc = fresh.doc;
        self.persisted_heads = fresh.persisted_heads;
        self.log_bytes = fresh.log_bytes;
        self.snapshot_bytes = fresh.snapshot_bytes;
        self.loaded = true;
        Ok(())
    }

    /// Takes changes another relay node stored (whole saves or incremental ones). Call only
    /// when everything in memory is stored: what is held afterwards is stored too.
    pub fn take_stored(&mut self, pieces: &[Vec<u8>]) -> Result<(), AutomergeError> {
        debug_assert!(self.is_persisted());
        for piece in pieces {
            self.doc.load_incremental(piece)?;
        }
        self.persisted_heads = self.doc.get_heads();
        Ok(())
    }

    #[cfg(test)]
    pub fn doc_ref(&self) -> &AutoCommit {
        &self.doc
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// Whether the document holds the change `hash` (applied, not waiting for its deps).
    pub fn has_change(&mut self, hash: &ChangeHash) -> bool {
        self.doc.get_change_meta_by_hash(hash).is_some()
    }

    /// True if the document has any change (an empty one is "unavailable").
    pub fn has_content(&mut self) -> bool {
        !self.doc.get_heads().is_empty()
    }

    /// Applies a peer's sync message. On error some changes may have been applied; they are
    /// valid changes, so the caller persists whatever the heads say.
    pub fn receive(&mut self, conn: ConnId, message: sync::Message) -> Result<(), AutomergeError> {
        let state = self.peers.entry(conn).or_default();
        self.doc.sync().receive_sync_message(state, message)
    }

    /// Runs the relay's own command on the document under `actor`.
    pub fn edit(&mut self, actor: automerge::ActorId, edit: super::local_edit::Edit) {
        self.doc.set_actor(actor);
        edit(&mut self.doc);
        self.doc.get_heads(); // commits what the command left open
        self.touched = true;
    }

    /// Runs the relay's own reading of the document.
    pub fn read(&mut self, read: super::local_edit::Edit) {
        read(&mut self.doc);
        self.touched = true;
    }

    /// Bytes of the changes not stored yet, if any.
    pub fn unstored_bytes(&mut self) -> Option<u64> {
        self.unpersisted().map(|(_, bytes)| bytes.len() as u64)
    }

    /// Undoes what was applied since `before` (stored or not: call only for changes not
    /// stored), keeping every peer's sync state.
    pub fn rewind(&mut self, before: &[ChangeHash]) -> Result<(), AutomergeError> {
        *self.doc = self.doc.fork_at(before)?;
        Ok(())
    }

    /// Whether what was applied since `before` stays within `author`'s rights: the shared
    /// authority rules judge the changes (`linli_shared::domain::verify`).
    pub fn verify_since(
        &mut self,
        before: &[ChangeHash],
        author: &linli_shared::domain::Author<'_>,
    ) -> Result<(), linli_shared::domain::Rule> {
        linli_shared::domain::verify_in_place(&mut self.doc, before, author)
    }

    /// The role of `member` as this document (a community document) records it.
    pub fn member_role(&mut self, member: &str) -> Option<linli_shared::domain::Role> {
        linli_shared::domain::list_members(&self.doc)
            .ok()?
            .into_iter()
            .find(|m| m.id == member)
            .map(|m| m.role)
    }

    /// Undoes what was applied since `before` (a refused message): the document becomes its
    /// fork at `before`, which still holds every change applied before, stored or not, and
    /// `conn`'s sync state starts again. Copies the document: refusals are rare.
    pub fn roll_back(&mut self, conn: ConnId, before: &[ChangeHash]) -> Result<(), AutomergeError> {
        *self.doc = self.doc.fork_at(before)?;
        self.peers.insert(conn, sync::State::new());
        Ok(())
    }

    /// The next sync message for `conn`, if it needs one. Only call once every change in the
    /// document is persisted: the message advertises the document's heads.
    pub fn generate(&mut self, conn: ConnId) -> Option<Vec<u8>> {
        debug_assert!(self.is_persisted());
        self.generate_ahead(conn)
    }

    /// [`Document::generate`] before every change is persisted: the caller holds the message
    /// until they are (`core::batch`, an answer between two messages of one peer).
    pub fn generate_ahead(&mut self, conn: ConnId) -> Option<Vec<u8>> {
        let heads = self.doc.get_heads();
        let state = self.peers.get_mut(&conn)?;
        if in_step(state, &heads) {
            return None;
        }
        Some(self.doc.sync().generate_sync_message(state)?.encode())
    }

    /// Bytes the store holds for this document (its snapshot and log).
    pub fn stored_bytes(&self) -> u64 {
        self.snapshot_bytes + self.log_bytes
    }

    pub fn is_persisted(&mut self) -> bool {
        self.doc.get_heads() == self.persisted_heads
    }

    /// The changes not durably stored yet (an incremental save) and the heads storing them
    /// reaches, or `None` if everything is stored.
    pub fn unpersisted(&mut self) -> Option<(Vec<ChangeHash>, Vec<u8>)> {
        let heads = self.doc.get_heads();
        if heads == self.persisted_heads {
            return None;
        }
        Some((heads.clone(), self.doc.save_after(&self.persisted_heads)))
    }

    /// Records that the changes up to `heads` are durably stored and the log is now
    /// `log_bytes` long; compacts the log once it outgrows both `compact_after` and the
    /// snapshot.
    pub fn persisted(
        &mut self,
        id: &DocumentId,
        heads: Vec<ChangeHash>,
        log_bytes: u64,
        storage: &mut impl Storage,
        compact_after: u64,
    ) {
        self.persisted_heads = heads;
        self.log_bytes = log_bytes;
        if self.log_bytes > compact_after.max(self.snapshot_bytes) {
            let snapshot = self.doc.save();
            match storage.compact(id, &snapshot) {
                Ok(()) => {
                    self.snapshot_bytes = snapshot.len() as u64;
                    self.log_bytes = 0;
                }
                // The log still holds every change: nothing is lost, retry next time.
                Err(e) => tracing::error!(doc = %id, error = %e, "compaction failed"),
            }
        }
    }
}

/// True when the peer has exactly our heads, has been told them, and needs nothing: Automerge's
/// `generate_sync_message` would return `None` (heads unchanged, heads equal, nothing to send).
/// Checked first because that answer is most of the relay's traffic (every peer acknowledges
/// every change it receives) and computing it the long way dominated the relay's CPU.
fn in_step(state: &sync::State, heads: &[ChangeHash]) -> bool {
    state.have_responded
        && state.last_sent_heads == heads
        && state.their_heads.as_deref() == Some(heads)
        && state.their_need.as_ref().is_none_or(|need| need.is_empty())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
#[test]
fn a_document_is_small_by_value() {
    // The relay keeps one per document id in a hash map, whose table is sized in slots.
    assert!(
        std::mem::size_of::<Document>() <= 256,
        "Document is {} bytes",
        std::mem::size_of::<Document>()
    );
}
