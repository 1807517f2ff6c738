//! Bad input, denied access and storage failures.

use std::io;

use linli_shared::wire::client::Event;
use linli_shared::wire::{DocumentId, Message, PeerId, PeerMetadata, SyncClient};

use super::*;
use crate::storage::StoredDoc;

#[test]
fn malformed_input_closes_only_the_sender() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
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
    assert_eq!(stored_value(&store, "k").as_deref(), Some("2"));
}

#[test]
fn join_must_come_first_and_sender_ids_must_match() {
    let store = MemoryStore::new();
    let mut relay = memory_relay(&store);
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

/// Alice may use [`DOC`]; everyone else only [`OTHER`].
struct OwnDocs;

const OTHER: DocumentId = DocumentId::from_bytes([2; 16]);

impl Authorize for OwnDocs {
    fn authorize(&self, who: Option<&Principal>, doc: &DocumentId, _: Action) -> bool {
        let own = |p: &Principal| if p.member_id == "alice" { DOC } else { OTHER };
        who.is_some_and(|p| *doc == own(p))
    }
}

fn own_docs_net(store: &MemoryStore) -> Net<MemoryStore, OwnDocs> {
    Net::new(Relay::with_authorizer(
        PeerId::new("relay"),
        "store".into(),
        store.clone(),
        RelayConfig::default(),
        OwnDocs,
    ))
}

#[test]
fn denied_documents_look_missing_and_the_connection_keeps_syncing_its_own() {
    let store = MemoryStore::new();
    let mut net = own_docs_net(&store);
    let (alice, mallory) = (net.join_as("alice"), net.join_as("mallory"));
    net.edit(alice, "k", "v");
    let reader = net.join_as("mallory");
    net.open(reader, DOC);
    assert_eq!(
        net.peers[reader].events,
        vec![
            Event::Connected {
                server_peer: PeerId::new("relay")
            },
            Event::Unavailable(DOC)
        ]
    );
    // A sync of a foreign document: refused like a missing one, nothing applied or sent.
    net.edit(mallory, "k", "overwritten");
    assert_eq!(net.peers[mallory].closed, None);
    assert_eq!(
        net.peers[mallory].events.last(),
        Some(&Event::Unavailable(DOC))
    );
    assert!(!net.peers[mallory]
        .received
        .iter()
        .any(|m| matches!(m, Message::Sync { document_id, .. } if *document_id == DOC)));
    assert_eq!(stored_value(&store, "k").as_deref(), Some("v"));
    // The same connection's own document still syncs: a stray id does not stop the rest.
    edit_in(&mut net, mallory, OTHER, "mine", "kept");
    let other_peer = net.join_as("mallory");
    net.open(other_peer, OTHER);
    let got = net.peers[other_peer].docs.get(&OTHER).unwrap();
    assert_eq!(
        got.get(ROOT, "mine")
            .unwrap()
            .map(|(v, _)| v.into_string().unwrap()),
        Some("kept".to_string())
    );
}

#[test]
fn a_connection_probing_for_foreign_documents_is_closed() {
    let store = MemoryStore::new();
    let mut net = own_docs_net(&store);
    let mallory = net.join_as("mallory");
    let limit = RelayConfig::default().max_refused_docs_per_connection;
    // Refusing the same document again costs no budget (a phone retries it every few seconds).
    for round in 0..3 {
        edit_in(&mut net, mallory, DOC, "k", &format!("try {round}"));
    }
    for n in 1..limit {
        let id = DocumentId::from_bytes([
            0x80,
            (n >> 8) as u8,
            n as u8,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0x80,
        ]);
        edit_in(&mut net, mallory, id, "k", "probe");
        assert_eq!(net.peers[mallory].closed, None, "closed after {n} refusals");
    }
    let last = DocumentId::from_bytes([0x81; 16]);
    edit_in(&mut net, mallory, last, "k", "probe");
    let reason = net.peers[mallory]
        .closed
        .clone()
        .expect("closed past the limit");
    assert!(reason.contains("refused"), "{reason}");
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
    fn stored_bytes(&self) -> u64 {
        0
    }
    fn list(&mut self) -> io::Result<Vec<DocumentId>> {
        Ok(Vec::new())
    }
    fn actor_bindings(&mut self) -> io::Result<Vec<crate::storage::ActorBinding>> {
        Ok(Vec::new())
    }
    fn bind_actors(&mut self, _: &[crate::storage::ActorBinding]) -> io::Result<()> {
        Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
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

/// A memory store whose appends start failing when told (the disk fills up mid-session).
#[derive(Clone)]
struct FillsUp {
    store: MemoryStore,
    full: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Storage for FillsUp {
    fn load(&mut self, id: &DocumentId) -> io::Result<Option<StoredDoc>> {
        self.store.load(id)
    }
    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<u64> {
        match self.full.load(std::sync::atomic::Ordering::SeqCst) {
            true => Err(io::Error::new(io::ErrorKind::StorageFull, "disk full")),
            false => self.store.append(id, changes),
        }
    }
    fn compact(&mut self, id: &DocumentId, snapshot: &[u8]) -> io::Result<()> {
        self.store.compact(id, snapshot)
    }
    fn stored_bytes(&self) -> u64 {
        self.store.stored_bytes()
    }
    fn list(&mut self) -> io::Result<Vec<DocumentId>> {
        self.store.list()
    }
    fn actor_bindings(&mut self) -> io::Result<Vec<crate::storage::ActorBinding>> {
        self.store.actor_bindings()
    }
    fn bind_actors(&mut self, bindings: &[crate::storage::ActorBinding]) -> io::Result<()> {
        self.store.bind_actors(bindings)
    }
}

/// Two messages of one peer in one batch: the first is answered before the second is applied
/// (`core::batch`), but that answer must not leave when the batch cannot be stored.
#[test]
fn an_answer_made_within_a_batch_is_dropped_when_the_batch_is_not_stored() {
    let store = FillsUp {
        store: MemoryStore::new(),
        full: Default::default(),
    };
    let relay = Relay::new(
        PeerId::new("relay"),
        "s".into(),
        store.clone(),
        RelayConfig::default(),
    );
    let mut net = Net::new(relay);
    let a = net.join("a");
    net.edit(a, "k", "0");
    store.full.store(true, std::sync::atomic::Ordering::SeqCst);
    let conn = net.peers[a].conn;
    let frames = net.changes_not_sent(a, "k", &["1", "2"]);
    assert_eq!(frames.len(), 2);
    let mut outputs = net.relay.receive_deferred(conn, &frames[0]);
    outputs.extend(net.relay.receive_deferred(conn, &frames[1]));
    outputs.extend(net.relay.flush());
    let to_a: Vec<Message> = outputs
        .iter()
        .filter_map(|o| match o {
            Output::Frame { conn: c, frame } if *c == conn => Message::decode(frame).ok(),
            _ => None,
        })
        .collect();
    assert!(
        !to_a.iter().any(|m| matches!(m, Message::Sync { .. })),
        "nothing unstored is advertised: {to_a:?}"
    );
    assert!(to_a.iter().any(|m| matches!(m, Message::Error { .. })));
}

mod fuzz {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::ROOT;
    use proptest::prelude::*;

    /// A valid sync frame carrying a change, from a peer named "fuzz": a real client talks to
    /// a throwaway relay, and the first frame of it that carries changes is kept.
    fn sync_frame_with_a_change() -> Vec<u8> {
        let store = MemoryStore::new();
        let mut relay = memory_relay(&store);
        let conn = relay.open_connection();
        let mut client = SyncClient::new(PeerId::new("fuzz"), PeerMetadata::default());
        let mut docs = std::collections::HashMap::new();
        for out in relay.receive(conn, &client.join()) {
            client.handle_frame(&out.frame(), &mut docs);
        }
        let doc = docs.doc_mut(&DOC);
        doc.put(ROOT, "k", "v").unwrap();
        let mut to_relay = client.local_change(DOC, doc);
        while !to_relay.is_empty() {
            let frame = to_relay.remove(0);
            if carries_changes(&frame) {
                return frame;
            }
            for out in relay.receive(conn, &frame) {
                to_relay.extend(client.handle_frame(&out.frame(), &mut docs).frames);
            }
        }
        panic!("the client never sent its change");
    }

    fn carries_changes(frame: &[u8]) -> bool {
        match Message::decode(frame) {
            Ok(Message::Sync { data, .. }) => !automerge::sync::Message::decode(&data)
                .unwrap()
                .changes
                .is_empty(),
            _ => false,
        }
    }

    #[test]
    fn the_uncorrupted_frame_is_stored() {
        let store = MemoryStore::new();
        let mut relay = memory_relay(&store);
        let conn = relay.open_connection();
        let join = SyncClient::new(PeerId::new("fuzz"), PeerMetadata::default()).join();
        relay.receive(conn, &join);
        relay.receive(conn, &sync_frame_with_a_change());
        assert_eq!(stored_value(&store, "k").as_deref(), Some("v"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn corrupted_sync_frames_never_panic_the_core_or_corrupt_storage(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        ) {
            let store = MemoryStore::new();
            let mut relay = memory_relay(&store);
            let conn = relay.open_connection();
            let join = SyncClient::new(PeerId::new("fuzz"), PeerMetadata::default()).join();
            relay.receive(conn, &join);
            let mut frame = sync_frame_with_a_change();
            for (at, value) in flips {
                let i = at.index(frame.len());
                frame[i] = value;
            }
            relay.receive(conn, &frame);
            // Whatever was accepted is stored in a form that loads.
            if let Some(stored) = store.get(&DOC) {
                prop_assert!(stored.to_automerge().is_ok());
            }
        }
    }
}
