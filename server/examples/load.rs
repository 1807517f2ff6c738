//! Load generator: rooms × editors editing through a running relay; prints delivery latency.
//!
//! ```sh
//! cargo run --release -p linli-server --example load -- ws://127.0.0.1:8080/sync 20 5 100 10
//! #                                                       url                 rooms editors ms secs
//! ```
//! Each editor writes its send time into its own key of its room's document every `ms`; every
//! other editor of the room records how long that took to arrive.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use futures_util::{SinkExt, StreamExt};
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, DocumentId, PeerId, PeerMetadata, SyncClient};
use tokio_tungstenite::tungstenite::Message;

struct Report {
    latencies_us: Vec<u64>,
    frames_received: u64,
    edits: u64,
}

async fn editor(
    url: String,
    doc: DocumentId,
    me: usize,
    every: Duration,
    until: Instant,
    start: Instant,
) -> Report {
    let (mut socket, _) = tokio_tungstenite::connect_async(&url)
        .await
        .expect("connect");
    let mut client = SyncClient::new(
        PeerId::new(format!("load-{}", uuid::Uuid::new_v4().simple())),
        PeerMetadata::default(),
    );
    let mut docs: HashMap<DocumentId, AutoCommit> = HashMap::new();
    socket
        .send(Message::Binary(client.join().into()))
        .await
        .unwrap();
    let mut seen: HashMap<String, i64> = HashMap::new();
    let mut report = Report {
        latencies_us: Vec::new(),
        frames_received: 0,
        edits: 0,
    };
    let mut tick = tokio::time::interval(every);
    let key = format!("editor-{me}");
    let mut opened = false;
    while Instant::now() < until {
        tokio::select! {
            _ = tick.tick() => {
                if client.server_peer().is_none() { continue; }
                let d = docs.doc_mut(&doc);
                d.put(ROOT, key.as_str(), start.elapsed().as_micros() as i64).unwrap();
                report.edits += 1;
                let frames = if opened { client.local_change(doc, d) } else { opened = true; client.open(doc, d) };
                for f in frames { socket.send(Message::Binary(f.into())).await.unwrap(); }
            }
            frame = socket.next() => {
                let Some(Ok(Message::Binary(frame))) = frame else { continue };
                report.frames_received += 1;
                let out = client.handle_frame(&frame, &mut docs);
                for f in out.frames { socket.send(Message::Binary(f.into())).await.unwrap(); }
                if out.events.iter().any(|e| matches!(e, Event::DocChanged(_))) {
                    let now = start.elapsed().as_micros() as i64;
                    let d = docs.doc_mut(&doc);
                    for k in d.keys(ROOT).collect::<Vec<_>>() {
                        if k == key { continue; }
                        let Some((v, _)) = d.get(ROOT, k.as_str()).unwrap() else { continue };
                        let Some(sent) = v.as_i64() else { continue };
                        if seen.insert(k.clone(), sent) != Some(sent) {
                            report.latencies_us.push((now - sent).max(0) as u64);
                        }
                    }
                }
            }
        }
    }
    report
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "ws://127.0.0.1:8080/sync".into());
    let arg = |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (rooms, editors, ms, secs) = (arg(2, 20), arg(3, 5), arg(4, 100), arg(5, 10));
    let start = Instant::now();
    let until = start + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..rooms {
        let doc = DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes());
        for me in 0..editors as usize {
            tasks.push(tokio::spawn(editor(
                url.clone(),
                doc,
                me,
                Duration::from_millis(ms),
                until,
                start,
            )));
        }
    }
    let (mut latencies, mut frames, mut edits) = (Vec::new(), 0, 0);
    for task in tasks {
        let r = task.await.unwrap();
        latencies.extend(r.latencies_us);
        frames += r.frames_received;
        edits += r.edits;
    }
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |us| *us as f64 / 1000.0)
    };
    println!(
        "{rooms} rooms x {editors} editors, every {ms} ms, {secs} s: {edits} edits, {} deliveries ({:.0}/s), p50 {:.1} ms, p99 {:.1} ms, {:.1} frames received per edit",
        latencies.len(),
        latencies.len() as f64 / secs as f64,
        pct(0.5),
        pct(0.99),
        frames as f64 / edits.max(1) as f64
    );
}
