//! What this phone keeps in `localStorage` about one community — the draft being typed,
//! photos the relay may lack, the heads the relay acknowledged — is kept under keys that
//! name the community (`<name>.<community id>`), so opening another community never
//! reads, and so never uploads, the first one's data. Settings of the phone itself
//! (language, text size) are not about a community and stay unkeyed.

use leptos::prelude::window;
use linli_shared::wire::DocumentId;

/// The draft on the 记录 screen.
pub const DRAFT: &str = "linli.draft";
/// Photo documents recorded here that the relay may not hold yet.
pub const UNSYNCED_PHOTOS: &str = "linli.photos.unsynced";
/// Per document: the heads the relay last acknowledged (`<this>.<community>.<document>`).
pub const ACKED: &str = "linli.acked";

/// Who wrote with which Automerge actor id (`authors.rs`).
pub const AUTHORS: &str = "linli.authors";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The key of `name` for `community`.
pub fn key(name: &str, community: DocumentId) -> String {
    format!("{name}.{community}")
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Earlier versions kept these entries without the community in their keys: they belong
/// to the community open now (the one they were written for, unless the phone switched
/// since), so they move under its keys once; an entry already kept there is not
/// overwritten (the old one then stays where it is). Nothing is dropped.
pub fn adopt_unkeyed(community: DocumentId) {
    let Some(s) = storage() else { return };
    let mut moves = Vec::new();
    for name in [DRAFT, UNSYNCED_PHOTOS] {
        moves.push((name.to_string(), key(name, community)));
    }
    let acked_prefix = format!("{ACKED}.");
    let count = s.length().unwrap_or(0);
    for i in 0..count {
        let Ok(Some(old)) = s.key(i) else { continue };
        // Unkeyed: `linli.acked.<document>`; keyed ones have a second dot.
        if let Some(doc) = old.strip_prefix(&acked_prefix) {
            if !doc.contains('.') {
                moves.push((old.clone(), format!("{}.{doc}", key(ACKED, community))));
            }
        }
    }
    for (old, new) in moves {
        let Ok(Some(value)) = s.get_item(&old) else {
            continue;
        };
        // Already kept there (a newer entry), or storage full: the old entry stays.
        if matches!(s.get_item(&new), Ok(None)) && s.set_item(&new, &value).is_ok() {
            let _ = s.remove_item(&old);
        }
    }
}
