//! The hub and `serve_socket` driven through channels instead of sockets.

use std::convert::Infallible;
use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use axum::extract::ws::Message as WsMessage;
use futures_util::{sink, stream, Sink, Stream};
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, DocumentId, PeerId, PeerMetadata, SyncClient};
use std::collections::HashMap;
use tokio::sync::mpsc;

use super::*;
use crate::core::{Action, AllowAll, Principal, RelayConfig};
use crate::storage::MemoryStore;
use crate::transport::{serve_socket, ConnectionOptions};

/// Panics for one peer, like a bug triggered by a hostile message would.
struct PanicsFor(&'static str);

impl Authorize for PanicsFor {
    fn authorize(&self, who: Option<&Principal>, _: &DocumentId, _: Action) -> bool {
        assert_ne!(who.unwrap().member_id, self.0, "simulated bug");
        true
    }
}

/// A hub around a relay that stores in memory and asks `authorize` about access.
fn hub_with(authorize: impl Authorize) -> (HubHandle, thread::JoinHandle<()>) {
    let store = MemoryStore::new();
    let relay = Relay::with_authorizer(
        PeerId::new("relay"),
        "s".into(),
        store,
        RelayConfig::default(),
        authorize,
    );
    spawn_hub(relay)
}

/// A socket made of channels: what the test sends, and what the relay sent.
struct ChannelSocket {
    to_relay: mpsc::Sender<WsMessage>,
    from_relay: mpsc::Receiver<WsMessage>,
}

fn socket_halves() -> (
    ChannelSocket,
    impl Sink<WsMessage> + Unpin,
    impl Stream<Item = Result<WsMessage, Infallible>> + Unpin,
) {
    let (to_relay, relay_in) = mpsc::channel::<WsMessage>(64);
    let (relay_out, from_relay) = mpsc::channel::<WsMessage>(64);
    let sink = Box::pin(sink::unfold(relay_out, |tx, message| async move {
        tx.send(message).await.map(|_| tx)
    }));
    let stream = Box::pin(stream::unfold(relay_in, |mut rx| async move {
        rx.recv().await.map(|m| (Ok(m), rx))
    }));
    (
        ChannelSocket {
            to_relay,
            from_relay,
        },
        sink,
        stream,
    )
}

struct TestPeer {
    socket: ChannelSocket,
    client: SyncClient,
    docs: HashMap<DocumentId, AutoCommit>,
    events: Vec<Event>,
    closed: bool,
}

impl TestPeer {
    async fn connect(hub: &HubHandle, name: &str) -> TestPeer {
        TestPeer::connect_with(hub, name, ConnectionOptions::default()).await
    }

    async fn connect_with(hub: &HubHandle, name: &str, options: ConnectionOptions) -> TestPeer {
        let (socket, sink, stream) = socket_halves();
        let principal = Principal {
            member_id: name.to_string(),
            community: DocumentId::from_bytes([9; 16]),
            role: None,
            admin: false,
        };
        tokio::spawn(serve_socket(
            sink,
            stream,
            hub.clone(),
            options,
            Some(principal),
        ));
        let client = SyncClient::new(PeerId::new(name), PeerMetadata::default());
        let mut peer = TestPeer {
            socket,
            client,
            docs: HashMap::new(),
            events: Vec::new(),
            closed: false,
        };
        let join = peer.client.join();
        peer.send(vec![join]).await;
        peer.pump_until(|p| p.client.server_peer().is_some()).await;
        peer
    }

    async fn send(&mut self, frames: Vec<Vec<u8>>) {
        for frame in frames {
            let _ = self
                .socket
                .to_relay
                .send(WsMessage::Binary(frame.into()))
                .await;
        }
    }

    async fn edit(&mut self, id: DocumentId, value: &str) {
        let doc = self.docs.doc_mut(&id);
        doc.put(ROOT, "k", value).unwrap();
        let frames = self.client.local_change(id, doc);
        self.send(frames).await;
    }

    async fn pump_until(&mut self, done: impl Fn(&mut Self) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !done(self) {
            let message = tokio::time::timeout_at(deadline, self.socket.from_relay.recv())
                .await
                .expect("condition reached in time");
            match message {
                Some(WsMessage::Binary(frame)) => {
                    let out = self.client.handle_frame(&frame, &mut self.docs);
                    self.events.extend(out.events);
                    self.send(out.frames).await;
                }
                Some(WsMessage::Close(_)) | None => self.closed = true,
                Some(_) => {}
            }
        }
    }
}

#[tokio::test]
async fn a_panic_in_the_core_closes_the_culprit_and_the_relay_keeps_serving() {
    let (hub, _thread) = hub_with(PanicsFor("evil"));
    let (doc_a, doc_b) = (
        DocumentId::from_bytes([1; 16]),
        DocumentId::from_bytes([2; 16]),
    );

    let mut good = TestPeer::connect(&hub, "good").await;
    good.edit(doc_a, "1").await;
    good.pump_until(|p| p.client.is_synced(doc_a, p.docs.doc_mut(&doc_a)))
        .await;

    let mut evil = TestPeer::connect(&hub, "evil").await;
    evil.edit(doc_b, "x").await;
    evil.pump_until(|p| p.closed).await;
    assert!(evil
        .events
        .iter()
        .any(|e| matches!(e, Event::Error(m) if m.contains("internal"))));

    // Other connections and new ones work as before.
    good.edit(doc_a, "2").await;
    good.pump_until(|p| p.client.is_synced(doc_a, p.docs.doc_mut(&doc_a)))
        .await;
    assert!(!good.closed);
    let mut late = TestPeer::connect(&hub, "late").await;
    let frames = late.client.open(doc_a, late.docs.doc_mut(&doc_a));
    late.send(frames).await;
    late.pump_until(|p| p.events.contains(&Event::DocChanged(doc_a)))
        .await;
    assert_eq!(hub.stats().await.unwrap().connections, 2);
}

#[tokio::test]
async fn a_peer_that_stops_answering_pings_is_dropped() {
    let (hub, _thread) = hub_with(AllowAll);
    let options = ConnectionOptions {
        keepalive: Duration::from_millis(50),
        ..ConnectionOptions::default()
    };
    let mut silent = TestPeer::connect_with(&hub, "silent", options).await;
    let mut pings = 0;
    // The peer reads but never answers: pings arrive, then the relay hangs up.
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(message) = silent.socket.from_relay.recv().await {
            if matches!(message, WsMessage::Ping(_)) {
                pings += 1;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the relay kept the silent connection");
    assert!(pings >= 2, "{pings} pings");
    assert_eq!(hub.stats().await.unwrap().connections, 0);
}

#[tokio::test]
async fn closing_a_member_closes_only_that_members_sockets() {
    let (hub, _thread) = hub_with(AllowAll);
    let doc = DocumentId::from_bytes([1; 16]);
    let mut kept = TestPeer::connect(&hub, "kept").await;
    let mut revoked = TestPeer::connect(&hub, "revoked").await;
    revoked.edit(doc, "1").await;
    revoked
        .pump_until(|p| p.client.is_synced(doc, p.docs.doc_mut(&doc)))
        .await;
    hub.close_member("revoked").await;
    revoked.pump_until(|p| p.closed).await;
    assert!(revoked
        .events
        .iter()
        .any(|e| matches!(e, Event::Error(m) if m.contains("revoked"))));
    kept.edit(doc, "2").await;
    kept.pump_until(|p| p.client.is_synced(doc, p.docs.doc_mut(&doc)))
        .await;
    assert!(!kept.closed);
    assert_eq!(hub.stats().await.unwrap().connections, 1);
}

#[tokio::test]
async fn every_frame_is_timed_once_its_answers_are_queued() {
    let (hub, _thread) = hub_with(AllowAll);
    let before = hub.stats().await.unwrap();
    assert_eq!(before.frame_latency.count(), 0);

    let doc = DocumentId::from_bytes([3; 16]);
    let mut peer = TestPeer::connect(&hub, "timed").await;
    peer.edit(doc, "1").await;
    peer.pump_until(|p| p.client.is_synced(doc, p.docs.doc_mut(&doc)))
        .await;
    let stats = hub.stats().await.unwrap();
    // The join and at least one sync message, each counted when it was answered.
    assert!(stats.frame_latency.count() >= 2, "{stats:?}");
    assert_eq!(
        stats.frame_latency.count(),
        stats.sync_messages_received + 1,
        "every sync frame and the join"
    );
    let p50 = stats.frame_latency.quantile_ms(0.5).unwrap();
    assert!(p50 > 0.0 && p50 < 1000.0, "p50 {p50} ms");
    // The edit was stored: that store timed, and only stores (a flush with nothing to
    // store, as after the join, is not one).
    assert_eq!(before.store_latency.count(), 0);
    assert!(stats.stores >= 1, "{stats:?}");
    assert_eq!(
        stats.store_latency.count(),
        stats.stores,
        "every store timed once"
    );
}

/// Holds the core thread in `authorize` until the release sender is dropped; says on
/// `entered` when it got there.
struct Stalls {
    release: std::sync::Mutex<std::sync::mpsc::Receiver<()>>,
    entered: std::sync::Mutex<std::sync::mpsc::Sender<()>>,
}

impl Authorize for Stalls {
    fn authorize(&self, _: Option<&Principal>, _: &DocumentId, _: Action) -> bool {
        let _ = self.entered.lock().unwrap().send(());
        let _ = self.release.lock().unwrap().recv();
        true
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_answer_while_the_core_thread_is_busy() {
    use crate::metrics::{metrics, MetricsState};
    use axum::extract::{ConnectInfo, Request, State};

    let (release, stalled) = std::sync::mpsc::channel();
    let (entered, stuck) = std::sync::mpsc::channel();
    let (hub, _thread) = hub_with(Stalls {
        release: std::sync::Mutex::new(stalled),
        entered: std::sync::Mutex::new(entered),
    });
    let mut peer = TestPeer::connect(&hub, "p").await;
    let board = hub.stats_board();
    while board.latest().connections != 1 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The core thread is held in `authorize` by the first change.
    peer.edit(DocumentId::from_bytes([1; 16]), "v").await;
    tokio::task::spawn_blocking(move || stuck.recv_timeout(Duration::from_secs(20)))
        .await
        .unwrap()
        .expect("the core thread reaches authorize");
    assert!(
        tokio::time::timeout(Duration::from_millis(500), hub.stats())
            .await
            .is_err(),
        "a question to the core thread waits while it is stuck"
    );

    let state = MetricsState {
        stats: board,
        admin_token: None,
    };
    let mut request = Request::new(axum::body::Body::empty());
    let local: std::net::SocketAddr = "127.0.0.1:9".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(local));
    let response = tokio::time::timeout(Duration::from_secs(1), metrics(State(state), request))
        .await
        .expect("/metrics answers while the core thread is busy");
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&body).contains("\nlinli_connections 1\n"));

    drop(release);
    let doc = DocumentId::from_bytes([1; 16]);
    peer.pump_until(|p| p.client.is_synced(doc, p.docs.doc_mut(&doc)))
        .await;
}
