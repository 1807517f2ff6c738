//! 我 → for community admins: the invites that still admit phones (role, phones joined of
//! how many, hours left; never the link itself), each with 作废 behind a second, explicit tap.

use super::confirm::Confirm;
use super::invite::failure_text;
use crate::clock::now_ms;
use crate::i18n::use_i18n;
use crate::session::Membership;
use crate::sync::api::{self, InviteRow};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `made` changes whenever this phone makes an invite: the list reloads.
#[component]
pub fn OpenInvites(me: Membership, made: ReadSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = RwSignal::new(None::<Vec<InviteRow>>);
    let failed = RwSignal::new(None::<String>);
    let credential = StoredValue::new(me.credential);
    let confirming = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            match api::invites(&credential.get_value()).await {
                Ok(list) => {
                    rows.set(Some(list));
                    failed.set(None);
                }
                Err(e) => failed.set(Some(failure_text(i18n, &e))),
            }
        });
    };
    Effect::new(move |_| {
        made.track();
        reload();
    });
    let cancel = Callback::new(move |invite_id: String| {
        confirming.set(None);
        spawn_local(async move {
            match api::cancel_invite(&credential.get_value(), &invite_id).await {
                Ok(()) => reload(),
                Err(e) => failed.set(Some(failure_text(i18n, &e))),
            }
        });
    });
    let list = move || {
        rows.get().map(|rows| {
            if rows.is_empty() {
                return view! { <p class="muted" data-testid="no-open-invites">{move || i18n.t(|s| s.access.no_open_invites)}</p> }.into_any();
            }
            let items = rows
                .into_iter()
                .map(|row| view! { <InviteRowView row=row confirming=confirming cancel=cancel/> })
                .collect_view();
            view! { <ul class="members">{items}</ul> }.into_any()
        })
    };
    view! {
        <section class="card" data-testid="open-invites">
            <h2>{move || i18n.t(|s| s.access.open_invites_title)}</h2>
            {move || failed.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            {list}
        </section>
    }
}

/// Whole hours until `expires_at` (unix seconds), rounded up, at least 1.
fn hours_left(expires_at: u64) -> u64 {
    let now = (now_ms().max(0) / 1000) as u64;
    expires_at.saturating_sub(now).div_ceil(3600).max(1)
}

#[component]
fn InviteRowView(
    row: InviteRow,
    confirming: RwSignal<Option<String>>,
    cancel: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(row.id.clone());
    let role = row.role;
    let uses = move || {
        i18n.t(|s| s.access.invite_uses)
            .replace("{used}", &row.uses.to_string())
            .replace("{max}", &row.max_uses.to_string())
    };
    let hours = hours_left(row.expires_at);
    let left = move || {
        i18n.t(|s| s.access.invite_hours_left)
            .replace("{h}", &hours.to_string())
    };
    let asking = move || confirming.get() == Some(id.get_value());
    view! {
        <li class="member-row" data-testid="open-invite" data-invite=row.id.clone()>
            <span class="member-tags">
                <span class="chip" data-testid="invite-role">{move || i18n.t(|s| s.concern.role(role))}</span>
                {row.admin.then(|| view! { <span class="chip">{move || i18n.t(|s| s.access.admin_invite_badge)}</span> })}
            </span>
            <span class="muted" data-testid="invite-uses">{uses}</span>
            <span class="muted">{left}</span>
            <Show when=asking fallback=move || view! {
                <button type="button" class="chip-button" data-testid="cancel-invite"
                    on:click=move |_| confirming.set(Some(id.get_value()))>
                    {move || i18n.t(|s| s.access.cancel_invite)}
                </button>
            }>
                <Confirm
                    testids=["cancel-invite-confirm", "confirm-cancel-invite", "keep-invite"]
                    question=Signal::derive(move || i18n.t(|s| s.access.cancel_invite_confirm))
                    yes=Signal::derive(move || i18n.t(|s| s.access.cancel_invite_yes))
                    yes_class="danger"
                    on_yes=Callback::new(move |()| cancel.run(id.get_value()))
                    on_cancel=Callback::new(move |()| confirming.set(None))/>
            </Show>
        </li>
    }
}
