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
        for id in docs {
            let Some(doc) = self.docs.get_mut(&id) else {
                continue;
            };
            let taken = if doc.is_loaded() {
                match self.storage.load_new(&id) {
                    Ok(pieces) if pieces.is_empty() => continue,
                    Ok(pieces) => doc.take_stored(&pieces).map_err(std::io::Error::other),
                    Err(e) => Err(e),
                }
            } else if doc.peers.is_empty() {
                continue;
            } else {
                load_doc(&mut self.docs, &mut self.storage, id).map(|_| ())
            };
            if let Err(error) = taken {
                // Read whole at its next use; its peers here stay subscribed.
                tracing::warn!(doc = %id, %error, "cannot read changes stored by another node");
                if let Some(doc) = self.docs.get_mut(&id) {
                    doc.unload();
                }
                continue;
            }
            let peers: Vec<ConnId> = self.docs[&id].peers.keys().copied().collect();
            for conn in peers {
                self.send_sync(conn, id, &mut out);
            }
        }
        out
    }

    /// Every document in memory (after the connection to the database was lost, they are
    /// all brought up to date).
    pub fn documents_in_memory(&self) -> Vec<DocumentId> {
        self.docs.keys().copied().collect()
    }
}
