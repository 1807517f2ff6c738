//! A native sync client: `wire::client::SyncClient` over tokio-tungstenite.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use futures_util::{SinkExt, StreamExt};
use linli_shared::wire::client::Event;
use linli_shared::wire::{DocStore, DocumentId, PeerId, PeerMetadata, SyncClient};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a native peer waits for the relay.
pub const TIMEOUT: Duration = crate::timeouts::NATIVE;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct NativeClient {
    pub client: SyncClient,
    pub docs: HashMap<DocumentId, AutoCommit>,
    pub events: Vec<Event>,
    socket: Option<Socket>,
}

impl NativeClient {
    pub fn new(name: &str) -> NativeClient {
        let peer = PeerId::new(format!("{name}-{}", uuid::Uuid::new_v4().simple()));
        NativeClient {
            client: SyncClient::new(peer, PeerMetadata::default()),
            docs: HashMap::new(),
            events: Vec::new(),
            socket: None,
        }
    }

    /// Connects (or reconnects) and waits for the handshake.
    pub async fn connect(&mut self, url: &str) {
        assert!(
            self.try_connect(url).await,
            "connecting to the relay at {url}"
        );
    }

    /// Like [`NativeClient::connect`], but false if the relay refused the upgrade.
    pub async fn try_connect(&mut self, url: &str) -> bool {
        self.client.reset();
        let Ok((socket, _)) = tokio_tungstenite::connect_async(url).await else {
            return false;
        };
        self.socket = Some(socket);
        self.send(vec![self.client.join()]).await;
        self.wait_until("the relay answers join", |c| {
            c.client.server_peer().is_some()
        })
        .await;
        true
    }

    /// Drops the connection without a close handshake.
    pub fn disconnect(&mut self) {
        self.socket = None;
        self.client.reset();
    }

    pub async fn open(&mut self, id: DocumentId) {
        let frames = self.client.open(id, self.docs.doc_mut(&id));
        self.send(frames).await;
    }

    /// Edits a document locally, and sends the change if connected.
    pub async fn edit(&mut self, id: DocumentId, edit: impl FnOnce(&mut AutoCommit)) {
        let doc = self.docs.doc_mut(&id);
        edit(doc);
        let frames = self.client.local_change(id, doc);
        if self.socket.is_some() {
            self.send(frames).await;
        }
    }

    /// Like [`NativeClient::edit`], but a connection that breaks while sending is dropped
    /// (the change stays local, to be resent after reconnecting). False if it broke.
    pub async fn edit_or_drop(
        &mut self,
        id: DocumentId,
        edit: impl FnOnce(&mut AutoCommit),
    ) -> bool {
        let doc = self.docs.doc_mut(&id);
        edit(doc);
        let frames = self.client.local_change(id, doc);
        self.try_send(frames).await
    }

    pub fn is_synced(&mut self, id: DocumentId) -> bool {
        self.client.is_synced(id, self.docs.doc_mut(&id))
    }

    /// A top-level string (scalar or text) of a document.
    pub fn string(&self, id: DocumentId, key: &str) -> Option<String> {
        let doc = self.docs.get(&id)?;
        match doc.get(ROOT, key).ok()?? {
            (automerge::Value::Scalar(s), _) => s.as_str().map(str::to_string),
            (automerge::Value::Object(automerge::ObjType::Text), obj) => doc.text(&obj).ok(),
            _ => None,
        }
    }

    /// Number of top-level keys of a document.
    pub fn key_count(&self, id: DocumentId) -> usize {
        self.docs.get(&id).map_or(0, |doc| doc.keys(ROOT).count())
    }

