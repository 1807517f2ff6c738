//! 我 → for community admins: invite members (role → link + QR code) and the
//! member list with 撤销 (revoke). Talks to the relay's access API.

use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::qr;
use crate::session::{self, Membership};
use crate::sync::api::{self, ApiError, MemberRow};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::Role;

/// How long an invite link works.
const INVITE_HOURS: u32 = 72;

#[component]
pub fn AccessAdmin() -> impl IntoView {
    let membership = session::membership();
    move || {
        membership
            .get()
            .filter(|m| m.admin)
            .map(|m| view! { <InviteSection me=m.clone()/> <MemberList me=m/> })
    }
}

fn failure_text(e: &ApiError) -> String {
    match e {
        ApiError::Offline => use_i18n().t(|s| s.access.offline).to_string(),
        ApiError::Refused { message, .. } => {
            format!("{}{message}", use_i18n().t(|s| s.access.failed))
        }
    }
}

#[component]
fn InviteSection(me: Membership) -> impl IntoView {
    let i18n = use_i18n();
    let role = RwSignal::new(Role::NeighbourLeader);
    let link = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let credential = me.credential;
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let credential = credential.clone();
        let r = role.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::create_invite(&credential, r.as_str(), INVITE_HOURS).await {
                Ok(token) => {
                    link.set(Some(session::invite_link(&token)));
                    failed.set(None);
                }
                Err(e) => failed.set(Some(failure_text(&e))),
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
                <select id="invite-role" on:change=move |ev| {
                    if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }
                }>
                    {Role::ALL.iter().map(|r| { let r = *r; view! {
                        <option value=r.as_str() selected=move || role.get() == r>{move || i18n.t(|s| s.concern.role(r))}</option>
                    }}).collect_view()}
                </select>
                <button type="submit" class="primary" data-testid="create-invite" disabled=move || busy.get()>
                    {move || i18n.t(|s| s.access.create_invite)}
                </button>
            </form>
            {move || failed.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            {move || link.get().map(|l| {
                let svg = qr::svg(&l).unwrap_or_default();
                view! {
                    <label for="invite-link">{move || i18n.t(|s| s.access.invite_link_label)}</label>
                    <input id="invite-link" readonly data-testid="invite-link" prop:value=l/>
                    <div class="qr" data-testid="invite-qr" aria-label=move || i18n.t(|s| s.access.qr_title) inner_html=svg></div>
                    <p class="muted">{move || i18n.t(|s| s.access.invite_valid)}</p>
                }
            })}
        </section>
    }
}

#[component]
fn MemberList(me: Membership) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let rows = RwSignal::new(Vec::<MemberRow>::new());
    let failed = RwSignal::new(None::<String>);
    let credential = StoredValue::new(me.credential);
    let reload = move || {
        spawn_local(async move {
            match api::members(&credential.get_value()).await {
                Ok(list) => {
                    rows.set(list);
                    failed.set(None);
                }
                Err(e) => failed.set(Some(failure_text(&e))),
            }
        });
    };
    reload();
    let revoke = move |member_id: String| {
        spawn_local(async move {
            match api::revoke(&credential.get_value(), &member_id).await {
                Ok(()) => reload(),
                Err(e) => failed.set(Some(failure_text(&e))),
            }
        });
    };
    let my_id = me.member_id;
    view! {
        <section class="card" data-testid="member-list">
            <h2>{move || i18n.t(|s| s.access.members_title)}</h2>
            {move || failed.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            <ul class="members">
                {move || rows.get().into_iter().map(|row| {
                    let name = community.0.with(|c| c.member(&row.member_id).map(|m| m.name.clone()))
                        .unwrap_or_else(|| i18n.t(|s| s.access.unnamed_member).to_string());
                    let role = Role::parse(&row.role);
                    let is_me = row.member_id == my_id;
                    let id = row.member_id.clone();
                    view! {
                        <li data-testid="member" data-member=row.member_id.clone() data-revoked=row.revoked.to_string()>
                            <strong>{name}</strong>
                            {role.map(|r| view! { " · " {move || i18n.t(|s| s.concern.role(r))} })}
                            {row.admin.then(|| view! { " · " {move || i18n.t(|s| s.access.admin_badge)} })}
                            {is_me.then(|| view! { " · " {move || i18n.t(|s| s.access.me_badge)} })}
                            {if row.revoked {
                                view! { <span class="chip" data-testid="revoked-badge">{move || i18n.t(|s| s.access.revoked_badge)}</span> }.into_any()
                            } else if is_me {
                                ().into_any()
                            } else {
                                view! {
                                    <button type="button" class="chip-button" data-testid="revoke"
                                        on:click=move |_| revoke(id.clone())>
                                        {move || i18n.t(|s| s.access.revoke)}
                                    </button>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
