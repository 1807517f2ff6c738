//! What an attacker connection sends: raw bytes, mutated real frames, or well-formed
//! messages with attacker-chosen fields (real Automerge sync data among them).

use std::collections::HashMap;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use linli_shared::wire::{DocumentId, Message, PeerId, PeerMetadata, SyncClient};

/// The shared document the honest peers edit, and two more the attacker may touch.
pub const DOCS: [DocumentId; 3] = [
    DocumentId::from_bytes([1; 16]),
    DocumentId::from_bytes([2; 16]),
    DocumentId::from_bytes([3; 16]),
];

#[derive(Arbitrary, Debug)]
pub enum FrameSpec {
    Raw(Vec<u8>),
    /// A real frame with some bytes overwritten and maybe truncated.
    Mutated {
        template: u8,
        edits: Vec<(u16, u8)>,
        truncate: Option<u16>,
    },
    Built(MessageSpec),
}

#[derive(Arbitrary, Debug)]
pub enum MessageSpec {
    Join {
        sender: u8,
        versions: Vec<u8>,
    },
    Peer {
        sender: u8,
    },
    Error {
        message: String,
    },
    Sync {
        sender: u8,
        doc: u8,
        data: DataSpec,
    },
    Request {
        sender: u8,
        doc: u8,
        data: DataSpec,
    },
    DocUnavailable {
        sender: u8,
        doc: u8,
    },
    Ephemeral {
        sender: u8,
        doc: u8,
        count: u64,
        data: Vec<u8>,
    },
    RemoteSubscriptionChange {
        sender: u8,
        add: Vec<String>,
    },
}

/// The payload of a `sync`/`request`.
#[derive(Arbitrary, Debug)]
pub enum DataSpec {
    Raw(Vec<u8>),
    /// The sync data of a real frame.
    Real(u8),
    /// The sync data of a real frame with one byte changed.
    RealFlipped {
        template: u8,
        at: u16,
        value: u8,
    },
}

/// Peer ids the attacker picks from: its own, and the honest peers' and relay's.
const SENDERS: [&str; 4] = ["mallory", "honest-a", "honest-b", "relay"];

fn sender(i: u8) -> PeerId {
    PeerId::new(SENDERS[i as usize % SENDERS.len()])
}

fn doc(i: u8) -> DocumentId {
    DOCS[i as usize % DOCS.len()]
}

impl FrameSpec {
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            FrameSpec::Raw(bytes) => bytes.clone(),
            FrameSpec::Mutated {
                template,
                edits,
                truncate,
            } => {
                let mut frame = pick(*template).to_vec();
                for (at, value) in edits {
                    if !frame.is_empty() {
                        let i = *at as usize % frame.len();
                        frame[i] = *value;
                    }
                }
                if let Some(len) = truncate {
                    frame.truncate(*len as usize);
                }
                frame
            }
            FrameSpec::Built(spec) => spec.message().encode(),
        }
    }
}

impl MessageSpec {
    fn message(&self) -> Message {
        let target_id = PeerId::new("relay");
        match self {
            MessageSpec::Join {
                sender: s,
                versions,
            } => Message::Join {
                sender_id: sender(*s),
                peer_metadata: PeerMetadata::default(),
                supported_protocol_versions: versions.iter().map(|v| v.to_string()).collect(),
            },
            MessageSpec::Peer { sender: s } => Message::Peer {
                sender_id: sender(*s),
                target_id,
                peer_metadata: PeerMetadata::default(),
                selected_protocol_version: "1".into(),
            },
            MessageSpec::Error { message } => Message::Error {
                sender_id: None,
                target_id: None,
                message: message.clone(),
            },
            MessageSpec::Sync {
                sender: s,
                doc: d,
                data,
            } => Message::Sync {
                sender_id: sender(*s),
                target_id,
                document_id: doc(*d),
                data: data.bytes(),
            },
            MessageSpec::Request {
                sender: s,
                doc: d,
                data,
            } => Message::Request {
                sender_id: sender(*s),
                target_id,
                document_id: doc(*d),
                data: data.bytes(),
            },
            MessageSpec::DocUnavailable { sender: s, doc: d } => Message::DocUnavailable {
                sender_id: sender(*s),
                target_id,
                document_id: doc(*d),
            },
            MessageSpec::Ephemeral {
                sender: s,
                doc: d,
                count,
                data,
            } => Message::Ephemeral {
                sender_id: sender(*s),
                target_id,
                document_id: doc(*d),
                session_id: "s".into(),
                count: *count,
                data: data.clone(),
            },
            MessageSpec::RemoteSubscriptionChange { sender: s, add } => {
                Message::RemoteSubscriptionChange {
                    sender_id: sender(*s),
                    target_id,
                    add: add.clone(),
                    remove: Vec::new(),
                }
            }
        }
    }
}

impl DataSpec {
    fn bytes(&self) -> Vec<u8> {
        match self {
            DataSpec::Raw(bytes) => bytes.clone(),
            DataSpec::Real(t) => sync_data(*t),
            DataSpec::RealFlipped {
                template,
                at,
                value,
            } => {
                let mut data = sync_data(*template);
                if !data.is_empty() {
                    let i = *at as usize % data.len();
                    data[i] = *value;
                }
                data
            }
        }
    }
}

/// The `data` of a real sync frame (empty if the template is not a sync frame).
fn sync_data(template: u8) -> Vec<u8> {
    match Message::decode(pick(template)) {
        Ok(Message::Sync { data, .. } | Message::Request { data, .. }) => data,
        _ => Vec::new(),
    }
}

fn pick(template: u8) -> &'static [u8] {
    let all = templates();
    &all[template as usize % all.len()]
}

/// Frames real clients sent while creating and editing each of [`DOCS`] (recorded against a
/// plain relay once): join, request, sync messages with changes, including text and maps.
pub fn templates() -> &'static [Vec<u8>] {
    static TEMPLATES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    TEMPLATES.get_or_init(record_templates)
}

fn record_templates() -> Vec<Vec<u8>> {
    let mut recorded = Vec::new();
    let mut relay = crate::new_relay(linli_server::storage::MemoryStore::new());
    for (n, id) in DOCS.iter().enumerate() {
        let conn = relay.open_connection();
        let mut client = SyncClient::new(PeerId::new("mallory"), PeerMetadata::default());
        let mut docs: HashMap<DocumentId, AutoCommit> = HashMap::new();
        let mut to_send = vec![client.join()];
        let mut step = 0;
        while let Some(frame) = to_send.pop() {
            recorded.push(frame.clone());
            for output in relay.receive(conn, &frame) {
                if let linli_server::core::Output::Frame { frame, .. } = output {
                    let out = client.handle_frame(&frame, &mut docs);
                    to_send.extend(out.frames);
                }
            }
            if to_send.is_empty() && step < 3 {
                let doc = docs.entry(*id).or_default();
                if step == 0 && n == 0 {
                    to_send.extend(client.open(*id, doc)); // an empty doc: a request
                } else {
                    let text = doc.put_object(ROOT, format!("t{step}"), automerge::ObjType::Text);
                    let text = text.unwrap();
                    doc.splice_text(&text, 0, 0, "邻里 hello").unwrap();
                    doc.put(ROOT, "n", step as i64).unwrap();
                    to_send.extend(client.local_change(*id, doc));
                }
                step += 1;
            }
        }
    }
    recorded
}
