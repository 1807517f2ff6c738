//! Connecting the open community to the relay: a phone that created its
//! community offline first registers it; then the sync connection starts and
//! the session wires who hears it (the badge, presence, photos, joining and
//! revocation).

use super::meta::{
    proposed_credential, save_grant, META_ADMIN, META_CREDENTIAL, META_REVOKED, META_ROLE,
};
use super::{Membership, Notice, Phase, Session};
use crate::storage::LocalStore;
use crate::sync::api::{self, ApiError};
use crate::sync::{Link, SyncChannel, SyncEvent};
use crate::workspace::Workspace;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::Role;
use std::rc::Rc;

/// An unregistered community (created offline) tries again this often.
const REGISTER_RETRY_MS: u32 = 5_000;

impl Session {
    /// Syncs with the stored credential; a phone that created its community
    /// offline first registers it (retrying until the relay answers).
    pub(super) async fn connect_when_registered(
        self,
        store: Rc<LocalStore>,
        workspace: Rc<Workspace>,
        member: String,
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
                    self.first_ticket.set_value(grant.ticket.clone());
                    self.notice.set(None);
                    break grant.credential;
                }
                Err(ApiError::Offline) => {
                    self.sync.link.set(Link::Down);
                    self.notice.set(Some(Notice::RegistrationPending));
                    gloo_timers::future::TimeoutFuture::new(REGISTER_RETRY_MS).await;
                }
                Err(ApiError::Refused { .. }) => {
                    self.notice.set(Some(Notice::NeedsInvite));
                    self.phase.set(Phase::Start);
                    return;
                }
            }
        };
        self.set_membership(&store, member, credential.clone())
            .await;
        self.start_sync(store, workspace, credential);
    }

    /// The membership as stored with the grant: what the screens offer follows it.
    pub(super) async fn set_membership(
        self,
        store: &LocalStore,
        member: String,
        credential: String,
    ) {
        let admin = matches!(store.get_meta(META_ADMIN).await, Ok(Some(a)) if a == "1");
        let invited_as = match store.get_meta(META_ROLE).await {
            Ok(Some(role)) => Role::parse(&role),
            _ => None,
        };
        self.membership.set(Some(Membership {
            member_id: member,
            credential,
            admin,
            invited_as,
        }));
    }

    /// Starts the sync connection with everything that follows it subscribed.
    fn start_sync(self, store: Rc<LocalStore>, workspace: Rc<Workspace>, credential: String) {
        let ticket = self.first_ticket.try_update_value(Option::take).flatten();
        let channel = SyncChannel::new(workspace.clone(), credential, ticket);
        let badge = self.sync;
        channel.subscribe(move |e| badge.follow(e));
        let presence = self.presence();
        presence.send_through(channel.sender());
        channel.subscribe(move |e| presence.heard(e));
        let community = workspace.community;
        channel.subscribe(move |e| crate::photos::pending::follow(community, e));
        channel.subscribe(move |e| match e {
            // The community document arrived from the relay (joining).
            SyncEvent::DocChanged(id)
                if *id == workspace.community && workspace.has_community() =>
            {
                self.phase.set(Phase::Ready)
            }
            SyncEvent::Progress {
                all_synced: true, ..
            } => self.early_view_done(),
            SyncEvent::Revoked => self.revoked(store.clone()),
            SyncEvent::Admin(admin) => self.admin_now(store.clone(), *admin),
            _ => {}
        });
        channel.start();
    }

    /// Another admin made this phone's member an admin, or no longer one: the 成员 screen
    /// follows, and the phone remembers it.
    fn admin_now(self, store: Rc<LocalStore>, admin: bool) {
        let changed = self
            .membership
            .with_untracked(|m| m.as_ref().is_some_and(|m| m.admin != admin));
        if !changed {
            return;
        }
        self.membership.update(|m| {
            if let Some(m) = m {
                m.admin = admin;
            }
        });
        spawn_local(async move {
            if store
                .set_meta(META_ADMIN, if admin { "1" } else { "" })
                .await
                .is_err()
            {
                leptos::logging::warn!("could not record the admin change");
            }
        });
    }

    /// The relay refused this phone's credential: stop, say so, and keep saying so.
    fn revoked(self, store: Rc<LocalStore>) {
        self.membership.set(None);
        self.notice.set(Some(Notice::Revoked));
        self.phase.set(Phase::Start);
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
}
