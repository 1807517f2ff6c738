//! What the relay does with each message once it is decoded.

use std::collections::HashMap;
use std::io;

use automerge::sync;
use linli_shared::wire::{DocumentId, Message, PeerId, PeerMetadata, PROTOCOL_VERSION};

use super::document::Document;
use super::outgoing::{frame, unavailable};
use super::{Action, Authorize, ConnId, Output, Relay};
use crate::storage::Storage;

impl<S: Storage, A: Authorize> Relay<S, A> {
    pub(super) fn handle_join(
        &mut self,
        conn: ConnId,
        message: Message,
        out: &mut Vec<Output>,
    ) -> Result<(), String> {
        let Message::Join {
            sender_id,
            supported_protocol_versions,
            ..
        } = message
        else {
            return Err(format!(
                "expected `join` first, got `{}`",
                message.type_name()
            ));
        };
        if !supported_protocol_versions
            .iter()
            .any(|v| v == PROTOCOL_VERSION)
        {
            return Err("unsupported protocol version".into());
        }
        let reply = Message::Peer {
            sender_id: self.peer_id.clone(),
            target_id: sender_id.clone(),
            peer_metadata: PeerMetadata {
                storage_id: Some(self.storage_id.clone()),
                is_ephemeral: Some(false),
            },
            selected_protocol_version: PROTOCOL_VERSION.into(),
        };
        out.push(Output::Frame {
            conn,
            frame: reply.encode(),
        });
        if let Some(connection) = self.conns.get_mut(&conn) {
            connection.peer = Some(sender_id);
        }
        Ok(())
    }

    pub(super) fn route(
        &mut self,
        conn: ConnId,
        peer: PeerId,
        message: Message,
        out: &mut Vec<Output>,
    ) -> Result<(), String> {
        if message.sender_id() != Some(&peer) {
            return Err("senderId differs from the peer that joined".into());
        }
        // Never the payload: member content stays out of logs at every level.
        tracing::trace!(conn, kind = message.type_name(), "frame");
        match message {
            Message::Sync {
                target_id,
                document_id,
                data,
                ..
            } => {
                self.check_target(&target_id)?;
                self.handle_sync(conn, &peer, document_id, &data, false, out)
            }
            Message::Request {
                target_id,
                document_id,
                data,
                ..
            } => {
                self.check_target(&target_id)?;
                self.handle_sync(conn, &peer, document_id, &data, true, out)
            }
            Message::Ephemeral {
                target_id,
                document_id,
                session_id,
                count,
                data,
                ..
            } => {
                self.check_target(&target_id)?;
                let max = self.config.max_presence_bytes;
                if data.len() > max {
                    return Err(format!(
                        "presence message of {} bytes exceeds the limit of {max} bytes",
                        data.len()
                    ));
                }
                if self.allowed(conn, &document_id, Action::Ephemeral)
                    && self.presence_allowed(conn)
                {
                    self.forward_ephemeral(conn, &peer, document_id, session_id, count, data, out);
                }
                Ok(())
            }
            Message::Error { .. } => {
                // The peer closes after this; nothing to answer.
                out.push(Output::Close {
                    conn,
                    reason: "peer reported an error".into(),
                });
                self.close_connection(conn);
                Ok(())
            }
            // Nothing to do: the relay never requests, and does not gossip remote heads.
            Message::DocUnavailable { .. }
            | Message::RemoteHeadsChanged { .. }
            | Message::RemoteSubscriptionChange { .. } => Ok(()),
            Message::Join { .. } | Message::Peer { .. } => Err(format!(
                "unexpected `{}` after the handshake",
                message.type_name()
            )),
        }
    }

    fn allowed(&self, conn: ConnId, doc: &DocumentId, action: Action) -> bool {
        let principal = self.conns.get(&conn).and_then(|c| c.principal.as_ref());
        self.authorizer.authorize(principal, doc, action)
    }

    /// The member's presence rate (a connection without a member counts on its own).
    fn presence_allowed(&mut self, conn: ConnId) -> bool {
        let who = match self.conns.get(&conn).and_then(|c| c.principal.as_ref()) {
            Some(p) => p.member_id.clone(),
            None => format!("connection {conn}"),
        };
        let limit = self.config.presence_rate;
        self.presence.allow(limit, &who, std::time::Instant::now())
    }

    fn check_target(&self, target: &PeerId) -> Result<(), String> {
        if *target == self.peer_id {
            Ok(())
        } else {
            Err("targetId is not this relay".into())
        }
    }

