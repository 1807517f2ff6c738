//! Native load generation shared by `server/examples/load.rs`, `server/examples/relay_bench.rs`
//! and `server/tests/load_smoke.rs`: rooms × editors editing one document per room through a relay
//! (ours or the JS reference, same client code), and idle sockets for memory.
//!
//! Each editor writes its send time (µs since a process-wide epoch) into its own key of its
//! room's document every `every`; every other editor of the room records how long that value
//! took to arrive. All editors connect and finish the handshake first; then `warmup` passes
//! (rooms get created), then `measure` is counted: edits sent, values delivered, latencies.
//!
//! [`run_across`] spreads each room's editors over several relay nodes (one URL each); the
//! deliveries whose sender is on another node than the receiver are also counted apart.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use futures_util::{SinkExt, StreamExt};
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, DocumentId, PeerId, PeerMetadata, SyncClient};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_us() -> i64 {
    epoch().elapsed().as_micros() as i64
}

/// One load run.
#[derive(Debug, Clone)]
pub struct Load {
    pub rooms: usize,
    pub editors: usize,
    pub every: Duration,
    pub warmup: Duration,
    pub measure: Duration,
    pub phases: Phases,
}

/// When in the period each editor edits. Within a room its editors are always `every /
/// editors` apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phases {
    /// Every room in lockstep: editor k of every room edits at the same instant, so the
    /// relay and the generator get a burst of `rooms` edits `editors` times per period.
    Lockstep,
    /// Rooms staggered too, `every / (rooms × editors)` apart, as independent phones are.
    Spread,
}

impl Load {
    /// When in the period editor `me` of room `room` edits.
    fn offset(&self, room: usize, me: usize) -> Duration {
        match self.phases {
            Phases::Lockstep => self.every.mul_f64(me as f64 / self.editors as f64),
            Phases::Spread => self
                .every
                .mul_f64((me * self.rooms + room) as f64 / (self.rooms * self.editors) as f64),
        }
    }
}

/// What a run measured.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Edit → other-editor delivery latencies within the measured window, sorted (µs).
    pub latencies_us: Vec<u64>,
    /// Those of them whose sender was connected to another node than the receiver, sorted
    /// (µs); empty with one node.
    pub cross_node_us: Vec<u64>,
    /// When every editor had connected and the warm-up began.
    pub started: Option<Instant>,
    pub edits: u64,
    pub frames_received: u64,
    /// Editors whose connection failed or closed early.
    pub failed_editors: usize,
    pub measured_secs: f64,
}

impl Report {
    pub fn percentile_ms(&self, p: f64) -> f64 {
        percentile_ms(&self.latencies_us, p)
    }

    /// The same over the cross-node deliveries only (NaN with one node).
    pub fn cross_node_percentile_ms(&self, p: f64) -> f64 {
        percentile_ms(&self.cross_node_us, p)
    }

    /// The measured window: from the end of the warm-up for `load.measure`.
    pub fn window(&self, load: &Load) -> Option<(Instant, Instant)> {
        let from = self.started? + load.warmup;
        Some((from, from + load.measure))
    }

    pub fn deliveries_per_sec(&self) -> f64 {
        self.latencies_us.len() as f64 / self.measured_secs
    }

    /// Deliveries expected if every edit reached every other editor of its room.
    pub fn delivered_fraction(&self, editors: usize) -> f64 {
        self.latencies_us.len() as f64 / (self.edits as f64 * (editors as f64 - 1.0)).max(1.0)
    }

    pub fn summary(&self, load: &Load) -> String {
        let cross = match self.cross_node_us.len() {
            0 => String::new(),
            n => format!(
                ", cross-node {n}: p50 {:.1} ms, p99 {:.1} ms",
                self.cross_node_percentile_ms(0.5),
                self.cross_node_percentile_ms(0.99)
            ),
        };
        format!(
            "{} rooms x {} editors, every {} ms, {:.0} s: {} edits, {} deliveries ({:.0}/s, {:.0}% of edits x others), p50 {:.1} ms, p99 {:.1} ms, {:.1} frames received per edit, {} failed editors{cross}",
            load.rooms, load.editors, load.every.as_millis(), self.measured_secs, self.edits,
            self.latencies_us.len(), self.deliveries_per_sec(),
            100.0 * self.delivered_fraction(load.editors), self.percentile_ms(0.5),
            self.percentile_ms(0.99), self.frames_received as f64 / self.edits.max(1) as f64,
            self.failed_editors
        )
    }
}

