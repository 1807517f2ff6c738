//! Document ownership claims as an append-only log: `<data>/owners.log`.
//!
//! A member's new document (a meeting, a photo) is claimed for the member's community on its
//! first sync: often, and on the relay's core thread, which must never wait for the registry's
//! store (an update may be writing it). So a claim is one framed record (`storage::record`:
//! `[len][crc32][document id | community id]`) appended and fdatasynced. Loading applies the
//! log after `registry.sqlite` (`store.rs`); the next change written to the store holds every
//! claim, and the log is emptied then.

use std::io;
use std::path::Path;

use linli_shared::wire::doc_id::DOCUMENT_ID_LEN;
use linli_shared::wire::DocumentId;

use crate::storage::append_log::AppendLog;

pub const FILE: &str = "owners.log";

/// A claim: this document belongs to this community.
pub type Claim = (DocumentId, DocumentId);

/// The open claim log.
pub struct ClaimLog {
    log: AppendLog,
}

impl ClaimLog {
    /// Opens (creating) the log and returns the claims in it; a torn tail is cut off.
    pub fn open(data: &Path) -> io::Result<(ClaimLog, Vec<Claim>)> {
        let (log, payloads) = AppendLog::open(&data.join(FILE), 0)?;
        let claims = payloads
            .iter()
            .filter_map(|p| {
                let (doc, community) = p.split_at_checked(DOCUMENT_ID_LEN)?;
                Some((
                    DocumentId::from_bytes(doc.try_into().ok()?),
                    DocumentId::from_bytes(community.try_into().ok()?),
                ))
            })
            .collect();
        Ok((ClaimLog { log }, claims))
    }

    /// Appends a claim; durable when this returns `Ok`. On error the log is cut back.
    pub fn append(&mut self, doc: &DocumentId, community: &DocumentId) -> io::Result<()> {
        let payload = [doc.as_bytes().as_slice(), community.as_bytes()].concat();
        self.log.append(&[payload])
    }

    /// Empties the log: call only once the store durably holds every claim in it.
    pub fn clear(&mut self) -> io::Result<()> {
        self.log.clear()
    }
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;
    use std::io::Write;

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
