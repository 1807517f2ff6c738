//! Start-up and the community the phone works on: create one (and register it
//! with the relay), join one with an invite link, or reopen the one stored on
//! the phone. The relay's member credential is kept in the IndexedDB meta store.

use crate::i18n::Lang;
use crate::random;
use crate::storage::{LocalStore, StorageError};
use crate::sync::api::{self, ApiError, Grant};
use crate::sync::{self, Link, SyncSignals};
use crate::workspace::{Workspace, WorkspaceSignals};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{self, Role};
use linli_shared::wire::DocumentId;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

const META_MEMBER: &str = "member";
const META_COMMUNITY: &str = "community";
const META_CREDENTIAL: &str = "credential";
const META_ADMIN: &str = "admin";
const META_REVOKED: &str = "revoked";
/// The role an invite granted (absent for the phone that created the community).
const META_ROLE: &str = "role";
/// The credential this phone proposes when it registers its community.
const META_PROPOSED: &str = "proposed-credential";
const LANG_KEY: &str = "linli.lang";
/// Invite links look like `https://host/#/join/<invite token>`.
const JOIN_PREFIX: &str = "#/join/";
/// An unregistered community (created offline) tries again this often.
const REGISTER_RETRY_MS: u32 = 5_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Loading,
    /// No community on this phone yet.
    Start,
    /// A community was chosen but its data has not arrived yet.
    Joining,
    Ready,
}

/// Something the start screen (or the workspace) must tell the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The relay no longer accepts this phone's credential.
    Revoked,
    /// The invite link is unknown or expired.
    InviteRefused,
    /// Joining needs the network.
    JoinOffline,
    /// Created offline: registers with the relay when the network returns.
    RegistrationPending,
    /// The stored community has no credential and is registered by someone else.
    NeedsInvite,
}

/// This phone's membership, once the relay granted it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub member_id: String,
    pub credential: String,
    pub admin: bool,
    /// The role the invite granted: the profile's role follows it. `None` for the
    /// community's creator, who chooses their own.
    pub invited_as: Option<Role>,
}

thread_local! {
    static STORE: RefCell<Option<Rc<LocalStore>>> = const { RefCell::new(None) };
    static NOTICE: OnceCell<RwSignal<Option<Notice>>> = const { OnceCell::new() };
    static MEMBERSHIP: OnceCell<RwSignal<Option<Membership>>> = const { OnceCell::new() };
    static JUST_JOINED: OnceCell<RwSignal<bool>> = const { OnceCell::new() };
}

fn store() -> Option<Rc<LocalStore>> {
    STORE.with(|s| s.borrow().clone())
}

/// What to tell the person, if anything.
pub fn notice() -> RwSignal<Option<Notice>> {
    NOTICE.with(|n| *n.get_or_init(|| RwSignal::new(None)))
}

/// This phone joined with an invite since the page opened: say so once.
pub fn just_joined() -> RwSignal<bool> {
    JUST_JOINED.with(|j| *j.get_or_init(|| RwSignal::new(false)))
}

/// The relay membership of this phone (None until registered or joined).
pub fn membership() -> RwSignal<Option<Membership>> {
    MEMBERSHIP.with(|m| *m.get_or_init(|| RwSignal::new(None)))
}

pub fn start(phase: RwSignal<Phase>, ws: WorkspaceSignals, sync: SyncSignals) {
    // Made here, under the root component: made first inside a screen, they would be
    // disposed with that screen.
    let _ = (notice(), membership(), just_joined());
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
        if let Some(token) = join_token() {
            accept_invite(&store, &token, ws).await;
        }
        watch_join_links(phase, ws, sync);
        if matches!(store.get_meta(META_REVOKED).await, Ok(Some(_))) {
            notice().set(Some(Notice::Revoked));
            phase.set(Phase::Start);
            return;
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

/// Exchanges an invite for a membership and stores it; true if it worked.
async fn accept_invite(store: &LocalStore, token: &str, ws: WorkspaceSignals) -> bool {
    match api::join(token).await {
        Ok(grant) => {
            clear_join_link();
            if let Err(e) = save_grant(store, &grant, false).await {
                ws.storage_error.set(Some(e));
                return false;
            }
            notice().set(None);
            just_joined().set(true);
            true
        }
        // Keep the link in the address bar: a reload when online joins.
        Err(ApiError::Offline) => {
            notice().set(Some(Notice::JoinOffline));
            false
        }
        Err(ApiError::Refused { .. }) => {
            clear_join_link();
            notice().set(Some(Notice::InviteRefused));
            false
        }
    }
}

/// An invite link opened in a page that is already running (a revoked phone given a
/// new link): join and open the community without a reload. A phone that syncs a
/// community now reloads instead, so its connection to that community ends cleanly.
fn watch_join_links(phase: RwSignal<Phase>, ws: WorkspaceSignals, sync: SyncSignals) {
    use wasm_bindgen::JsCast;
    let on_hash = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let Some(token) = join_token() else { return };
        if membership().get_untracked().is_some() {
            let _ = window().location().reload();
            return;
        }
        spawn_local(async move {
            let Some(store) = store() else { return };
            if !accept_invite(&store, &token, ws).await {
                return;
            }
            if let Ok(Some(id)) = store.get_meta(META_COMMUNITY).await {
                if let Ok(id) = id.parse::<DocumentId>() {
                    phase.set(Phase::Joining);
                    open_community(id, phase, ws, sync).await;
                }
            }
        });
    });
    let _ =
        window().add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    on_hash.forget();
}