fn percentile_ms(sorted_us: &[u64], p: f64) -> f64 {
    let n = sorted_us.len();
    if n == 0 {
        return f64::NAN;
    }
    let i = ((n as f64 * p) as usize).min(n - 1);
    sorted_us[i] as f64 / 1000.0
}

/// Which of `nodes` editor `me` of room `room` connects to: alternating within a room, and
/// from room to room, so that the nodes carry the same number of editors.
fn node_of(room: usize, me: usize, nodes: usize) -> usize {
    (room + me) % nodes
}

/// Small buffers: the client side holds thousands of sockets.
fn client_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .write_buffer_size(0)
}

/// Connects, joins, and waits for the relay's `peer` answer.
async fn connect(url: &str, name: String) -> Result<(Socket, SyncClient), String> {
    let (mut socket, _) =
        tokio_tungstenite::connect_async_with_config(url, Some(client_config()), true)
            .await
            .map_err(|e| format!("connect: {e}"))?;
    let mut client = SyncClient::new(PeerId::new(name), PeerMetadata::default());
    socket
        .send(Message::Binary(client.join().into()))
        .await
        .map_err(|e| e.to_string())?;
    let mut docs: HashMap<DocumentId, AutoCommit> = HashMap::new();
    while client.server_peer().is_none() {
        match socket.next().await {
            Some(Ok(Message::Binary(frame))) => {
                client.handle_frame(&frame, &mut docs);
            }
            Some(Ok(_)) => {}
            other => return Err(format!("no answer to join: {other:?}")),
        }
    }
    Ok((socket, client))
}

#[derive(Default)]
struct EditorReport {
    latencies_us: Vec<u64>,
    cross_node_us: Vec<u64>,
    edits: u64,
    frames_received: u64,
    failed: bool,
}

async fn editor(
    urls: Arc<[String]>,
    doc: DocumentId,
    (room, me): (usize, usize),
    load: Load,
    go: Arc<Barrier>,
) -> EditorReport {
    let nodes = urls.len();
    let node = node_of(room, me, nodes);
    let url = &urls[node];
    let mut report = EditorReport::default();
    let name = format!("load-{}", uuid::Uuid::new_v4().simple());
    let connected = tokio::time::timeout(Duration::from_secs(60), connect(url, name)).await;
    go.wait().await;
    let Ok(Ok((mut socket, mut client))) = connected else {
        report.failed = true;
        return report;
    };
    let start = Instant::now();
    let (from, until) = (start + load.warmup, start + load.warmup + load.measure);
    let counted = |t: Instant| t >= from && t < until;
    let mut docs: HashMap<DocumentId, AutoCommit> = HashMap::new();
    let mut seen: HashMap<String, i64> = HashMap::new();
    let offset = load.offset(room, me);
    let mut tick = tokio::time::interval_at((start + offset).into(), load.every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let key = format!("editor-{me}");
    let deadline = tokio::time::sleep_until(until.into());
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = &mut deadline => break,
            _ = tick.tick() => {
                let d = docs.doc_mut(&doc);
                d.put(ROOT, key.as_str(), now_us()).unwrap();
                if counted(Instant::now()) { report.edits += 1; }
                for f in client.local_change(doc, d) {
                    if socket.send(Message::Binary(f.into())).await.is_err() { report.failed = true; return report; }
                }
            }
            frame = socket.next() => {
                let frame = match frame {
                    Some(Ok(Message::Binary(frame))) => frame,
                    Some(Ok(_)) => continue,
                    _ => { report.failed = true; return report; }
                };
                if counted(Instant::now()) { report.frames_received += 1; }
                let out = client.handle_frame(&frame, &mut docs);
                for f in out.frames {
                    if socket.send(Message::Binary(f.into())).await.is_err() { report.failed = true; return report; }
                }
                if !out.events.iter().any(|e| matches!(e, Event::DocChanged(_))) { continue; }
                let (now, at) = (now_us(), Instant::now());
                let d = docs.doc_mut(&doc);
                for k in d.keys(ROOT).collect::<Vec<_>>() {
                    if k == key { continue; }
                    let Some((v, _)) = d.get(ROOT, k.as_str()).unwrap() else { continue };
                    let Some(sent) = v.as_i64() else { continue };
                    let from = k.strip_prefix("editor-").and_then(|m| m.parse().ok());
                    let cross = from.is_some_and(|m| node_of(room, m, nodes) != node);
                    if seen.insert(k, sent) != Some(sent) && counted(at) {
                        let took = (now - sent).max(0) as u64;
                        report.latencies_us.push(took);
                        if cross { report.cross_node_us.push(took); }
                    }
                }
            }
        }
    }
    let _ = socket.close(None).await;
    report
}

