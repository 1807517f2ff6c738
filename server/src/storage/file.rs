//! Documents as files in the data directory.
//!
//! ```text
//! <data>/relay-id                      the relay's storage id (random, written once)
//! <data>/docs/<documentId>/snapshot    a full Automerge save (only after a compaction)
//! <data>/docs/<documentId>/log         append-only incremental saves, framed by `record`
//! <data>/wal                           the write-ahead log of batches (see `wal`)
//! <data>/actors.log                    actor bindings (see `actor_log`)
//! ```
//!
//! - `append` writes one record and fsyncs the log (and, for a new document, its directory
//!   and the `docs` directory) before returning.
//! - `append_batch` writes a batch's records to the write-ahead log with a single fsync and
//!   keeps them in memory (`pending`); reads see them. Document logs are not touched: on ext4
//!   an fsync also flushes other files' pending writes, so writing 200 logs per batch made
//!   every WAL fsync cost as much as fsyncing them all. At a checkpoint (every minute from the
//!   hub's idle sweep, or once the WAL passes [`WAL_CHECKPOINT_BYTES`]) the pending records
//!   are appended to their logs, the logs fsynced and the WAL emptied. `open` replays the WAL
//!   the same way.
//! - `load` reads the snapshot and the log; a torn or corrupt tail of the log (a crash during
//!   `append`) is cut off and the truncation fsynced.
//! - `compact` writes `snapshot.tmp`, fsyncs it, renames it over `snapshot`, fsyncs the
//!   directory, then empties the log. A crash between the rename and emptying the log leaves
//!   changes that are in both; loading them twice is harmless in Automerge.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;

use linli_shared::wire::DocumentId;

use super::actor_log::{ActorBinding, ActorLog};
use super::disk_space::DiskSpace;
use super::record::{encode_record, read_records, HEADER_LEN};
use super::wal::Wal;
use super::{Storage, StoredDoc};
use disk::{disk_usage, file_len, open_log, read_if_exists, sync_dir, write_durably};

/// The write-ahead log is checkpointed (document logs fsynced, WAL emptied) past this size.
pub const WAL_CHECKPOINT_BYTES: u64 = 16 * 1024 * 1024;

const DOCS_DIR: &str = "docs";
const SNAPSHOT: &str = "snapshot";
const SNAPSHOT_TMP: &str = "snapshot.tmp";
const LOG: &str = "log";
const RELAY_ID: &str = "relay-id";

/// Documents stored under one data directory.
pub struct FileStore {
    root: PathBuf,
    /// Documents whose directory is known to exist durably.
    known_dirs: HashSet<DocumentId>,
    /// Bytes in all snapshots and logs.
    stored_bytes: u64,
    wal: Wal,
    /// Framed records held durably by the WAL only, per document, in order; appended to the
    /// document logs at the next checkpoint.
    pending: HashMap<DocumentId, Vec<u8>>,
    space: DiskSpace,
    actors: ActorLog,
}

impl FileStore {
    /// Opens (creating if needed) the data directory, replaying the write-ahead log into the
    /// document logs if a crash left records in it.
    pub fn open(root: impl Into<PathBuf>) -> io::Result<FileStore> {
        let root = root.into();
        fs::create_dir_all(root.join(DOCS_DIR))?;
        let (actors, _) = ActorLog::open(&root)?;
        sync_dir(&root)?;
        let stored_bytes = disk_usage(&root.join(DOCS_DIR))?;
        let (wal, replay) = Wal::open(&root)?;
        let mut store = FileStore {
            actors,
            space: DiskSpace::new(&root, 0),
            root,
            known_dirs: HashSet::new(),
            stored_bytes,
            wal,
            pending: HashMap::new(),
        };
        if !replay.is_empty() {
            store.replay(replay)?;
        }
        Ok(store)
    }

    /// Refuses changes ([`Storage::room_for`]) while less than `reserve` bytes would stay free.
    pub fn keep_free(&mut self, reserve: u64) {
        self.space = DiskSpace::new(&self.root, reserve);
    }

    /// Appends each logged change to its document's log (cutting any torn tail first), then
    /// checkpoints. On a full disk the records stay in the WAL and in memory (reads see them),
    /// as after a failed checkpoint: the relay still starts and serves them.
    fn replay(&mut self, replay: Vec<(DocumentId, Vec<u8>)>) -> io::Result<()> {
        let records = replay.len();
        let mut cut = HashSet::new();
        for (id, changes) in replay {
            if cut.insert(id) {
                self.load(&id)?;
            }
            self.keep_pending(&id, &changes);
        }
        tracing::info!(
            records,
            documents = cut.len(),
            "replayed the write-ahead log"
        );
        if let Err(e) = self.sync_logs_and_clear_wal() {
            tracing::error!(error = %e, "cannot copy the write-ahead log into the document logs yet");
        }
        Ok(())
    }

