//! Verified authorship (`core/actors.rs`): an actor id belongs to the member that first writes
//! with it; a new change under another member's actor is refused, nothing of it applied, and
//! the sender keeps its socket; re-sending changes the relay has is fine; bindings are stored
//! before anything under them is acknowledged and survive a restart.

use automerge::sync;
use automerge::ActorId;
use linli_shared::wire::client::Event;

use super::*;
use crate::core::actors::Actors;
use crate::storage::ActorBinding;

const DOC_2: DocumentId = DocumentId::from_bytes([2; 16]);
const DOC_3: DocumentId = DocumentId::from_bytes([3; 16]);

fn member(name: &str) -> Principal {
    Principal {
        member_id: name.into(),
        community: COMMUNITY,
        role: None,
        admin: false,
    }
}

fn errors(net: &Net<MemoryStore>, index: usize) -> Vec<String> {
    net.peers[index]
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Error(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

fn stored(store: &MemoryStore, id: DocumentId, key: &str) -> Option<String> {
    let doc = document::Document::load(&store.get(&id)?).unwrap();
    doc.value(key)
}

fn actor_of(net: &mut Net<MemoryStore>, index: usize, id: DocumentId) -> ActorId {
    net.peers[index].docs.doc_mut(&id).get_actor().clone()
}

/// Peer `index` writes `key` in `id` under `actor` (another member's, for an attacker).
fn edit_as_actor(
    net: &mut Net<MemoryStore>,
    index: usize,
    id: DocumentId,
    actor: &ActorId,
    key: &str,
    value: &str,
) {
    let own = actor_of(net, index, id);
    net.peers[index].docs.doc_mut(&id).set_actor(actor.clone());
    edit_in(net, index, id, key, value);
    net.peers[index].docs.doc_mut(&id).set_actor(own);
}

/// Sends a hand-made sync message carrying `changes` (change chunks) for `id`.
fn send_changes(net: &mut Net<MemoryStore>, index: usize, id: DocumentId, changes: Vec<Vec<u8>>) {
    let message = sync::Message {
        heads: Vec::new(),
        need: Vec::new(),
        have: Vec::new(),
        changes: changes.into(),
        flags: None,
        version: sync::MessageVersion::V1,
    };
    let peer = &net.peers[index];
    let frame = Message::Sync {
        sender_id: peer.client.peer_id().clone(),
        target_id: PeerId::new("relay"),
        document_id: id,
        data: message.encode(),
    }
    .encode();
    net.send(index, vec![frame]);
}

/// A change of a document of its own, written under `actor`.
fn forged(actor: &ActorId, key: &str) -> Vec<u8> {
    let mut doc = AutoCommit::new().with_actor(actor.clone());
    doc.put(ROOT, key, "forged").unwrap();
    doc.save_after(&[])
}

fn bound_to_another(errors: &[String]) -> bool {
    errors
        .iter()
        .any(|e| e.starts_with("authorship: actor") && e.contains("is bound to another member"))
}

#[test]
fn a_change_under_another_members_actor_is_refused_and_the_socket_stays_open() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let (alice, bob) = (net.join_as("alice"), net.join_as("bob"));
    net.open(bob, DOC);
    edit_in(&mut net, alice, DOC, "by", "alice");
    assert!(net.is_synced(alice));
    assert_eq!(stored(&store, DOC, "by").as_deref(), Some("alice"));
    assert_eq!(net.value(bob, "by").as_deref(), Some("alice"));
    let x = actor_of(&mut net, alice, DOC);

    // Bob writes under Alice's actor, on top of her change (the next sequence number) and in
    // a document of his own making (her first sequence number, another change).
    edit_as_actor(&mut net, bob, DOC, &x, "forged", "bob as alice");
    send_changes(&mut net, bob, DOC, vec![forged(&x, "forged2")]);

    let refusals = errors(&net, bob);
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    assert!(bound_to_another(&refusals), "{refusals:?}");
    assert!(refusals[0].contains(&x.to_string()), "{refusals:?}");
    assert_eq!(net.peers[bob].closed, None);
    assert_eq!(stored(&store, DOC, "forged"), None);
    assert_eq!(stored(&store, DOC, "forged2"), None);
    assert_eq!(net.value(alice, "forged"), None, "not forwarded");
    assert_eq!(net.relay.stats().authorship_refusals, 2);
    assert_eq!(net.relay.stats().quota_refusals, 0);

    // Bob's own changes, in this document and another, still sync; Alice's too.
    net.peers[bob].client.restart(DOC);
    edit_in(&mut net, bob, DOC_2, "by", "bob");
    assert_eq!(stored(&store, DOC_2, "by").as_deref(), Some("bob"));
    edit_in(&mut net, alice, DOC, "again", "alice");
    assert_eq!(stored(&store, DOC, "again").as_deref(), Some("alice"));
    let bob_actor = actor_of(&mut net, bob, DOC_3);
    edit_in(&mut net, bob, DOC_3, "by", "bob");
    assert_eq!(stored(&store, DOC_3, "by").as_deref(), Some("bob"));
    assert_eq!(net.peers[bob].closed, None);

    // A new document created with Alice's actor is refused before it exists.
    let before = store.documents().len();
    let mut created = AutoCommit::new().with_actor(x.clone());
    created.put(ROOT, "k", "v").unwrap();
    let refusals = errors(&net, bob).len();
    send_changes(
        &mut net,
        bob,
        DocumentId::from_bytes([7; 16]),
        vec![created.save()],
    );
    assert_eq!(store.documents().len(), before);
    assert_eq!(errors(&net, bob).len(), refusals + 1);

    // And Alice may not write under Bob's actor either.
    send_changes(&mut net, alice, DOC_3, vec![forged(&bob_actor, "forged")]);
    assert!(bound_to_another(&errors(&net, alice)));
    assert_eq!(stored(&store, DOC_3, "forged"), None);
}

#[test]
fn re_sending_changes_the_relay_stores_is_fine_whoever_wrote_them() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let (alice, bob) = (net.join_as("alice"), net.join_as("bob"));
    edit_in(&mut net, alice, DOC, "a", "1");
    edit_in(&mut net, alice, DOC, "b", "2");
    let alices: Vec<Vec<u8>> = net.peers[alice]
        .docs
        .doc_mut(&DOC)
        .get_changes(&[])
        .into_iter()
        .map(|mut c| c.bytes().to_vec())
        .collect();
    assert_eq!(alices.len(), 2);

    // One chunk per entry, and the whole document as one chunk (V2 messages send that).
    send_changes(&mut net, bob, DOC, alices.clone());
    let whole = net.peers[alice].docs.doc_mut(&DOC).save();
    send_changes(&mut net, bob, DOC, vec![whole]);
    // A phone that has Alice's changes syncs them afresh on a new connection.
    let carol = net.join_as("carol");
    let copy = net.peers[alice].docs.doc_mut(&DOC).fork();
    net.peers[carol].docs.insert(DOC, copy);
    net.open(carol, DOC);
    assert!(net.is_synced(carol));

    assert!(errors(&net, bob).is_empty(), "{:?}", errors(&net, bob));
    assert!(errors(&net, carol).is_empty(), "{:?}", errors(&net, carol));
    assert_eq!(net.peers[bob].closed, None);
    // Re-sending binds nothing: the actor stays Alice's.
    let x = actor_of(&mut net, alice, DOC);
    send_changes(&mut net, bob, DOC, vec![forged(&x, "c")]);
    assert!(bound_to_another(&errors(&net, bob)));
    edit_in(&mut net, alice, DOC, "c", "alice");
    assert_eq!(stored(&store, DOC, "c").as_deref(), Some("alice"));
}

