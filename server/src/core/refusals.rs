//! Refusing one change and keeping the socket: a change over a quota, under an actor bound to
//! another member (`actors.rs`), or outside the member's rights (`rights.rs`). Nothing of it is
//! stored or forwarded; the sender gets an `error` saying why, and its other documents keep
//! syncing.

use automerge::sync;
use linli_shared::wire::{DocumentId, Message, PeerId};

use super::outgoing::frame;
use super::{Authorize, ConnId, Output, Relay};
use crate::storage::Storage;

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// The hash and actor of each change in `message` if a member sent it (a relay without
    /// access control checks no authorship); `Err` if a change does not parse.
    pub(super) fn authored_by_member(
        &self,
        conn: ConnId,
        message: &sync::Message,
    ) -> Result<Vec<(automerge::ChangeHash, automerge::ActorId)>, String> {
        if self.conns.get(&conn).is_some_and(|c| c.principal.is_some()) {
            super::actors::authored(message)
        } else {
            Ok(Vec::new())
        }
    }

    /// Whether the member on `conn` may have the changes `authored` applied to document `id`
    /// (`core/actors.rs`); with `bind`, binds the actors nobody has to the member. A connection
    /// without a member is not checked.
    pub(super) fn check_authorship(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        authored: &[(automerge::ChangeHash, automerge::ActorId)],
        bind: bool,
    ) -> Result<(), String> {
        let Some(who) = self.conns.get(&conn).and_then(|c| c.principal.as_ref()) else {
            return Ok(());
        };
        if authored.is_empty() {
            return Ok(());
        }
        // Bindings unread at start (a disk error): try again before refusing.
        if let Err(e) = self.actors.load(&mut self.storage) {
            tracing::error!(error = %e, "cannot read the actor bindings");
        }
        let doc = self.docs.get_mut(&id);
        let verdict = match doc {
            Some(doc) => self
                .actors
                .check(who, authored, |h| doc.has_change(h), &id)?,
            None => self.actors.check(who, authored, |_| false, &id)?,
        };
        if bind {
            if verdict.needs_pending {
                self.pending.unbound.insert(id);
            }
            self.actors.bind(who, verdict);
        }
        Ok(())
    }

    /// A change under an actor bound to another member: refused like a change over a quota.
    pub(super) fn refuse_authorship(
        &mut self,
        conn: ConnId,
        peer: &PeerId,
        id: DocumentId,
        reason: String,
        out: &mut Vec<Output>,
    ) {
        self.stats.authorship_refusals += 1;
        self.refuse(conn, peer, id, reason, out);
    }

    /// A change over a quota: nothing of the message is applied, and it is not answered (the
    /// peer would resend it); the sender is told why, and its socket stays open.
    pub(super) fn refuse_change(
        &mut self,
        conn: ConnId,
        peer: &PeerId,
        id: DocumentId,
        reason: String,
        out: &mut Vec<Output>,
    ) {
        self.stats.quota_refusals += 1;
        self.refuse(conn, peer, id, reason, out);
    }

    /// Tells the sender why its change was refused; nothing else happens.
    pub(super) fn refuse(
        &mut self,
        conn: ConnId,
        peer: &PeerId,
        id: DocumentId,
        reason: String,
        out: &mut Vec<Output>,
    ) {
        tracing::info!(conn, doc = %id, %reason, "refused a change");
        let error = Message::Error {
            sender_id: Some(self.peer_id.clone()),
            target_id: Some(peer.clone()),
            message: reason,
        };
        out.push(frame(conn, error));
    }
}
