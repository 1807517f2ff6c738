//! Group commit: frames handled back to back share one persist-and-answer step.
//!
//! [`Relay::receive_deferred`] applies a frame but neither stores nor answers; [`Relay::flush`]
//! then stores the changes of every changed document in one [`Storage::append_batch`] (the
//! file store makes the whole batch durable with one fsync, however many documents and
//! frames it holds) and only afterwards generates sync messages. Under load the hub drains its
//! queue into one batch, so a burst of edits across many rooms costs one fsync and one round
//! of messages instead of one each.
//!
//! Invariant: nothing leaves the core that advertises a change before the change is stored.
//! A peer's second message for one document within a batch needs the answer to its first
//! before it is applied ([`Relay::answer_before_next`]): that answer is made at once but held
//! ([`Pending::held`]) until the batch is stored, so one batch is still one store however
//! its frames interleave (a slow store makes batches longer, and with one store per such
//! pair they would make it slower still).

use std::collections::{BTreeSet, HashSet};

use linli_shared::wire::DocumentId;

use super::outgoing::unavailable;
use super::{Authorize, ConnId, Output, Relay};
use crate::storage::Storage;

/// Work left for [`Relay::flush`].
#[derive(Default)]
pub(super) struct Pending {
    /// Documents changed since the last flush.
    pub dirty: BTreeSet<DocumentId>,
    /// `(conn, doc, was_request)` for every `sync`/`request` handled since the last flush.
    pub answers: Vec<(ConnId, DocumentId, bool)>,
    /// Documents that took changes under actor bindings not stored yet (`actors.rs`).
    pub unbound: BTreeSet<DocumentId>,
    /// Answers made before the batch was stored, with their document: delivered after it is,
    /// dropped if their document was not stored.
    pub held: Vec<(DocumentId, Output)>,
}

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Stores every change applied since the last flush, then answers: sync messages to every
    /// peer of a changed document and to every sender, `doc-unavailable` to requests for
    /// documents nobody has provided.
    pub fn flush(&mut self) -> Vec<Output> {
        let mut out = Vec::new();
        self.store_actor_bindings(&mut out);
        let dirty: Vec<DocumentId> = self.pending.dirty.iter().copied().collect();
        let mut batch = Vec::new();
        let mut heads = Vec::new();
        for id in &dirty {
            if let Some((to, changes)) = self.docs.get_mut(id).and_then(|d| d.unpersisted()) {
                batch.push((*id, changes));
                heads.push(to);
            }
        }
        if !batch.is_empty() {
            self.stats.stores += 1;
        }
        let results = self.storage.append_batch(&batch);
        for (((id, changes), heads), result) in batch.iter().zip(heads).zip(results) {
            match result {
                Ok(log_bytes) => {
                    self.stats.bytes_appended += changes.len() as u64;
                    if let Some(doc) = self.docs.get_mut(id) {
                        let compact_after = self.config.compact_after_bytes;
                        let before = doc.stored_bytes();
                        doc.persisted(id, heads, log_bytes, &mut self.storage, compact_after);
                        self.usage.stored(id, before, doc.stored_bytes());
                    }
                }
                Err(e) => self.storage_failed(*id, e, &mut out),
            }
        }
        self.usage.flushed();
        // Everything in memory is stored now: heads may be advertised. First the answers
        // made during the batch, of the documents still held (a document that failed to
        // store is gone, and its peers are told).
        for (id, output) in std::mem::take(&mut self.pending.held) {
            if self.docs.contains_key(&id) {
                out.push(output);
            }
        }
        // Each (peer, document) gets at most one more message per flush, however many frames
        // asked for one.
        let mut answered = HashSet::new();
        for id in &dirty {
            let peers: Vec<ConnId> = match self.docs.get(id) {
                Some(doc) => doc.peers.keys().copied().collect(),
                None => continue,
            };
            for conn in peers {
                answered.insert((conn, *id));
                self.send_sync(conn, *id, &mut out);
            }
        }
        for (conn, id, was_request) in std::mem::take(&mut self.pending.answers) {
            self.answer(conn, id, (was_request, false), &mut answered, &mut out);
        }
        self.pending.dirty.clear();
        out
    }

    /// `conn` sent a second message for `id` within this batch. Automerge's sync protocol
    /// expects an answer between two messages of one peer (it may skip answering the second,
    /// taking its heads as proof the peer is up to date): the first is answered now, from
    /// the document as it is, and the answer held until the batch is stored.
    pub(super) fn answer_before_next(&mut self, conn: ConnId, id: DocumentId) {
        let answers = &mut self.pending.answers;
        let Some(i) = answers.iter().position(|(c, d, _)| (*c, *d) == (conn, id)) else {
            return;
        };
        let (_, _, was_request) = answers.remove(i);
        let mut out = Vec::new();
        self.answer(conn, id, (was_request, true), &mut HashSet::new(), &mut out);
        self.pending
            .held
            .extend(out.into_iter().map(|output| (id, output)));
    }

    /// Answers `conn`'s message for `id` (unless `answered` says it had its message);
    /// `ahead`: before the batch is stored, the answer to be held.
    fn answer(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        (was_request, ahead): (bool, bool),
        answered: &mut HashSet<(ConnId, DocumentId)>,
        out: &mut Vec<Output>,
    ) {
        let Some(doc) = self.docs.get_mut(&id) else {
            return;
        };
        if !doc.peers.contains_key(&conn) {
            return; // closed meanwhile
        }
        if was_request && !doc.has_content() {
            // The peer stays subscribed: it gets the document once someone provides it.
            let Some(peer) = self.conns.get(&conn).and_then(|c| c.peer.clone()) else {
                return;
            };
            let frame = unavailable(&self.peer_id, &peer, id).encode();
            out.push(Output::Frame { conn, frame });
        } else if answered.insert((conn, id)) {
            self.sync_to(conn, id, ahead, out);
        }
    }

    /// Makes the actor bindings made since the last flush durable before anything under them
    /// is stored or acknowledged. If that fails they are forgotten, and every document that
    /// took a change under one of them is dropped from memory (its unstored and queued changes
    /// with it) and its peers closed, as when storing changes fails.
    fn store_actor_bindings(&mut self, out: &mut Vec<Output>) {
        let unbound = std::mem::take(&mut self.pending.unbound);
        if self.actors.pending().is_empty() {
            return;
        }
        match self.storage.bind_actors(self.actors.pending()) {
            Ok(()) => self.actors.commit(),
            Err(e) => {
                self.actors.forget_pending();
                for id in unbound {
                    self.pending.dirty.remove(&id);
                    let error = std::io::Error::new(e.kind(), format!("actor bindings: {e}"));
                    self.storage_failed(id, error, out);
                }
            }
        }
    }

    /// After a panic in [`Relay::flush`]: drops the documents it was storing (their
    /// unacknowledged changes included) and closes their peers, who resync from storage.
    pub fn recover_from_panic_in_flush(&mut self) -> Vec<Output> {
        let mut out = Vec::new();
        self.pending.answers.clear();
        self.pending.held.clear();
        self.usage.flushed();
        self.actors.forget_pending();
        let unbound = std::mem::take(&mut self.pending.unbound);
        for id in std::mem::take(&mut self.pending.dirty)
            .into_iter()
            .chain(unbound)
        {
            if let Some(doc) = self.docs.remove(&id) {
                for peer in doc.peers.keys() {
                    self.fail(*peer, "internal relay error; reconnect", &mut out);
                }
            }
        }
        out
    }
}