/// Stores a membership granted by the relay; its member id becomes this phone's.
async fn save_grant(store: &LocalStore, grant: &Grant, admin: bool) -> Result<(), StorageError> {
    store.set_meta(META_MEMBER, &grant.member_id).await?;
    store.set_meta(META_CREDENTIAL, &grant.credential).await?;
    store
        .set_meta(META_ADMIN, if admin { "1" } else { "" })
        .await?;
    store
        .set_meta(META_COMMUNITY, &grant.community_doc_id)
        .await?;
    match Some(grant.role).filter(|_| !admin) {
        Some(role) => store.set_meta(META_ROLE, role.as_str()).await?,
        None => store.delete_meta(META_ROLE).await?,
    }
    store.delete_meta(META_REVOKED).await
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
        let workspace = Workspace::open(store.clone(), doc_id, member.clone(), ws).await?;
        Ok::<_, StorageError>((workspace, member))
    };
    match opened.await {
        Ok((workspace, member)) => {
            // Photos recorded here that the relay may lack: open them so sync sends them.
            crate::photos::pending::open_all(&workspace).await;
            let ready = workspace.read(doc_id, |d| domain::community_info(d).is_ok());
            phase.set(if ready { Phase::Ready } else { Phase::Joining });
            connect_when_registered(store, workspace, member, phase, sync).await;
        }
        Err(e) => ws.storage_error.set(Some(e)),
    }
}

/// Syncs with the stored credential; a phone that created its community
/// offline first registers it (retrying until the relay answers).
async fn connect_when_registered(
    store: Rc<LocalStore>,
    workspace: Rc<Workspace>,
    member: String,
    phase: RwSignal<Phase>,
    sync: SyncSignals,
) {
    let community = workspace.community;
    let credential = loop {
        if let Ok(Some(credential)) = store.get_meta(META_CREDENTIAL).await {
            break credential;
        }
        let proposed = match proposed_credential(&store, &member).await {
            Ok(p) => p,
            Err(e) => {
                leptos::logging::warn!("cannot keep a credential on this phone: {e}");
                return;
            }
        };
        match api::register(community, &proposed).await {
            Ok(grant) => {
                if save_grant(&store, &grant, true).await.is_err() {
                    leptos::logging::warn!("could not store the member credential");
                }
                notice().set(None);
                break grant.credential;
            }
            Err(ApiError::Offline) => {
                sync.link.set(Link::Down);
                notice().set(Some(Notice::RegistrationPending));
                gloo_timers::future::TimeoutFuture::new(REGISTER_RETRY_MS).await;
            }
            Err(ApiError::Refused { .. }) => {
                notice().set(Some(Notice::NeedsInvite));
                phase.set(Phase::Start);
                return;
            }
        }
    };
    let admin = matches!(store.get_meta(META_ADMIN).await, Ok(Some(a)) if a == "1");
    let invited_as = match store.get_meta(META_ROLE).await {
        Ok(Some(role)) => Role::parse(&role),
        _ => None,
    };
    membership().set(Some(Membership {
        member_id: member,
        credential: credential.clone(),
        admin,
        invited_as,
    }));
    sync::connect(
        workspace,
        sync,
        credential,
        move || phase.set(Phase::Ready),
        move || revoked(store.clone(), phase),
    );
}

/// `<member id>.<64 hex>`: made once and kept until registration succeeds, so
/// a retry after a lost answer presents the same credential.
async fn proposed_credential(store: &LocalStore, member: &str) -> Result<String, StorageError> {
    if let Some(p) = store.get_meta(META_PROPOSED).await? {
        if p.starts_with(&format!("{member}.")) {
            return Ok(p);
        }
    }
    let secret: String = random::bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let proposed = format!("{member}.{secret}");
    store.set_meta(META_PROPOSED, &proposed).await?;
    Ok(proposed)
}

/// The relay refused this phone's credential: stop, say so, and keep saying so.
fn revoked(store: Rc<LocalStore>, phase: RwSignal<Phase>) {
    membership().set(None);
    notice().set(Some(Notice::Revoked));
    phase.set(Phase::Start);
    spawn_local(async move {
        let forget = async {
            store.set_meta(META_REVOKED, "1").await?;
            store.delete_meta(META_CREDENTIAL).await
        };
        if forget.await.is_err() {
            leptos::logging::warn!("could not record the revocation");
        }
    });
}

/// Creates a new community document on this phone, opens it, and registers
/// it with the relay (now, or when the network returns).
pub fn create_community(name: String) {
    let phase = expect_context::<RwSignal<Phase>>();
    let ws = expect_context::<WorkspaceSignals>();
    let sync = expect_context::<SyncSignals>();
    spawn_local(async move {
        let Some(store) = store() else { return };
        let doc_id = DocumentId::from_bytes(random::bytes::<16>());
        let opened = async {
            // A fresh community: a fresh member id and no old credential.
            store.delete_meta(META_CREDENTIAL).await?;
            store.delete_meta(META_REVOKED).await?;
            store.delete_meta(META_MEMBER).await?;
            store.delete_meta(META_ROLE).await?;
            let member = member_id(&store).await?;
            let workspace = Workspace::open(store.clone(), doc_id, member.clone(), ws).await?;
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
            Ok::<_, StorageError>((workspace, member))
        };
        match opened.await {
            Ok((workspace, member)) => {
                notice().set(None);
                phase.set(Phase::Ready);
                connect_when_registered(store, workspace, member, phase, sync).await;
            }
            Err(e) => ws.storage_error.set(Some(e)),
        }
    });
}

/// The link another phone opens to join with invite `token`.
pub fn invite_link(token: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/{JOIN_PREFIX}{token}")
}

/// The invite token in the address bar (`#/join/<token>`), if any.
fn join_token() -> Option<String> {
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

pub fn saved_lang() -> Option<Lang> {
    let storage = window().local_storage().ok()??;
    Lang::from_code(&storage.get_item(LANG_KEY).ok()??)
}

pub fn save_lang(lang: Lang) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
}
