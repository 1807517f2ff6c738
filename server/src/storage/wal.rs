//! The write-ahead log: one fsync for a batch of changes to many documents.
//!
//! `<data>/wal` holds records framed like the document logs ([`super::record`]); each payload
//! is the 16-byte document id followed by one incremental save. [`super::FileStore`] appends
//! a batch's records here and fsyncs this one file: the batch is durable once
//! [`Wal::append`] returns, however many documents it touched. A checkpoint later appends the
//! records to the documents' own logs, fsyncs them and empties this file. The file keeps
//! [`RESERVE`] bytes of zeros that records overwrite, so an append does not change its size
//! (a cheaper fdatasync, see [`super::append_log`]).
//!
//! After a crash the document logs may lack (or hold torn copies of) records that are here;
//! opening the store replays every record into its document's log before anything is read.
//! A record that had reached its log is then stored twice, which Automerge ignores on load.

use std::io;
use std::path::{Path, PathBuf};

use linli_shared::wire::doc_id::DOCUMENT_ID_LEN;
use linli_shared::wire::DocumentId;

use super::append_log::AppendLog;

const WAL: &str = "wal";

/// Bytes of zeros the log keeps on disk for records (a checkpoint empties it at 16 MiB).
pub const RESERVE: u64 = 17 * 1024 * 1024;

/// The write-ahead log file of one data directory.
pub struct Wal {
    path: PathBuf,
    log: AppendLog,
}

/// A change to replay: the document and its incremental save.
pub type Replay = (DocumentId, Vec<u8>);

impl Wal {
    /// Opens (creating if needed) `<root>/wal` and returns the records it holds, in order.
    /// A torn tail (a batch whose fsync never completed, so never acknowledged) is cut off.
    pub fn open(root: &Path) -> io::Result<(Wal, Vec<Replay>)> {
        let path = root.join(WAL);
        let (log, payloads) = AppendLog::open(&path, RESERVE)?;
        let mut replay = Vec::with_capacity(payloads.len());
        for payload in &payloads {
            // The CRC matched, so a short record was written by something else.
            let Some((id, changes)) = payload.split_first_chunk::<DOCUMENT_ID_LEN>() else {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a write-ahead log record is shorter than a document id",
                ));
            };
            replay.push((DocumentId::from_bytes(*id), changes.to_vec()));
        }
        Ok((Wal { path, log }, replay))
    }

    /// Bytes in the log.
    pub fn len(&self) -> u64 {
        self.log.len()
    }

    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// Appends one record per change and fsyncs once; all are durable when this returns
    /// `Ok`. On error the log is cut back to where it was.
    pub fn append(&mut self, changes: &[(DocumentId, &[u8])]) -> io::Result<()> {
        let payloads: Vec<Vec<u8>> = changes
            .iter()
            .map(|(id, change)| [id.as_bytes().as_slice(), change].concat())
            .collect();
        self.log.append(&payloads)
    }

    /// Empties the log. Call only once every record in it is durable elsewhere.
    pub fn clear(&mut self) -> io::Result<()> {
        self.log.clear()
    }

    /// The file's path (for messages).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;
    use std::os::unix::fs::FileExt;

    use super::super::record::encode_record;
    use super::*;

    fn id(n: u8) -> DocumentId {
        DocumentId::from_bytes([n; DOCUMENT_ID_LEN])
    }

    #[test]
    fn records_come_back_in_order_and_a_torn_tail_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wal, replay) = Wal::open(dir.path()).unwrap();
        assert!(replay.is_empty() && wal.is_empty());
        wal.append(&[(id(1), b"a"), (id(2), b"b")]).unwrap();
        wal.append(&[(id(1), b"c")]).unwrap();
        let end = wal.len();
        drop(wal);
        let file = OpenOptions::new()
            .write(true)
            .open(dir.path().join(WAL))
            .unwrap();
        file.write_all_at(&encode_record(b"torn record")[..10], end)
            .unwrap();

        let (mut wal, replay) = Wal::open(dir.path()).unwrap();
        wal.append(&[(id(3), b"after the cut")]).unwrap();
        assert_eq!(
            replay,
            vec![
                (id(1), b"a".to_vec()),
                (id(2), b"b".to_vec()),
                (id(1), b"c".to_vec())
            ]
        );
        drop(wal);
        let (mut wal, replay) = Wal::open(dir.path()).unwrap();
        assert_eq!(
            replay.len(),
            4,
            "a record appended after a torn tail is kept"
        );
        assert_eq!(replay[3], (id(3), b"after the cut".to_vec()));
        wal.clear().unwrap();
        let (_, replay) = Wal::open(dir.path()).unwrap();
        assert!(replay.is_empty());
    }
}
