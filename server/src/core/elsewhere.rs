//! Changes another relay node stored (several nodes on one database, `crate::database`):
//! the node that stored them told the others (`NOTIFY`); here they reach this node's peers.
//!
//! Invariant kept: a document in memory holds only stored changes between flushes, so what it
//! takes from the store is stored too, and its heads may be advertised at once.

use linli_shared::wire::DocumentId;

use super::routing::load_doc;
use super::{Authorize, ConnId, Output, Relay};
use crate::storage::Storage;

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Brings `docs` up to date with what other nodes stored, and syncs their peers here.
    /// Documents not in memory are skipped: they are read whole when next used.
    pub fn stored_elsewhere(&mut self, docs: impl IntoIterator<Item = DocumentId>) -> Vec<Output> {
        let mut out = Vec::new();
        let mut loaded = Vec::new();
        let mut reread = Vec::new();
        for id in docs {
            match self.docs.get(&id) {
                Some(doc) if doc.is_loaded() => loaded.push(id),
                // Unloaded: read whole, if someone here is waiting for it.
                Some(doc) if !doc.peers.is_empty() => reread.push(id),
                _ => {}
            }
        }
        let mut taken = Vec::new();
        match self.storage.load_new(&loaded) {
            Ok(pieces) => {
                for (id, pieces) in loaded.iter().zip(pieces) {
                    if pieces.is_empty() {
                        continue;
                    }
                    let doc = self.docs.get_mut(id).expect("held");
                    match doc.take_stored(&pieces) {
                        Ok(()) => taken.push(*id),
                        Err(e) => self.unreadable(*id, &e.to_string()),
                    }
                }
            }
            Err(e) => {
                for id in &loaded {
                    self.unreadable(*id, &e.to_string());
                }
            }
        }
        for id in reread {
            match load_doc(&mut self.docs, &mut self.storage, id) {
                Ok(_) => taken.push(id),
                Err(e) => self.unreadable(id, &e.to_string()),
            }
        }
        for id in taken {
            let peers: Vec<ConnId> = self.docs[&id].peers.keys().copied().collect();
            for conn in peers {
                self.send_sync(conn, id, &mut out);
            }
        }
        out
    }

    /// What another node stored could not be read: the document is read whole at its next
    /// use; its peers here stay subscribed.
    fn unreadable(&mut self, id: DocumentId, error: &str) {
        tracing::warn!(doc = %id, %error, "cannot read changes stored by another node");
        if let Some(doc) = self.docs.get_mut(&id) {
            doc.unload();
        }
    }

    /// Every document in memory (after the connection to the database was lost, they are
    /// all brought up to date).
    pub fn documents_in_memory(&self) -> Vec<DocumentId> {
        self.docs.keys().copied().collect()
    }
}
