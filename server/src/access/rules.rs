//! The relay's access rules, checked by the core for every `request`, `sync` and
//! `ephemeral` message of a connection.
//!
//! - a document of the member's community: allowed;
//! - a document nobody owns and the relay does not have: a `sync` creates it for the member's
//!   community; a `request` is answered `doc-unavailable` (the same answer as for another
//!   community's document, so ids cannot be probed with requests); `ephemeral` is dropped;
//! - a stored document nobody owns (stored before access control, or `--import`ed): refused
//!   until an admin registers it as a community (`POST /api/communities`);
//! - another community's document: refused (`doc-unavailable`, `error` + close, dropped);
//! - a connection without a principal, or of a member revoked since it connected: refused.

use linli_shared::wire::DocumentId;

use super::Access;
use crate::core::{Action, Authorize, Principal};

/// [`Authorize`] backed by the access registry.
pub struct CommunityRules {
    access: Access,
}

impl CommunityRules {
    pub fn new(access: Access) -> Self {
        CommunityRules { access }
    }
}

impl Authorize for CommunityRules {
    fn authorize(&self, principal: Option<&Principal>, doc: &DocumentId, action: Action) -> bool {
        let Some(principal) = principal else {
            return false;
        };
        let active = self.access.is_active(&principal.member_id);
        let owner = self.access.owner(doc);
        if !active {
            return false;
        }
        match (owner, action) {
            (Some(owner), _) => owner == principal.community,
            // Storing the claim failed (logged by `update`): refuse rather than own nothing.
            (None, Action::Create) => self
                .access
                .claim(doc, &principal.community)
                .unwrap_or(false),
            (None, Action::Request | Action::Sync | Action::Ephemeral) => false,
        }
    }
}

#[cfg(test)]
mod tests;
