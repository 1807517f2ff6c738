//! The core driven by real `wire::client` peers and a real file store, without a network.

use std::collections::HashMap;
use std::io;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, DocumentId, Message, PeerId, PeerMetadata, SyncClient};

use super::*;
use crate::storage::{FileStore, StoredDoc};

const DOC: DocumentId = DocumentId::from_bytes([1; 16]);

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

fn file_relay(dir: &std::path::Path) -> Relay<FileStore> {
    let store = FileStore::open(dir).unwrap();
    Relay::new(
        PeerId::new("relay"),
        "store".into(),
        store,
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
        let conn = self.relay.open_connection();
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

fn stored_value(dir: &std::path::Path, key: &str) -> Option<String> {
    let stored = FileStore::open(dir).unwrap().load(&DOC).unwrap()?;
    let doc = document::Document::load(&stored).unwrap();
    doc.value(key)
}

impl document::Document {
    fn value(&self, key: &str) -> Option<String> {
        let (value, _) = self.doc_ref().get(ROOT, key).unwrap()?;
        Some(value.into_string().unwrap())
    }
}

#[test]
fn two_peers_converge_on_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Net::new(file_relay(dir.path()));
    let (a, b) = (net.join("a"), net.join("b"));
    net.edit(a, "title", "楼道照明");
    net.open(b, DOC);
    assert_eq!(net.value(b, "title").as_deref(), Some("楼道照明"));

    net.edit(b, "status", "已受理");
    net.edit(a, "title", "楼道照明维修");
    for peer in [a, b] {
        assert_eq!(net.value(peer, "status").as_deref(), Some("已受理"));
        assert_eq!(net.value(peer, "title").as_deref(), Some("楼道照明维修"));
        assert!(net.is_synced(peer));
    }
}

#[test]
fn changes_are_on_disk_before_any_peer_hears_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut relay = file_relay(dir.path());
    let conn = relay.open_connection();
    let mut client = SyncClient::new(PeerId::new("a"), PeerMetadata::default());
    let mut docs = HashMap::new();
    client.handle_frame(&relay.receive(conn, &client.join())[0].frame(), &mut docs);

    let doc = docs.doc_mut(&DOC);
    doc.put(ROOT, "k", "v").unwrap();
    let change = doc.get_heads()[0];
    let mut to_relay = client.local_change(DOC, doc);
    let mut advertised = false;
    while let Some(frame) = to_relay.pop() {
        for output in relay.receive(conn, &frame) {
            let frame = output.frame();
            if let Message::Sync { data, .. } = Message::decode(&frame).unwrap() {
                let heads = automerge::sync::Message::decode(&data).unwrap().heads;
                if heads.contains(&change) {
                    // Whoever hears of the change, it is already stored.
                    assert_eq!(stored_value(dir.path(), "k").as_deref(), Some("v"));
                    advertised = true;
                }
            }
            to_relay.extend(client.handle_frame(&frame, &mut docs).frames);
        }
    }
    assert!(advertised);
    assert!(client.is_synced(DOC, docs.doc_mut(&DOC)));
}

#[test]
fn a_request_for_an_unknown_document_is_answered_unavailable_and_served_later() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Net::new(file_relay(dir.path()));
    let (a, b) = (net.join("a"), net.join("b"));
    net.open(b, DOC);
    assert!(net.peers[b].events.contains(&Event::Unavailable(DOC)));
    // b asked, so it gets the document as soon as a provides it.
    net.edit(a, "k", "v");
    assert_eq!(net.value(b, "k").as_deref(), Some("v"));
}

#[test]
fn documents_are_never_announced_to_peers_that_did_not_ask() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Net::new(file_relay(dir.path()));
    let (a, b) = (net.join("a"), net.join("b"));
    net.edit(a, "secret", "x");
    net.edit(a, "secret", "y");
    assert!(
        net.peers[b]
            .received
            .iter()
            .all(|m| matches!(m, Message::Peer { .. })),
        "b received {:?}",
        net.peers[b].received
    );
}

#[test]
fn a_restarted_relay_serves_what_it_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Net::new(file_relay(dir.path()));
    let a = net.join("a");
    net.edit(a, "k", "before restart");
    drop(net);

    let mut net = Net::new(file_relay(dir.path()));
    let b = net.join("b");
    net.open(b, DOC);
    assert_eq!(net.value(b, "k").as_deref(), Some("before restart"));
}

#[test]
fn malformed_input_closes_only_the_sender() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Net::new(file_relay(dir.path()));
    let good = net.join("good");
    net.edit(good, "k", "1");
    let relay_id = PeerId::new("relay");
    let invalid_sync = Message::Sync {
        sender_id: PeerId::new("bad"),
        target_id: relay_id.clone(),
        document_id: DOC,
        data: vec![0x42, 0xff, 0xff, 0x00],
    }
    .encode();
    // {"type": "gossip"}
    let unknown_type = [&[0xa1, 0x64][..], b"type", &[0x66], b"gossip"].concat();
    let oversized = vec![0u8; RelayConfig::default().max_frame_bytes + 1];
    for (frame, expected) in [
        (vec![0xff, 0x13], "malformed CBOR"),
        (unknown_type, "unknown message type `gossip`"),
        (invalid_sync, "invalid Automerge sync message"),
        (oversized, "exceeds the limit"),
    ] {
        let bad = net.join("bad");
        net.open(bad, DOC);
        net.send(bad, vec![frame]);
        let reason = net.peers[bad].closed.clone().expect("bad peer closed");
        assert!(reason.contains(expected), "{reason}");
        assert!(matches!(
            net.peers[bad].received.last(),
            Some(Message::Error { .. })
        ));
    }
    // The good peer still syncs; the stored document is intact.
    net.edit(good, "k", "2");
    assert!(net.is_synced(good));
    assert!(net.peers[good].closed.is_none());
    assert_eq!(stored_value(dir.path(), "k").as_deref(), Some("2"));
}

