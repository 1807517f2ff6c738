//! JS `@automerge/automerge-repo` 2.5.6 peers and native peers share documents through the
//! real relay. Needs node and the npm packages from scripts/tools.sh; fails (does not skip)
//! without them.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{ObjType, ReadDoc, ScalarValue, Value, ROOT};
use linli_shared::wire::client::Event;
use linli_shared::wire::DocumentId;
use linli_testkit::api::test_credential;
use linli_testkit::js_peer;
use linli_testkit::native_client::{new_doc_id, NativeClient, TIMEOUT};
use linli_testkit::{RelayBuilder, RelayProcess};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// The relay as an operator runs it: sockets open with one-use tickets only.
fn relay(data: &std::path::Path) -> RelayProcess {
    RelayBuilder::new(data).tickets_only().start()
}

/// A one-use ticket URL for the relay's test member (how native peers connect here).
fn ticket_url(relay: &RelayProcess) -> String {
    relay.ticket_url(&test_credential(&relay.http_url, relay.data()))
}

/// The JS peer in `mode` as the relay's test member.
fn interop_script(relay: &RelayProcess, mode: &str, arg: &str) -> Command {
    let credential = test_credential(&relay.http_url, relay.data());
    js_peer::interop_script(&relay.http_url, &credential, mode, arg)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_js_peer_reads_a_document_a_rust_peer_created() {
    let data = tempfile::tempdir().unwrap();
    let relay = relay(data.path());
    let doc = new_doc_id();
    let mut rust = NativeClient::new("rust");
    rust.connect(&ticket_url(&relay)).await;
    rust.edit(doc, |d| {
        let title = d.put_object(ROOT, "title", ObjType::Text).unwrap();
        d.splice_text(&title, 0, 0, "小区议事会").unwrap();
        d.put(ROOT, "attendees", 12_i64).unwrap();
        let tags = d.put_object(ROOT, "tags", ObjType::List).unwrap();
        d.insert(&tags, 0, "停车").unwrap();
        d.insert(&tags, 1, "绿化").unwrap();
    })
    .await;
    rust.wait_until("the relay has the document", |c| c.is_synced(doc))
        .await;

    let url = doc.to_url();
    let mut node = interop_script(&relay, "read", &url);
    let output = tokio::time::timeout(TIMEOUT * 2, node.output())
        .await
        .expect("node finished in time")
        .expect("node ran");
    assert!(output.status.success(), "node failed: {output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"title": "小区议事会", "attendees": 12, "tags": ["停车", "绿化"]})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rust_peer_reads_a_document_a_js_peer_created() {
    let data = tempfile::tempdir().unwrap();
    let relay = relay(data.path());
    let content = r#"{"title":"来自JS的议题","votes":[3,1,4]}"#;
    let mut node = interop_script(&relay, "create", content)
        .spawn()
        .expect("node starts");
    let mut lines = BufReader::new(node.stdout.take().unwrap()).lines();
    let url = tokio::time::timeout(TIMEOUT, lines.next_line())
        .await
        .expect("node printed the URL in time")
        .unwrap()
        .expect("node printed the URL");
    let doc = DocumentId::from_url(url.trim()).expect("a valid automerge URL");

    let mut rust = NativeClient::new("rust");
    rust.connect(&ticket_url(&relay)).await;
    // The JS peer announces its document on its own schedule: ask until the relay has it.
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
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(rust.string(doc, "title").as_deref(), Some("来自JS的议题"));
    let d = &rust.docs[&doc];
    let (_, votes) = d.get(ROOT, "votes").unwrap().expect("votes");
    let votes: Vec<f64> = (0..d.length(&votes))
        .map(|i| match d.get(&votes, i).unwrap().unwrap().0 {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Int(n) => *n as f64,
                ScalarValue::Uint(n) => *n as f64,
                ScalarValue::F64(n) => *n,
                other => panic!("vote is {other:?}"),
            },
            other => panic!("vote is {other:?}"),
        })
        .collect();
    assert_eq!(votes, vec![3.0, 1.0, 4.0]);
    drop(node.stdin.take()); // lets the script exit
    let _ = tokio::time::timeout(TIMEOUT, node.wait()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_edits_flow_both_ways_between_js_and_rust_peers() {
    let data = tempfile::tempdir().unwrap();
    let relay = relay(data.path());
    let doc = new_doc_id();
    let mut rust = NativeClient::new("rust");
    rust.connect(&ticket_url(&relay)).await;
    rust.edit(doc, |d| d.put(ROOT, "topic", "垃圾分类").map(drop).unwrap())
        .await;
    rust.wait_until("the relay has the document", |c| c.is_synced(doc))
        .await;

    let node = interop_script(&relay, "reply", &doc.to_url())
        .spawn()
        .expect("node starts");
    // The JS edit reaches this peer through the relay, unasked (we have the document open).
    rust.wait_until("the JS edit arrives", |c| c.string(doc, "fromJs").is_some())
        .await;
    assert_eq!(rust.string(doc, "fromJs").as_deref(), Some("你好，来自JS"));
    rust.edit(doc, |d| d.put(ROOT, "reply", "收到").map(drop).unwrap())
        .await;
    // Keep answering the relay until it holds the reply (a sync exchange may be in flight).
    rust.wait_until("the relay has the reply", |c| c.is_synced(doc))
        .await;

    let output = tokio::time::timeout(TIMEOUT * 2, node.wait_with_output())
        .await
        .expect("node finished in time")
        .expect("node ran");
    assert!(output.status.success(), "node failed: {output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"topic": "垃圾分类", "fromJs": "你好，来自JS", "reply": "收到"})
    );
}
