//! The shortcut in `Document::generate` never hides a message Automerge would send.

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use proptest::prelude::*;

use super::in_step;

#[derive(Debug, Clone)]
enum Step {
    /// The relay's document changes (another peer's edit arrived).
    RelayEdit,
    /// The peer edits.
    PeerEdit,
    /// The relay generates a message and the peer receives it (if any).
    RelayToPeer,
    /// The peer generates a message and the relay receives it (if any).
    PeerToRelay,
    /// The relay's message is lost on the way.
    RelayMessageLost,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => Just(Step::RelayEdit),
        1 => Just(Step::PeerEdit),
        3 => Just(Step::RelayToPeer),
        3 => Just(Step::PeerToRelay),
        1 => Just(Step::RelayMessageLost),
    ]
}

proptest! {
    #[test]
    fn in_step_implies_automerge_has_nothing_to_send(steps in prop::collection::vec(step(), 1..60)) {
        let mut relay = AutoCommit::new();
        let mut peer = AutoCommit::new();
        let (mut relay_state, mut peer_state) = (sync::State::new(), sync::State::new());
        let mut n = 0i64;
        for step in steps {
            n += 1;
            // The property, at every point: the shortcut implies Automerge's own `None`.
            let heads = relay.get_heads();
            if in_step(&relay_state, &heads) {
                let mut copy = relay_state.clone();
                prop_assert!(relay.sync().generate_sync_message(&mut copy).is_none());
            }
            match step {
                Step::RelayEdit => relay.put(ROOT, format!("r{n}"), n).map(drop).unwrap(),
                Step::PeerEdit => peer.put(ROOT, format!("p{n}"), n).map(drop).unwrap(),
                Step::RelayToPeer => {
                    if let Some(m) = relay.sync().generate_sync_message(&mut relay_state) {
                        peer.sync().receive_sync_message(&mut peer_state, m).unwrap();
                    }
                }
                Step::PeerToRelay => {
                    if let Some(m) = peer.sync().generate_sync_message(&mut peer_state) {
                        relay.sync().receive_sync_message(&mut relay_state, m).unwrap();
                    }
                }
                Step::RelayMessageLost => {
                    relay.sync().generate_sync_message(&mut relay_state);
                }
            }
        }
    }
}

#[test]
fn a_peer_that_acknowledged_everything_is_in_step() {
    let mut relay = AutoCommit::new();
    relay.put(ROOT, "title", "井盖松动").unwrap();
    let mut peer = AutoCommit::new();
    let (mut rs, mut ps) = (sync::State::new(), sync::State::new());
    for _ in 0..4 {
        if let Some(m) = peer.sync().generate_sync_message(&mut ps) {
            relay.sync().receive_sync_message(&mut rs, m).unwrap();
        }
        if let Some(m) = relay.sync().generate_sync_message(&mut rs) {
            peer.sync().receive_sync_message(&mut ps, m).unwrap();
        }
    }
    assert_eq!(peer.get_heads(), relay.get_heads());
    assert!(in_step(&rs, &relay.get_heads()));
    relay.put(ROOT, "status", "已解决").unwrap();
    assert!(
        !in_step(&rs, &relay.get_heads()),
        "a new change must be sent"
    );
}

/// Delivers everything `peer` has to `relay` on connection `conn`: the exchange runs against a
/// copy of the relay's document (its answers only depend on what it holds), and each message
/// the peer sends also goes to the relay.
fn deliver(relay: &mut super::Document, conn: super::ConnId, peer: &mut AutoCommit) {
    let mut mirror = relay.doc_ref().clone();
    let (mut peer_state, mut mirror_state) = (sync::State::new(), sync::State::new());
    for _ in 0..10 {
        let Some(m) = peer.sync().generate_sync_message(&mut peer_state) else {
            return;
        };
        relay.receive(conn, m.clone()).unwrap();
        mirror
            .sync()
            .receive_sync_message(&mut mirror_state, m)
            .unwrap();
        if let Some(answer) = mirror.sync().generate_sync_message(&mut mirror_state) {
            peer.sync()
                .receive_sync_message(&mut peer_state, answer)
                .unwrap();
        }
    }
}

/// A refused message is undone: the document is back at the heads before it, keeps every change
/// applied before (stored or not), and the sender's peer starts a fresh exchange.
#[test]
fn rolling_back_drops_the_refused_message_and_keeps_what_came_before() {
    use super::Document;
    use automerge::ReadDoc;
    let mut relay = Document::new();
    // Another peer's change, applied and not stored yet.
    let mut other = AutoCommit::new();
    other.put(ROOT, "other", 1).unwrap();
    deliver(&mut relay, 1, &mut other);
    let before = relay.heads();
    assert!(!before.is_empty());

    let mut sender = AutoCommit::new();
    sender.put(ROOT, "refused", 2).unwrap();
    deliver(&mut relay, 2, &mut sender);
    assert_ne!(relay.heads(), before);

    relay.roll_back(2, &before).unwrap();
    assert_eq!(relay.heads(), before);
    assert!(relay.doc_ref().get(ROOT, "other").unwrap().is_some());
    assert!(relay.doc_ref().get(ROOT, "refused").unwrap().is_none());
    assert_eq!(
        relay.peers[&2],
        sync::State::new(),
        "the sender starts again"
    );
}
