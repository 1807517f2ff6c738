//! How many local changes the relay has not acknowledged: the changes of each open
//! document since the heads it had when the relay last confirmed holding all of it.
//! Those heads are kept in `localStorage` (`linli.acked.<document id>`), so the count
//! survives a reload without network.

use automerge::{AutoCommit, ChangeHash};
use leptos::prelude::window;
use linli_shared::wire::DocumentId;
use std::cell::RefCell;
use std::collections::BTreeMap;

const KEY_PREFIX: &str = "linli.acked.";

/// The heads the relay last acknowledged, per document; owned by the connection.
#[derive(Default)]
pub struct Acknowledged {
    /// What was last stored, per document (read from storage on first use).
    heads: RefCell<BTreeMap<DocumentId, Vec<ChangeHash>>>,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

impl Acknowledged {
    fn heads(&self, id: DocumentId) -> Vec<ChangeHash> {
        if let Some(heads) = self.heads.borrow().get(&id).cloned() {
            return heads;
        }
        let heads: Vec<ChangeHash> = storage()
            .and_then(|s| s.get_item(&format!("{KEY_PREFIX}{id}")).ok().flatten())
            .map(|text| text.split(',').filter_map(|h| h.parse().ok()).collect())
            .unwrap_or_default();
        self.heads.borrow_mut().insert(id, heads.clone());
        heads
    }

    /// The relay holds `doc` as it is now.
    pub fn record(&self, id: DocumentId, doc: &mut AutoCommit) {
        let heads = doc.get_heads();
        if self.heads(id) == heads {
            return;
        }
        if let Some(s) = storage() {
            let text: Vec<String> = heads.iter().map(ToString::to_string).collect();
            let _ = s.set_item(&format!("{KEY_PREFIX}{id}"), &text.join(","));
        }
        self.heads.borrow_mut().insert(id, heads);
    }

    /// Changes in `doc` the relay has not acknowledged.
    pub fn changes_since(&self, id: DocumentId, doc: &mut AutoCommit) -> usize {
        let known: Vec<ChangeHash> = self
            .heads(id)
            .into_iter()
            .filter(|h| doc.get_change_by_hash(h).is_some())
            .collect();
        doc.get_changes(&known).len()
    }
}
