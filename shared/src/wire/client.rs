//! The client side of the automerge-repo sync protocol, without IO.
//!
//! One [`SyncClient`] per connection to the relay. It turns documents into frames and frames
//! into document changes; the caller owns the socket and the documents.
//!
//! ```text
//! let mut client = SyncClient::new(PeerId::new("browser-<random>"), PeerMetadata::default());
//! socket.send(client.join());                       // on every (re)connect, after reset()
//! for frame in client.open(doc_id, &mut doc) { socket.send(frame) }   // start syncing a doc
//! // after every local edit:
//! for frame in client.local_change(doc_id, &mut doc) { socket.send(frame) }
//! // for every binary frame received:
//! let out = client.handle_frame(&bytes, &mut docs); // docs: impl DocStore
//! for frame in out.frames { socket.send(frame) }
//! for event in out.events { /* Connected, DocChanged(id), Unavailable(id), Error(msg), … */ }
//! client.is_synced(doc_id, &mut doc)                // the relay has every local change
//! // on disconnect:
//! client.reset();                                   // fresh sync states: resend what changed
//! ```
//!
//! - Documents are opened explicitly ([`SyncClient::open`] or [`SyncClient::local_change`]); the
//!   client ignores sync messages for documents it did not open.
//! - Opening an empty document sends a `request` ("give it to me"); the relay answers with the
//!   document or `doc-unavailable` ([`Event::Unavailable`]; call `open` again later to retry —
//!   the relay also sends it on its own once it arrives).
//! - Frames produced before the relay answered `join` are not needed: `open`/`local_change`
//!   return nothing then, and the [`Event::Connected`] frame handling syncs every opened document.
//! - [`SyncClient::is_synced`] is true when the relay's last sync message names heads that cover
//!   every local change. The relay only sends heads it has durably stored.

use std::collections::{BTreeMap, HashMap};

use automerge::sync::{self, SyncDoc};
use automerge::AutoCommit;

use super::doc_id::DocumentId;
use super::message::{Message, PeerId, PeerMetadata, PROTOCOL_VERSION};

/// Where the client finds the documents it syncs.
pub trait DocStore {
    /// The document with this id; an empty one if this side does not hold it yet (the store
    /// keeps it, so what arrives from the relay is kept).
    fn doc_mut(&mut self, id: &DocumentId) -> &mut AutoCommit;
}

impl DocStore for HashMap<DocumentId, AutoCommit> {
    fn doc_mut(&mut self, id: &DocumentId) -> &mut AutoCommit {
        self.entry(*id).or_default()
    }
}

impl DocStore for BTreeMap<DocumentId, AutoCommit> {
    fn doc_mut(&mut self, id: &DocumentId) -> &mut AutoCommit {
        self.entry(*id).or_default()
    }
}

/// Something the caller may want to react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The relay accepted our `join`.
    Connected { server_peer: PeerId },
    /// A document changed because of what the relay sent.
    DocChanged(DocumentId),
    /// The relay does not have this document (yet).
    Unavailable(DocumentId),
    /// Presence data from another peer of this document.
    Ephemeral {
        document_id: DocumentId,
        sender_id: PeerId,
        data: Vec<u8>,
    },
    /// The relay reported an error (it closes the connection), or a frame was invalid.
    Error(String),
}

/// Frames to send and events to handle, the result of [`SyncClient::handle_frame`].
#[derive(Debug, Default)]
pub struct Output {
    pub frames: Vec<Vec<u8>>,
    pub events: Vec<Event>,
}

/// The sync state of one connection to the relay.
#[derive(Debug)]
pub struct SyncClient {
    peer_id: PeerId,
    metadata: PeerMetadata,
    server: Option<PeerId>,
    docs: BTreeMap<DocumentId, sync::State>,
}

impl SyncClient {
    /// `peer_id` should be unique per client instance (e.g. random).
    pub fn new(peer_id: PeerId, metadata: PeerMetadata) -> Self {
        SyncClient {
            peer_id,
            metadata,
            server: None,
            docs: BTreeMap::new(),
        }
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.peer_id
    }

    /// The relay's peer id, once it has answered `join`.
    pub fn server_peer(&self) -> Option<&PeerId> {
        self.server.as_ref()
    }