#[test]
fn bindings_survive_a_restart_and_an_unstored_binding_is_never_acknowledged() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let alice = net.join_as("alice");
    edit_in(&mut net, alice, DOC, "by", "alice");
    let x = actor_of(&mut net, alice, DOC);
    assert_eq!(store.clone().actor_bindings().unwrap().len(), 1);

    // The relay restarts on the same store: the actor is still Alice's.
    let mut net = Net::new(memory_relay(&store));
    let (alice, bob) = (net.join_as("alice"), net.join_as("bob"));
    send_changes(&mut net, bob, DOC, vec![forged(&x, "forged")]);
    assert!(
        bound_to_another(&errors(&net, bob)),
        "{:?}",
        net.peers[bob].events
    );
    assert_eq!(stored(&store, DOC, "forged"), None);
    net.open(alice, DOC);
    edit_as_actor(&mut net, alice, DOC, &x, "again", "alice");
    assert_eq!(stored(&store, DOC, "again").as_deref(), Some("alice"));
    assert!(errors(&net, alice).is_empty());

    // A binding that cannot be stored: the change under it is not stored nor acknowledged,
    // the sender is closed (it resends on reconnect) and the actor stays free.
    store.fail_actor_writes(true);
    let carol = net.join_as("carol");
    let y = actor_of(&mut net, carol, DOC);
    edit_in(&mut net, carol, DOC, "carol", "1");
    assert!(net.peers[carol].closed.is_some());
    assert!(!net.is_synced(carol));
    assert_eq!(stored(&store, DOC, "carol"), None);
    assert_eq!(net.value(alice, "carol"), None, "not forwarded");
    store.fail_actor_writes(false);
    let carol = net.join_as("carol");
    net.peers[carol].docs.doc_mut(&DOC).set_actor(y.clone());
    edit_in(&mut net, carol, DOC, "carol", "1");
    assert!(net.is_synced(carol));
    assert_eq!(stored(&store, DOC, "carol").as_deref(), Some("1"));
    let bindings = store.clone().actor_bindings().unwrap();
    assert!(bindings
        .iter()
        .any(|b| b.actor == y && b.member_id == "carol"));
}

