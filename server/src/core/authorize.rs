//! The access-control hook: asked before the relay serves, accepts or forwards anything.
//!
//! Decisions are keyed by the connection's [`Principal`] — who the transport authenticated at
//! the WebSocket upgrade — never by the automerge peer id, which the peer chooses itself.

use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;

/// Who is on a connection: the member the credential of the WebSocket upgrade belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub member_id: String,
    /// The community (its community document) the member belongs to.
    pub community: DocumentId,
    /// The role the registry holds for the member (its invite's); None: not known, judged as
    /// the lowest role.
    pub role: Option<Role>,
    /// A community admin (judged as a manager by the authority rules).
    pub admin: bool,
}

/// What a connection wants to do with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Receive a document the peer lacks (`request`). Refused as `doc-unavailable`, exactly
    /// like a missing document.
    Request,
    /// Exchange changes (`sync`) on a document the relay has. Refused as `doc-unavailable`;
    /// nothing is applied, the connection's other documents keep syncing (a connection refused
    /// more than `max_refused_docs_per_connection` different documents is closed).
    Sync,
    /// A `sync` for a document the relay has neither in memory nor stored: creating it.
    /// Refused like [`Action::Sync`].
    Create,
    /// Send presence data to the document's other peers. Refused silently (dropped).
    Ephemeral,
}

/// Decides whether a connection may act on a document. `principal` is `None` for a
/// connection the transport did not authenticate.
pub trait Authorize: Send + 'static {
    fn authorize(&self, principal: Option<&Principal>, doc: &DocumentId, action: Action) -> bool;
}

/// Allows everything (tests of the protocol core).
#[derive(Debug, Default, Clone, Copy)]
pub struct AllowAll;

impl Authorize for AllowAll {
    fn authorize(&self, _: Option<&Principal>, _: &DocumentId, _: Action) -> bool {
        true
    }
}
