//! A full disk under the relay's data directory (a real tmpfs, filled up): the change that
//! does not fit gets a clear error and is never acknowledged, everything stored before stays
//! readable, and once space is free again the client's resend is stored. The disk is filled by
//! something else, so the store's write itself fails: the disk reserve (`quota.rs`), which
//! refuses changes before that, is off here. Needs root (mount), as the tests run here and in
//! CI.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_testkit::native_client::{new_doc_id, opened, NativeClient};
use linli_testkit::small_disk::SmallDisk;
use linli_testkit::RelayBuilder;

/// Text that deflate cannot shrink much: hex of random bytes.
fn incompressible(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes);
    while out.len() < bytes {
        out.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_the_change_loses_nothing_and_recovers() {
    let disk = SmallDisk::mount(4 * 1024 * 1024);
    let data = disk.path().join("data");
    let doc = new_doc_id();
    let builder = RelayBuilder::new(&data).args(&["--disk-reserve-bytes", "0"]);
    let relay = builder.start();
    let url = relay.sync_url();
    let mut writer = NativeClient::new("writer");
    writer.connect(&url).await;
    writer
        .edit(doc, |d| {
            d.put(ROOT, "before", "井盖松动").map(drop).unwrap()
        })
        .await;
    writer.wait_until("stored", |c| c.is_synced(doc)).await;

    disk.fill_leaving(16 * 1024);
    let big = incompressible(256 * 1024);
    let value = big.clone();
    writer
        .edit(doc, move |d| {
            d.put(ROOT, "photo_note", value).map(drop).unwrap()
        })
        .await;
    let closed = writer.pump_for(Duration::from_secs(10)).await;
    let reason = closed.expect("the relay closes the connection when it cannot store");
    assert!(
        reason.contains("could not store"),
        "close reason: {reason:?}"
    );
    assert!(
        !writer.is_synced(doc),
        "a change that was not stored is never acknowledged"
    );

    // Another phone still gets everything stored before, from the same relay.
    let reader = opened("reader", &url, doc, "the stored edit", |c| {
        c.string(doc, "before").is_some()
    })
    .await;
    assert_eq!(reader.string(doc, "photo_note"), None);

    // Space again: the writer reconnects, resends, and the change survives a SIGKILL.
    disk.free_filler();
    writer.connect(&url).await;
    writer.open(doc).await;
    writer.wait_until("stored now", |c| c.is_synced(doc)).await;
    relay.kill();
    let relay = builder.start();
    let after = opened("after", &relay.sync_url(), doc, "both edits", |c| {
        c.string(doc, "photo_note").is_some()
    })
    .await;
    assert_eq!(after.string(doc, "before").as_deref(), Some("井盖松动"));
    assert_eq!(
        after.string(doc, "photo_note").as_deref(),
        Some(big.as_str())
    );
}

/// A relay killed and started again on a disk that filled up meanwhile (a crash, then another
/// program took the space) starts and serves what it stored: its registry's database needs no
/// new file to open (exclusive locking: no `-shm`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_restarts_on_a_full_disk_and_serves_what_it_stored() {
    let disk = SmallDisk::mount(4 * 1024 * 1024);
    let data = disk.path().join("data");
    let doc = new_doc_id();
    let builder =
        RelayBuilder::new(&data).args(&["--disk-reserve-bytes", "0", "--ballast-bytes", "0"]);
    let relay = builder.start();
    let url = relay.sync_url();
    let mut writer = NativeClient::new("writer");
    writer.connect(&url).await;
    writer
        .edit(doc, |d| {
            d.put(ROOT, "before", "井盖松动").map(drop).unwrap()
        })
        .await;
    writer.wait_until("stored", |c| c.is_synced(doc)).await;
    drop(writer);
    relay.kill();

    disk.fill_leaving(0);
    let relay = builder.start();
    let reader = opened("reader", &relay.sync_url(), doc, "the stored edit", |c| {
        c.string(doc, "before").is_some()
    })
    .await;
    assert_eq!(reader.string(doc, "before").as_deref(), Some("井盖松动"));
    drop(reader);
    relay.kill();
}
