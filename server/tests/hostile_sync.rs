//! Automerge bombs over a real socket: a sync message whose compressed change inflates far
//! beyond the relay's limit, and one with 200,000 `have` entries. Each also carries a valid
//! change. The relay refuses both with an error naming why, stores nothing of them (checked
//! after a restart), its peak memory stays small, and an honest pair on another document keeps
//! syncing.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocumentId, Message};
use linli_testkit::bombs::{inflation_bomb, sync_message};
use linli_testkit::honest_pair::HonestPair;
use linli_testkit::native_client::{opened, stored_document, NativeClient, TIMEOUT};
use linli_testkit::RelayProcess;

/// The relay's peak resident memory must stay under this.
const PEAK_RSS_MIB: f64 = 100.0;
/// What the compressed change inflates to: 8 × the relay's limit (64 MiB).
const BOMB_INFLATED: usize = 512 * 1024 * 1024;
const HAVES: u64 = 200_000;

/// A valid change to `doc` (which the relay holds) setting `key`.
fn valid_change(key: &str) -> Vec<u8> {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, key, "stored").unwrap();
    doc.get_last_local_change().unwrap().raw_bytes().to_vec()
}

/// Sends `data` as a sync message for `doc` from a fresh member connection; returns the
/// relay's error message and close reason.
async fn send_bomb(url: &str, doc: DocumentId, data: Vec<u8>) -> (String, String) {
    let mut hostile = NativeClient::new("hostile");
    hostile.connect(url).await;
    let frame = Message::Sync {
        sender_id: hostile.client.peer_id().clone(),
        target_id: hostile.client.server_peer().unwrap().clone(),
        document_id: doc,
        data,
    }
    .encode();
    assert!(hostile.try_send(vec![frame]).await, "sending the bomb");
    let reason = hostile
        .pump_for(TIMEOUT)
        .await
        .expect("the relay closes the bomb's connection");
    let error = hostile
        .events
        .iter()
        .find_map(|e| match e {
            Event::Error(message) => Some(message.clone()),
            _ => None,
        })
        .expect("an error frame");
    (error, reason)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inflation_bombs_and_have_floods_are_refused_and_not_stored() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let url = relay.sync_url();

    let (_owner, target) = stored_document(&url).await;
    let mut honest = HonestPair::start(&url).await;

    let bomb = sync_message(
        0,
        &[valid_change("inflated"), inflation_bomb(BOMB_INFLATED)],
    );
    assert!(bomb.len() < 8 * 1024 * 1024, "{} bytes", bomb.len());
    let (error, reason) = send_bomb(&url, target, bomb).await;
    assert!(error.contains("inflates beyond"), "{error}");
    assert!(reason.contains("inflates beyond"), "{reason}");
    assert!(
        honest.round(1, Duration::from_secs(5)).await,
        "honest round 1 took over 5 s"
    );

    let haves = sync_message(HAVES, &[valid_change("haves")]);
    let (error, reason) = send_bomb(&url, target, haves).await;
    assert!(error.contains("200000 `have` entries"), "{error}");
    assert!(reason.contains("`have` entries"), "{reason}");
    assert!(
        honest.round(2, Duration::from_secs(5)).await,
        "honest round 2 took over 5 s"
    );

    let peak = relay.peak_rss_mib();
    println!("relay peak RSS {peak:.0} MiB after both bombs");
    assert!(peak < PEAK_RSS_MIB, "relay peak RSS {peak:.0} MiB");
    relay.kill();

    // After a restart the document holds the owner's key and neither bomb's change.
    let relay = RelayProcess::start(data.path());
    let mut reader = opened(
        "reader",
        &relay.sync_url(),
        target,
        "the stored document",
        |c| c.string(target, "k").as_deref() == Some("v"),
    )
    .await;
    reader.wait_until("synced", |c| c.is_synced(target)).await;
    assert_eq!(reader.string(target, "inflated"), None);
    assert_eq!(reader.string(target, "haves"), None);
    assert_eq!(reader.key_count(target), 1);
}
