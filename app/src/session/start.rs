//! Start-up: reopen the community stored on the phone, join one with an invite
//! link, or create one (and register it with the relay).

use super::meta::{
    member_id, META_COMMUNITY, META_CREDENTIAL, META_MEMBER, META_REVOKED, META_ROLE,
};
use super::{Notice, Phase, Session};
use crate::random;
use crate::storage::{LocalStore, StorageError};
use crate::workspace::Workspace;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{Command, Ctx};
use linli_shared::wire::DocumentId;
use std::rc::Rc;

/// A document engine that could not be fetched is asked for again this often.
const ENGINE_RETRY_MS: u32 = 3_000;

impl Session {
    /// Opens the phone's storage and the community on it (joining first if the
    /// address bar holds an invite).
    pub fn start(self) {
        spawn_local(async move {
            let store = match LocalStore::open().await {
                Ok(s) => Rc::new(s),
                Err(e) => {
                    self.docs.storage_error.set(Some(e));
                    self.phase.set(Phase::Start);
                    return;
                }
            };
            self.store.set_value(Some(store.clone()));
            // Data an earlier version kept without naming its community belongs to the
            // community stored here: adopted before an invite may switch to another.
            if let Ok(Some(id)) = store.get_meta(META_COMMUNITY).await {
                if let Ok(id) = id.parse::<DocumentId>() {
                    crate::phone_local::adopt_unkeyed(id);
                }
            }
            if let Some(token) = super::invite::join_token() {
                self.accept_invite(&store, &token).await;
            }
            self.watch_join_links();
            if matches!(store.get_meta(META_REVOKED).await, Ok(Some(_))) {
                self.notice.set(Some(Notice::Revoked));
                self.phase.set(Phase::Start);
                return;
            }
            match store.get_meta(META_COMMUNITY).await {
                Ok(Some(doc_id)) => match doc_id.parse::<DocumentId>() {
                    Ok(id) => self.open_community(id).await,
                    Err(_) => self.phase.set(Phase::Start),
                },
                Ok(None) => self.phase.set(Phase::Start),
                Err(e) => {
                    self.docs.storage_error.set(Some(e));
                    self.phase.set(Phase::Start);
                }
            }
        });
    }

    pub(super) async fn open_community(self, doc_id: DocumentId) {
        let Some(store) = self.store() else { return };
        let joined = self.just_joined.get_untracked();
        if joined {
            self.show_view_from_relay(&store).await;
        }
        // On a later start the list shows the view the phone last showed while the engine
        // and the stored document load (`snapshot.rs`).
        let last_shown = async {
            if !joined {
                let view = super::snapshot::load(&store, doc_id).await;
                // (Not once the document is open: it is there to say it all.)
                if let Some(view) = view.filter(|_| self.workspace().is_none()) {
                    // What the member may do shows with the list, not a moment later.
                    if let Ok(Some(credential)) = store.get_meta(META_CREDENTIAL).await {
                        self.set_membership(&store, view.me.clone(), credential)
                            .await;
                    }
                    self.early_view.set(Some(view));
                    self.phase.set(Phase::Ready);
                }
            }
        };
        let opened = async {
            let member = member_id(&store).await?;
            let workspace = loop {
                match Workspace::open(store.clone(), doc_id, member.clone(), self.docs).await {
                    // The engine part could not be fetched (offline before the service worker
                    // cached it): said in the banner, and tried again until it comes.
                    Err(StorageError::EngineUnavailable) => {
                        self.docs
                            .storage_error
                            .set(Some(StorageError::EngineUnavailable));
                        gloo_timers::future::TimeoutFuture::new(ENGINE_RETRY_MS).await;
                    }
                    opened => break opened?,
                }
            };
            if self.docs.storage_error.get_untracked() == Some(StorageError::EngineUnavailable) {
                self.docs.storage_error.set(None);
            }
            self.set_workspace(workspace.clone());
            if !joined {
                // The stored document is open: it says what the snapshot said, and more.
                self.early_view_done();
            }
            Ok::<_, StorageError>((workspace, member))
        };
        let ((), opened) = futures::join!(last_shown, opened);
        match opened {
            Ok((workspace, member)) => {
                // Photos recorded here that the relay may lack: open them so sync sends them.
                crate::photos::pending::open_all(&workspace).await;
                let ready =
                    workspace.has_community() || self.early_view.with_untracked(Option::is_some);
                self.phase
                    .set(if ready { Phase::Ready } else { Phase::Joining });
                self.connect_when_registered(store, workspace, member).await;
            }
            Err(e) => self.docs.storage_error.set(Some(e)),
        }
    }

    /// A phone that has just joined shows the list from what the relay reads from its copy
    /// (`GET /api/view`) and only then fetches its document engine (a wasm part that would
    /// share the slow network with the first screen, issue 14). Nothing shown if the relay
    /// cannot answer: the phone then waits for sync, as before.
    async fn show_view_from_relay(self, store: &LocalStore) {
        let Ok(Some(credential)) = store.get_meta(META_CREDENTIAL).await else {
            return;
        };
        let Ok(view) = crate::sync::api::community_view(&credential).await else {
            return;
        };
        if view.name.is_empty() {
            return;
        }
        // What the member may do shows from the start (a tap waits for the engine).
        self.set_membership(store, view.me.clone(), credential)
            .await;
        self.early_view.set(Some(view));
        self.phase.set(Phase::Ready);
        // Let the screen render (and the list, if open) before the engine's fetch starts.
        gloo_timers::future::TimeoutFuture::new(0).await;
        crate::clock::next_frame().await;
    }

    /// Creates a new community document on this phone, opens it, and registers
    /// it with the relay (now, or when the network returns).
    pub fn create_community(self, name: String) {
        spawn_local(async move {
            let Some(store) = self.store() else { return };
            let doc_id = DocumentId::from_bytes(random::bytes::<16>());
            let opened = async {
                // A fresh community: a fresh member id and no old credential.
                store.delete_meta(META_CREDENTIAL).await?;
                store.delete_meta(META_REVOKED).await?;
                store.delete_meta(META_MEMBER).await?;
                store.delete_meta(META_ROLE).await?;
                let member = member_id(&store).await?;
                let workspace =
                    Workspace::open(store.clone(), doc_id, member.clone(), self.docs).await?;
                self.set_workspace(workspace.clone());
                let init = Command::InitCommunity {
                    community_id: doc_id.to_string(),
                    name,
                };
                let ctx = Ctx::new(member.clone(), crate::clock::now_ms());
                let created = workspace.run(doc_id, init, &ctx).await;
                if let Some(Err(e)) = created {
                    leptos::logging::warn!("init_community failed: {e}");
                }
                store.set_meta(META_COMMUNITY, &doc_id.to_string()).await?;
                Ok::<_, StorageError>((workspace, member))
            };
            match opened.await {
                Ok((workspace, member)) => {
                    self.notice.set(None);
                    self.phase.set(Phase::Ready);
                    self.connect_when_registered(store, workspace, member).await;
                }
                Err(e) => self.docs.storage_error.set(Some(e)),
            }
        });
    }
}