    /// The first frame to send on a new connection.
    pub fn join(&self) -> Vec<u8> {
        Message::Join {
            sender_id: self.peer_id.clone(),
            peer_metadata: self.metadata.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.to_string()],
        }
        .encode()
    }

    /// Starts syncing `doc` (pass an empty document to ask the relay for it).
    pub fn open(&mut self, id: DocumentId, doc: &mut AutoCommit) -> Vec<Vec<u8>> {
        self.docs.entry(id).or_default();
        self.frames_for(id, doc).into_iter().collect()
    }

    /// Frames that carry a local edit of `doc` to the relay (opens the document if needed).
    pub fn local_change(&mut self, id: DocumentId, doc: &mut AutoCommit) -> Vec<Vec<u8>> {
        self.open(id, doc)
    }

    /// Forgets all sync progress; call when the connection is lost. After the next `join` is
    /// answered, every opened document is synced from scratch, so offline edits are sent.
    pub fn reset(&mut self) {
        self.server = None;
        for state in self.docs.values_mut() {
            *state = sync::State::new();
        }
    }

    /// Forgets the sync progress of one document, so its next frames start the exchange
    /// afresh and send again what the relay did not store (after it refused a change for a
    /// quota, which it does not answer).
    pub fn restart(&mut self, id: DocumentId) {
        if let Some(state) = self.docs.get_mut(&id) {
            *state = sync::State::new();
        }
    }

    /// True when the relay has confirmed it holds every local change of `doc`.
    pub fn is_synced(&self, id: DocumentId, doc: &mut AutoCommit) -> bool {
        let Some(their_heads) = self
            .docs
            .get(&id)
            .and_then(|state| state.their_heads.as_ref())
        else {
            return false;
        };
        let ours = doc.get_heads();
        if ours.iter().all(|h| their_heads.contains(h)) {
            return true;
        }
        // The relay may be ahead of us: then our heads are ancestors of its heads.
        their_heads
            .iter()
            .all(|h| doc.get_change_by_hash(h).is_some())
            && doc.get_changes(their_heads).is_empty()
    }

    /// Handles one frame from the relay.
    pub fn handle_frame(&mut self, bytes: &[u8], docs: &mut impl DocStore) -> Output {
        let mut out = Output::default();
        let message = match Message::decode(bytes) {
            Ok(m) => m,
            Err(e) => {
                out.events.push(Event::Error(e.to_string()));
                return out;
            }
        };
        match message {
            Message::Peer { sender_id, .. } => {
                self.server = Some(sender_id.clone());
                out.events.push(Event::Connected {
                    server_peer: sender_id,
                });
                let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
                for id in ids {
                    out.frames.extend(self.frames_for(id, docs.doc_mut(&id)));
                }
            }
            Message::Error { message, .. } => out.events.push(Event::Error(message)),
            Message::Sync {
                document_id, data, ..
            }
            | Message::Request {
                document_id, data, ..
            } => self.receive_sync(document_id, &data, docs, &mut out),
            Message::DocUnavailable { document_id, .. } => {
                if let Some(state) = self.docs.get_mut(&document_id) {
                    *state = sync::State::new();
                    out.events.push(Event::Unavailable(document_id));
                }
            }
            Message::Ephemeral {
                document_id,
                sender_id,
                data,
                ..
            } => {
                if self.docs.contains_key(&document_id) {
                    out.events.push(Event::Ephemeral {
                        document_id,
                        sender_id,
                        data,
                    });
                }
            }
            Message::Join { .. }
            | Message::RemoteHeadsChanged { .. }
            | Message::RemoteSubscriptionChange { .. } => {}
        }
        out
    }

    fn receive_sync(
        &mut self,
        id: DocumentId,
        data: &[u8],
        docs: &mut impl DocStore,
        out: &mut Output,
    ) {
        let Some(state) = self.docs.get_mut(&id) else {
            return; // not opened here: the relay should not have sent it
        };
        let message = match sync::Message::decode(data) {
            Ok(m) => m,
            Err(e) => {
                out.events
                    .push(Event::Error(format!("invalid sync message for {id}: {e}")));
                return;
            }
        };
        let doc = docs.doc_mut(&id);
        let before = doc.get_heads();
        if let Err(e) = doc.sync().receive_sync_message(state, message) {
            out.events.push(Event::Error(format!(
                "cannot apply sync message for {id}: {e}"
            )));
            return;
        }
        if doc.get_heads() != before {
            out.events.push(Event::DocChanged(id));
        }
        out.frames.extend(self.frames_for(id, doc));
    }

    /// The next sync frame for `id`, if connected and there is something to say.
    fn frames_for(&mut self, id: DocumentId, doc: &mut AutoCommit) -> Option<Vec<u8>> {
        let server = self.server.clone()?;
        let state = self.docs.get_mut(&id)?;
        let data = doc.sync().generate_sync_message(state)?.encode();
        let sender_id = self.peer_id.clone();
        let message = if doc.get_heads().is_empty() {
            Message::Request {
                sender_id,
                target_id: server,
                document_id: id,
                data,
            }
        } else {
            Message::Sync {
                sender_id,
                target_id: server,
                document_id: id,
                data,
            }
        };
        Some(message.encode())
    }
}

#[cfg(test)]
mod tests;