    /// Handles frames from the relay until `condition` holds.
    pub async fn wait_until(&mut self, what: &str, condition: impl Fn(&mut Self) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        while !condition(self) {
            let left = deadline
                .checked_duration_since(Instant::now())
                .unwrap_or_else(|| {
                    panic!("timed out waiting until {what}; events: {:?}", self.events)
                });
            let socket = self.socket.as_mut().expect("connected");
            let frame = match tokio::time::timeout(left, socket.next()).await {
                Err(_) => continue,
                Ok(Some(Ok(Message::Binary(frame)))) => frame,
                Ok(Some(Ok(Message::Close(reason)))) => panic!("relay closed: {reason:?}"),
                Ok(Some(Ok(_))) => continue,
                Ok(other) => panic!("connection lost while waiting until {what}: {other:?}"),
            };
            let out = self.client.handle_frame(&frame, &mut self.docs);
            self.events.extend(out.events);
            self.send(out.frames).await;
        }
    }

    /// Handles frames from the relay for `period`; returns the close reason if the relay
    /// closed the connection meanwhile.
    pub async fn pump_for(&mut self, period: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + period;
        loop {
            let socket = self.socket.as_mut().expect("connected");
            let frame = match tokio::time::timeout_at(deadline, socket.next()).await {
                Err(_) => return None,
                Ok(Some(Ok(Message::Binary(frame)))) => frame,
                Ok(Some(Ok(Message::Close(reason)))) => {
                    self.socket = None;
                    return Some(reason.map(|r| r.reason.to_string()).unwrap_or_default());
                }
                Ok(Some(Ok(_))) => continue,
                Ok(_) => {
                    self.socket = None;
                    return Some(String::new());
                }
            };
            let out = self.client.handle_frame(&frame, &mut self.docs);
            self.events.extend(out.events);
            if let Some(socket) = self.socket.as_mut() {
                for frame in out.frames {
                    let _ = socket.send(Message::Binary(frame.into())).await;
                }
            }
        }
    }

    /// Sends frames as they are; false (and disconnected) if the connection broke.
    pub async fn try_send(&mut self, frames: Vec<Vec<u8>>) -> bool {
        let Some(socket) = self.socket.as_mut() else {
            return false;
        };
        for frame in frames {
            if socket.send(Message::Binary(frame.into())).await.is_err() {
                self.socket = None;
                return false;
            }
        }
        true
    }

    /// Sends frames as they are.
    pub async fn send(&mut self, frames: Vec<Vec<u8>>) {
        let socket = self.socket.as_mut().expect("connected");
        for frame in frames {
            socket
                .send(Message::Binary(frame.into()))
                .await
                .expect("sending a frame");
        }
    }
}

/// A fresh random document id.
pub fn new_doc_id() -> DocumentId {
    DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes())
}

/// A fresh client `name` that connects to `url`, opens `doc` and handles frames until
/// `condition` holds (`what`, for the timeout message).
pub async fn opened(
    name: &str,
    url: &str,
    doc: DocumentId,
    what: &str,
    condition: impl Fn(&mut NativeClient) -> bool,
) -> NativeClient {
    let mut client = NativeClient::new(name);
    client.connect(url).await;
    client.open(doc).await;
    client.wait_until(what, condition).await;
    client
}

/// An "owner" client that created a fresh document (`k` = `v`) and saw the relay store it.
pub async fn stored_document(url: &str) -> (NativeClient, DocumentId) {
    let doc = new_doc_id();
    let mut owner = NativeClient::new("owner");
    owner.connect(url).await;
    owner
        .edit(doc, |d| d.put(ROOT, "k", "v").map(drop).unwrap())
        .await;
    owner.wait_until("stored", |c| c.is_synced(doc)).await;
    (owner, doc)
}

/// `count` clients subscribed to `doc` (made by [`stored_document`]) that will never read
/// again as long as they are kept.
pub async fn stalled_readers(url: &str, doc: DocumentId, count: usize) -> Vec<NativeClient> {
    let mut readers = Vec::new();
    for i in 0..count {
        let name = format!("stalled-{i}");
        let subscribed = |c: &mut NativeClient| c.string(doc, "k").is_some();
        readers.push(opened(&name, url, doc, "subscribed", subscribed).await);
    }
    readers
}
