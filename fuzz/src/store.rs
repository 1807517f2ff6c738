//! An in-memory `Storage` for the fuzzer: same contract as `FileStore`, no files.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

use linli_server::storage::{Storage, StoredDoc};
use linli_shared::wire::DocumentId;

/// Clones share the same documents (the relay owns its store; the harness keeps a handle).
#[derive(Default, Clone)]
pub struct MemStore {
    docs: Arc<Mutex<HashMap<DocumentId, StoredDoc>>>,
}

impl MemStore {
    pub fn docs(&self) -> MutexGuard<'_, HashMap<DocumentId, StoredDoc>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An independent copy (what a restarted relay would find on disk).
    pub fn deep_copy(&self) -> MemStore {
        MemStore {
            docs: Arc::new(Mutex::new(self.docs().clone())),
        }
    }
}

impl Storage for MemStore {
    fn load(&mut self, id: &DocumentId) -> io::Result<Option<StoredDoc>> {
        Ok(self.docs().get(id).cloned())
    }

    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<u64> {
        let mut docs = self.docs();
        let doc = docs.entry(*id).or_default();
        doc.changes.push(changes.to_vec());
        doc.log_bytes += changes.len() as u64 + 8;
        Ok(doc.log_bytes)
    }

    fn compact(&mut self, id: &DocumentId, snapshot: &[u8]) -> io::Result<()> {
        self.docs().insert(
            *id,
            StoredDoc {
                snapshot: Some(snapshot.to_vec()),
                changes: Vec::new(),
                log_bytes: 0,
            },
        );
        Ok(())
    }

    fn stored_bytes(&self) -> u64 {
        self.docs()
            .values()
            .map(|d| d.snapshot_bytes() + d.log_bytes)
            .sum()
    }

    fn list(&mut self) -> io::Result<Vec<DocumentId>> {
        Ok(self.docs().keys().copied().collect())
    }
}
