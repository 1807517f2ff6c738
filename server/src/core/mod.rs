//! The relay's protocol core: connections, documents, routing. No sockets, no threads.
//!
//! Feed it frames with [`Relay::receive`]; it answers with [`Output`]s (frames to send,
//! connections to close). One `Relay` serves every connection; the transport runs it on one
//! thread and carries frames in and out.
//!
//! Durability before acknowledgement: a sync message that changes a document is applied,
//! then [`Document::persist`] appends the new changes and fsyncs, and only then does the relay
//! generate sync messages — which carry the document's heads — for any peer. If storing fails,
//! the document is dropped from memory (it reloads from disk, without the unstored changes) and
//! every connection syncing it gets an `error` and is closed, so their fresh sync states resend.

mod actors;
mod authorize;
mod batch;
mod config;
mod document;
mod elsewhere;
mod local_edit;
mod outgoing;
mod presence;
mod quota;
mod refusals;
mod rights;
mod routing;
mod sync_guard;

#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};

use linli_shared::wire::{DocumentId, Message, PeerId};

use actors::Actors;
pub use authorize::{Action, AllowAll, Authorize, Principal};
use batch::Pending;
pub use config::RelayConfig;
use document::Document;
pub use local_edit::Edit;
use presence::PresenceLimiter;
pub use quota::{CommunityUsage, Quotas, Usage};

use crate::storage::Storage;

/// Identifies one connection for its lifetime.
pub type ConnId = u64;

/// What the transport must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Send this binary frame on the connection.
    Frame { conn: ConnId, frame: Vec<u8> },
    /// Close the connection (after any frames before this output) with this reason.
    Close { conn: ConnId, reason: String },
}

/// Counters for `/metrics`.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub connections: usize,
    pub documents_in_memory: usize,
    pub sync_messages_received: u64,
    pub sync_messages_sent: u64,
    pub bytes_appended: u64,
    /// Batches that stored changes: one fsync, or one commit, each (`batch.rs`).
    pub stores: u64,
    pub bytes_stored: u64,
    pub storage_errors: u64,
    /// Changes refused for a quota or the disk reserve.
    pub quota_refusals: u64,
    /// Changes refused because their actor is bound to another member.
    pub authorship_refusals: u64,
    /// Changes refused by the authority rules, and presence in another member's name, dropped
    /// (`rights.rs`).
    pub rights_refusals: u64,
    /// Actor ids bound to members (`actors.rs`), each held in memory.
    pub actor_bindings: u64,
    /// Filled in by the thread that runs the core (`transport::hub`).
    pub frame_latency: crate::latency::Histogram,
    /// Filled in by the thread that runs the core: each batch that stored changes.
    pub store_latency: crate::latency::Histogram,
}

/// What the core knows of one connection (the socket itself is `transport::connection`'s).
struct ConnState {
    /// Who the transport authenticated (`None`: nobody).
    principal: Option<Principal>,
    /// Set by `join`.
    peer: Option<PeerId>,
    /// Documents this connection asked for (by `request` or `sync`).
    docs: BTreeSet<DocumentId>,
    /// Documents whose `sync` was refused (answered `doc-unavailable`).
    refused: BTreeSet<DocumentId>,
    /// Messages refused under the authority rules (`rights.rs`); past a few, the socket closes.
    rights_refused: u32,
}

/// The relay: every connection and every document in memory.
pub struct Relay<S: Storage, A: Authorize = AllowAll> {
    peer_id: PeerId,
    storage_id: String,
    storage: S,
    authorizer: A,
    config: RelayConfig,
    next_conn: ConnId,
    conns: HashMap<ConnId, ConnState>,
    docs: HashMap<DocumentId, Document>,
    pending: Pending,
    presence: PresenceLimiter,
    usage: Usage,
    /// Which member each actor id belongs to (`actors.rs`).
    actors: Actors,
    resident_actor: automerge::ActorId, // what the relay writes itself (`local_edit.rs`)
    stats: Stats,
}

