//! The list as the phone last showed it, kept beside the community document (issue 14).
//!
//! A later start shows it at once, while the document engine (a wasm part) loads and reads
//! the stored document; the engine's view then takes over (the same, unless the phone was
//! closed within [`SAVE_AFTER_MS`] of a change: then the change shows a moment later). A
//! tap meanwhile waits for the engine (`Session::opened_workspace`). Kept in the phone's
//! IndexedDB (`meta`: `view.<community>`, and the document heads it shows,
//! `view-heads.<community>`) like the document it comes from; never sent.

use super::Session;
use crate::community::Community;
use crate::storage::LocalStore;
use js_sys::JSON;
use leptos::prelude::*;
use linli_shared::domain::CommunityView;
use linli_shared::wire::DocumentId;

/// A change is saved this long after the last one (a burst of changes, one write).
pub const SAVE_AFTER_MS: u32 = 2_000;

fn view_key(community: DocumentId) -> String {
    format!("view.{community}")
}

fn heads_key(community: DocumentId) -> String {
    format!("view-heads.{community}")
}

/// The view last saved for `community`, if any (and readable by this version).
pub(super) async fn load(store: &LocalStore, community: DocumentId) -> Option<CommunityView> {
    let text = store.get_meta(&view_key(community)).await.ok()??;
    let value = JSON::parse(&text).ok()?;
    let view: CommunityView = serde_wasm_bindgen::from_value(value).ok()?;
    (!view.name.is_empty()).then_some(view)
}

/// Saves the screens' view whenever the community document has changed since the last save
/// (at once the first time in a page, then after [`SAVE_AFTER_MS`] of quiet), once the view
/// comes from the phone's own copy. Call once, in the root.
pub fn keep(session: Session, community: Community) {
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        community.0.track();
        let ready = session.early_view.with(Option::is_none)
            && session.workspace().is_some_and(|w| w.has_community());
        if !ready {
            return;
        }
        let first = generation.get_value() == 0;
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let delay = if first { 0 } else { SAVE_AFTER_MS };
        gloo_timers::callback::Timeout::new(delay, move || {
            if generation.try_get_value() == Some(mine) {
                leptos::task::spawn_local(save(session, community));
            }
        })
        .forget();
    });
}

async fn save(session: Session, community: Community) {
    let (Some(store), Some(w)) = (session.store(), session.workspace()) else {
        return;
    };
    let heads = w
        .with_document(w.community, |d| d.heads())
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let saved = store.get_meta(&heads_key(w.community)).await.ok().flatten();
    if saved.as_deref() == Some(heads.as_str()) {
        return;
    }
    let text = community.0.with_untracked(|view| {
        serde_wasm_bindgen::to_value(view)
            .ok()
            .and_then(|v| JSON::stringify(&v).ok())
            .and_then(|s| s.as_string())
    });
    // A failed write shows nowhere: the next start reads the document instead.
    if let Some(text) = text {
        if store.set_meta(&view_key(w.community), &text).await.is_ok() {
            let _ = store.set_meta(&heads_key(w.community), &heads).await;
        }
    }
}