/// Runs `load` against the relay at `url` (a `ws://` URL, with `?token=` if it needs one).
pub async fn run(url: &str, load: &Load) -> Report {
    run_across(&[url.to_string()], load).await
}

/// Runs `load` against relay nodes sharing one store, one URL each: editor `me` of room
/// `room` connects to node `(room + me) % urls.len()`.
pub async fn run_across(urls: &[String], load: &Load) -> Report {
    let _ = epoch();
    let urls: Arc<[String]> = urls.into();
    let n = load.rooms * load.editors;
    let go = Arc::new(Barrier::new(n + 1));
    let mut tasks = Vec::with_capacity(n);
    for room in 0..load.rooms {
        let doc = DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes());
        for me in 0..load.editors {
            tasks.push(tokio::spawn(editor(
                urls.clone(),
                doc,
                (room, me),
                load.clone(),
                go.clone(),
            )));
        }
    }
    go.wait().await;
    let mut report = Report {
        measured_secs: load.measure.as_secs_f64(),
        started: Some(Instant::now()),
        ..Report::default()
    };
    for task in tasks {
        let r = task.await.expect("editor task");
        report.latencies_us.extend(r.latencies_us);
        report.cross_node_us.extend(r.cross_node_us);
        report.edits += r.edits;
        report.frames_received += r.frames_received;
        report.failed_editors += usize::from(r.failed);
    }
    report.latencies_us.sort_unstable();
    report.cross_node_us.sort_unstable();
    report
}

/// Opens `count` sockets that stay idle until `hold` resolves, `per_doc` of them on each
/// small shared document, like a community's phones on its community document: the first
/// socket of each document creates it, the others then sync it and read it (`per_doc` 1: each
/// socket creates its own). Returns how many got connected and synced.
pub async fn idle_sockets(
    url: &str,
    count: usize,
    per_doc: usize,
    hold: impl std::future::Future<Output = ()>,
) -> usize {
    let (done_tx, mut done_rx) = tokio::sync::mpsc::channel::<bool>(count.max(1));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let permits = Arc::new(tokio::sync::Semaphore::new(200)); // connect 200 at a time
    let shared: Vec<DocumentId> = (0..count.div_ceil(per_doc.max(1)))
        .map(|_| DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes()))
        .collect();
    let mut ok = 0;
    let mut waiting = count;
    for i in 0..count {
        if i == shared.len() && i < count {
            // Every document exists before its readers come.
            for _ in 0..shared.len() {
                ok += usize::from(done_rx.recv().await == Some(true));
                waiting -= 1;
            }
        }
        let creates = i < shared.len();
        let doc = shared[i % shared.len()];
        let (url, done, mut stop, permits) = (
            url.to_string(),
            done_tx.clone(),
            stop_rx.clone(),
            permits.clone(),
        );
        tokio::spawn(async move {
            let permit = permits.acquire_owned().await.unwrap();
            let Ok((mut socket, mut client)) = connect(&url, format!("idle-{i}")).await else {
                let _ = done.send(false).await;
                return;
            };
            let mut docs: HashMap<DocumentId, AutoCommit> = HashMap::new();
            let d = docs.doc_mut(&doc);
            if creates {
                d.put(ROOT, "community", i as i64).unwrap();
            }
            let mut outgoing = client.open(doc, d);
            let mut synced = false;
            while !synced {
                for f in outgoing.drain(..) {
                    let _ = socket.send(Message::Binary(f.into())).await;
                }
                match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
                    Ok(Some(Ok(Message::Binary(frame)))) => {
                        outgoing = client.handle_frame(&frame, &mut docs).frames;
                        let d = docs.doc_mut(&doc);
                        synced = d.get(ROOT, "community").ok().flatten().is_some()
                            && client.is_synced(doc, docs.doc_mut(&doc));
                    }
                    Ok(Some(Ok(_))) => {}
                    _ => break,
                }
            }
            drop(permit);
            let _ = done.send(synced).await;
            // Idle: answer nothing but keep reading (pings are answered by tungstenite).
            loop {
                tokio::select! {
                    _ = stop.changed() => break,
                    m = socket.next() => if m.is_none() { break },
                }
            }
        });
    }
    drop(done_tx);
    for _ in 0..waiting {
        ok += usize::from(done_rx.recv().await == Some(true));
    }
    hold.await;
    let _ = stop_tx.send(true);
    ok
}
