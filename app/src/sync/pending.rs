//! How many local changes the relay has not acknowledged: the changes of each open
//! document since the heads it had when the relay last confirmed holding all of it.
//! Those heads are kept in `localStorage` (`linli.acked.<community>.<document id>`), so
//! the count survives a reload without network, and what one community's relay
//! acknowledged never counts for another.
//!
//! The 待发送 badge counts things done, not Automerge changes: in the community document each
//! change is one (a concern recorded, claimed, a visit noted …); a meeting's notes make a
//! change every few keystrokes, so a meeting (or a photo) with anything unsent counts once —
//! a sentence typed offline in a meeting reads 「1 条待发送」, not one per keystroke.

use crate::engine::Document;
use crate::phone_local::{self, ACKED};
use automerge::ChangeHash;
use linli_shared::wire::DocumentId;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The heads the relay last acknowledged, per document; owned by the connection.
pub struct Acknowledged {
    /// The community whose relay acknowledged them.
    community: DocumentId,
    /// What was last stored, per document (read from storage on first use).
    heads: RefCell<BTreeMap<DocumentId, Vec<ChangeHash>>>,
}

impl Acknowledged {
    pub fn new(community: DocumentId) -> Self {
        Acknowledged {
            community,
            heads: RefCell::default(),
        }
    }

    fn key(&self, id: DocumentId) -> String {
        format!("{}.{id}", phone_local::key(ACKED, self.community))
    }

    pub fn heads(&self, id: DocumentId) -> Vec<ChangeHash> {
        if let Some(heads) = self.heads.borrow().get(&id).cloned() {
            return heads;
        }
        let heads: Vec<ChangeHash> = phone_local::get(&self.key(id))
            .map(|text| text.split(',').filter_map(|h| h.parse().ok()).collect())
            .unwrap_or_default();
        self.heads.borrow_mut().insert(id, heads.clone());
        heads
    }

    /// The relay holds `doc` as it is now.
    pub fn record(&self, id: DocumentId, doc: &mut dyn Document) {
        let heads = doc.heads();
        if self.heads(id) == heads {
            return;
        }
        let text: Vec<String> = heads.iter().map(ToString::to_string).collect();
        phone_local::set(&self.key(id), &text.join(","));
        self.heads.borrow_mut().insert(id, heads);
    }

    /// What the badge counts for `doc` (the module's note): its unacknowledged changes in the
    /// community document, at most one for any other.
    pub fn items_unsent(&self, id: DocumentId, doc: &mut dyn Document) -> usize {
        let changes = self.changes_since(id, doc);
        if id == self.community {
            changes
        } else {
            changes.min(1)
        }
    }

    /// Changes in `doc` the relay has not acknowledged.
    pub fn changes_since(&self, id: DocumentId, doc: &mut dyn Document) -> usize {
        doc.changes_since(&self.heads(id))
    }
}
