//! Documents kept in memory: the [`Storage`] of the core's unit tests and of the fuzzer,
//! where a data directory would only slow them down. Clones share the same documents, so a
//! relay "restarted" on a clone serves what the previous one stored. Nothing is durable.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

use linli_shared::wire::DocumentId;

use super::record::HEADER_LEN;
use super::{ActorBinding, Storage, StoredDoc};

/// Documents in a shared map.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    docs: BTreeMap<DocumentId, StoredDoc>,
    /// Calls that stored something: an append, a non-empty batch, a compaction.
    writes: usize,
    actors: Vec<ActorBinding>,
    /// Whether storing actor bindings fails (a disk error), for tests.
    actor_writes_fail: bool,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// What is stored for `id`.
    pub fn get(&self, id: &DocumentId) -> Option<StoredDoc> {
        self.lock().docs.get(id).cloned()
    }

    /// Every stored document.
    pub fn documents(&self) -> Vec<(DocumentId, StoredDoc)> {
        let inner = self.lock();
        inner.docs.iter().map(|(id, d)| (*id, d.clone())).collect()
    }

    /// An independent copy (what a relay restarted from a copied data directory would find).
    pub fn deep_copy(&self) -> MemoryStore {
        let inner = self.lock();
        MemoryStore {
            inner: Arc::new(Mutex::new(Inner {
                docs: inner.docs.clone(),
                writes: 0,
                actors: inner.actors.clone(),
                actor_writes_fail: false,
            })),
        }
    }

    /// Makes storing actor bindings fail (or work again).
    pub fn fail_actor_writes(&self, fail: bool) {
        self.lock().actor_writes_fail = fail;
    }

    /// How many calls stored something (one per batch, however many documents it holds).
    pub fn writes(&self) -> usize {
        self.lock().writes
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> u64 {
        let doc = self.docs.entry(*id).or_default();
        doc.changes.push(changes.to_vec());
        // Counted as the file store counts its log: each record has a header.
        doc.log_bytes += (HEADER_LEN + changes.len()) as u64;
        doc.log_bytes
    }
}

impl Storage for MemoryStore {
    fn load(&mut self, id: &DocumentId) -> io::Result<Option<StoredDoc>> {
        Ok(self.get(id))
    }

    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<u64> {
        let mut inner = self.lock();
        inner.writes += 1;
        Ok(inner.append(id, changes))
    }

    fn append_batch(&mut self, batch: &[(DocumentId, Vec<u8>)]) -> Vec<io::Result<u64>> {
        let mut inner = self.lock();
        if !batch.is_empty() {
            inner.writes += 1;
        }
        batch
            .iter()
            .map(|(id, changes)| Ok(inner.append(id, changes)))
            .collect()
    }

    fn compact(&mut self, id: &DocumentId, snapshot: &[u8]) -> io::Result<()> {
        let mut inner = self.lock();
        inner.writes += 1;
        inner.docs.insert(
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
        let inner = self.lock();
        inner
            .docs
            .values()
            .map(|d| d.snapshot_bytes() + d.log_bytes)
            .sum()
    }

    fn list(&mut self) -> io::Result<Vec<DocumentId>> {
        Ok(self.lock().docs.keys().copied().collect())
    }

    fn actor_bindings(&mut self) -> io::Result<Vec<ActorBinding>> {
        Ok(self.lock().actors.clone())
    }

    fn bind_actors(&mut self, bindings: &[ActorBinding]) -> io::Result<()> {
        let mut inner = self.lock();
        if inner.actor_writes_fail {
            return Err(io::Error::other("cannot store actor bindings"));
        }
        inner.actors.extend_from_slice(bindings);
        Ok(())
    }
}
