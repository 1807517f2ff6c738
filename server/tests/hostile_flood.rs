//! A hostile member floods presence (`ephemeral`) frames at a document whose other sockets
//! (the same member's) subscribed and then stopped reading. The relay's memory stays bounded
//! and an honest pair on another document keeps syncing throughout.

use std::time::{Duration, Instant};

use linli_shared::wire::{DocumentId, Message};
use linli_testkit::honest_pair::HonestPair;
use linli_testkit::native_client::{stalled_readers, stored_document, NativeClient};
use linli_testkit::RelayBuilder;

/// The relay's peak resident memory must stay under this.
const PEAK_RSS_MIB: f64 = 300.0;
/// How quickly a change must reach the other honest phone while the flood runs.
const HONEST_DELAY: Duration = Duration::from_secs(5);

/// Connects (retrying while the relay still counts a closed socket of this member).
async fn connect(client: &mut NativeClient, url: &str) {
    for _ in 0..200 {
        if client.try_connect(url).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the relay kept refusing the flooder's connections");
}

/// Sends `frames` presence frames of `bytes` each to `doc`, reconnecting whenever the relay
/// closes the socket. Returns how many were sent.
async fn flood(url: String, doc: DocumentId, frames: usize, bytes: usize) -> usize {
    let payload = vec![0x5a; bytes];
    let mut sent = 0;
    let mut flooder = NativeClient::new("flooder");
    while sent < frames {
        connect(&mut flooder, &url).await;
        flooder.open(doc).await;
        while sent < frames {
            let frame = Message::Ephemeral {
                sender_id: flooder.client.peer_id().clone(),
                target_id: flooder.client.server_peer().unwrap().clone(),
                document_id: doc,
                session_id: "flood".into(),
                count: sent as u64,
                data: payload.clone(),
            }
            .encode();
            if !flooder.try_send(vec![frame]).await {
                break;
            }
            sent += 1;
        }
    }
    sent
}

async fn flood_with_stalled_readers(stalled: usize, frames: usize, bytes: usize, extra: &[&str]) {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayBuilder::new(data.path()).args(extra).start();
    let url = relay.sync_url();

    // The flooded document exists, and `stalled` sockets subscribe to it, then stop reading.
    let (_owner, flooded) = stored_document(&url).await;
    let readers = stalled_readers(&url, flooded, stalled).await;
    let mut honest = HonestPair::start(&url).await;

    let started = Instant::now();
    let flooding = tokio::spawn(flood(url.clone(), flooded, frames, bytes));
    let mut rounds = 0;
    while !flooding.is_finished() {
        rounds += 1;
        assert!(
            honest.acknowledged_round(rounds, HONEST_DELAY).await,
            "round {rounds}: an honest change took over {HONEST_DELAY:?} during the flood"
        );
    }
    let sent = flooding.await.unwrap();
    let peak = relay.peak_rss_mib();
    println!(
        "flood: {sent} × {bytes} bytes of presence, {stalled} stalled readers, {:.1} s, \
         {rounds} honest rounds; relay peak RSS {peak:.0} MiB",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(sent, frames);
    assert!(
        peak <= PEAK_RSS_MIB,
        "relay peak RSS {peak:.0} MiB > {PEAK_RSS_MIB}"
    );
    drop(readers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_megabyte_presence_flood_at_ten_stalled_readers_keeps_memory_bounded() {
    flood_with_stalled_readers(10, 150, 1024 * 1024, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_mebibyte_frames_at_fifty_stalled_readers_keep_memory_bounded() {
    // Fifty sockets of one member: more than the default per-member limit allows.
    flood_with_stalled_readers(
        50,
        30,
        8 * 1024 * 1024 - 1024,
        &["--max-sockets-per-member", "64"],
    )
    .await;
}