#[test]
fn the_first_use_binds_an_actor_and_a_refused_message_binds_nothing() {
    let (alice, bob) = (member("alice"), member("bob"));
    let mut store = MemoryStore::new();
    let mut actors = Actors::default();
    actors.load(&mut store).unwrap();
    let x = ActorId::from([1u8; 16]);
    let y = ActorId::from([2u8; 16]);
    let h = |n: u8| automerge::ChangeHash([n; 32]);

    let verdict = actors
        .check(
            &alice,
            &[(h(1), x.clone()), (h(2), x.clone())],
            |_| false,
            &DOC,
        )
        .unwrap();
    assert!(verdict.needs_pending);
    actors.bind(&alice, verdict);
    assert_eq!(actors.owner_of(&x), Some((COMMUNITY, "alice", false)));
    assert_eq!(actors.pending().len(), 1, "one binding per actor");
    // Alice's next change under the binding waits for it to be stored.
    let verdict = actors.check(&alice, &[(h(3), x.clone())], |_| false, &DOC);
    assert!(verdict.unwrap().needs_pending);

    // Bob: a new change under Alice's actor refuses the whole message, binding nothing.
    let message = [(h(4), y.clone()), (h(5), x.clone())];
    let refused = actors.check(&bob, &message, |_| false, &DOC).unwrap_err();
    assert!(refused.contains("is bound to another member"), "{refused}");
    assert_eq!(actors.owner_of(&y), None);
    // ... unless the relay has that change already (a re-send).
    let verdict = actors.check(&bob, &message, |hash| *hash == h(5), &DOC);
    actors.bind(&bob, verdict.unwrap());
    assert_eq!(actors.owner_of(&y), Some((COMMUNITY, "bob", false)));
    // The same member id in another community is another member.
    let stranger = Principal {
        member_id: "alice".into(),
        community: DocumentId::from_bytes([8; 16]),
        role: None,
        admin: false,
    };
    assert!(actors
        .check(&stranger, &[(h(6), x.clone())], |_| false, &DOC)
        .is_err());

    store.bind_actors(actors.pending()).unwrap();
    actors.commit();
    assert_eq!(actors.owner_of(&x), Some((COMMUNITY, "alice", true)));
    let verdict = actors.check(&alice, &[(h(7), x.clone())], |_| false, &DOC);
    assert!(!verdict.unwrap().needs_pending);

    // Forgetting undoes only what is pending.
    let z = ActorId::from([3u8; 16]);
    let verdict = actors.check(&bob, &[(h(8), z.clone())], |_| false, &DOC);
    actors.bind(&bob, verdict.unwrap());
    actors.forget_pending();
    assert_eq!(actors.owner_of(&z), None);
    assert!(actors.owner_of(&x).is_some());

    // A restart reads the stored bindings; the first binding of an actor counts.
    store
        .bind_actors(&[ActorBinding {
            actor: x.clone(),
            community: COMMUNITY,
            member_id: "mallory".into(),
        }])
        .unwrap();
    let mut restarted = Actors::default();
    assert!(
        restarted.check(&alice, &[], |_| false, &DOC).is_err(),
        "not loaded"
    );
    restarted.load(&mut store).unwrap();
    assert_eq!(restarted.owner_of(&x), Some((COMMUNITY, "alice", true)));
    assert_eq!(restarted.owner_of(&y), Some((COMMUNITY, "bob", true)));
    assert_eq!(restarted.owner_of(&z), None);
}

#[test]
fn an_actor_that_names_its_member_is_the_senders_or_refused_and_never_bound() {
    let store = MemoryStore::new();
    let mut net = Net::new(memory_relay(&store));
    let (alice, bob) = (net.join_as("alice"), net.join_as("bob"));
    let alices = linli_shared::domain::member_actor("alice", [1; 16]).unwrap();
    net.peers[alice]
        .docs
        .doc_mut(&DOC)
        .set_actor(alices.clone());
    edit_in(&mut net, alice, DOC, "by", "alice");
    assert_eq!(stored(&store, DOC, "by").as_deref(), Some("alice"));
    assert_eq!(net.relay.stats().actor_bindings, 0, "nothing to bind");
    assert_eq!(net.relay.stats().authorship_refusals, 0);

    // Bob writes under an actor naming Alice: refused, whatever its random part.
    let naming_alice = linli_shared::domain::member_actor("alice", [2; 16]).unwrap();
    send_changes(&mut net, bob, DOC_2, vec![forged(&naming_alice, "forged")]);
    send_changes(&mut net, bob, DOC_2, vec![forged(&alices, "forged")]);
    assert_eq!(errors(&net, bob).len(), 2);
    assert!(bound_to_another(&errors(&net, bob)));
    assert_eq!(stored(&store, DOC_2, "forged"), None);
    // His own named actor passes, and he syncs Alice's document without a refusal.
    let bobs = linli_shared::domain::member_actor("bob", [3; 16]).unwrap();
    send_changes(&mut net, bob, DOC_2, vec![forged(&bobs, "by")]);
    assert_eq!(stored(&store, DOC_2, "by").as_deref(), Some("forged"));
    net.open(bob, DOC);
    assert_eq!(net.value(bob, "by").as_deref(), Some("alice"));
    assert_eq!(errors(&net, bob).len(), 2);
    assert_eq!(net.relay.stats().actor_bindings, 0);
}
