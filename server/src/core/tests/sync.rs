//! Syncing, durability and routing.

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, Message, PeerId, PeerMetadata, SyncClient};

use super::*;

#[test]
fn two_peers_converge_on_one_document() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
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
fn changes_are_stored_before_any_peer_hears_of_them() {
    let store = MemoryStore::new();
    let mut relay = memory_relay(&store);
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
                    assert_eq!(stored_value(&store, "k").as_deref(), Some("v"));
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
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let (a, b) = (net.join("a"), net.join("b"));
    net.open(b, DOC);
    assert!(net.peers[b].events.contains(&Event::Unavailable(DOC)));
    // b asked, so it gets the document as soon as a provides it.
    net.edit(a, "k", "v");
    assert_eq!(net.value(b, "k").as_deref(), Some("v"));
}

#[test]
fn documents_are_never_announced_to_peers_that_did_not_ask() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
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
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let a = net.join("a");
    net.edit(a, "k", "before restart");
    drop(net);

    let mut net = Net::new(memory_relay(&store));
    let b = net.join("b");
    net.open(b, DOC);
    assert_eq!(net.value(b, "k").as_deref(), Some("before restart"));
}

#[test]
fn ephemeral_messages_reach_the_documents_other_peers_only() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
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
    let writes = store.writes();
    net.send(a, vec![presence.encode()]);
    assert!(net.peers[b].events.contains(&Event::Ephemeral {
        document_id: DOC,
        sender_id: PeerId::new("a"),
        data: vec![0xa0],
    }));
    let ephemeral = |m: &Message| matches!(m, Message::Ephemeral { .. });
    assert!(!net.peers[a].received.iter().any(ephemeral));
    assert!(!net.peers[outsider].received.iter().any(ephemeral));
    assert_eq!(store.writes(), writes, "ephemeral messages are not stored");
    assert_eq!(store.clone().list().unwrap(), [DOC]);
}

#[test]
fn idle_documents_leave_memory_and_come_back_for_their_peers() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let (a, b) = (net.join("a"), net.join("b"));
    net.edit(a, "k", "1");
    net.open(b, DOC);
    assert_eq!(net.relay.stats().documents_in_memory, 1);

    // Used since the last sweep: stays. Idle for a whole sweep period: unloaded.
    assert_eq!(net.relay.unload_idle_documents(), 0);
    assert_eq!(net.relay.unload_idle_documents(), 1);
    assert_eq!(net.relay.stats().documents_in_memory, 0);

    // Both peers are still subscribed: an edit reloads the document and reaches the other.
    net.edit(a, "k", "2");
    assert_eq!(net.relay.stats().documents_in_memory, 1);
    assert_eq!(net.value(b, "k").as_deref(), Some("2"));
    assert!(net.is_synced(a) && net.is_synced(b));
}

#[test]
fn frames_handled_together_are_stored_with_one_append_before_any_answer() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let (a, b) = (net.join("a"), net.join("b"));
    net.edit(a, "a", "0");
    net.open(b, DOC);
    // One write per batch, however many documents it holds.
    let records = || store.writes();
    let before = records();

    // Both edit at once; their frames reach the relay back to back.
    let mut frames = Vec::new();
    for (peer, value) in [(a, "1"), (b, "2")] {
        let p = &mut net.peers[peer];
        let doc = p.docs.doc_mut(&DOC);
        doc.put(ROOT, p.client.peer_id().as_str(), value).unwrap();
        let conn = p.conn;
        frames.extend(
            p.client
                .local_change(DOC, doc)
                .into_iter()
                .map(|f| (conn, f)),
        );
    }
    assert_eq!(frames.len(), 2);
    for (conn, frame) in &frames {
        assert!(
            net.relay.receive_deferred(*conn, frame).is_empty(),
            "nothing is answered yet"
        );
    }
    assert_eq!(records(), before, "nothing is stored yet");

    let outputs = net.relay.flush();
    assert_eq!(records(), before + 1, "one append for both edits");
    assert!(!outputs.is_empty());
    let mut replies = Vec::new();
    for output in outputs {
        replies.extend(net.deliver(output));
    }
    for (conn, frame) in replies {
        let index = net.peers.iter().position(|p| p.conn == conn).unwrap();
        net.send(index, vec![frame]);
    }
    for peer in [a, b] {
        assert_eq!(net.value(peer, "a").as_deref(), Some("1"));
        assert_eq!(net.value(peer, "b").as_deref(), Some("2"));
        assert!(net.is_synced(peer));
    }
}

#[test]
fn a_second_message_from_one_peer_is_applied_after_the_first_is_answered_in_one_store() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let a = net.join("a");
    net.edit(a, "k", "0");
    let conn = net.peers[a].conn;
    let frames = net.changes_not_sent(a, "k", &["1", "2"]);
    assert_eq!(
        frames.len(),
        2,
        "new heads are sent even while a message is in flight"
    );
    let writes = store.writes();
    assert!(net.relay.receive_deferred(conn, &frames[0]).is_empty());
    assert!(
        net.relay.receive_deferred(conn, &frames[1]).is_empty(),
        "nothing is sent before the batch is stored"
    );
    assert_eq!(
        store.writes(),
        writes,
        "the second message does not store the first alone"
    );
    let outputs = net.relay.flush();
    assert_eq!(store.writes(), writes + 1, "one batch, one store");
    let to_a = outputs
        .iter()
        .filter(|o| matches!(o, Output::Frame { conn: c, .. } if *c == conn))
        .count();
    assert_eq!(to_a, 2, "the first message's answer, then the second's");
    let mut replies = Vec::new();
    for output in outputs {
        replies.extend(net.deliver(output));
    }
    net.send(a, replies.into_iter().map(|(_, f)| f).collect());
    assert!(net.is_synced(a));
    assert_eq!(stored_value(&store, "k").as_deref(), Some("2"));
}

#[test]
fn presence_in_another_members_name_is_not_forwarded() {
    use linli_shared::wire::presence::Presence;
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let (a, b) = (net.join_as("alice"), net.join_as("bob"));
    net.edit(a, "k", "v");
    net.open(b, DOC);
    let presence = |member: &str, count| Message::Ephemeral {
        sender_id: PeerId::new("alice"),
        target_id: PeerId::new("relay"),
        document_id: DOC,
        session_id: "s".into(),
        count,
        data: Presence {
            member: member.into(),
            editing: None,
            leaving: false,
        }
        .encode(),
    };
    let seen = |net: &Net<MemoryStore>| {
        net.peers[b]
            .events
            .iter()
            .filter(|e| matches!(e, Event::Ephemeral { .. }))
            .count()
    };
    net.send(a, vec![presence("bob", 1).encode()]);
    assert_eq!(seen(&net), 0, "Alice's phone may not say Bob is here");
    assert_eq!(net.relay.stats().rights_refusals, 1);
    net.send(a, vec![presence("alice", 2).encode()]);
    assert_eq!(seen(&net), 1, "her own presence is forwarded");
}