    /// Appends every pending record to its document's log and fsyncs the logs, then empties
    /// the write-ahead log. On error the WAL keeps everything and a later call retries.
    fn sync_logs_and_clear_wal(&mut self) -> io::Result<()> {
        if self.wal.is_empty() && self.pending.is_empty() {
            return Ok(());
        }
        let ids: Vec<DocumentId> = self.pending.keys().copied().collect();
        for id in ids {
            let records = self.pending[&id].clone();
            let dir = self.ensure_doc_dir(&id)?;
            let (mut file, start) = open_log(&dir)?;
            if let Err(e) = file.write_all(&records).and_then(|_| file.sync_data()) {
                let _ = file.set_len(start);
                return Err(e);
            }
            sync_dir(&dir)?;
            self.pending.remove(&id);
        }
        sync_dir(&self.root.join(DOCS_DIR))?;
        self.wal.clear()
    }

    /// Keeps a record the WAL holds durably until the next checkpoint.
    fn keep_pending(&mut self, id: &DocumentId, changes: &[u8]) {
        let record = encode_record(changes);
        self.stored_bytes += record.len() as u64;
        self.pending
            .entry(*id)
            .or_default()
            .extend_from_slice(&record);
    }

    fn pending_len(&self, id: &DocumentId) -> u64 {
        self.pending.get(id).map_or(0, |p| p.len() as u64)
    }

