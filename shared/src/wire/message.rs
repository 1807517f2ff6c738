//! The automerge-repo messages and their CBOR encoding.
//!
//! Every WebSocket frame holds one CBOR map with a `type` field. Field names and shapes follow
//! `@automerge/automerge-repo` 2.5.6 (`network/messages.ts`) and its WebSocket adapter
//! (`join`, `peer`, `error`). Byte fields (`data`) are CBOR byte strings, as cbor-x writes
//! a `Uint8Array`. Numbers (`count`, `timestamp`) are accepted as integers or floats, because
//! cbor-x writes integers above 2^32 as float64.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use super::doc_id::{DocumentId, DocumentIdError};

/// The only protocol version automerge-repo 2.x speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// A peer id as automerge-repo uses them: any string the peer chooses for itself.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PeerId(String);

impl PeerId {
    pub fn new(id: impl Into<String>) -> Self {
        PeerId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PeerId({})", self.0)
    }
}

/// What a peer says about itself in `join` / `peer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerMetadata {
    /// Set by a peer that persists documents, so others can remember what it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_id: Option<String>,
    /// True if the peer will not come back with the same storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_ephemeral: Option<bool>,
}

/// The heads a storage holds, in a `remote-heads-changed` message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageHeads {
    /// Base58 encoded change hashes (as automerge-repo writes them).
    pub heads: Vec<String>,
    /// Milliseconds since the Unix epoch.
    #[serde(with = "whole_number")]
    pub timestamp: u64,
}

/// One automerge-repo message.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Client → server, first message on a connection.
    Join {
        sender_id: PeerId,
        peer_metadata: PeerMetadata,
        supported_protocol_versions: Vec<String>,
    },
    /// Server → client, the answer to `join`.
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        peer_metadata: PeerMetadata,
        selected_protocol_version: String,
    },
    /// A fatal protocol error; the sender closes the connection after it.
    Error {
        sender_id: Option<PeerId>,
        target_id: Option<PeerId>,
        message: String,
    },
    /// An Automerge sync message (`automerge::sync::Message` encoded) for one document.
    Sync {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    /// Like `Sync`, sent by a peer that has no copy of the document yet.
    Request {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    /// "I don't have this document" (the answer to a `request`).
    DocUnavailable {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
    },
    /// Presence/cursor data: forwarded, never stored. `data` is an opaque CBOR payload.
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        session_id: String,
        count: u64,
        data: Vec<u8>,
    },
    /// The heads some storages hold for a document.
    RemoteHeadsChanged {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        new_heads: BTreeMap<String, StorageHeads>,
    },
    /// Subscribe to / unsubscribe from heads of the given storage ids.
    RemoteSubscriptionChange {
        sender_id: PeerId,
        target_id: PeerId,
        add: Vec<String>,
        remove: Vec<String>,
    },
}

/// Why bytes are not a valid message. Decoding never panics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("malformed CBOR message: {0}")]
    Cbor(String),
    #[error("unknown message type `{0}`")]
    UnknownType(String),
    #[error("`{message_type}` message lacks field `{field}`")]
    MissingField {
        message_type: String,
        field: &'static str,
    },
    #[error("invalid documentId: {0}")]
    InvalidDocumentId(#[from] DocumentIdError),
}

impl Message {
    /// Decodes one frame.
    pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
        let frame: Frame =
            ciborium::from_reader(bytes).map_err(|e| DecodeError::Cbor(e.to_string()))?;
        frame.into_message()
    }

    /// Encodes this message as one frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(&Frame::from_message(self), &mut out)
            .expect("writing CBOR into a Vec cannot fail");
        out
    }

    /// The `type` string of this message on the wire.
    pub fn type_name(&self) -> &'static str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Error { .. } => "error",
            Message::Sync { .. } => "sync",
            Message::Request { .. } => "request",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::RemoteHeadsChanged { .. } => "remote-heads-changed",
            Message::RemoteSubscriptionChange { .. } => "remote-subscription-change",
        }
    }

    /// The sender, if the message names one.
    pub fn sender_id(&self) -> Option<&PeerId> {
        match self {
            Message::Error { sender_id, .. } => sender_id.as_ref(),
            Message::Join { sender_id, .. }
            | Message::Peer { sender_id, .. }
            | Message::Sync { sender_id, .. }
            | Message::Request { sender_id, .. }
            | Message::DocUnavailable { sender_id, .. }
            | Message::Ephemeral { sender_id, .. }
            | Message::RemoteHeadsChanged { sender_id, .. }
            | Message::RemoteSubscriptionChange { sender_id, .. } => Some(sender_id),
        }
    }
}

/// The flat shape of every message on the wire; absent fields are `None`.
#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Frame {
    #[serde(rename = "type")]
    message_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sender_id: Option<PeerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_id: Option<PeerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    document_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<ByteBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    peer_metadata: Option<PeerMetadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supported_protocol_versions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selected_protocol_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_id: Option<String>,
    #[serde(
        default,
        with = "optional_whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_heads: Option<BTreeMap<String, StorageHeads>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    add: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    remove: Option<Vec<String>>,
}

