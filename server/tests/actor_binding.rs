//! Verified authorship with the real binary: an Automerge actor id belongs to the member that
//! first writes with it. A 邻长 (Alice) writes a meeting document; Bob, another member of her
//! community, writes a change under Alice's actor id with a hand-built client: the relay
//! refuses it with an error naming the rule, keeps Bob's socket, stores nothing of it (a third
//! phone never sees it, before or after the relay is SIGKILLed and restarted), and Bob's honest
//! changes and Alice's keep syncing — after the restart too, where the binding still holds.

use automerge::transaction::Transactable;
use automerge::{ActorId, ROOT};
use linli_shared::domain::Role;
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, DocumentId};
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::{eventually, timeouts, RelayProcess};

/// Credentials of the community's admin (a third phone), Alice (a 邻长) and Bob; and Alice's
/// and Bob's member ids.
struct Members {
    admin: String,
    alice: String,
    bob: String,
    alice_id: String,
    bob_id: String,
}

fn members(relay: &RelayProcess) -> Members {
    let community = relay.community();
    let join = |role| {
        let token = relay.invite(&community.admin, role, 1.0);
        relay.join(&token).ok()
    };
    let (alice, bob) = (join(Role::NeighbourLeader), join(Role::NeighbourLeader));
    Members {
        alice: alice.credential,
        bob: bob.credential,
        alice_id: alice.member_id,
        bob_id: bob.member_id,
        admin: community.admin,
    }
}

fn put(key: &str, value: &str) -> impl FnOnce(&mut automerge::AutoCommit) {
    let (key, value) = (key.to_string(), value.to_string());
    move |doc| doc.put(ROOT, key, value).map(drop).unwrap()
}

fn refusals(client: &NativeClient) -> Vec<String> {
    client
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Error(message) if message.starts_with("authorship:") => Some(message.clone()),
            _ => None,
        })
        .collect()
}

/// Bob's phone writes `key` in `doc` under `actor` (Alice's) and waits for the refusal.
async fn forge(bob: &mut NativeClient, doc: DocumentId, actor: &ActorId, key: &str) {
    let before = refusals(bob).len();
    let own = bob.docs.doc_mut(&doc).get_actor().clone();
    bob.docs.doc_mut(&doc).set_actor(actor.clone());
    bob.edit(doc, put(key, "written by bob as alice")).await;
    bob.docs.doc_mut(&doc).set_actor(own);
    bob.wait_until("the relay refuses the forged change", |c| {
        refusals(c).len() > before
    })
    .await;
    let refusal = refusals(bob).pop().unwrap_or_default();
    assert!(
        refusal.contains(&format!("actor {actor} is bound to another member")),
        "{refusal}"
    );
}

/// A fresh phone of `credential` that opened `doc` and holds `key`.
async fn reader(
    relay: &RelayProcess,
    credential: &str,
    doc: DocumentId,
    key: &str,
) -> NativeClient {
    let mut phone = relay.member(credential, "reader").await;
    phone.open(doc).await;
    phone
        .wait_until(&format!("the phone holds {key}"), |c| {
            c.string(doc, key).is_some()
        })
        .await;
    phone
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_under_another_members_actor_is_refused_and_never_stored() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let m = members(&relay);
    let meeting = new_doc_id();
    let bobs_own = new_doc_id();

    let mut alice = relay.member(&m.alice, "alice").await;
    alice.edit(meeting, put("by", "alice")).await;
    alice
        .wait_until("Alice's change is stored", |c| c.is_synced(meeting))
        .await;
    let x = alice.docs.doc_mut(&meeting).get_actor().clone();

    let mut bob = relay.member(&m.bob, "bob").await;
    bob.open(meeting).await;
    bob.wait_until("Bob has Alice's change", |c| {
        c.string(meeting, "by").is_some()
    })
    .await;
    forge(&mut bob, meeting, &x, "forged").await;

    // Bob's socket stays open: his own document syncs on it.
    bob.edit(bobs_own, put("by", "bob")).await;
    bob.wait_until("Bob's own change is stored", |c| c.is_synced(bobs_own))
        .await;
    // Alice keeps writing; a third phone sees her changes and not Bob's forgery.
    alice.edit(meeting, put("again", "alice")).await;
    alice
        .wait_until("Alice's second change is stored", |c| c.is_synced(meeting))
        .await;
    let third = reader(&relay, &m.admin, meeting, "again").await;
    assert_eq!(third.string(meeting, "forged"), None);
    assert_eq!(alice.string(meeting, "forged"), None, "not forwarded");
    assert!(refusals(&alice).is_empty(), "{:?}", alice.events);
    let api = relay.api();
    eventually(timeouts::NATIVE, "the refusal counted in /metrics", || {
        let counted = api.metric("linli_authorship_refusals_total") >= 1.0;
        async move { counted.then_some(()) }
    })
    .await;
    drop((alice, bob, third));

    // SIGKILL and restart: nothing of the forgery was stored, and the binding holds.
    relay.kill();
    let relay = RelayProcess::start(data.path());
    let third = reader(&relay, &m.admin, meeting, "again").await;
    assert_eq!(third.string(meeting, "by").as_deref(), Some("alice"));
    assert_eq!(third.string(meeting, "forged"), None);
    let mut bob = relay.member(&m.bob, "bob").await;
    forge(&mut bob, new_doc_id(), &x, "forged-after-restart").await;
    bob.edit(bobs_own, put("again", "bob")).await;
    bob.wait_until("Bob's change after the restart is stored", |c| {
        c.is_synced(bobs_own)
    })
    .await;

    // Alice, on a new phone session, still writes under her actor.
    let mut alice = reader(&relay, &m.alice, meeting, "again").await;
    alice.docs.doc_mut(&meeting).set_actor(x.clone());
    alice.edit(meeting, put("after", "alice")).await;
    alice
        .wait_until("Alice's change after the restart is stored", |c| {
            c.is_synced(meeting)
        })
        .await;
    assert!(refusals(&alice).is_empty(), "{:?}", alice.events);
    let third = reader(&relay, &m.admin, meeting, "after").await;
    assert_eq!(third.string(meeting, "forged"), None);
}

