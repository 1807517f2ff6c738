//! Presence in a meeting (who is here, which agenda item each person is
//! editing), sent as automerge-repo `ephemeral` messages: forwarded by the
//! relay to the document's other peers, never stored.
//!
//! The payload is a CBOR map `{member, editing?, leaving?}`. It names the
//! member by id only (never a name or phone number); receivers look the name
//! up in the meeting's participants. A peer that stops sending is gone after
//! [`PRESENCE_TTL_MS`]; senders repeat their state every [`HEARTBEAT_MS`].

use serde::{Deserialize, Serialize};

use super::client::SyncClient;
use super::doc_id::DocumentId;
use super::message::{DecodeError, Message};

/// How often a present peer repeats its presence.
pub const HEARTBEAT_MS: u32 = 5_000;
/// A peer not heard from for this long has left.
pub const PRESENCE_TTL_MS: i64 = 12_000;

/// One peer's presence in a meeting document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// The member id of the person on that phone.
    pub member: String,
    /// The agenda item whose notes they are editing, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing: Option<String>,
    /// Sent once when they leave the meeting page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leaving: bool,
}

impl Presence {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(self, &mut out).expect("writing CBOR to a Vec cannot fail");
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Presence, DecodeError> {
        ciborium::from_reader(bytes).map_err(|e| DecodeError::Cbor(e.to_string()))
    }
}

/// The `ephemeral` frame carrying `presence` for document `doc`, or None while
/// the relay has not answered `join`. `session_id` is fixed for the page's life
/// and `count` grows with every message, so receivers can drop repeats.
pub fn presence_frame(
    client: &SyncClient,
    doc: DocumentId,
    session_id: &str,
    count: u64,
    presence: &Presence,
) -> Option<Vec<u8>> {
    let server = client.server_peer()?.clone();
    Some(
        Message::Ephemeral {
            sender_id: client.peer_id().clone(),
            target_id: server,
            document_id: doc,
            session_id: session_id.to_string(),
            count,
            data: presence.encode(),
        }
        .encode(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Event, PeerId, PeerMetadata};
    use automerge::AutoCommit;
    use std::collections::HashMap;

    fn connected(name: &str) -> SyncClient {
        let mut client = SyncClient::new(PeerId::new(name), PeerMetadata::default());
        let peer = Message::Peer {
            sender_id: PeerId::new("relay"),
            target_id: PeerId::new(name),
            peer_metadata: PeerMetadata::default(),
            selected_protocol_version: "1".into(),
        };
        let mut docs: HashMap<DocumentId, AutoCommit> = HashMap::new();
        client.handle_frame(&peer.encode(), &mut docs);
        client
    }

    #[test]
    fn payload_round_trips_and_stays_small() {
        let p = Presence {
            member: "m1".into(),
            editing: Some("item-7".into()),
            leaving: false,
        };
        let bytes = p.encode();
        assert_eq!(Presence::decode(&bytes).unwrap(), p);
        let idle = Presence {
            member: "m1".into(),
            editing: None,
            leaving: false,
        };
        assert!(
            idle.encode().len() < p.encode().len(),
            "absent fields are omitted"
        );
        assert!(Presence::decode(b"\x01\x02").is_err());
    }

    #[test]
    fn frame_is_an_ephemeral_message_to_the_relay() {
        let doc = DocumentId::from_bytes([3; 16]);
        let p = Presence {
            member: "m1".into(),
            editing: None,
            leaving: true,
        };
        let offline = SyncClient::new(PeerId::new("a"), PeerMetadata::default());
        assert!(presence_frame(&offline, doc, "s", 1, &p).is_none());

        let client = connected("a");
        let frame = presence_frame(&client, doc, "s", 9, &p).unwrap();
        match Message::decode(&frame).unwrap() {
            Message::Ephemeral {
                sender_id,
                target_id,
                document_id,
                session_id,
                count,
                data,
            } => {
                assert_eq!(sender_id.as_str(), "a");
                assert_eq!(target_id.as_str(), "relay");
                assert_eq!(document_id, doc);
                assert_eq!((session_id.as_str(), count), ("s", 9));
                assert_eq!(Presence::decode(&data).unwrap(), p);
            }
            other => panic!("not ephemeral: {other:?}"),
        }
    }

    #[test]
    fn a_receiving_client_surfaces_it_for_open_documents_only() {
        let doc = DocumentId::from_bytes([4; 16]);
        let p = Presence {
            member: "m2".into(),
            editing: Some("i".into()),
            leaving: false,
        };
        let sender = connected("a");
        let frame = presence_frame(&sender, doc, "s", 1, &p).unwrap();
        let mut receiver = connected("b");
        let mut docs: HashMap<DocumentId, AutoCommit> = HashMap::new();
        assert!(receiver.handle_frame(&frame, &mut docs).events.is_empty());
        receiver.open(doc, docs.entry(doc).or_default());
        let events = receiver.handle_frame(&frame, &mut docs).events;
        let Some(Event::Ephemeral { data, .. }) = events.first() else {
            panic!("no ephemeral event: {events:?}");
        };
        assert_eq!(Presence::decode(data).unwrap(), p);
    }
}