impl Frame {
    fn into_message(self) -> Result<Message, DecodeError> {
        let t = self.message_type.clone();
        let missing = |field| DecodeError::MissingField {
            message_type: t.clone(),
            field,
        };
        let sender = self.sender_id.clone().ok_or_else(|| missing("senderId"));
        let target = self.target_id.clone().ok_or_else(|| missing("targetId"));
        let document = || -> Result<DocumentId, DecodeError> {
            Ok(self
                .document_id
                .as_deref()
                .ok_or_else(|| missing("documentId"))?
                .parse()?)
        };
        let data = self.data.clone().map(ByteBuf::into_vec);
        let data = || data.clone().ok_or_else(|| missing("data"));
        Ok(match self.message_type.as_str() {
            "join" => Message::Join {
                sender_id: sender?,
                peer_metadata: self.peer_metadata.clone().unwrap_or_default(),
                supported_protocol_versions: self
                    .supported_protocol_versions
                    .clone()
                    .ok_or_else(|| missing("supportedProtocolVersions"))?,
            },
            "peer" => Message::Peer {
                sender_id: sender?,
                target_id: target?,
                peer_metadata: self.peer_metadata.clone().unwrap_or_default(),
                selected_protocol_version: self
                    .selected_protocol_version
                    .clone()
                    .ok_or_else(|| missing("selectedProtocolVersion"))?,
            },
            "error" => Message::Error {
                sender_id: self.sender_id.clone(),
                target_id: self.target_id.clone(),
                message: self.message.clone().ok_or_else(|| missing("message"))?,
            },
            "sync" => Message::Sync {
                sender_id: sender?,
                target_id: target?,
                document_id: document()?,
                data: data()?,
            },
            "request" => Message::Request {
                sender_id: sender?,
                target_id: target?,
                document_id: document()?,
                data: data()?,
            },
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: sender?,
                target_id: target?,
                document_id: document()?,
            },
            "ephemeral" => Message::Ephemeral {
                sender_id: sender?,
                target_id: target?,
                document_id: document()?,
                session_id: self
                    .session_id
                    .clone()
                    .ok_or_else(|| missing("sessionId"))?,
                count: self.count.ok_or_else(|| missing("count"))?,
                data: data()?,
            },
            "remote-heads-changed" => Message::RemoteHeadsChanged {
                sender_id: sender?,
                target_id: target?,
                document_id: document()?,
                new_heads: self.new_heads.clone().ok_or_else(|| missing("newHeads"))?,
            },
            "remote-subscription-change" => Message::RemoteSubscriptionChange {
                sender_id: sender?,
                target_id: target?,
                add: self.add.clone().unwrap_or_default(),
                remove: self.remove.clone().unwrap_or_default(),
            },
            other => return Err(DecodeError::UnknownType(other.to_string())),
        })
    }

    fn from_message(message: &Message) -> Frame {
        let mut f = Frame {
            message_type: message.type_name().to_string(),
            sender_id: message.sender_id().cloned(),
            ..Frame::default()
        };
        match message.clone() {
            Message::Join {
                peer_metadata,
                supported_protocol_versions,
                ..
            } => {
                f.peer_metadata = Some(peer_metadata);
                f.supported_protocol_versions = Some(supported_protocol_versions);
            }
            Message::Peer {
                target_id,
                peer_metadata,
                selected_protocol_version,
                ..
            } => {
                f.target_id = Some(target_id);
                f.peer_metadata = Some(peer_metadata);
                f.selected_protocol_version = Some(selected_protocol_version);
            }
            Message::Error {
                target_id, message, ..
            } => {
                f.target_id = target_id;
                f.message = Some(message);
            }
            Message::Sync {
                target_id,
                document_id,
                data,
                ..
            }
            | Message::Request {
                target_id,
                document_id,
                data,
                ..
            } => {
                f.target_id = Some(target_id);
                f.document_id = Some(document_id.to_string());
                f.data = Some(ByteBuf::from(data));
            }
            Message::DocUnavailable {
                target_id,
                document_id,
                ..
            } => {
                f.target_id = Some(target_id);
                f.document_id = Some(document_id.to_string());
            }
            Message::Ephemeral {
                target_id,
                document_id,
                session_id,
                count,
                data,
                ..
            } => {
                f.target_id = Some(target_id);
                f.document_id = Some(document_id.to_string());
                f.session_id = Some(session_id);
                f.count = Some(count);
                f.data = Some(ByteBuf::from(data));
            }
            Message::RemoteHeadsChanged {
                target_id,
                document_id,
                new_heads,
                ..
            } => {
                f.target_id = Some(target_id);
                f.document_id = Some(document_id.to_string());
                f.new_heads = Some(new_heads);
            }
            Message::RemoteSubscriptionChange {
                target_id,
                add,
                remove,
                ..
            } => {
                f.target_id = Some(target_id);
                f.add = Some(add);
                f.remove = Some(remove);
            }
        }
        f
    }
}

/// A non-negative whole number written as a CBOR integer or (by cbor-x, above 2^32) a float.
mod whole_number {
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*n)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_any(WholeNumber)
    }

    struct WholeNumber;

    impl Visitor<'_> for WholeNumber {
        type Value = u64;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a non-negative whole number")
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom("negative number"))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= u64::MAX as f64 {
                Ok(v as u64)
            } else {
                Err(E::custom("not a whole number"))
            }
        }
    }
}

/// `Option` of a [`whole_number`]; CBOR `null`/`undefined` read as `None`.
mod optional_whole_number {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match n {
            Some(n) => s.serialize_u64(*n),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super::whole_number")] u64);
        Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(n)| n))
    }
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
