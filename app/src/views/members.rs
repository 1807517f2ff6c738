//! 我 → for community admins: the members, each with their role from the community
//! document (the profile, which follows the invite's role), who invited them, and 撤销 and
//! 设为管理员 / 取消管理员 each behind a second, explicit tap; revoked members folded under
//! 已撤销 (N).

use super::confirm::Confirm;
use super::invite::failure_text;
use crate::community::{use_community, Community};
use crate::i18n::use_i18n;
use crate::session::Membership;
use crate::sync::api::{self, MemberRow};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::Role;

#[component]
pub fn MemberList(me: Membership) -> impl IntoView {
    let i18n = use_i18n();
    let rows = RwSignal::new(Vec::<MemberRow>::new());
    let failed = RwSignal::new(None::<String>);
    let credential = StoredValue::new(me.credential);
    let confirming = RwSignal::new(None::<Ask>);
    let show_revoked = RwSignal::new(false);
    let reload = move || {
        spawn_local(async move {
            match api::members(&credential.get_value()).await {
                Ok(list) => {
                    rows.set(list);
                    failed.set(None);
                }
                Err(e) => failed.set(Some(failure_text(i18n, &e))),
            }
        });
    };
    reload();
    let revoke = Callback::new(move |member_id: String| {
        confirming.set(None);
        spawn_local(async move {
            match api::revoke(&credential.get_value(), &member_id).await {
                Ok(()) => reload(),
                Err(e) => failed.set(Some(failure_text(i18n, &e))),
            }
        });
    });
    let set_admin = Callback::new(move |(member_id, admin): (String, bool)| {
        confirming.set(None);
        spawn_local(async move {
            match api::set_admin(&credential.get_value(), &member_id, admin).await {
                Ok(()) => reload(),
                Err(e) => failed.set(Some(failure_text(i18n, &e))),
            }
        });
    });
    let my_id = StoredValue::new(me.member_id);
    let row_view = move |row: MemberRow| {
        view! { <MemberRowView row=row my_id=my_id.get_value() confirming=confirming revoke=revoke set_admin=set_admin/> }
    };
    let active = move || {
        rows.get()
            .into_iter()
            .filter(|r| !r.revoked)
            .map(row_view)
            .collect_view()
    };
    let revoked = Memo::new(move |_| {
        rows.get()
            .into_iter()
            .filter(|r| r.revoked)
            .collect::<Vec<_>>()
    });
    view! {
        <section class="card" data-testid="member-list">
            <h2>{move || i18n.t(|s| s.access.members_title)}</h2>
            {move || failed.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            <ul class="members">{active}</ul>
            <Show when=move || !revoked.with(|r| r.is_empty())>
                <button type="button" class="link-button" data-testid="revoked-toggle"
                    aria-expanded=move || show_revoked.get().to_string()
                    on:click=move |_| show_revoked.update(|s| *s = !*s)>
                    {move || if show_revoked.get() { "▾ " } else { "▸ " }}
                    {move || i18n.t(|s| s.access.revoked_toggle).replace("{n}", &revoked.with(|r| r.len()).to_string())}
                </button>
                <Show when=move || show_revoked.get()>
                    <ul class="members members-revoked" data-testid="revoked-members">
                        {move || revoked.get().into_iter().map(row_view).collect_view()}
                    </ul>
                </Show>
            </Show>
        </section>
    }
}

/// The role to show: the member's profile in the community document, else what the
/// relay granted (a member who has not said who they are yet).
fn shown_role(community: Community, row: &MemberRow) -> Role {
    community
        .0
        .with(|c| c.member(&row.member_id).map(|m| m.role))
        .unwrap_or(row.role)
}

/// Which second tap a member row waits for.
#[derive(Clone, PartialEq, Eq)]
enum Ask {
    Revoke(String),
    /// Make the member an admin (`true`) or no longer one.
    Admin(String, bool),
}

/// Who invited the member, as the admin knows them: a name from the community document,
/// the relay operator, or nothing for the community's creator.
fn inviter(community: Community, invited_by: &str) -> Option<String> {
    let i18n = use_i18n();
    match invited_by {
        "" => None,
        linli_shared::api::OPERATOR => Some(i18n.t(|s| s.access.operator_name).to_string()),
        id => Some(
            community
                .0
                .with(|c| c.member(id).map(|m| m.name.clone()))
                .unwrap_or_else(|| i18n.t(|s| s.access.unnamed_member).to_string()),
        ),
    }
}

#[component]
fn MemberRowView(
    row: MemberRow,
    my_id: String,
    confirming: RwSignal<Option<Ask>>,
    revoke: Callback<String>,
    set_admin: Callback<(String, bool)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let id = row.member_id.clone();
    let name = Memo::new({
        let id = id.clone();
        move |_| community.0.with(|c| c.member(&id).map(|m| m.name.clone()))
    });
    let role = Memo::new({
        let row = row.clone();
        move |_| shown_role(community, &row)
    });
    let is_me = row.member_id == my_id;
    let asking = {
        let id = id.clone();
        move || confirming.get() == Some(Ask::Revoke(id.clone()))
    };
    let can_revoke = !row.revoked && !is_me;
    let invited_by = Memo::new({
        let by = row.invited_by.clone().unwrap_or_default();
        move |_| inviter(community, &by)
    });
    let admin_change = can_revoke.then(|| {
        view! { <AdminChange id=id.clone() admin=row.admin confirming=confirming set_admin=set_admin/> }
    });
    view! {
        <li class="member-row" data-testid="member" data-member=row.member_id.clone()
            data-revoked=row.revoked.to_string() data-admin=row.admin.to_string()>
            <strong class="member-name">
                {move || name.get().unwrap_or_else(|| i18n.t(|s| s.access.unnamed_member).to_string())}
            </strong>
            <span class="member-tags">
                <span class="chip" data-testid="member-role">{move || i18n.t(|s| s.concern.role(role.get()))}</span>
                {row.admin.then(|| view! { <span class="chip">{move || i18n.t(|s| s.access.admin_badge)}</span> })}
                {is_me.then(|| view! { <span class="chip">{move || i18n.t(|s| s.access.me_badge)}</span> })}
                {row.revoked.then(|| view! { <span class="chip chip-revoked" data-testid="revoked-badge">{move || i18n.t(|s| s.access.revoked_badge)}</span> })}
            </span>
            {move || invited_by.get().map(|name| view! {
                <span class="muted" data-testid="invited-by">{move || i18n.t(|s| s.access.invited_by).replace("{name}", &name)}</span>
            })}
            {can_revoke.then(|| {
                let (ask_id, yes_id) = (id.clone(), id.clone());
                view! {
                    <Show when=asking.clone() fallback=move || {
                        let ask_id = ask_id.clone();
                        view! {
                            <button type="button" class="chip-button" data-testid="revoke"
                                on:click=move |_| confirming.set(Some(Ask::Revoke(ask_id.clone())))>
                                {move || i18n.t(|s| s.access.revoke)}
                            </button>
                        }
                    }>
                        <Confirm
                            testids=["revoke-confirm", "confirm-revoke", "cancel-revoke"]
                            question=Signal::derive(move || i18n.t(|s| s.access.revoke_confirm))
                            yes=Signal::derive(move || i18n.t(|s| s.access.revoke_yes))
                            yes_class="danger"
                            on_yes=Callback::new({
                                let yes_id = yes_id.clone();
                                move |()| revoke.run(yes_id.clone())
                            })
                            on_cancel=Callback::new(move |()| confirming.set(None))/>
                    </Show>
                }
            })}
            {admin_change}
        </li>
    }
}

/// 设为管理员 / 取消管理员, then the confirmation.
#[component]
fn AdminChange(
    id: String,
    admin: bool,
    confirming: RwSignal<Option<Ask>>,
    set_admin: Callback<(String, bool)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ask = Ask::Admin(id.clone(), !admin);
    let asking = {
        let ask = ask.clone();
        move || confirming.get().as_ref() == Some(&ask)
    };
    let label = move || {
        if admin {
            i18n.t(|s| s.access.remove_admin)
        } else {
            i18n.t(|s| s.access.make_admin)
        }
    };
    view! {
        <Show when=asking fallback=move || {
            let ask = ask.clone();
            view! {
                <button type="button" class="chip-button" data-testid="admin-change"
                    on:click=move |_| confirming.set(Some(ask.clone()))>
                    {label}
                </button>
            }
        }>
            <Confirm
                testids=["admin-change-confirm", "confirm-admin-change", "keep-admin"]
                question=Signal::derive(move || if admin { i18n.t(|s| s.access.remove_admin_confirm) } else { i18n.t(|s| s.access.make_admin_confirm) })
                yes=Signal::derive(move || if admin { i18n.t(|s| s.access.remove_admin_yes) } else { i18n.t(|s| s.access.make_admin_yes) })
                yes_class="primary"
                on_yes=Callback::new({
                    let id = id.clone();
                    move |()| set_admin.run((id.clone(), !admin))
                })
                on_cancel=Callback::new(move |()| confirming.set(None))/>
        </Show>
    }
}
