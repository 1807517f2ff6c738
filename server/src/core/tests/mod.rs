//! The core driven by real `wire::client` peers and an in-memory store, without a network
//! (the file store has its own tests: `storage::file`).

mod actors;
mod authored;
mod failures;
mod local_edit;
mod quota;
mod sync;

use std::collections::HashMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, DocumentId, Message, PeerId, PeerMetadata, SyncClient};

use super::*;
use crate::storage::MemoryStore;

const DOC: DocumentId = DocumentId::from_bytes([1; 16]);
const COMMUNITY: DocumentId = DocumentId::from_bytes([9; 16]);

struct Peer {
    conn: ConnId,
    client: SyncClient,
    docs: HashMap<DocumentId, AutoCommit>,
    events: Vec<Event>,
    received: Vec<Message>,
    closed: Option<String>,
}

/// A relay and its peers, exchanging frames in memory until everyone is quiet.
struct Net<S: Storage, A: Authorize = AllowAll> {
    relay: Relay<S, A>,
    peers: Vec<Peer>,
}

/// A relay storing in `store` (a clone: the test keeps reading what it stored, and a relay
/// made again on the same store is a restarted one).
fn memory_relay(store: &MemoryStore) -> Relay<MemoryStore> {
    Relay::new(
        PeerId::new("relay"),
        "store".into(),
        store.clone(),
        RelayConfig::default(),
    )
}

impl<S: Storage, A: Authorize> Net<S, A> {
    fn new(relay: Relay<S, A>) -> Self {
        Net {
            relay,
            peers: Vec::new(),
        }
    }

    /// Connects a peer and completes the handshake; returns its index.
    fn join(&mut self, name: &str) -> usize {
        self.join_with(name, None)
    }

    /// Connects a peer authenticated as member `name` of community [`COMMUNITY`].
    fn join_as(&mut self, name: &str) -> usize {
        let principal = Principal {
            member_id: name.into(),
            community: COMMUNITY,
            role: None,
            admin: false,
        };
        self.join_with(name, Some(principal))
    }

    fn join_with(&mut self, name: &str, principal: Option<Principal>) -> usize {
        let conn = self.relay.open_connection_as(principal);
        let client = SyncClient::new(PeerId::new(name), PeerMetadata::default());
        let join = client.join();
        self.peers.push(Peer {
            conn,
            client,
            docs: HashMap::new(),
            events: Vec::new(),
            received: Vec::new(),
            closed: None,
        });
        let index = self.peers.len() - 1;
        self.send(index, vec![join]);
        assert!(self.peers[index].client.server_peer().is_some());
        index
    }

    fn edit(&mut self, index: usize, key: &str, value: &str) {
        let peer = &mut self.peers[index];
        let doc = peer.docs.doc_mut(&DOC);
        doc.put(ROOT, key, value).unwrap();
        let frames = peer.client.local_change(DOC, doc);
        self.send(index, frames);
    }

    /// Writes each of `values` to `key` in turn without delivering anything: the frames a
    /// peer sends back to back (new heads go out even while a message is in flight).
    fn changes_not_sent(&mut self, index: usize, key: &str, values: &[&str]) -> Vec<Vec<u8>> {
        let peer = &mut self.peers[index];
        let mut frames = Vec::new();
        for value in values {
            let doc = peer.docs.doc_mut(&DOC);
            doc.put(ROOT, key, *value).unwrap();
            frames.extend(peer.client.local_change(DOC, doc));
        }
        frames
    }

    fn open(&mut self, index: usize, id: DocumentId) {
        let peer = &mut self.peers[index];
        let frames = peer.client.open(id, peer.docs.doc_mut(&id));
        self.send(index, frames);
    }

    /// Delivers frames from peer `index` and everything they cause.
    fn send(&mut self, index: usize, frames: Vec<Vec<u8>>) {
        let mut queue: Vec<(ConnId, Vec<u8>)> = frames
            .into_iter()
            .map(|f| (self.peers[index].conn, f))
            .collect();
        for _ in 0..1000 {
            if queue.is_empty() {
                return;
            }
            let mut next = Vec::new();
            for (conn, frame) in queue {
                for output in self.relay.receive(conn, &frame) {
                    next.extend(self.deliver(output));
                }
            }
            queue = next;
        }
        panic!("sync did not settle");
    }

    fn deliver(&mut self, output: Output) -> Vec<(ConnId, Vec<u8>)> {
        let conn = match &output {
            Output::Frame { conn, .. } | Output::Close { conn, .. } => *conn,
        };
        let peer = self.peers.iter_mut().find(|p| p.conn == conn).unwrap();
        match output {
            Output::Frame { frame, .. } => {
                peer.received.push(Message::decode(&frame).unwrap());
                let out = peer.client.handle_frame(&frame, &mut peer.docs);
                peer.events.extend(out.events);
                out.frames.into_iter().map(|f| (conn, f)).collect()
            }
            Output::Close { reason, .. } => {
                peer.closed = Some(reason);
                Vec::new()
            }
        }
    }

    fn value(&self, index: usize, key: &str) -> Option<String> {
        let doc = self.peers[index].docs.get(&DOC)?;
        let (value, _) = doc.get(ROOT, key).unwrap()?;
        Some(value.into_string().unwrap())
    }

    fn is_synced(&mut self, index: usize) -> bool {
        let peer = &mut self.peers[index];
        peer.client.is_synced(DOC, peer.docs.doc_mut(&DOC))
    }
}

/// `index` changes document `id` (the [`Net`] helpers edit [`DOC`]).
fn edit_in<S: Storage, A: Authorize>(
    net: &mut Net<S, A>,
    index: usize,
    id: DocumentId,
    key: &str,
    value: &str,
) {
    let peer = &mut net.peers[index];
    let doc = peer.docs.doc_mut(&id);
    doc.put(ROOT, key, value).unwrap();
    let frames = peer.client.local_change(id, doc);
    net.send(index, frames);
}

fn stored_value(store: &MemoryStore, key: &str) -> Option<String> {
    let stored = store.get(&DOC)?;
    let doc = document::Document::load(&stored).unwrap();
    doc.value(key)
}

impl document::Document {
    fn value(&self, key: &str) -> Option<String> {
        let (value, _) = self.doc_ref().get(ROOT, key).unwrap()?;
        Some(value.into_string().unwrap())
    }
}

impl Output {
    fn frame(&self) -> Vec<u8> {
        match self {
            Output::Frame { frame, .. } => frame.clone(),
            Output::Close { reason, .. } => panic!("closed: {reason}"),
        }
    }
}
