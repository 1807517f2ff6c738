//! JS `@automerge/automerge-repo` 2.5.6 peers and native peers on different relay nodes of
//! one PostgreSQL (`--database`): a document created through node 1 is read and answered
//! live by a JS peer on node 2, and one a JS peer created on node 2 is read through node 1.
//! Real binaries, a real throwaway cluster (`linli_testkit::postgres`), the same script as
//! `js_interop.rs` (`tests/js/interop.mjs`). Needs node and the npm packages from
//! scripts/tools.sh; fails (does not skip) without them.

use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, ScalarValue, Value, ROOT};
use linli_shared::domain::Role;
use linli_shared::wire::client::Event;
use linli_shared::wire::DocumentId;
use linli_testkit::js_peer;
use linli_testkit::native_client::{new_doc_id, NativeClient, TIMEOUT};
use linli_testkit::postgres::PgCluster;
use linli_testkit::{RelayBuilder, RelayProcess};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// A node as an operator runs it: on the shared database, sockets open with one-use
/// tickets only.
fn node(database: &str) -> RelayProcess {
    RelayBuilder::temporary(None)
        .tickets_only()
        .args(&["--database", database])
        .start()
}

/// Two nodes on a fresh database; a community registered on node 1, and a second member
/// who joined it on node 2 with an invite made on node 1 (the JS peer's credential).
struct Nodes {
    one: RelayProcess,
    two: RelayProcess,
    admin: String,
    js_member: String,
    _pg: PgCluster,
}

fn two_nodes(database: &str) -> Nodes {
    let pg = PgCluster::start();
    let url = pg.create_database(database);
    let (one, two) = (node(&url), node(&url));
    let community = one.community();
    let token = one.invite(&community.admin, Role::GroupLeader, 1.0);
    let joined = two.join(&token).ok();
    assert_eq!(joined.community_doc_id, community.doc, "joined on node 2");
    Nodes {
        one,
        two,
        admin: community.admin,
        js_member: joined.credential,
        _pg: pg,
    }
}

/// A native peer on `relay` as the member holding `credential`, connected with a ticket.
async fn rust_peer(relay: &RelayProcess, credential: &str) -> NativeClient {
    let mut peer = NativeClient::new("rust");
    peer.connect(&relay.ticket_url(credential)).await;
    peer
}

/// The JS peer in `mode` on `relay` as the member holding `credential`.
fn interop_script(relay: &RelayProcess, credential: &str, mode: &str, arg: &str) -> Command {
    js_peer::interop_script(&relay.http_url, credential, mode, arg)
}

/// Runs the script to its end and returns what it printed, as JSON.
async fn script_output(script: tokio::process::Child) -> serde_json::Value {
    let output = tokio::time::timeout(TIMEOUT * 2, script.wait_with_output())
        .await
        .expect("node finished in time")
        .expect("node ran");
    assert!(output.status.success(), "node failed: {output:?}");
    serde_json::from_slice(&output.stdout).expect("node printed JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_js_peer_on_node_2_reads_and_answers_live_a_document_made_on_node_1() {
    let started = Instant::now();
    let n = two_nodes("js_reads");
    let doc = new_doc_id();
    let mut rust = rust_peer(&n.one, &n.admin).await;
    rust.edit(doc, |d| {
        let title = d.put_object(ROOT, "title", ObjType::Text).unwrap();
        d.splice_text(&title, 0, 0, "小区议事会").unwrap();
        d.put(ROOT, "attendees", 12_i64).unwrap();
        let tags = d.put_object(ROOT, "tags", ObjType::List).unwrap();
        d.insert(&tags, 0, "停车").unwrap();
        d.insert(&tags, 1, "绿化").unwrap();
    })
    .await;
    // Node 1 confirmed it: committed to the database.
    rust.wait_until("node 1 has the document", |c| c.is_synced(doc))
        .await;

    let read = interop_script(&n.two, &n.js_member, "read", &doc.to_url())
        .spawn()
        .expect("node starts");
    assert_eq!(
        script_output(read).await,
        serde_json::json!({"title": "小区议事会", "attendees": 12, "tags": ["停车", "绿化"]}),
        "the JS peer on node 2 reads what the Rust peer stored through node 1"
    );

    // Live both ways: the JS peer on node 2 writes; the Rust peer on node 1, which only
    // has the document open, hears of it unasked (node 2 stored it, node 1 was notified).
    let reply = interop_script(&n.two, &n.js_member, "reply", &doc.to_url())
        .spawn()
        .expect("node starts");
    rust.wait_until("the JS edit made on node 2 arrives on node 1", |c| {
        c.string(doc, "fromJs").is_some()
    })
    .await;
    assert_eq!(rust.string(doc, "fromJs").as_deref(), Some("你好，来自JS"));
    rust.edit(doc, |d| d.put(ROOT, "reply", "收到").map(drop).unwrap())
        .await;
    rust.wait_until("node 1 has the reply", |c| c.is_synced(doc))
        .await;
    // The script prints the document once the reply reached it on node 2.
    assert_eq!(
        script_output(reply).await,
        serde_json::json!({
            "title": "小区议事会", "attendees": 12, "tags": ["停车", "绿化"],
            "fromJs": "你好，来自JS", "reply": "收到"
        })
    );
    eprintln!("took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rust_peer_on_node_1_reads_a_document_a_js_peer_created_on_node_2() {
    let started = Instant::now();
    let n = two_nodes("js_creates");
    let content = r#"{"title":"来自JS的议题","votes":[3,1,4]}"#;
    let mut script = interop_script(&n.two, &n.js_member, "create", content)
        .spawn()
        .expect("node starts");
    let mut lines = BufReader::new(script.stdout.take().unwrap()).lines();
    let url = tokio::time::timeout(TIMEOUT, lines.next_line())
        .await
        .expect("node printed the URL in time")
        .unwrap()
        .expect("node printed the URL");
    let doc = DocumentId::from_url(url.trim()).expect("a valid automerge URL");

    let mut rust = rust_peer(&n.one, &n.admin).await;
    // The JS peer announces its document to node 2 on its own schedule: ask node 1 until
    // the database has it.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        rust.events.clear();
        rust.open(doc).await;
        rust.wait_until("the document or doc-unavailable", |c| {
            c.string(doc, "title").is_some() || c.events.contains(&Event::Unavailable(doc))
        })
        .await;
        if rust.string(doc, "title").is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "node 1 never had the document");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(rust.string(doc, "title").as_deref(), Some("来自JS的议题"));
    assert_eq!(votes(&rust, doc), vec![3.0, 1.0, 4.0]);
    drop(script.stdin.take()); // lets the script exit
    let _ = tokio::time::timeout(TIMEOUT, script.wait()).await;
    eprintln!("took {:?}", started.elapsed());
}

/// The numbers in the document's `votes` list (JS numbers arrive as ints or floats).
fn votes(peer: &NativeClient, doc: DocumentId) -> Vec<f64> {
    let d = &peer.docs[&doc];
    let (_, votes) = d.get(ROOT, "votes").unwrap().expect("votes");
    (0..d.length(&votes))
        .map(|i| match d.get(&votes, i).unwrap().unwrap().0 {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Int(n) => *n as f64,
                ScalarValue::Uint(n) => *n as f64,
                ScalarValue::F64(n) => *n,
                other => panic!("vote is {other:?}"),
            },
            other => panic!("vote is {other:?}"),
        })
        .collect()
}
