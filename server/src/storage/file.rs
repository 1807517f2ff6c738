//! Documents as files in the data directory.
//!
//! ```text
//! <data>/relay-id                      the relay's storage id (random, written once)
//! <data>/docs/<documentId>/snapshot    a full Automerge save (only after a compaction)
//! <data>/docs/<documentId>/log         append-only incremental saves, framed by `record`
//! ```
//!
//! - `append` writes one record and fsyncs the log (and, for a new document, its directory
//!   and the `docs` directory) before returning.
//! - `load` reads the snapshot and the log; a torn or corrupt tail of the log (a crash during
//!   `append`) is cut off and the truncation fsynced.
//! - `compact` writes `snapshot.tmp`, fsyncs it, renames it over `snapshot`, fsyncs the
//!   directory, then empties the log. A crash between the rename and emptying the log leaves
//!   changes that are in both; loading them twice is harmless in Automerge.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use linli_shared::wire::DocumentId;

use super::record::{encode_record, read_records};
use super::{Storage, StoredDoc};

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
}

impl FileStore {
    /// Opens (creating if needed) the data directory.
    pub fn open(root: impl Into<PathBuf>) -> io::Result<FileStore> {
        let root = root.into();
        fs::create_dir_all(root.join(DOCS_DIR))?;
        sync_dir(&root)?;
        let stored_bytes = disk_usage(&root.join(DOCS_DIR))?;
        Ok(FileStore {
            root,
            known_dirs: HashSet::new(),
            stored_bytes,
        })
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
        Ok(Some(StoredDoc {
            snapshot,
            changes: records.payloads,
            log_bytes: records.valid_len,
        }))
    }

    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<u64> {
        let dir = self.ensure_doc_dir(id)?;
        let path = dir.join(LOG);
        let created = !path.exists();
        let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
        let start = file.metadata()?.len();
        if let Err(e) = file
            .write_all(&encode_record(changes))
            .and_then(|_| file.sync_data())
        {
            // Leave no partial record behind for the next append to follow.
            let _ = file.set_len(start);
            return Err(e);
        }
        if created {
            sync_dir(&dir)?;
        }
        let len = file.metadata()?.len();
        self.stored_bytes += len - start;
        Ok(len)
    }

    fn compact(&mut self, id: &DocumentId, snapshot: &[u8]) -> io::Result<()> {
        let dir = self.ensure_doc_dir(id)?;
        let before = file_len(&dir.join(SNAPSHOT))? + file_len(&dir.join(LOG))?;
        write_durably(&dir, SNAPSHOT, snapshot)?;
        let log_path = dir.join(LOG);
        if log_path.exists() {
            let log = OpenOptions::new().write(true).open(&log_path)?;
            log.set_len(0)?;
            log.sync_all()?;
        }
        self.stored_bytes = self.stored_bytes.saturating_sub(before) + snapshot.len() as u64;
        Ok(())
    }

    fn stored_bytes(&self) -> u64 {
        self.stored_bytes
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
}

/// Writes `name` in `dir` atomically: temp file, fsync, rename, fsync directory.
fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(if name == SNAPSHOT {
        SNAPSHOT_TMP.to_string()
    } else {
        format!("{name}.tmp")
    });
    let mut file = File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)
}

fn file_len(path: &Path) -> io::Result<u64> {
    match fs::metadata(path) {
        Ok(meta) => Ok(meta.len()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

/// Bytes of the snapshots and logs under `docs`.
fn disk_usage(docs: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(docs)? {
        let dir = entry?.path();
        if dir.is_dir() {
            total += file_len(&dir.join(SNAPSHOT))? + file_len(&dir.join(LOG))?;
        }
    }
    Ok(total)
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn read_if_exists(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::super::record;
    use super::*;

    fn id(n: u8) -> DocumentId {
        DocumentId::from_bytes([n; 16])
    }

    #[test]
    fn appended_changes_and_snapshots_load_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileStore::open(dir.path()).unwrap();
        assert_eq!(store.load(&id(1)).unwrap(), None);
        store.append(&id(1), b"a").unwrap();
        store.append(&id(1), b"b").unwrap();

        let mut reopened = FileStore::open(dir.path()).unwrap();
        let doc = reopened.load(&id(1)).unwrap().unwrap();
        assert_eq!(doc.snapshot, None);
        assert_eq!(doc.changes, vec![b"a".to_vec(), b"b".to_vec()]);

        reopened.compact(&id(1), b"full").unwrap();
        reopened.append(&id(1), b"c").unwrap();
        let doc = FileStore::open(dir.path())
            .unwrap()
            .load(&id(1))
            .unwrap()
            .unwrap();
        assert_eq!(doc.snapshot, Some(b"full".to_vec()));
        assert_eq!(doc.changes, vec![b"c".to_vec()]);
        let expected = 4 + (record::HEADER_LEN as u64 + 1);
        assert_eq!(reopened.stored_bytes(), expected);
        assert_eq!(
            FileStore::open(dir.path()).unwrap().stored_bytes(),
            expected
        );
        assert_eq!(reopened.list().unwrap(), vec![id(1)]);
    }

    #[test]
    fn a_torn_tail_is_cut_off_and_appending_continues_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileStore::open(dir.path()).unwrap();
        store.append(&id(2), b"kept").unwrap();
        let log = store.doc_dir(&id(2)).join(LOG);
        let mut file = OpenOptions::new().append(true).open(&log).unwrap();
        file.write_all(&encode_record(b"torn")[..9]).unwrap();

        let mut store = FileStore::open(dir.path()).unwrap();
        assert_eq!(
            store.load(&id(2)).unwrap().unwrap().changes,
            vec![b"kept".to_vec()]
        );
        store.append(&id(2), b"next").unwrap();
        assert_eq!(
            store.load(&id(2)).unwrap().unwrap().changes,
            vec![b"kept".to_vec(), b"next".to_vec()]
        );
    }

    #[test]
    fn relay_id_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(dir.path()).unwrap();
        assert_eq!(store.relay_id(|| "first".into()).unwrap(), "first");
        assert_eq!(store.relay_id(|| "second".into()).unwrap(), "first");
    }
}
