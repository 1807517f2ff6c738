//! The flat CBOR map every message is on the wire: one optional field per key any message
//! type uses, converted to and from the typed [`Message`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use super::doc_id::DocumentId;
use super::message::{DecodeError, Message, PeerId, PeerMetadata, StorageHeads};

/// The flat shape of every message on the wire; absent fields are `None`.
#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Frame {
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
    pub(super) fn into_message(self) -> Result<Message, DecodeError> {
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

    pub(super) fn from_message(message: &Message) -> Frame {
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
pub(super) mod whole_number {
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
