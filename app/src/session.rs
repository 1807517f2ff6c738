//! Start-up and the community the phone works on: create one, join one by
//! invite link, or reopen the one stored on the phone.

use crate::i18n::Lang;
use crate::random;
use crate::storage::{LocalStore, StorageError};
use crate::sync::{self, SyncSignals};
use crate::workspace::{Workspace, WorkspaceSignals};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain;
use linli_shared::wire::DocumentId;
use std::rc::Rc;

const META_MEMBER: &str = "member";
const META_COMMUNITY: &str = "community";
const LANG_KEY: &str = "linli.lang";
/// Invite links look like `https://host/#/join/<document id>`.
const JOIN_PREFIX: &str = "#/join/";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Loading,
    /// No community on this phone yet.
    Start,
    /// A community was chosen but its data has not arrived yet.
    Joining,
    Ready,
}

thread_local! {
    static STORE: std::cell::RefCell<Option<Rc<LocalStore>>> = const { std::cell::RefCell::new(None) };
}

fn store() -> Option<Rc<LocalStore>> {
    STORE.with(|s| s.borrow().clone())
}

pub fn start(phase: RwSignal<Phase>, ws: WorkspaceSignals, sync: SyncSignals) {
    spawn_local(async move {
        let store = match LocalStore::open().await {
            Ok(s) => Rc::new(s),
            Err(e) => {
                ws.storage_error.set(Some(e));
                phase.set(Phase::Start);
                return;
            }
        };
        STORE.with(|s| *s.borrow_mut() = Some(store.clone()));
        if let Some(doc_id) = take_join_link() {
            if let Err(e) = store.set_meta(META_COMMUNITY, &doc_id.to_string()).await {
                ws.storage_error.set(Some(e));
            }
        }
        match store.get_meta(META_COMMUNITY).await {
            Ok(Some(doc_id)) => match doc_id.parse::<DocumentId>() {
                Ok(id) => open_community(id, phase, ws, sync).await,
                Err(_) => phase.set(Phase::Start),
            },
            Ok(None) => phase.set(Phase::Start),
            Err(e) => {
                ws.storage_error.set(Some(e));
                phase.set(Phase::Start);
            }
        }
    });
}

async fn member_id(store: &LocalStore) -> Result<String, StorageError> {
    if let Some(id) = store.get_meta(META_MEMBER).await? {
        return Ok(id);
    }
    let id = random::hex_id();
    store.set_meta(META_MEMBER, &id).await?;
    Ok(id)
}

async fn open_community(
    doc_id: DocumentId,
    phase: RwSignal<Phase>,
    ws: WorkspaceSignals,
    sync: SyncSignals,
) {
    let Some(store) = store() else { return };
    let opened = async {
        let member = member_id(&store).await?;
        Workspace::open(store.clone(), doc_id, member, ws).await
    };
    match opened.await {
        Ok(workspace) => {
            let ready = workspace.read(doc_id, |d| domain::community_info(d).is_ok());
            phase.set(if ready { Phase::Ready } else { Phase::Joining });
            sync::connect(workspace, sync, move || phase.set(Phase::Ready));
        }
        Err(e) => ws.storage_error.set(Some(e)),
    }
}

/// Creates a new community document on this phone and opens it.
pub fn create_community(name: String) {
    let phase = expect_context::<RwSignal<Phase>>();
    let ws = expect_context::<WorkspaceSignals>();
    let sync = expect_context::<SyncSignals>();
    spawn_local(async move {
        let Some(store) = store() else { return };
        let doc_id = DocumentId::from_bytes(random::bytes::<16>());
        let opened = async {
            let member = member_id(&store).await?;
            let workspace = Workspace::open(store.clone(), doc_id, member, ws).await?;
            let community = doc_id.to_string();
            let created = workspace
                .apply(doc_id, move |d| {
                    domain::init_community(d, &community, &name)
                })
                .await;
            if let Some(Err(e)) = created {
                leptos::logging::warn!("init_community failed: {e}");
            }
            store.set_meta(META_COMMUNITY, &doc_id.to_string()).await?;
            Ok::<_, StorageError>(workspace)
        };
        match opened.await {
            Ok(workspace) => {
                phase.set(Phase::Ready);
                sync::connect(workspace, sync, move || phase.set(Phase::Ready));
            }
            Err(e) => ws.storage_error.set(Some(e)),
        }
    });
}

/// Joins the community of an invite link (or bare document id).
/// Returns false when the text holds no valid community id.
pub fn join_community(invite: &str) -> bool {
    let Some(doc_id) = parse_invite(invite) else {
        return false;
    };
    let phase = expect_context::<RwSignal<Phase>>();
    let ws = expect_context::<WorkspaceSignals>();
    let sync = expect_context::<SyncSignals>();
    spawn_local(async move {
        let Some(store) = store() else { return };
        if let Err(e) = store.set_meta(META_COMMUNITY, &doc_id.to_string()).await {
            ws.storage_error.set(Some(e));
            return;
        }
        open_community(doc_id, phase, ws, sync).await;
    });
    true
}

pub fn parse_invite(text: &str) -> Option<DocumentId> {
    let text = text.trim();
    let id = match text.find(JOIN_PREFIX) {
        Some(at) => &text[at + JOIN_PREFIX.len()..],
        None => text.strip_prefix("automerge:").unwrap_or(text),
    };
    id.parse().ok()
}

pub fn invite_link(doc_id: DocumentId) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/{JOIN_PREFIX}{doc_id}")
}

/// Reads a join link from the address bar and removes it from there.
fn take_join_link() -> Option<DocumentId> {
    let location = window().location();
    let hash = location.hash().ok()?;
    let id = hash.strip_prefix(JOIN_PREFIX)?.parse().ok()?;
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
    }
    Some(id)
}

pub fn saved_lang() -> Option<Lang> {
    let storage = window().local_storage().ok()??;
    Lang::from_code(&storage.get_item(LANG_KEY).ok()??)
}

pub fn save_lang(lang: Lang) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
}