    /// `sync` or `request`: apply now; `flush` persists, then answers the sender and updates
    /// the other peers.
    fn handle_sync(
        &mut self,
        conn: ConnId,
        peer: &PeerId,
        id: DocumentId,
        data: &[u8],
        is_request: bool,
        out: &mut Vec<Output>,
    ) -> Result<(), String> {
        super::sync_guard::check(data)?;
        let message = sync::Message::decode(data)
            .map_err(|e| format!("invalid Automerge sync message: {e}"))?;
        let action = if is_request {
            Action::Request
        } else if self.docs.contains_key(&id) {
            Action::Sync
        } else {
            match self.storage.contains(&id) {
                Ok(true) => Action::Sync,
                Ok(false) => Action::Create,
                Err(e) => {
                    self.stats.storage_errors += 1;
                    tracing::error!(doc = %id, error = %e, "cannot read the document store");
                    return Err("the relay cannot read this document".into());
                }
            }
        };
        // Checked before a new document is claimed for the member's community (it is nobody's:
        // refusing reveals nothing).
        let admission = self.admission(conn, id, action, &message);
        if let (Action::Create, Err(reason)) = (action, &admission) {
            self.refuse_change(conn, peer, id, reason.clone(), out);
            return Ok(());
        }
        // Parsed once, here for a new document (refused before it is claimed), else only once
        // the document and the quotas allow the message.
        let mut authored = None;
        if action == Action::Create {
            let changes = self.authored_by_member(conn, &message)?;
            if let Err(reason) = self.check_authorship(conn, id, &changes, false) {
                self.refuse_authorship(conn, peer, id, reason, out);
                return Ok(());
            }
            authored = Some(changes);
        }
        if !self.allowed(conn, &id, action) {
            // Nothing is applied. Answered as if the document did not exist (do not reveal
            // it); the connection's other documents keep syncing.
            if !is_request {
                let limit = self.config.max_refused_docs_per_connection;
                let connection = self.conns.get_mut(&conn).ok_or("connection closed")?;
                connection.refused.insert(id);
                if connection.refused.len() > limit {
                    return Err("too many documents refused on one connection".into());
                }
            }
            out.push(frame(conn, unavailable(&self.peer_id, peer, id)));
            return Ok(());
        }
        // The peer's earlier message of this batch is answered before this one is applied.
        self.answer_before_next(conn, id);
        let admission = match admission {
            Ok(admission) => admission,
            Err(reason) => {
                self.refuse_change(conn, peer, id, reason, out);
                return Ok(());
            }
        };
        let connection = self.conns.get(&conn).ok_or("connection closed")?;
        if !connection.docs.contains(&id)
            && connection.docs.len() >= self.config.max_docs_per_connection
        {
            return Err("too many documents on one connection".into());
        }
        let authored = match authored {
            Some(changes) => changes,
            None => self.authored_by_member(conn, &message)?,
        };
        let in_memory = self.docs.contains_key(&id);
        if let Err(e) = load_doc(&mut self.docs, &mut self.storage, id) {
            self.stats.storage_errors += 1;
            tracing::error!(doc = %id, error = %e, "cannot load a stored document");
            return Err("the relay cannot read this document".into());
        }
        if let Err(reason) = self.check_authorship(conn, id, &authored, true) {
            if !in_memory {
                self.docs.remove(&id); // loaded for the check only: nobody syncs it
            }
            self.refuse_authorship(conn, peer, id, reason, out);
            return Ok(());
        }
        self.charge(admission);
        self.stats.sync_messages_received += 1;
        let connection = self.conns.get_mut(&conn).ok_or("connection closed")?;
        connection.docs.insert(id);
        let doc = self.docs.get_mut(&id).ok_or("document unloaded")?;

        let before = doc.heads();
        let received = doc.receive(conn, message);
        let changed = doc.heads() != before;
        if changed {
            // Judged before anything can store or forward it (`rights.rs`).
            if !self.judge(conn, peer, id, &before, out)? {
                return Ok(());
            }
            // Stored by `flush` even if the rest of the message was bad: applied changes are
            // valid changes.
            self.pending.dirty.insert(id);
        }
        if let Err(e) = received {
            return Err(format!("cannot apply sync message: {e}"));
        }
        self.pending.answers.push((conn, id, is_request));
        Ok(())
    }

    /// Storing changes failed: forget the unstored changes and make every peer resync.
    pub(super) fn storage_failed(
        &mut self,
        id: DocumentId,
        error: io::Error,
        out: &mut Vec<Output>,
    ) {
        self.stats.storage_errors += 1;
        tracing::error!(doc = %id, %error, "cannot store changes; dropping the document from memory");
        let Some(doc) = self.docs.remove(&id) else {
            return;
        };
        for conn in doc.peers.keys() {
            self.fail(
                *conn,
                "the relay could not store the changes; try again later",
                out,
            );
        }
    }
}

/// The document in memory, loaded from storage (or new) if needed.
pub(super) fn load_doc<'a>(
    docs: &'a mut HashMap<DocumentId, Document>,
    storage: &mut impl Storage,
    id: DocumentId,
) -> io::Result<&'a mut Document> {
    use std::collections::hash_map::Entry;
    match docs.entry(id) {
        Entry::Occupied(doc) => {
            let doc = doc.into_mut();
            if !doc.is_loaded() {
                let stored = storage.load(&id)?.unwrap_or_default();
                doc.reload(&stored).map_err(invalid_data)?;
            }
            doc.touched = true;
            Ok(doc)
        }
        Entry::Vacant(slot) => {
            let doc = match storage.load(&id)? {
                Some(stored) => Document::load(&stored).map_err(invalid_data)?,
                None => Document::new(),
            };
            Ok(slot.insert(doc))
        }
    }
}

fn invalid_data(e: automerge::AutomergeError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}
