//! Actor bindings as an append-only log: `<data>/actors.log`.
//!
//! Each Automerge actor id a member writes with is bound to that member on first use
//! (`core::actors`). A binding is one framed record (`storage::record`: `[len][crc32]
//! [community: 16 bytes][actor length: u32 LE][actor][member id, UTF-8]`), appended and
//! fdatasynced before any change under the actor is acknowledged. Never rewritten: the first
//! record for an actor is its binding; a torn tail (a crash during an append, never
//! acknowledged) is cut off when the log is opened.

use std::io;
use std::path::Path;

use automerge::ActorId;
use linli_shared::wire::doc_id::DOCUMENT_ID_LEN;
use linli_shared::wire::DocumentId;

use super::append_log::AppendLog;

pub const FILE: &str = "actors.log";

/// An actor id and the member it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorBinding {
    pub actor: ActorId,
    /// The member's community (its community document).
    pub community: DocumentId,
    pub member_id: String,
}

impl ActorBinding {
    fn encode(&self) -> Vec<u8> {
        let actor = self.actor.to_bytes();
        let mut out = Vec::with_capacity(DOCUMENT_ID_LEN + 4 + actor.len() + self.member_id.len());
        out.extend_from_slice(self.community.as_bytes());
        // An actor id comes from a sync message, itself far smaller than 4 GiB.
        out.extend_from_slice(&u32::try_from(actor.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(actor);
        out.extend_from_slice(self.member_id.as_bytes());
        out
    }

    fn decode(payload: &[u8]) -> Option<ActorBinding> {
        let (community, rest) = payload.split_at_checked(DOCUMENT_ID_LEN)?;
        let (len, rest) = rest.split_at_checked(4)?;
        let len = usize::try_from(u32::from_le_bytes(len.try_into().ok()?)).ok()?;
        let (actor, member) = rest.split_at_checked(len)?;
        Some(ActorBinding {
            actor: ActorId::from(actor),
            community: DocumentId::from_bytes(community.try_into().ok()?),
            member_id: String::from_utf8(member.to_vec()).ok()?,
        })
    }
}

/// The open binding log.
pub struct ActorLog {
    log: AppendLog,
}

impl ActorLog {
    /// Opens (creating) the log at `data`/[`FILE`] and returns the bindings in it, in order;
    /// a torn tail is cut off.
    pub fn open(data: &Path) -> io::Result<(ActorLog, Vec<ActorBinding>)> {
        let (log, payloads) = AppendLog::open(&data.join(FILE), 0)?;
        let bindings = decode_all(&payloads);
        Ok((ActorLog { log }, bindings))
    }

    /// Reads the bindings in the log at `data`/[`FILE`] (none if there is no log).
    pub fn read(data: &Path) -> io::Result<Vec<ActorBinding>> {
        let bytes = match std::fs::read(data.join(FILE)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(decode_all(
            &super::record::read_records_before_zeros(&bytes).payloads,
        ))
    }

    /// Appends the bindings with one fsync; all are durable when this returns `Ok`. On error
    /// none is (what was written is undone).
    pub fn append(&mut self, bindings: &[ActorBinding]) -> io::Result<()> {
        let payloads: Vec<Vec<u8>> = bindings.iter().map(ActorBinding::encode).collect();
        self.log.append(&payloads)
    }
}

fn decode_all(payloads: &[Vec<u8>]) -> Vec<ActorBinding> {
    payloads
        .iter()
        .filter_map(|p| {
            let binding = ActorBinding::decode(p);
            if binding.is_none() {
                // The record's checksum matched: written by another version of the relay.
                tracing::error!(bytes = p.len(), "skipping an unreadable actor binding");
            }
            binding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;
    use std::io::Write;

    use super::*;

    fn binding(actor: &[u8], community: u8, member: &str) -> ActorBinding {
        ActorBinding {
            actor: ActorId::from(actor),
            community: DocumentId::from_bytes([community; DOCUMENT_ID_LEN]),
            member_id: member.into(),
        }
    }

    #[test]
    fn bindings_load_back_in_order_and_a_torn_tail_is_cut() {
        let dir = tempfile::tempdir().unwrap();
        let (mut log, bindings) = ActorLog::open(dir.path()).unwrap();
        assert!(bindings.is_empty());
        let first = [binding(&[1; 16], 9, "m-alice"), binding(&[], 9, "")];
        log.append(&first).unwrap();
        log.append(&[binding(&[3; 200], 8, "成员")]).unwrap();
        drop(log);
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE))
            .unwrap();
        file.write_all(&[60, 0, 0, 0, 1, 2]).unwrap();

        let expected = vec![
            first[0].clone(),
            first[1].clone(),
            binding(&[3; 200], 8, "成员"),
        ];
        assert_eq!(ActorLog::read(dir.path()).unwrap(), expected);
        let (mut log, bindings) = ActorLog::open(dir.path()).unwrap();
        assert_eq!(bindings, expected);
        log.append(&[binding(&[4; 16], 9, "m-bob")]).unwrap();
        drop(log);
        assert_eq!(ActorLog::read(dir.path()).unwrap().len(), 4);
    }

    #[test]
    fn a_missing_log_holds_no_bindings_and_garbage_is_no_binding() {
        let dir = tempfile::tempdir().unwrap();
        assert!(ActorLog::read(dir.path()).unwrap().is_empty());
        assert_eq!(ActorBinding::decode(&[1; 10]), None);
        let mut bad = binding(&[1; 16], 9, "m").encode();
        bad[DOCUMENT_ID_LEN] = 200; // an actor longer than the record
        assert_eq!(ActorBinding::decode(&bad), None);
    }
}