impl<S: Storage> Relay<S, AllowAll> {
    /// A relay that allows every peer everything.
    pub fn new(peer_id: PeerId, storage_id: String, storage: S, config: RelayConfig) -> Self {
        Relay::with_authorizer(peer_id, storage_id, storage, config, AllowAll)
    }
}

impl<S: Storage, A: Authorize> Relay<S, A> {
    pub fn with_authorizer(
        peer_id: PeerId,
        storage_id: String,
        storage: S,
        config: RelayConfig,
        authorizer: A,
    ) -> Self {
        let mut storage = storage;
        let mut actors = Actors::default();
        if let Err(e) = actors.load(&mut storage) {
            // Changes from members are refused until the bindings can be read.
            tracing::error!(error = %e, "cannot read the actor bindings");
        }
        Relay {
            peer_id,
            storage_id,
            storage,
            authorizer,
            actors,
            resident_actor: local_edit::fresh_resident_actor(),
            config,
            next_conn: 1,
            conns: HashMap::new(),
            docs: HashMap::new(),
            pending: Pending::default(),
            presence: PresenceLimiter::default(),
            usage: Usage::default(),
            stats: Stats::default(),
        }
    }

    /// The relay, starting from what the communities store now ([`Usage::count`]).
    pub fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = usage;
        self
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.peer_id
    }

    /// Registers a new unauthenticated connection; its first frame must be `join`.
    pub fn open_connection(&mut self) -> ConnId {
        self.open_connection_as(None)
    }

    /// Registers a new connection of `principal`; its first frame must be `join`.
    pub fn open_connection_as(&mut self, principal: Option<Principal>) -> ConnId {
        let conn = self.next_conn;
        self.next_conn += 1;
        self.conns.insert(
            conn,
            ConnState {
                principal,
                peer: None,
                docs: BTreeSet::new(),
                refused: BTreeSet::new(),
                rights_refused: 0,
            },
        );
        conn
    }

    /// Forgets a connection (socket closed). Documents nobody syncs leave memory; they are
    /// all stored already.
    pub fn close_connection(&mut self, conn: ConnId) {
        let Some(connection) = self.conns.remove(&conn) else {
            return;
        };
        for id in connection.docs {
            if let Some(doc) = self.docs.get_mut(&id) {
                doc.peers.remove(&conn);
                if doc.peers.is_empty() {
                    self.docs.remove(&id);
                }
            }
        }
    }

    /// Handles one frame from `conn`: applies, stores, answers.
    pub fn receive(&mut self, conn: ConnId, frame: &[u8]) -> Vec<Output> {
        let mut out = self.receive_deferred(conn, frame);
        out.extend(self.flush());
        out
    }

    /// Applies one frame from `conn`; storing and answering wait for [`Relay::flush`]. The
    /// outputs are handshakes, errors and forwarded ephemeral messages — and a flush, when
    /// `conn` already has a message for the same document waiting to be answered.
    pub fn receive_deferred(&mut self, conn: ConnId, frame: &[u8]) -> Vec<Output> {
        let mut out = Vec::new();
        if let Err(reason) = self.handle_frame(conn, frame, &mut out) {
            let kind = loggable(&reason);
            tracing::info!(
                conn,
                reason = kind,
                "closing connection after a protocol error"
            );
            self.fail(conn, &reason, &mut out);
        }
        out
    }

    /// Refuses `conn` for a reason found outside the core (e.g. a text frame).
    pub fn reject(&mut self, conn: ConnId, reason: &str) -> Vec<Output> {
        let mut out = Vec::new();
        self.fail(conn, reason, &mut out);
        out
    }

    /// Closes every connection of `member_id` (revoked) with an `error`.
    pub fn close_member(&mut self, member_id: &str, reason: &str) -> Vec<Output> {
        let mut out = Vec::new();
        let conns: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| {
                c.principal
                    .as_ref()
                    .is_some_and(|p| p.member_id == member_id)
            })
            .map(|(conn, _)| *conn)
            .collect();
        for conn in conns {
            self.fail(conn, reason, &mut out);
        }
        out
    }

    /// After a panic while handling a frame from `conn`: the documents that connection was
    /// syncing may be half-updated in memory. Drops them (storage holds every acknowledged
    /// change) and closes every connection syncing them, so that all resync from storage.
    pub fn recover_from_panic(&mut self, conn: ConnId) -> Vec<Output> {
        let mut out = Vec::new();
        let docs = self
            .conns
            .get(&conn)
            .map(|c| c.docs.clone())
            .unwrap_or_default();
        for id in docs {
            if let Some(doc) = self.docs.remove(&id) {
                for peer in doc.peers.keys() {
                    self.fail(*peer, "internal relay error; reconnect", &mut out);
                }
            }
        }
        self.fail(conn, "internal relay error; reconnect", &mut out);
        out
    }

    /// Frees the content of documents nobody used since the previous sweep (the hub calls
    /// this every minute). Their peers stay subscribed; the next message reloads them.
    /// Returns how many were unloaded.
    pub fn unload_idle_documents(&mut self) -> usize {
        let mut unloaded = 0;
        for (id, doc) in self.docs.iter_mut() {
            if !doc.touched && doc.is_loaded() {
                doc.unload();
                if !doc.is_loaded() {
                    unloaded += 1;
                    self.storage.forget(id); // read whole when next used
                }
            }
            doc.touched = false;
        }
        let members: std::collections::HashSet<&str> = self
            .conns
            .values()
            .filter_map(|c| c.principal.as_ref().map(|p| p.member_id.as_str()))
            .collect();
        self.presence.retain(|who| members.contains(who));
        let quotas = self.config.quotas;
        self.usage
            .forget_rested_members(&quotas, std::time::Instant::now());
        unloaded
    }

    /// Lets the store tidy up while the relay is quiet (the file store empties its
    /// write-ahead log). Everything stays durable either way; an error is only logged.
    pub fn checkpoint_storage(&mut self) {
        if let Err(e) = self.storage.checkpoint() {
            tracing::error!(error = %e, "storage checkpoint failed");
        }
    }

    /// [`Stats::stores`], without the rest.
    pub fn stores(&self) -> u64 {
        self.stats.stores
    }

    pub fn stats(&self) -> Stats {
        Stats {
            connections: self.conns.len(),
            documents_in_memory: self.docs.values().filter(|d| d.is_loaded()).count(),
            bytes_stored: self.storage.stored_bytes(),
            actor_bindings: self.actors.len() as u64,
            ..self.stats.clone()
        }
    }

    fn handle_frame(
        &mut self,
        conn: ConnId,
        frame: &[u8],
        out: &mut Vec<Output>,
    ) -> Result<(), String> {
        let Some(connection) = self.conns.get(&conn) else {
            return Ok(()); // already closed
        };
        if frame.len() > self.config.max_frame_bytes {
            return Err(format!(
                "frame of {} bytes exceeds the limit of {} bytes",
                frame.len(),
                self.config.max_frame_bytes
            ));
        }
        let message = Message::decode(frame).map_err(|e| e.to_string())?;
        match connection.peer.clone() {
            None => self.handle_join(conn, message, out),
            Some(peer) => self.route(conn, peer, message, out),
        }
    }

    /// Sends an `error` and closes the connection.
    fn fail(&mut self, conn: ConnId, reason: &str, out: &mut Vec<Output>) {
        let Some(connection) = self.conns.get(&conn) else {
            return;
        };
        let error = Message::Error {
            sender_id: Some(self.peer_id.clone()),
            target_id: connection.peer.clone(),
            message: reason.to_string(),
        };
        out.push(Output::Frame {
            conn,
            frame: error.encode(),
        });
        out.push(Output::Close {
            conn,
            reason: reason.to_string(),
        });
        self.close_connection(conn);
    }
}

/// The general part of an error reason, for logs: decoder details can quote frame contents.
fn loggable(reason: &str) -> &str {
    let general = reason.split(':').next().unwrap_or_default();
    let mut end = general.len().min(80);
    while !general.is_char_boundary(end) {
        end -= 1;
    }
    &general[..end]
}
