//! The write-ahead log: one fsync for a batch of changes to many documents.
//!
//! `<data>/wal` holds records framed like the document logs ([`super::record`]); each payload
//! is the 16-byte document id followed by one incremental save. [`super::FileStore`] writes a
//! batch's records to the documents' own logs *without* fsync, then appends them all here and
//! fsyncs this one file: the batch is durable once [`Wal::append`] returns, however many
//! documents it touched. A checkpoint later fsyncs the document logs and empties this file.
//!
//! After a crash the document logs may lack (or hold torn copies of) records that are here;
//! opening the store replays every record into its document's log before anything is read.
//! A record that had reached its log is then stored twice, which Automerge ignores on load.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use linli_shared::wire::doc_id::DOCUMENT_ID_LEN;
use linli_shared::wire::DocumentId;

use super::record::{encode_record, read_records};

const WAL: &str = "wal";

/// The write-ahead log file of one data directory.
pub struct Wal {
    path: PathBuf,
    file: File,
    len: u64,
}

/// A change to replay: the document and its incremental save.
pub type Replay = (DocumentId, Vec<u8>);

impl Wal {
    /// Opens (creating if needed) `<root>/wal` and returns the records it holds, in order.
    /// A torn tail (a batch whose fsync never completed, so never acknowledged) is cut off.
    pub fn open(root: &Path) -> io::Result<(Wal, Vec<Replay>)> {
        let path = root.join(WAL);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let records = read_records(&bytes);
        let mut replay = Vec::with_capacity(records.payloads.len());
        for payload in &records.payloads {
            // The CRC matched, so a short record was written by something else.
            let Some((id, changes)) = payload.split_first_chunk::<DOCUMENT_ID_LEN>() else {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a write-ahead log record is shorter than a document id",
                ));
            };
            replay.push((DocumentId::from_bytes(*id), changes.to_vec()));
        }
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        if records.valid_len < bytes.len() as u64 {
            file.set_len(records.valid_len)?;
            file.sync_all()?;
        }
        let wal = Wal {
            path,
            file,
            len: records.valid_len,
        };
        Ok((wal, replay))
    }

    /// Bytes in the log, a torn tail included until the next [`Wal::clear`].
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one record per change and fsyncs once; all are durable when this returns
    /// `Ok`. On error the log is cut back to where it was.
    pub fn append(&mut self, changes: &[(DocumentId, &[u8])]) -> io::Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut bytes = Vec::new();
        for (id, change) in changes {
            let mut payload = Vec::with_capacity(DOCUMENT_ID_LEN + change.len());
            payload.extend_from_slice(id.as_bytes());
            payload.extend_from_slice(change);
            bytes.extend_from_slice(&encode_record(&payload));
        }
        if let Err(e) = self
            .file
            .write_all(&bytes)
            .and_then(|_| self.file.sync_data())
        {
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Empties the log. Call only once every record in it is durable elsewhere.
    pub fn clear(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.sync_all()?;
        self.len = 0;
        Ok(())
    }

    /// The file's path (for messages).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
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
        drop(wal);
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(WAL))
            .unwrap();
        file.write_all(&encode_record(b"torn record")[..10])
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