#[test]
fn join_must_come_first_and_sender_ids_must_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut relay = file_relay(dir.path());
    let conn = relay.open_connection();
    let sync = |sender: &str| {
        Message::Sync {
            sender_id: PeerId::new(sender),
            target_id: PeerId::new("relay"),
            document_id: DOC,
            data: automerge::sync::Message::decode(&[0x42, 0, 0, 1, 0, 0, 0])
                .map(|m| m.encode())
                .unwrap_or_default(),
        }
        .encode()
    };
    let out = relay.receive(conn, &sync("a"));
    assert!(matches!(out.last(), Some(Output::Close { reason, .. }) if reason.contains("join")));

    let conn = relay.open_connection();
    let client = SyncClient::new(PeerId::new("a"), PeerMetadata::default());
    relay.receive(conn, &client.join());
    let out = relay.receive(conn, &sync("someone-else"));
    assert!(
        matches!(out.last(), Some(Output::Close { reason, .. }) if reason.contains("senderId"))
    );
}

#[test]
fn ephemeral_messages_reach_the_documents_other_peers_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut net = Net::new(file_relay(dir.path()));
    let (a, b, outsider) = (net.join("a"), net.join("b"), net.join("c"));
    net.edit(a, "k", "v");
    net.open(b, DOC);
    let presence = Message::Ephemeral {
        sender_id: PeerId::new("a"),
        target_id: PeerId::new("relay"),
        document_id: DOC,
        session_id: "s".into(),
        count: 1,
        data: vec![0xa0],
    };
    net.send(a, vec![presence.encode()]);
    assert!(net.peers[b].events.contains(&Event::Ephemeral {
        document_id: DOC,
        sender_id: PeerId::new("a"),
        data: vec![0xa0],
    }));
    let ephemeral = |m: &Message| matches!(m, Message::Ephemeral { .. });
    assert!(!net.peers[a].received.iter().any(ephemeral));
    assert!(!net.peers[outsider].received.iter().any(ephemeral));
    assert!(!dir
        .path()
        .join("docs")
        .join(DOC.to_string())
        .join("ephemeral")
        .exists());
}

#[test]
fn denied_peers_are_told_the_document_is_unavailable() {
    struct OnlyAlice;
    impl Authorize for OnlyAlice {
        fn authorize(&self, peer: &PeerId, _: &DocumentId, _: Action) -> bool {
            peer.as_str() == "alice"
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path()).unwrap();
    let relay = Relay::with_authorizer(
        PeerId::new("relay"),
        "store".into(),
        store,
        RelayConfig::default(),
        OnlyAlice,
    );
    let mut net = Net::new(relay);
    let (alice, mallory) = (net.join("alice"), net.join("mallory"));
    net.edit(alice, "k", "v");
    net.edit(mallory, "k", "overwritten");
    assert_eq!(
        net.peers[mallory].events,
        vec![
            Event::Connected {
                server_peer: PeerId::new("relay")
            },
            Event::Unavailable(DOC)
        ]
    );
    assert_eq!(stored_value(dir.path(), "k").as_deref(), Some("v"));
}

/// Storage whose appends fail (a full disk), to check nothing unstored is acknowledged.
struct FullDisk;

impl Storage for FullDisk {
    fn load(&mut self, _: &DocumentId) -> io::Result<Option<StoredDoc>> {
        Ok(None)
    }
    fn append(&mut self, _: &DocumentId, _: &[u8]) -> io::Result<u64> {
        Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
    }
    fn compact(&mut self, _: &DocumentId, _: &[u8]) -> io::Result<()> {
        Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
    }
    fn list(&mut self) -> io::Result<Vec<DocumentId>> {
        Ok(Vec::new())
    }
}

#[test]
fn a_storage_failure_is_reported_and_never_acknowledged() {
    let relay = Relay::new(
        PeerId::new("relay"),
        "s".into(),
        FullDisk,
        RelayConfig::default(),
    );
    let mut net = Net::new(relay);
    let (a, b) = (net.join("a"), net.join("b"));
    net.open(b, DOC);
    net.edit(a, "k", "v");
    assert!(!net.is_synced(a));
    assert!(net.peers[a]
        .closed
        .as_deref()
        .unwrap()
        .contains("could not store"));
    assert!(net.peers[b].closed.is_some(), "b must resync from scratch");
    assert_eq!(net.value(b, "k"), None);
    assert_eq!(net.relay.stats().documents_in_memory, 0);
    assert_eq!(net.relay.stats().storage_errors, 1);
}

impl Output {
    fn frame(&self) -> Vec<u8> {
        match self {
            Output::Frame { frame, .. } => frame.clone(),
            Output::Close { reason, .. } => panic!("closed: {reason}"),
        }
    }
}
