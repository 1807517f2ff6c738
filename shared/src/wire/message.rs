//! The automerge-repo messages and their CBOR encoding.
//!
//! Every WebSocket frame holds one CBOR map with a `type` field. Field names and shapes follow
//! `@automerge/automerge-repo` 2.5.6 (`network/messages.ts`) and its WebSocket adapter
//! (`join`, `peer`, `error`). Byte fields (`data`) are CBOR byte strings, as cbor-x writes
//! a `Uint8Array`. Numbers (`count`, `timestamp`) are accepted as integers or floats, because
//! cbor-x writes integers above 2^32 as float64. The flat map itself is in [`super::frame`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::doc_id::{DocumentId, DocumentIdError};
use super::frame::{whole_number, Frame};

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

#[cfg(test)]
mod tests;
