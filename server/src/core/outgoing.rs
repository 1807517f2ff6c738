//! What the relay sends: the next sync message for a peer, a peer's presence passed on to
//! the document's other peers, and the frames they travel in.

use linli_shared::wire::{DocumentId, Message, PeerId};

use super::{Authorize, ConnId, Output, Relay};
use crate::storage::Storage;

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Sends `conn` the next sync message for `id`, if it needs one.
    pub(super) fn send_sync(&mut self, conn: ConnId, id: DocumentId, out: &mut Vec<Output>) {
        self.sync_to(conn, id, false, out);
    }

    /// [`Relay::send_sync`]; `ahead`: before the document's changes are all stored, for an
    /// output the caller holds until they are (`core::batch`).
    pub(super) fn sync_to(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        ahead: bool,
        out: &mut Vec<Output>,
    ) {
        let Some(target) = self.conns.get(&conn).and_then(|c| c.peer.clone()) else {
            return;
        };
        let Some(doc) = self.docs.get_mut(&id) else {
            return;
        };
        let data = match ahead {
            true => doc.generate_ahead(conn),
            false => doc.generate(conn),
        };
        let Some(data) = data else {
            return;
        };
        self.stats.sync_messages_sent += 1;
        let message = Message::Sync {
            sender_id: self.peer_id.clone(),
            target_id: target.clone(),
            document_id: id,
            data,
        };
        out.push(frame(conn, message));
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn forward_ephemeral(
        &mut self,
        conn: ConnId,
        sender: &PeerId,
        id: DocumentId,
        session_id: String,
        count: u64,
        data: Vec<u8>,
        out: &mut Vec<Output>,
    ) {
        let subscribed = self.conns.get(&conn).is_some_and(|c| c.docs.contains(&id));
        let Some(doc) = self.docs.get(&id).filter(|_| subscribed) else {
            return; // only peers syncing a document may talk to its other peers
        };
        if !super::rights::presence_names_its_sender(self.conns.get(&conn), &data) {
            self.stats.rights_refusals += 1;
            tracing::info!(conn, doc = %id, "dropped presence in another member's name");
            return;
        }
        for other in doc.peers.keys().filter(|c| **c != conn) {
            let Some(target) = self.conns.get(other).and_then(|c| c.peer.clone()) else {
                continue;
            };
            let message = Message::Ephemeral {
                sender_id: sender.clone(),
                target_id: target,
                document_id: id,
                session_id: session_id.clone(),
                count,
                data: data.clone(),
            };
            out.push(frame(*other, message));
        }
    }
}

pub(super) fn frame(conn: ConnId, message: Message) -> Output {
    Output::Frame {
        conn,
        frame: message.encode(),
    }
}

pub(super) fn unavailable(relay: &PeerId, peer: &PeerId, id: DocumentId) -> Message {
    Message::DocUnavailable {
        sender_id: relay.clone(),
        target_id: peer.clone(),
        document_id: id,
    }
}
