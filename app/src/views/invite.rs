//! 我 → for community admins: invite members (role and number of phones → link + QR
//! code, copied or shared), the open invites and the member list. Talks to the relay's
//! access API.

use super::choice::Choice;
use super::members::MemberList;
use super::open_invites::OpenInvites;
use super::share_link::ShareButtons;
use crate::i18n::{use_i18n, I18n};
use crate::qr;
use crate::session::{self, Membership};
use crate::sync::api::{self, ApiError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::Role;

/// How long an invite link works.
const INVITE_HOURS: u32 = 72;
/// Most phones one invite may admit (the relay's limit).
const MAX_INVITE_USES: u32 = 100;

#[component]
pub fn AccessAdmin() -> impl IntoView {
    let membership = session::use_session().membership;
    move || {
        membership.get().filter(|m| m.admin).map(|m| {
            let (made, made_one) = signal(0u32);
            view! {
                <InviteSection me=m.clone() made=made_one/>
                <OpenInvites me=m.clone() made=made/>
                <MemberList me=m/>
            }
        })
    }
}

/// Why an access call failed. Read the language when the answer arrives, after an `await`:
/// there is no reactive owner there to find the `I18n` context in (it panicked, killing the
/// app, when an admin's member list failed offline), so the caller passes the one it took.
pub(super) fn failure_text(i18n: I18n, e: &ApiError) -> String {
    match e {
        ApiError::Offline => i18n.t(|s| s.access.offline).to_string(),
        ApiError::Refused {
            refusal: Some(refusal),
            ..
        } => i18n.t(|s| (s.access.refusal)(*refusal)).to_string(),
        ApiError::Refused { refusal: None, .. } => i18n.t(|s| s.access.refused_other).to_string(),
    }
}

#[component]
fn InviteSection(me: Membership, made: WriteSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let role = RwSignal::new(Role::NeighbourLeader);
    let uses = RwSignal::new(1u32);
    let link = RwSignal::new(None::<(String, u32)>);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let credential = me.credential;
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let credential = credential.clone();
        let r = role.get_untracked();
        let n = uses.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::create_invite(&credential, r, INVITE_HOURS, n).await {
                Ok(token) => {
                    link.set(Some((session::invite_link(&token), n)));
                    failed.set(None);
                    made.update(|n| *n += 1);
                }
                Err(e) => failed.set(Some(failure_text(i18n, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card invite" data-testid="invite-section">
            <h2>{move || i18n.t(|s| s.access.invite_title)}</h2>
            <p class="muted">{move || i18n.t(|s| s.access.invite_intro)}</p>
            <form on:submit=create data-testid="invite-form">
                <label for="invite-role">{move || i18n.t(|s| s.access.invite_role_label)}</label>
                <Choice
                    value=Signal::derive(move || role.get().as_str().to_string())
                    options=Signal::derive(move || Role::ALL.iter().map(|r| (r.as_str().to_string(), i18n.t(|s| s.concern.role(*r)).to_string())).collect())
                    on_pick=move |v| if let Some(r) = Role::parse(&v) { role.set(r) }
                    {..} id="invite-role"/>
                <label for="invite-uses">{move || i18n.t(|s| s.access.invite_uses_label)}</label>
                <input id="invite-uses" type="number" inputmode="numeric" min="1" max=MAX_INVITE_USES
                    data-testid="invite-uses" prop:value=move || uses.get().to_string()
                    on:change=move |ev| {
                        let n = event_target_value(&ev).trim().parse().unwrap_or(1u32);
                        uses.set(n.clamp(1, MAX_INVITE_USES));
                    }/>
                <button type="submit" class="primary" data-testid="create-invite" disabled=move || busy.get()>
                    {move || i18n.t(|s| s.access.create_invite)}
                </button>
            </form>
            {move || failed.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            {move || link.get().map(|(l, n)| {
                let svg = qr::svg(&l).unwrap_or_default();
                view! {
                    <label for="invite-link">{move || i18n.t(|s| s.access.invite_link_label)}</label>
                    <input id="invite-link" readonly data-testid="invite-link" prop:value=l.clone()/>
                    <ShareButtons link=l input_id="invite-link" testid="invite" text=|s| s.access.share_text/>
                    <div class="qr" data-testid="invite-qr" aria-label=move || i18n.t(|s| s.access.qr_title) inner_html=svg></div>
                    <p class="muted">{move || i18n.t(|s| s.access.invite_valid.of(n as usize))}</p>
                }
            })}
        </section>
    }
}