    /// Appends one record to the document's log without fsync. On error the log is cut back.
    /// Returns the log's length before and after.
    fn write_record(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<(u64, u64)> {
        let dir = self.ensure_doc_dir(id)?;
        let (mut file, start) = open_log(&dir)?;
        if let Err(e) = file.write_all(&encode_record(changes)) {
            // Leave no partial record behind for the next append to follow.
            let _ = file.set_len(start);
            return Err(e);
        }
        let added = (HEADER_LEN + changes.len()) as u64;
        self.stored_bytes += added;
        Ok((start, start + added))
    }

    fn cut_log(&mut self, id: &DocumentId, to: u64) {
        let path = self.doc_dir(id).join(LOG);
        if let Ok(file) = OpenOptions::new().write(true).open(path) {
            if let Ok(meta) = file.metadata() {
                self.stored_bytes = self
                    .stored_bytes
                    .saturating_sub(meta.len() - to.min(meta.len()));
            }
            let _ = file.set_len(to);
        }
    }

    /// This relay's storage id, created on first use with `new_id`.
    pub fn relay_id(&self, new_id: impl FnOnce() -> String) -> io::Result<String> {
        let path = self.root.join(RELAY_ID);
        match fs::read_to_string(&path) {
            Ok(id) if !id.trim().is_empty() => return Ok(id.trim().to_string()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let id = new_id();
        write_durably(&self.root, RELAY_ID, id.as_bytes())?;
        Ok(id)
    }

    fn doc_dir(&self, id: &DocumentId) -> PathBuf {
        // A DocumentId displays as base58 only: safe as a file name.
        self.root.join(DOCS_DIR).join(id.to_string())
    }

    fn ensure_doc_dir(&mut self, id: &DocumentId) -> io::Result<PathBuf> {
        let dir = self.doc_dir(id);
        if !self.known_dirs.contains(id) {
            if !dir.is_dir() {
                fs::create_dir(&dir)?;
                sync_dir(&self.root.join(DOCS_DIR))?;
            }
            self.known_dirs.insert(*id);
        }
        Ok(dir)
    }
}

impl Storage for FileStore {
    fn contains(&mut self, id: &DocumentId) -> io::Result<bool> {
        Ok(self.doc_dir(id).is_dir())
    }

    fn load(&mut self, id: &DocumentId) -> io::Result<Option<StoredDoc>> {
        let dir = self.doc_dir(id);
        if !dir.is_dir() {
            return Ok(None);
        }
        self.known_dirs.insert(*id);
        let snapshot = read_if_exists(&dir.join(SNAPSHOT))?;
        let log_path = dir.join(LOG);
        let log = read_if_exists(&log_path)?.unwrap_or_default();
        let records = read_records(&log);
        if records.valid_len < log.len() as u64 {
            tracing::warn!(
                doc = %id,
                dropped_bytes = log.len() as u64 - records.valid_len,
                "cutting off a torn or corrupt tail of a document log"
            );
            let file = OpenOptions::new().write(true).open(&log_path)?;
            file.set_len(records.valid_len)?;
            file.sync_all()?;
            self.stored_bytes = self
                .stored_bytes
                .saturating_sub(log.len() as u64 - records.valid_len);
        }
        let mut changes = records.payloads;
        if let Some(pending) = self.pending.get(id) {
            changes.extend(read_records(pending).payloads);
        }
        Ok(Some(StoredDoc {
            snapshot,
            changes,
            log_bytes: records.valid_len + self.pending_len(id),
        }))
    }

    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<u64> {
        if self.pending.contains_key(id) {
            // Keep the log in order: what the WAL holds for this document goes first.
            self.sync_logs_and_clear_wal()?;
        }
        let dir = self.ensure_doc_dir(id)?;
        let created = !dir.join(LOG).exists();
        let (start, len) = self.write_record(id, changes)?;
        let synced = File::open(dir.join(LOG)).and_then(|f| f.sync_data());
        if let Err(e) = synced.and_then(|_| if created { sync_dir(&dir) } else { Ok(()) }) {
            self.cut_log(id, start);
            return Err(e);
        }
        Ok(len)
    }

    fn append_batch(&mut self, batch: &[(DocumentId, Vec<u8>)]) -> Vec<io::Result<u64>> {
        let records: Vec<(DocumentId, &[u8])> =
            batch.iter().map(|(id, c)| (*id, c.as_slice())).collect();
        if let Err(e) = self.wal.append(&records) {
            // Nothing of this batch is stored.
            return batch
                .iter()
                .map(|_| Err(io::Error::new(e.kind(), e.to_string())))
                .collect();
        }
        let mut results = Vec::with_capacity(batch.len());
        for (id, changes) in batch {
            // The directory makes the document known to `contains` and `list`; the WAL
            // already holds the record durably, so a failure here only fails this document.
            results.push(self.ensure_doc_dir(id).and_then(|dir| {
                self.keep_pending(id, changes);
                Ok(file_len(&dir.join(LOG))? + self.pending_len(id))
            }));
        }
        if self.wal.len() > WAL_CHECKPOINT_BYTES {
            if let Err(e) = self.sync_logs_and_clear_wal() {
                // The WAL still holds everything; it is retried at the next batch.
                tracing::error!(wal = %self.wal.path().display(), error = %e, "checkpoint failed");
            }
        }
        results
    }

    fn compact(&mut self, id: &DocumentId, snapshot: &[u8]) -> io::Result<()> {
        let dir = self.ensure_doc_dir(id)?;
        // The snapshot holds everything, what is pending for the document included.
        let before =
            file_len(&dir.join(SNAPSHOT))? + file_len(&dir.join(LOG))? + self.pending_len(id);
        write_durably(&dir, SNAPSHOT, snapshot)?;
        let log_path = dir.join(LOG);
        if log_path.exists() {
            let log = OpenOptions::new().write(true).open(&log_path)?;
            log.set_len(0)?;
            log.sync_all()?;
        }
        self.pending.remove(id);
        self.stored_bytes = self.stored_bytes.saturating_sub(before) + snapshot.len() as u64;
        Ok(())
    }

    fn checkpoint(&mut self) -> io::Result<()> {
        self.sync_logs_and_clear_wal()
    }

    fn stored_bytes(&self) -> u64 {
        self.stored_bytes
    }

    fn stored_size(&mut self, id: &DocumentId) -> io::Result<u64> {
        let dir = self.doc_dir(id);
        Ok(file_len(&dir.join(SNAPSHOT))? + file_len(&dir.join(LOG))? + self.pending_len(id))
    }

    /// A change is written twice (the WAL, then its document's log at the checkpoint); what
    /// the WAL holds is still owed to the document logs.
    fn room_for(&mut self, bytes: u64) -> bool {
        self.space.admit(bytes.saturating_mul(2), self.wal.len())
    }

    fn list(&mut self) -> io::Result<Vec<DocumentId>> {
        let mut ids = Vec::new();
        for entry in fs::read_dir(self.root.join(DOCS_DIR))? {
            let name = entry?.file_name();
            if let Some(id) = name.to_str().and_then(|n| n.parse().ok()) {
                ids.push(id);
            }
        }
        ids.sort();
        Ok(ids)
    }

    fn actor_bindings(&mut self) -> io::Result<Vec<ActorBinding>> {
        ActorLog::read(&self.root)
    }

    fn bind_actors(&mut self, bindings: &[ActorBinding]) -> io::Result<()> {
        self.actors.append(bindings)
    }
}

mod disk;
#[cfg(test)]
mod tests;
