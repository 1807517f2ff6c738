//! The real relay binary with real files: convergence, and no loss across SIGKILL.

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_testkit::native_client::{new_doc_id, opened, NativeClient};
use linli_testkit::RelayProcess;
use std::time::Duration;

fn put(key: &'static str, value: &'static str) -> impl FnOnce(&mut automerge::AutoCommit) {
    move |doc| {
        doc.put(ROOT, key, value).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_converge_on_one_document() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let doc = new_doc_id();
    let (mut a, mut b) = (NativeClient::new("a"), NativeClient::new("b"));
    a.connect(&relay.sync_url()).await;
    b.connect(&relay.sync_url()).await;

    a.edit(doc, put("title", "3号楼电梯")).await;
    a.wait_until("a is synced", |c| c.is_synced(doc)).await;
    b.open(doc).await;
    b.wait_until("b has the title", |c| c.string(doc, "title").is_some())
        .await;

    // Concurrent edits on both sides.
    a.edit(doc, put("status", "待处理")).await;
    b.edit(doc, put("owner", "王楼长")).await;
    a.wait_until("a sees b's edit", |c| c.string(doc, "owner").is_some())
        .await;
    b.wait_until("b sees a's edit", |c| c.string(doc, "status").is_some())
        .await;
    for client in [&mut a, &mut b] {
        assert_eq!(client.string(doc, "title").as_deref(), Some("3号楼电梯"));
        assert_eq!(client.string(doc, "status").as_deref(), Some("待处理"));
        assert_eq!(client.string(doc, "owner").as_deref(), Some("王楼长"));
    }
    let heads_a = a.docs.get_mut(&doc).unwrap().get_heads();
    assert_eq!(heads_a, b.docs.get_mut(&doc).unwrap().get_heads());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_when_the_relay_is_killed_between_edits() {
    let data = tempfile::tempdir().unwrap();
    let doc = new_doc_id();
    let mut a = NativeClient::new("a");

    let relay = RelayProcess::start(data.path());
    a.connect(&relay.sync_url()).await;
    a.edit(doc, put("first", "一")).await;
    a.wait_until("first edit synced", |c| c.is_synced(doc))
        .await;
    relay.kill();
    a.disconnect();

    // An edit while the relay is down, sent after it is back.
    a.edit(doc, put("second", "二")).await;
    let relay = RelayProcess::start(data.path());
    a.connect(&relay.sync_url()).await;
    a.wait_until("offline edit synced", |c| c.is_synced(doc))
        .await;
    relay.kill();

    let relay = RelayProcess::start(data.path());
    let reader = opened("reader", &relay.sync_url(), doc, "both edits arrive", |c| {
        c.string(doc, "second").is_some()
    })
    .await;
    assert_eq!(reader.string(doc, "first").as_deref(), Some("一"));
    assert_eq!(reader.string(doc, "second").as_deref(), Some("二"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn is_synced_means_the_change_survives_an_immediate_kill() {
    let data = tempfile::tempdir().unwrap();
    let doc = new_doc_id();
    let mut writer = NativeClient::new("writer");
    let values = ["第一次", "第二次", "第三次"];
    for value in values {
        let relay = RelayProcess::start(data.path());
        writer.connect(&relay.sync_url()).await;
        writer
            .edit(doc, move |d| {
                d.put(ROOT, "latest", value).map(drop).unwrap()
            })
            .await;
        assert!(!writer.is_synced(doc));
        writer
            .wait_until("the relay confirms", |c| c.is_synced(doc))
            .await;
        relay.kill(); // right after the confirmation
        writer.disconnect();

        let relay = RelayProcess::start(data.path());
        opened(
            "reader",
            &relay.sync_url(),
            doc,
            "the confirmed value arrives",
            |c| c.string(doc, "latest").as_deref() == Some(value),
        )
        .await;
        relay.kill();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_document_is_unavailable() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let mut client = NativeClient::new("c");
    client.connect(&relay.sync_url()).await;
    let doc = new_doc_id();
    client.open(doc).await;
    client
        .wait_until("doc-unavailable", |c| {
            c.events
                .contains(&linli_shared::wire::client::Event::Unavailable(doc))
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torn_log_tail_from_a_crash_is_cut_off_on_restart() {
    let data = tempfile::tempdir().unwrap();
    let doc = new_doc_id();
    let mut writer = NativeClient::new("writer");
    let relay = RelayProcess::start(data.path());
    writer.connect(&relay.sync_url()).await;
    writer.edit(doc, put("kept", "保留")).await;
    writer.wait_until("stored", |c| c.is_synced(doc)).await;
    relay.kill();
    writer.disconnect();

    // What a crash in the middle of an append leaves: a header promising more than is there.
    // (The edit itself may still be only in the write-ahead log: the log may not exist yet.)
    let log = data.path().join("docs").join(doc.to_string()).join("log");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    std::io::Write::write_all(&mut file, &[200, 0, 0, 0, 1, 2, 3, 4, 5, 6]).unwrap();
    drop(file);

    let relay = RelayProcess::start(data.path());
    writer.connect(&relay.sync_url()).await;
    writer.edit(doc, put("after", "之后")).await;
    writer
        .wait_until("stored after the repair", |c| c.is_synced(doc))
        .await;
    relay.kill();

    let relay = RelayProcess::start(data.path());
    let reader = opened("reader", &relay.sync_url(), doc, "both values", |c| {
        c.string(doc, "after").is_some()
    })
    .await;
    assert_eq!(reader.string(doc, "kept").as_deref(), Some("保留"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_relay_promptly_even_with_open_sockets() {
    let data = tempfile::tempdir().unwrap();
    let mut relay = RelayProcess::start(data.path());
    let mut client = NativeClient::new("open");
    client.connect(&relay.sync_url()).await;
    let stopped = tokio::task::spawn_blocking(move || relay.terminate(Duration::from_secs(10)))
        .await
        .unwrap();
    assert!(
        stopped,
        "linli-relay ignored SIGTERM while a WebSocket was open"
    );
}