/// The members `actors` belong to, as the relay answers `asker`, sorted.
fn authors(relay: &RelayProcess, asker: &str, actors: &[&ActorId]) -> Vec<(String, String)> {
    let hex: Vec<String> = actors.iter().map(|a| a.to_hex_string()).collect();
    let mut named: Vec<(String, String)> = relay
        .api()
        .authors(asker, &hex)
        .ok()
        .authors
        .into_iter()
        .map(|a| (a.actor, a.member_id))
        .collect();
    named.sort();
    named
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_names_who_wrote_with_each_actor_inside_the_community_only() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let m = members(&relay);
    let mut alice = relay.member(&m.alice, "alice").await;
    let mut bob = relay.member(&m.bob, "bob").await;
    let (a_doc, b_doc) = (new_doc_id(), new_doc_id());
    alice.edit(a_doc, put("by", "alice")).await;
    bob.edit(b_doc, put("by", "bob")).await;
    alice
        .wait_until("Alice's change is stored", |c| c.is_synced(a_doc))
        .await;
    bob.wait_until("Bob's change is stored", |c| c.is_synced(b_doc))
        .await;
    let x = alice.docs.doc_mut(&a_doc).get_actor().clone();
    let y = bob.docs.doc_mut(&b_doc).get_actor().clone();
    // A member of another community writes too.
    let elsewhere = relay.community();
    let mut carol = relay.member(&elsewhere.admin, "carol").await;
    let c_doc = new_doc_id();
    carol.edit(c_doc, put("by", "carol")).await;
    carol
        .wait_until("Carol's change is stored", |c| c.is_synced(c_doc))
        .await;
    let z = carol.docs.doc_mut(&c_doc).get_actor().clone();
    let never = ActorId::random();

    let expected = {
        let mut e = vec![
            (x.to_hex_string(), m.alice_id.clone()),
            (y.to_hex_string(), m.bob_id.clone()),
        ];
        e.sort();
        e
    };
    assert_eq!(authors(&relay, &m.bob, &[&x, &y, &z, &never]), expected);
    eventually(
        timeouts::NATIVE,
        "the three bindings counted in /metrics",
        || {
            let counted = relay.api().metric("linli_actor_bindings") == 3.0;
            async move { counted.then_some(()) }
        },
    )
    .await;
    assert_eq!(
        authors(&relay, &elsewhere.admin, &[&x, &y]),
        vec![],
        "another community learns nothing"
    );
    let api = relay.api();
    let not_hex = api.authors(&m.bob, &["not hex".into()]);
    assert_eq!(not_hex.ok().authors, vec![]);
    let too_many = api.authors(&m.bob, &vec![x.to_hex_string(); 1001]);
    assert_eq!(too_many.status, 400, "{}", too_many.text);
    assert!(
        too_many.text.contains("too_many_actors"),
        "{}",
        too_many.text
    );
    assert_eq!(api.authors("nobody", &[x.to_hex_string()]).status, 401);
    drop((alice, bob, carol));

    // The bindings are the relay's durable ones: the same answer after a SIGKILL.
    relay.kill();
    let relay = RelayProcess::start(data.path());
    assert_eq!(authors(&relay, &m.admin, &[&x, &y, &z]), expected);
}
