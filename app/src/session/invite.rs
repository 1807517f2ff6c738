//! Joining with an invite link: `https://host/#/join/<invite token>`.

use super::meta::{save_grant, META_COMMUNITY};
use super::{Notice, Phase, Session};
use crate::storage::LocalStore;
use crate::sync::api::{self, ApiError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::wire::DocumentId;

/// Invite links look like `https://host/#/join/<invite token>`.
const JOIN_PREFIX: &str = "#/join/";

/// The link another phone opens to join with invite `token`.
pub fn invite_link(token: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/{JOIN_PREFIX}{token}")
}

impl Session {
    /// Exchanges an invite for a membership and stores it; true if it worked.
    pub(super) async fn accept_invite(self, store: &LocalStore, token: &str) -> bool {
        match api::join(token).await {
            Ok(grant) => {
                clear_join_link();
                if let Err(e) = save_grant(store, &grant, grant.admin).await {
                    self.docs.storage_error.set(Some(e));
                    return false;
                }
                self.first_ticket.set_value(grant.ticket);
                self.notice.set(None);
                self.just_joined.set(true);
                true
            }
            // Keep the link in the address bar: a reload when online joins.
            Err(ApiError::Offline) => {
                self.notice.set(Some(Notice::JoinOffline));
                false
            }
            Err(ApiError::Refused { .. }) => {
                clear_join_link();
                self.notice.set(Some(Notice::InviteRefused));
                false
            }
        }
    }

    /// An invite link opened in a page that is already running (a revoked phone given a
    /// new link): join and open the community without a reload. A phone that syncs a
    /// community now reloads instead, so its connection to that community ends cleanly.
    pub(super) fn watch_join_links(self) {
        use wasm_bindgen::JsCast;
        let on_hash = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let Some(token) = join_token() else { return };
            if self.membership.get_untracked().is_some() {
                let _ = window().location().reload();
                return;
            }
            spawn_local(async move {
                let Some(store) = self.store() else { return };
                if !self.accept_invite(&store, &token).await {
                    return;
                }
                if let Ok(Some(id)) = store.get_meta(META_COMMUNITY).await {
                    if let Ok(id) = id.parse::<DocumentId>() {
                        self.phase.set(Phase::Joining);
                        self.open_community(id).await;
                    }
                }
            });
        });
        let _ = window()
            .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
        on_hash.forget();
    }
}

/// The invite token in the address bar (`#/join/<token>`), if any.
pub(super) fn join_token() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let token = hash.strip_prefix(JOIN_PREFIX)?.trim();
    (!token.is_empty()).then(|| token.to_string())
}

/// Removes the invite from the address bar (and from the history).
fn clear_join_link() {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
    }
}
