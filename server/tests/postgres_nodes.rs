//! Several relay nodes on one PostgreSQL (`--database`), against the real binary and a real
//! throwaway PostgreSQL cluster (`linli_testkit::postgres`): phones on different nodes co-edit
//! live; invites, joins and revocation work across nodes; a node killed with SIGKILL and a
//! database crash lose no edit a phone saw confirmed.

use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::postgres::PgCluster;
use linli_testkit::{RelayBuilder, RelayProcess};

fn node(database: &str) -> RelayProcess {
    RelayBuilder::temporary(None)
        .args(&["--database", database])
        .start()
}

/// Puts `key` into `doc` and waits until the relay confirmed it (the phone holds the
/// relay's heads: committed).
async fn confirmed_edit(phone: &mut NativeClient, doc: DocumentId, key: &str) {
    phone
        .edit(doc, |d| d.put(ROOT, key, key).map(drop).unwrap())
        .await;
    phone.wait_until(key, |c| c.is_synced(doc)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_on_two_nodes_co_edit_live_and_revocation_reaches_every_node() {
    let pg = PgCluster::start();
    let url = pg.create_database("two_nodes");
    let (one, two) = (node(&url), node(&url));

    // A community registered on node 1; its invite used on node 2.
    let c = one.community();
    let token = one.invite(&c.admin, Role::GroupLeader, 1.0);
    let joined = two.join(&token).ok();
    assert_eq!(joined.community_doc_id, c.doc);
    assert_eq!(
        one.api().members(&c.admin).ok().len(),
        2,
        "node 1 sees the join"
    );

    // A meeting's notes: made by A on node 1, opened by B on node 2.
    let mut a = one.member(&c.admin, "a").await;
    let mut b = two.member(&joined.credential, "b").await;
    let notes = new_doc_id();
    confirmed_edit(&mut a, notes, "agenda").await;
    b.open(notes).await;
    b.wait_until("the notes reach node 2", |p| {
        p.string(notes, "agenda").is_some()
    })
    .await;

    // Both write at once; each sees the other's edits live.
    for i in 0..20 {
        a.edit(notes, |d| {
            d.put(ROOT, format!("a{i}"), i).map(drop).unwrap()
        })
        .await;
        b.edit(notes, |d| {
            d.put(ROOT, format!("b{i}"), i).map(drop).unwrap()
        })
        .await;
    }
    a.wait_until("A has every edit", |p| p.key_count(notes) == 41)
        .await;
    b.wait_until("B has every edit", |p| p.key_count(notes) == 41)
        .await;
    a.wait_until("A converged", |p| p.is_synced(notes)).await;
    b.wait_until("B converged", |p| p.is_synced(notes)).await;
    let (ha, hb) = (
        a.docs.get_mut(&notes).unwrap().get_heads(),
        b.docs.get_mut(&notes).unwrap().get_heads(),
    );
    assert_eq!(ha, hb, "the same document on both phones");

    // Revoked on node 1: B's socket on node 2 closes within a second.
    let revoked_at = Instant::now();
    assert_eq!(one.api().revoke(&c.admin, &joined.member_id).status, 200);
    let reason = b
        .pump_for(Duration::from_secs(5))
        .await
        .expect("node 2 closes the revoked member's socket");
    let took = revoked_at.elapsed();
    assert!(reason.contains("revoked"), "{reason}");
    assert!(took < Duration::from_secs(1), "closed after {took:?}");
    let again = tokio_tungstenite::connect_async(two.sync_url_with(&joined.credential)).await;
    assert!(again.is_err(), "node 2 refuses the revoked credential");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_during_edits_loses_no_confirmed_edit() {
    let pg = PgCluster::start();
    let url = pg.create_database("killed_node");
    let (one, two) = (node(&url), node(&url));
    let c = one.community();
    let mut a = one.member(&c.admin, "a").await;
    let doc = new_doc_id();
    let mut confirmed = Vec::new();
    for i in 0..30 {
        let key = format!("k{i}");
        confirmed_edit(&mut a, doc, &key).await;
        confirmed.push(key);
    }
    // One more in flight when the node dies: it may or may not be stored.
    a.edit(doc, |d| d.put(ROOT, "in-flight", 1).map(drop).unwrap())
        .await;
    one.kill();

    let mut reader = two.member(&c.admin, "reader").await;
    reader.open(doc).await;
    reader
        .wait_until("every confirmed edit", |p| {
            confirmed.iter().all(|k| p.string(doc, k).is_some())
        })
        .await;

    // A node started in its place serves the same document.
    let three = node(&url);
    let mut late = three.member(&c.admin, "late").await;
    late.open(doc).await;
    late.wait_until("the document on a new node", |p| {
        confirmed.iter().all(|k| p.string(doc, k).is_some())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_crash_during_edits_loses_no_confirmed_edit_and_nodes_reconnect() {
    let pg = PgCluster::start();
    let url = pg.create_database("crash");
    let (one, two) = (node(&url), node(&url));
    let c = one.community();
    let doc = new_doc_id();
    let mut a = one.member(&c.admin, "a").await;
    let mut b = two.member(&c.admin, "b").await;
    confirmed_edit(&mut a, doc, "before").await;
    b.open(doc).await;
    b.wait_until("live before the crash", |p| {
        p.string(doc, "before").is_some()
    })
    .await;

    pg.crash();
    // An edit while the database is down is not confirmed; the relay says it could not
    // store it and closes the socket (the app shows 同步中 and reconnects).
    a.edit(doc, |d| d.put(ROOT, "during", 1).map(drop).unwrap())
        .await;
    let closed = a.pump_for(Duration::from_secs(10)).await;
    assert!(
        closed.as_deref().is_some_and(|r| r.contains("store")),
        "{closed:?}"
    );
    pg.restart();

    // The phone reconnects to the same node, which reconnects to the database by itself.
    let mut a = one.member(&c.admin, "a again").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut n = 0;
    loop {
        let key = format!("after{n}");
        a.edit(doc, |d| d.put(ROOT, &key, "after").map(drop).unwrap())
            .await;
        if a.pump_for(Duration::from_millis(300)).await.is_none() && a.is_synced(doc) {
            break;
        }
        assert!(Instant::now() < deadline, "node 1 never stored again");
        a = one.member(&c.admin, "a again").await;
        n += 1;
    }
    let last = format!("after{n}");
    // Node 2's listener reconnected too: B hears of the new edit live.
    b = two.member(&c.admin, "b again").await;
    b.open(doc).await;
    b.wait_until("before and after on node 2", |p| {
        p.string(doc, "before").is_some() && p.string(doc, &last).is_some()
    })
    .await;
    confirmed_edit(&mut a, doc, "live").await;
    b.wait_until("live after the crash", |p| p.string(doc, "live").is_some())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_embedded_relays_data_moves_into_the_database_and_phones_carry_on() {
    let data = tempfile::tempdir().unwrap();
    let embedded = RelayProcess::start(data.path());
    let c = embedded.community();
    let mut a = embedded.member(&c.admin, "a").await;
    let doc = new_doc_id();
    confirmed_edit(&mut a, doc, "from-the-files").await;
    drop(a);
    embedded.kill();

    let pg = PgCluster::start();
    let url = pg.create_database("moved");
    let relay = linli_testkit::relay::relay_binary();
    let run = |args: &[&str]| {
        std::process::Command::new(&relay)
            .arg("--data")
            .arg(data.path())
            .args(args)
            .output()
            .unwrap()
    };
    let moved = run(&["--move-into-database", &url]);
    assert!(moved.status.success(), "{moved:?}");
    let again = run(&["--move-into-database", &url]);
    assert!(
        !again.status.success(),
        "a second move into a non-empty database is refused"
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("empty"),
        "{again:?}"
    );

    // A node on the database: the same credential, the same document, the registry works.
    let node = node(&url);
    let mut a = node.member(&c.admin, "a on the node").await;
    a.open(doc).await;
    a.wait_until("the moved document", |p| {
        p.string(doc, "from-the-files").is_some()
    })
    .await;
    confirmed_edit(&mut a, doc, "on-the-node").await;
    let token = node.invite(&c.admin, Role::NeighbourLeader, 1.0);
    assert_eq!(node.join(&token).ok().community_doc_id, c.doc);

    // --export reads the database while the node runs.
    let exported = std::process::Command::new(&relay)
        .args(["--database", &url, "--export", &doc.to_string()])
        .output()
        .unwrap();
    assert!(exported.status.success(), "{exported:?}");
    let copy = automerge::AutoCommit::load(&exported.stdout).unwrap();
    use automerge::ReadDoc;
    let keys: Vec<String> = copy.keys(ROOT).collect();
    assert_eq!(keys, ["from-the-files", "on-the-node"]);
}
