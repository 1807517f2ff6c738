//! The access-control hook: asked before the relay serves, accepts or forwards anything.

use linli_shared::wire::{DocumentId, PeerId};

/// What a peer wants to do with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Receive the document (a `request`, or a `sync` without changes).
    Read,
    /// Add changes to the document (a `sync` with changes).
    Write,
    /// Send presence data to the document's other peers.
    Ephemeral,
}

/// Decides whether a peer may act on a document.
pub trait Authorize: Send + 'static {
    fn authorize(&self, peer: &PeerId, doc: &DocumentId, action: Action) -> bool;
}

/// Allows everything (until the community access layer exists).
#[derive(Debug, Default, Clone, Copy)]
pub struct AllowAll;

impl Authorize for AllowAll {
    fn authorize(&self, _: &PeerId, _: &DocumentId, _: Action) -> bool {
        true
    }
}
