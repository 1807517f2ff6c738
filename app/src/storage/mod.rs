//! The IndexedDB adapter: where documents live on the phone.
//!
//! Each document is a list of chunks under keys `"<doc id>/<16 hex digits>"`:
//! a full save (after compaction) and the incremental saves since. Loading
//! concatenates them in key order (Automerge accepts concatenated chunks).
//! Every local change is written before the app treats it as recorded.

mod idb_store;

pub use idb_store::{LocalStore, StoredDoc, COMPACT_AFTER_CHUNKS};

use std::fmt;

/// Why the phone's storage refused, so the app can say something useful.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The browser has no IndexedDB (private mode, old WebView) or refused to open it.
    Unavailable(String),
    /// The storage quota is full.
    QuotaExceeded,
    /// Any other failure of a read or write.
    Failed(String),
    /// Stored bytes could not be loaded as a document.
    Corrupt(String),
    /// The app's document engine (a wasm part) could not be fetched: offline before the
    /// service worker had cached it.
    EngineUnavailable,
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable(m) => write!(f, "storage unavailable: {m}"),
            StorageError::QuotaExceeded => write!(f, "storage quota exceeded"),
            StorageError::Failed(m) => write!(f, "storage failed: {m}"),
            StorageError::Corrupt(m) => write!(f, "stored document corrupt: {m}"),
            StorageError::EngineUnavailable => write!(f, "document engine not loaded"),
        }
    }
}

impl From<idb::Error> for StorageError {
    fn from(e: idb::Error) -> Self {
        let text = e.to_string();
        if text.contains("QuotaExceeded") {
            StorageError::QuotaExceeded
        } else {
            StorageError::Failed(text)
        }
    }
}

/// Chunk keys sort in write order: a per-document sequence number, zero-padded.
pub fn chunk_key(doc_id: &str, seq: u64) -> String {
    format!("{doc_id}/{seq:016x}")
}

/// The sequence number of a chunk key, if it belongs to `doc_id`.
pub fn chunk_seq(doc_id: &str, key: &str) -> Option<u64> {
    let rest = key.strip_prefix(doc_id)?.strip_prefix('/')?;
    (rest.len() == 16).then(|| u64::from_str_radix(rest, 16).ok())?
}
