//! The workspace's documents as the sync connection sees them: every call goes to the
//! document engine (`crate::engine`).

use super::{OpenDoc, Workspace};
use crate::engine::{Document, OpenDocuments};
use linli_shared::wire::client::Output;
use linli_shared::wire::{DocumentId, SyncClient};
use std::collections::BTreeMap;

/// The open documents, seen by the sync client.
struct OpenDocs<'a>(&'a mut BTreeMap<DocumentId, OpenDoc>);

impl OpenDocuments for OpenDocs<'_> {
    fn document(&mut self, id: &DocumentId) -> Option<&mut dyn Document> {
        self.0.get_mut(id).map(|d| &mut *d.doc as &mut dyn Document)
    }
}

impl Workspace {
    /// Starts syncing document `id` in `client`: the frames to send.
    pub fn sync_open(&self, client: &mut SyncClient, id: DocumentId) -> Vec<Vec<u8>> {
        let engine = &self.engine;
        self.with_document(id, |doc| engine.sync_open(client, id, doc))
            .unwrap_or_default()
    }

    /// The relay confirmed holding every change of document `id` (true if it is not open).
    pub fn is_synced(&self, client: &SyncClient, id: DocumentId) -> bool {
        let engine = &self.engine;
        self.with_document(id, |doc| engine.is_synced(client, id, doc))
            .unwrap_or(true)
    }

    /// Handles one frame from the relay over every open document; the adapter calls
    /// [`Workspace::changed`] for each document that changed.
    pub fn handle_frame(&self, client: &mut SyncClient, bytes: &[u8]) -> Output {
        let mut docs = self.docs.borrow_mut();
        self.engine
            .handle_frame(client, bytes, &mut OpenDocs(&mut docs))
    }
}
