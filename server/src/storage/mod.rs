//! Durable document storage.
//!
//! The relay core only talks to [`Storage`]; [`FileStore`] keeps documents in the data
//! directory (layout documented in [`file`]). Every method returns only once its effect is
//! durable (fsynced), or an error — except in [`MemoryStore`], the core's unit tests' store,
//! which keeps documents in memory only.

pub mod actor_log;
pub mod append_log;
pub mod ballast;
pub mod disk_space;
pub mod file;
pub mod lock;
pub mod memory;
pub mod record;
pub mod wal;

use std::io;

use automerge::{AutoCommit, AutomergeError};
use linli_shared::wire::DocumentId;

pub use actor_log::ActorBinding;
pub use file::FileStore;
pub use lock::DataDirLock;
pub use memory::MemoryStore;

/// What is stored for one document: load `snapshot`, then apply each of `changes` in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoredDoc {
    /// A full `automerge` save, if the document was ever compacted.
    pub snapshot: Option<Vec<u8>>,
    /// Incremental saves (`save_after`) appended since the snapshot.
    pub changes: Vec<Vec<u8>>,
    /// Bytes in the change log, to decide when to compact.
    pub log_bytes: u64,
}

impl StoredDoc {
    /// Rebuilds the document: the snapshot, then every logged change.
    pub fn to_automerge(&self) -> Result<AutoCommit, AutomergeError> {
        let mut doc = match &self.snapshot {
            Some(snapshot) => AutoCommit::load(snapshot)?,
            None => AutoCommit::new(),
        };
        for changes in &self.changes {
            doc.load_incremental(changes)?;
        }
        Ok(doc)
    }

    pub fn snapshot_bytes(&self) -> u64 {
        self.snapshot.as_ref().map_or(0, |s| s.len() as u64)
    }
}

/// Durable storage of Automerge documents.
pub trait Storage: Send + 'static {
    /// Everything stored for `id`, or `None` if the relay never stored it.
    fn load(&mut self, id: &DocumentId) -> io::Result<Option<StoredDoc>>;

    /// Appends an incremental save to the document's log; durable when this returns `Ok`.
    /// Returns the log size afterwards.
    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<u64>;

    /// Appends an incremental save to each document's log; each one is durable when its
    /// result is `Ok`. Stores that can make a whole batch durable at once (one fsync) should
    /// override this; the default appends one by one.
    fn append_batch(&mut self, batch: &[(DocumentId, Vec<u8>)]) -> Vec<io::Result<u64>> {
        batch
            .iter()
            .map(|(id, changes)| self.append(id, changes))
            .collect()
    }

    /// Changes stored for each of `ids` by another relay node since this store last read or
    /// wrote them (some may be held already: applying them again is harmless). A store that
    /// only this relay writes has none.
    /// Asked for many documents at once (one round trip to a database), answered in order.
    fn load_new(&mut self, ids: &[DocumentId]) -> io::Result<Vec<Vec<Vec<u8>>>> {
        Ok(ids.iter().map(|_| Vec::new()).collect())
    }

    /// The core no longer holds `id` in memory: the store may forget what it knew of it.
    fn forget(&mut self, _id: &DocumentId) {}

    /// Replaces everything stored for `id` with `snapshot` (a full save), atomically.
    fn compact(&mut self, id: &DocumentId, snapshot: &[u8]) -> io::Result<()>;

    /// Makes a quiet moment's housekeeping durable (the file store fsyncs the document logs
    /// and empties its write-ahead log). Stored changes stay durable whether or not this runs.
    fn checkpoint(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Bytes currently stored for all documents.
    fn stored_bytes(&self) -> u64;

    /// Bytes stored for `id` (0 if nothing is).
    fn stored_size(&mut self, id: &DocumentId) -> io::Result<u64> {
        Ok(self
            .load(id)?
            .map_or(0, |d| d.snapshot_bytes() + d.log_bytes))
    }

    /// Bytes stored for each of `ids`, in order (a store that can answer at once for all
    /// should: the relay asks for every owned document at start).
    fn stored_sizes(&mut self, ids: &[DocumentId]) -> io::Result<Vec<u64>> {
        ids.iter().map(|id| self.stored_size(id)).collect()
    }

    /// Whether `bytes` more of changes fit while keeping the disk's reserve free (space for
    /// the access registry: revoking a member must work on a nearly full disk). Asked before
    /// each change is applied, so it must be cheap.
    fn room_for(&mut self, _bytes: u64) -> bool {
        true
    }

    /// Every stored document id.
    fn list(&mut self) -> io::Result<Vec<DocumentId>>;

    /// Every actor binding stored (`core::actors`), in the order they were made.
    fn actor_bindings(&mut self) -> io::Result<Vec<ActorBinding>>;

    /// Stores new actor bindings; all of them are durable when this returns `Ok`, none of
    /// them when it returns an error.
    fn bind_actors(&mut self, bindings: &[ActorBinding]) -> io::Result<()>;

    /// Whether anything is stored for `id`.
    fn contains(&mut self, id: &DocumentId) -> io::Result<bool> {
        Ok(self.load(id)?.is_some())
    }
}
