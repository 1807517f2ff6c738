//! Even at `RUST_LOG=trace`, the relay's logs never carry what members send: a known marker in
//! a document change and in presence data appears nowhere in its stdout or stderr, in any of
//! the renderings a logger might use (text, hex, a list of byte values).

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::wire::client::Event;
use linli_shared::wire::Message;
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::RelayBuilder;

const MARKER: &str = "QmarkerZ-private-note-8841";

/// Ways a logger could print `bytes`.
fn renderings(bytes: &[u8]) -> Vec<String> {
    let list = |f: &dyn Fn(&u8) -> String| bytes.iter().map(f).collect::<Vec<_>>();
    vec![
        String::from_utf8_lossy(bytes).into_owned(),
        list(&|b| format!("{b:02x}")).concat(),
        list(&|b| format!("{b:02X}")).concat(),
        list(&|b| format!("{b:02x}")).join(" "),
        list(&|b| b.to_string()).join(", "),
        list(&|b| format!("{b:#04x}")).join(", "),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logs_carry_no_document_or_presence_content() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayBuilder::new(data.path()).logging("trace").start();
    let url = relay.sync_url();
    let doc = new_doc_id();

    let (mut a, mut b) = (NativeClient::new("a"), NativeClient::new("b"));
    a.connect(&url).await;
    b.connect(&url).await;
    a.edit(doc, |d| d.put(ROOT, "note", MARKER).map(drop).unwrap())
        .await;
    a.wait_until("stored", |c| c.is_synced(doc)).await;
    b.open(doc).await;
    b.wait_until("the note", |c| {
        c.string(doc, "note").as_deref() == Some(MARKER)
    })
    .await;

    let presence = Message::Ephemeral {
        sender_id: a.client.peer_id().clone(),
        target_id: a.client.server_peer().unwrap().clone(),
        document_id: doc,
        session_id: "s".into(),
        count: 1,
        data: MARKER.as_bytes().to_vec(),
    }
    .encode();
    a.send(vec![presence]).await;
    b.wait_until("the presence", |c| {
        c.events.iter().any(
            |e| matches!(e, Event::Ephemeral { data, .. } if data.as_slice() == MARKER.as_bytes()),
        )
    })
    .await;

    // The relay logged at trace level while it handled these frames.
    let output = relay.output();
    assert!(
        output.contains("TRACE") && output.contains("ephemeral"),
        "no trace line for the frames: {output}"
    );
    for rendering in renderings(MARKER.as_bytes()) {
        assert!(
            !output.contains(&rendering),
            "the relay logged member content as {rendering:?}"
        );
    }
    println!("{} bytes of trace output, no marker", output.len());
}
