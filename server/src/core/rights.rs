//! Verified rights: what a member's message adds to a document is judged by the shared authority
//! rules (`linli_shared::domain::verify`, the same table the phones use) before anything of it
//! is stored, forwarded or acknowledged.
//!
//! Invariant: a change the rules refuse never reaches storage or another peer. The message is
//! applied in memory, judged against the heads before it, and on refusal the document is rolled
//! back to those heads ([`Document::roll_back`]) before `flush` (the only path to storage and to
//! other peers) can see it. The sender gets an `error` naming the rule; its socket stays open and
//! its other documents keep syncing. Honest edits pay for one diff of what they changed; a
//! refusal also pays for a copy of the document.
//!
//! Presence (`ephemeral`) payloads that read as the app's presence must name the sender too;
//! others are dropped, not forwarded ([`presence_names_its_sender`]).
//!
//! The author is the connection's member with the role and admin standing the registry holds
//! for it. An admin's role is the one its profile in the community document names, since an
//! admin may set any role (the phone judges the same way, `app/src/standing.rs`).

use linli_shared::domain::{self, Author};
use linli_shared::wire::{DocumentId, PeerId};

use super::document::Document;
use super::{Authorize, ConnId, Relay};
use crate::storage::Storage;

/// Refused messages one connection may send before it is closed.
const MAX_RIGHTS_REFUSALS_PER_CONNECTION: u32 = 16;

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Judges what `conn`'s message added to `id` since `before`. `Ok(true)`: kept;
    /// `Ok(false)`: refused, rolled back and the sender told.
    pub(super) fn judge(
        &mut self,
        conn: ConnId,
        peer: &PeerId,
        id: DocumentId,
        before: &[automerge::ChangeHash],
        out: &mut Vec<super::Output>,
    ) -> Result<bool, String> {
        let Some(principal) = self.conns.get(&conn).and_then(|c| c.principal.clone()) else {
            return Ok(true); // no access control: nobody to judge
        };
        let role = match principal.admin {
            true => self.profile_role(&principal.community, &principal.member_id),
            false => None,
        }
        .or(principal.role);
        let author = Author {
            member: &principal.member_id,
            role,
            admin: principal.admin,
        };
        let doc = self.docs.get_mut(&id).ok_or("document unloaded")?;
        let Err(rule) = doc.verify_since(before, &author) else {
            return Ok(true);
        };
        doc.roll_back(conn, before)
            .map_err(|e| format!("cannot roll back a refused change: {e}"))?;
        self.stats.rights_refusals += 1;
        // Each refusal copies the document: a client that keeps sending what its member may
        // not write is cut off (an honest phone rolls back after the first).
        if let Some(c) = self.conns.get_mut(&conn) {
            c.rights_refused += 1;
            if c.rights_refused > MAX_RIGHTS_REFUSALS_PER_CONNECTION {
                return Err("too many changes refused under the authority rules".into());
            }
        }
        let reason = linli_shared::wire::rights::refusal(rule, &id);
        self.refuse(conn, peer, id, reason, out);
        Ok(false)
    }

    /// The role the member's profile in its community document names, if the document is in
    /// memory (it is, while any phone of the community syncs).
    fn profile_role(&mut self, community: &DocumentId, member: &str) -> Option<domain::Role> {
        let doc: &mut Document = self.docs.get_mut(community)?;
        doc.member_role(member)
    }
}

/// Whether a presence (`ephemeral`) payload from `connection` may be forwarded: one that reads as
/// the app's presence must name the connection's member (phones show it as that member being
/// in the meeting). Other payloads (a JS client's own) name nobody the app believes, and pass;
/// so does everything on a relay without access control.
pub(super) fn presence_names_its_sender(
    connection: Option<&super::ConnState>,
    data: &[u8],
) -> bool {
    let Some(principal) = connection.and_then(|c| c.principal.as_ref()) else {
        return true;
    };
    match linli_shared::wire::presence::Presence::decode(data) {
        Ok(presence) => presence.member == principal.member_id,
        Err(_) => true,
    }
}
