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

thread_local! {
    /// What was last stored, per document (read from storage on first use).
    static ACKED: RefCell<BTreeMap<DocumentId, Vec<ChangeHash>>> = RefCell::default();
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn acked(id: DocumentId) -> Vec<ChangeHash> {
    if let Some(heads) = ACKED.with(|a| a.borrow().get(&id).cloned()) {
        return heads;
    }
    let heads: Vec<ChangeHash> = storage()
        .and_then(|s| s.get_item(&format!("{KEY_PREFIX}{id}")).ok().flatten())
        .map(|text| text.split(',').filter_map(|h| h.parse().ok()).collect())
        .unwrap_or_default();
    ACKED.with(|a| a.borrow_mut().insert(id, heads.clone()));
    heads
}

/// The relay holds `doc` as it is now.
pub fn acknowledged(id: DocumentId, doc: &mut AutoCommit) {
    let heads = doc.get_heads();
    if acked(id) == heads {
        return;
    }
    if let Some(s) = storage() {
        let text: Vec<String> = heads.iter().map(ToString::to_string).collect();
        let _ = s.set_item(&format!("{KEY_PREFIX}{id}"), &text.join(","));
    }
    ACKED.with(|a| a.borrow_mut().insert(id, heads));
}

/// Changes in `doc` the relay has not acknowledged.
pub fn count(id: DocumentId, doc: &mut AutoCommit) -> usize {
    let known: Vec<ChangeHash> = acked(id)
        .into_iter()
        .filter(|h| doc.get_change_by_hash(h).is_some())
        .collect();
    doc.get_changes(&known).len()
}
