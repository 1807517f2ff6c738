//! Document ownership claims as an append-only log: `<data>/owners.log`.
//!
//! A member's new document (a meeting, a photo) is claimed for the member's community on its
//! first sync: often, and on the relay's core thread. Rewriting all of `access.json` for each
//! claim (temp file, fsync, rename, fsync the directory) costs more as the registry grows, so
//! a claim is one framed record (`storage::record`: `[len][crc32][document id | community
//! id]`) appended and fdatasynced. Loading applies the log after `access.json`; whenever
//! `access.json` is saved for another reason it holds every claim, and the log is emptied.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use linli_shared::wire::doc_id::DOCUMENT_ID_LEN;
use linli_shared::wire::DocumentId;

use crate::storage::record::{encode_record, read_records};

pub const FILE: &str = "owners.log";

/// A claim: this document belongs to this community.
pub type Claim = (DocumentId, DocumentId);

/// The open claim log.
pub struct ClaimLog {
    file: File,
    len: u64,
}

impl ClaimLog {
    /// Opens (creating) the log and returns the claims in it; a torn tail is cut off.
    pub fn open(data: &Path) -> io::Result<(ClaimLog, Vec<Claim>)> {
        let path = data.join(FILE);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let records = read_records(&bytes);
        let claims = records
            .payloads
            .iter()
            .filter_map(|p| {
                let (doc, community) = p.split_at_checked(DOCUMENT_ID_LEN)?;
                Some((
                    DocumentId::from_bytes(doc.try_into().ok()?),
                    DocumentId::from_bytes(community.try_into().ok()?),
                ))
            })
            .collect();
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        if records.valid_len < bytes.len() as u64 {
            file.set_len(records.valid_len)?;
            file.sync_all()?;
        }
        let log = ClaimLog {
            file,
            len: records.valid_len,
        };
        Ok((log, claims))
    }

    /// Appends a claim; durable when this returns `Ok`. On error the log is cut back.
    pub fn append(&mut self, doc: &DocumentId, community: &DocumentId) -> io::Result<()> {
        let mut payload = Vec::with_capacity(2 * DOCUMENT_ID_LEN);
        payload.extend_from_slice(doc.as_bytes());
        payload.extend_from_slice(community.as_bytes());
        let record = encode_record(&payload);
        if let Err(e) = self
            .file
            .write_all(&record)
            .and_then(|_| self.file.sync_data())
        {
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += record.len() as u64;
        Ok(())
    }

    /// Empties the log: call only once `access.json` durably holds every claim in it.
    pub fn clear(&mut self) -> io::Result<()> {
        if self.len > 0 {
            self.file.set_len(0)?;
            self.file.sync_all()?;
            self.len = 0;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> DocumentId {
        DocumentId::from_bytes([n; DOCUMENT_ID_LEN])
    }

    #[test]
    fn claims_load_back_in_order_and_a_torn_tail_is_cut() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, claims) = ClaimLog::open(dir.path()).unwrap();
        assert!(claims.is_empty());
        log.append(&id(1), &id(9)).unwrap();
        log.append(&id(2), &id(9)).unwrap();
        drop(log);
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE))
            .unwrap();
        file.write_all(&[40, 0, 0, 0, 1]).unwrap();

        let (mut log, claims) = ClaimLog::open(dir.path()).unwrap();
        assert_eq!(claims, vec![(id(1), id(9)), (id(2), id(9))]);
        log.append(&id(3), &id(9)).unwrap();
        log.clear().unwrap();
        log.append(&id(4), &id(8)).unwrap();
        drop(log);
        let (_, claims) = ClaimLog::open(dir.path()).unwrap();
        assert_eq!(claims, vec![(id(4), id(8))]);
    }
}
