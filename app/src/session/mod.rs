//! The session: this phone's open community and everything screens read about
//! it — the start-up phase, what to tell the person, the relay membership, the
//! open workspace (its documents), presence, and the storage and sync signals.
//! One `Copy` object, made at the root and provided as context ([`use_session`]);
//! screens read it, and nothing reads a thread-local global instead.
//!
//! How the session starts (open, create, join, register, revoke) is in the
//! files beside this one.

mod invite;
mod meta;
mod register;
mod snapshot;
mod start;

pub use invite::invite_link;
pub use snapshot::keep as keep_snapshot;

use crate::presence::PresenceBoard;
use crate::storage::LocalStore;
use crate::sync::SyncSignals;
use crate::workspace::{Workspace, WorkspaceSignals};
use automerge::AutoCommit;
use leptos::prelude::*;
use linli_shared::api::SyncTicket;
use linli_shared::domain::{CommunityView, Role};
use linli_shared::wire::DocumentId;
use std::rc::Rc;

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

/// The one session of the page. `Copy`: hand it to closures.
#[derive(Clone, Copy)]
pub struct Session {
    pub phase: RwSignal<Phase>,
    /// What to tell the person, if anything.
    pub notice: RwSignal<Option<Notice>>,
    /// The relay membership of this phone (None until registered or joined).
    pub membership: RwSignal<Option<Membership>>,
    /// This phone joined with an invite since the page opened: say so once.
    pub just_joined: RwSignal<bool>,
    /// Storage failures, and documents opened.
    pub docs: WorkspaceSignals,
    pub sync: SyncSignals,
    /// Automerge and IndexedDB handles are not `Send`: kept in local storage.
    workspace: RwSignal<Option<Rc<Workspace>>, LocalStorage>,
    store: StoredValue<Option<Rc<LocalStore>>, LocalStorage>,
    presence: StoredValue<Rc<PresenceBoard>, LocalStorage>,
    /// The ticket the join or registration answer carried: the first sync socket opens with
    /// it instead of asking for one (a round trip less when a phone joins on a slow network).
    first_ticket: StoredValue<Option<SyncTicket>, LocalStorage>,
    /// The list's view before the phone's document engine has read its own copy (issue 14):
    /// on a phone that has just joined, what the relay read from its copy (`GET /api/view`),
    /// until the phone's copy has caught up; on a later start, the view as the phone last
    /// showed it (`snapshot.rs`), until the engine has opened the stored document.
    early_view: RwSignal<Option<CommunityView>>,
}

impl Session {
    /// Made once, in the root component (so its signals live as long as the page).
    pub fn new() -> Self {
        Session {
            phase: RwSignal::new(Phase::Loading),
            notice: RwSignal::new(None),
            membership: RwSignal::new(None),
            just_joined: RwSignal::new(false),
            docs: WorkspaceSignals::new(),
            sync: SyncSignals::new(),
            workspace: RwSignal::new_local(None),
            store: StoredValue::new_local(None),
            presence: StoredValue::new_local(Rc::new(PresenceBoard::new())),
            first_ticket: StoredValue::new_local(None),
            early_view: RwSignal::new(None),
        }
    }

    /// The open community's documents, if one is open (untracked).
    pub fn workspace(self) -> Option<Rc<Workspace>> {
        self.workspace.try_get_untracked().flatten()
    }

    /// Who is present in the meetings open on this phone and others.
    pub fn presence(self) -> Rc<PresenceBoard> {
        self.presence.get_value()
    }

    /// This phone's member id in the open community ("" before one is open).
    pub fn me(self) -> String {
        match self.workspace() {
            Some(w) => w.member_id.clone(),
            None => self
                .early_view
                .with_untracked(|v| v.as_ref().map(|v| v.me.clone()))
                .unwrap_or_default(),
        }
    }

    /// The open workspace. On a phone that has just joined (its screens showing the relay's
    /// view), once its document engine has loaded and the community has synced into it: a
    /// command run earlier would find nothing to act on. Until then the tapped button stays
    /// busy and nothing typed is lost (offline, the engine is asked for again). `None` only
    /// when no community is open.
    pub async fn opened_workspace(self) -> Option<Rc<Workspace>> {
        loop {
            let workspace = self.workspace();
            let waiting = self.early_view.with_untracked(Option::is_some);
            let synced_in = |w: &Workspace| {
                let relay = self.early_view.get_untracked();
                match (w.community_view(), relay) {
                    (Some(own), Some(relay)) => caught_up(&own, &relay),
                    (own, _) => own.is_some(),
                }
            };
            match workspace {
                Some(w) if !waiting || synced_in(&w) => return Some(w),
                None if !waiting => return None,
                _ => gloo_timers::future::TimeoutFuture::new(50).await,
            }
        }
    }

    /// The concern screens' view (tracked): read from the phone's community document once it
    /// holds the community (and has caught up with the early view); until then the early
    /// view; else empty.
    pub fn community_view(self) -> CommunityView {
        let own = self.track(None).and_then(|(w, _)| w.community_view());
        let relay = self.early_view.get();
        match (own, relay) {
            (Some(own), Some(relay)) if !caught_up(&own, &relay) => relay,
            (Some(own), _) => own,
            (None, Some(relay)) => relay,
            (None, None) => CommunityView {
                me: self.me(),
                ..CommunityView::default()
            },
        }
    }

    /// The early view has done its part: the phone's copy is open, or has synced once.
    pub(super) fn early_view_done(self) {
        if self.early_view.with_untracked(Option::is_some) {
            self.early_view.set(None);
        }
    }

    fn set_workspace(self, workspace: Rc<Workspace>) {
        self.workspace.set(Some(workspace));
    }

    fn store(self) -> Option<Rc<LocalStore>> {
        self.store.get_value()
    }

    /// Tracks document `doc` (the community's if `None`): a memo or effect that
    /// calls this runs again when the document is opened or changes. Returns
    /// the workspace and the document's id once it is open.
    pub fn track(self, doc: Option<DocumentId>) -> Option<(Rc<Workspace>, DocumentId)> {
        self.docs.opened.track();
        let w = self.workspace.get()?;
        let id = doc.unwrap_or(w.community);
        w.revision(id)?.track();
        Some((w, id))
    }

    /// A memo that reads document `doc` with `read`, again whenever it changes:
    /// `None` until the document is open.
    pub fn doc_memo<T>(
        self,
        doc: DocumentId,
        read: impl Fn(&AutoCommit) -> Option<T> + Send + Sync + 'static,
    ) -> Memo<Option<T>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        Memo::new(move |_| {
            let (w, id) = self.track(Some(doc))?;
            w.read(id, &read)
        })
    }

    /// A memo that reads the community document with `read`, again whenever it
    /// changes (an empty document until one is open).
    pub fn community_memo<T>(
        self,
        read: impl Fn(&AutoCommit) -> T + Send + Sync + 'static,
    ) -> Memo<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        Memo::new(move |_| match self.track(None) {
            Some((w, id)) => w.read(id, &read),
            None => read(&AutoCommit::new()),
        })
    }
}

/// The phone's copy holds at least every concern the relay's view showed (a sync of a big
/// community may arrive in parts: the list must not shrink meanwhile).
fn caught_up(own: &CommunityView, relay: &CommunityView) -> bool {
    own.concerns.len() + own.withdrawn.len() >= relay.concerns.len() + relay.withdrawn.len()
}

/// The session, from any component under the root.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
