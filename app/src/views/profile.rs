//! 我: my name, role and unit in this community (asked for on first use, editable
//! afterwards), for admins the invites and the member list, and the org tree. A phone
//! that joined with an invite has the invite's role: the relay's member list and the
//! profile say the same.

use super::choice::Choice;
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::session;
use crate::views::refusal::{FieldError, Refusal};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Field, Member, NewMember, Role};

#[component]
pub fn ProfileScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let known = Memo::new(move |_| community.0.with(|c| c.my_record().cloned()));
    // The form is rebuilt only when the record appears or editing starts or ends, not
    // when the save it sent changes the record (that would drop the form, and with it
    // the save's answer, while it is still running).
    let has_record = Memo::new(move |_| known.with(|k| k.is_some()));
    let editing = RwSignal::new(false);
    let saved = Callback::new(move |_| editing.set(false));
    let mine =
        move |f: fn(&Member) -> String| known.with(|k| k.as_ref().map(f).unwrap_or_default());
    view! {
        {move || match (has_record.get(), editing.get()) {
            (false, _) => view! { <ProfileForm existing=None on_saved=saved/> }.into_any(),
            (true, true) => view! { <ProfileForm existing=known.get_untracked() on_saved=saved/> }.into_any(),
            (true, false) => view! {
                <section class="card" data-testid="my-profile">
                    <h2>{move || i18n.t(|s| s.concern.profile_title)}</h2>
                    <p class="community-line" data-testid="my-community">{move || community.0.with(|c| c.name.clone())}</p>
                    <p><strong>{move || mine(|m| m.name.clone())}</strong> " · " <span data-testid="my-role">{move || known.with(|k| k.as_ref().map(|m| i18n.t(|s| s.concern.role(m.role))))}</span></p>
                    {move || known.with(|k| k.as_ref().and_then(|m| m.unit.clone())).map(|u| view! { <p class="muted">{community.0.with_untracked(|c| c.place_path(&u))}</p> })}
                    <button type="button" data-testid="edit-profile" on:click=move |_| editing.set(true)>
                        {move || i18n.t(|s| s.access.edit_profile)}
                    </button>
                </section>
            }.into_any(),
        }}
        <super::report_links::ReportLinksEntry/>
        <crate::text_size::LargeTextSetting/>
        {super::lazy::admin_sections()}
    }
}

/// Who am I in this community: asked on first use, and again when editing.
#[component]
fn ProfileForm(existing: Option<Member>, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let membership = session::use_session().membership.get_untracked();
    let invited_as = membership.as_ref().and_then(|m| m.invited_as);
    // Who made the community (an admin; not yet registered if they made it offline) is
    // registered as 两委, the relay's default for a creator (`NewCommunity::role`): the form
    // starts there, as a member's starts from their invite's role.
    let creator = membership.as_ref().is_none_or(|m| m.admin);
    let editing = existing.is_some();
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|m| m.name.clone())
            .unwrap_or_default(),
    );
    let role = RwSignal::new(invited_as.or(existing.as_ref().map(|m| m.role)).unwrap_or(
        if creator {
            Role::Committee
        } else {
            Role::NeighbourLeader
        },
    ));
    let unit = RwSignal::new(existing.and_then(|m| m.unit).unwrap_or_default());
    let writer = Writer::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // An empty name: the domain refuses it, shown beside the field.
        let n = name.get_untracked().trim().to_string();
        let (r, u) = (role.get_untracked(), unit.get_untracked());
        let command = move |d: &mut _, ctx: &linli_shared::domain::Ctx| {
            let m = NewMember {
                id: ctx.actor.clone(),
                name: n,
                role: r,
                unit: (!u.is_empty()).then_some(u),
            };
            if editing {
                domain::update_member(d, ctx, m)
            } else {
                domain::add_member(d, ctx, m)
            }
        };
        writer.run(command, move || on_saved.run(()));
    };
    let units = Memo::new(move |_| community.0.with(|c| c.places()));
    view! {
        <section class="card">
            <h2>{move || i18n.t(|s| s.concern.profile_title)}</h2>
            <p class="muted">{move || i18n.t(|s| s.concern.profile_intro)}</p>
            <form on:submit=submit data-testid="profile-form">
                <label for="member-name">{move || i18n.t(|s| s.concern.name_label)}</label>
                <input id="member-name" autocomplete="name" bind:value=name/>
                <FieldError writer=writer field=Field::MemberName.as_str() target="member-name"/>
                <label for="member-role">{move || i18n.t(|s| s.concern.role_label)}</label>
                <Choice
                    value=Signal::derive(move || role.get().as_str().to_string())
                    options=Signal::derive(move || Role::ALL.iter().map(|r| (r.as_str().to_string(), i18n.t(|s| s.concern.role(*r)).to_string())).collect())
                    on_pick=move |v| if let Some(r) = Role::parse(&v) { role.set(r) }
                    {..} id="member-role" disabled=invited_as.is_some()/>
                {invited_as.map(|_| view! { <p class="muted" data-testid="role-from-invite">{move || i18n.t(|s| s.access.role_from_invite)}</p> })}
                <label for="member-unit">{move || i18n.t(|s| s.concern.unit_label)}</label>
                <Choice
                    value=unit
                    options=units
                    placeholder=Signal::derive(move || i18n.t(|s| s.concern.place_none).to_string())
                    on_pick=move |v| unit.set(v)
                    {..} id="member-unit"/>
                <Refusal writer=writer/>
                <button type="submit" class="primary" data-testid="save-profile" disabled=move || writer.running()>{move || i18n.t(|s| s.concern.save)}</button>
            </form>
        </section>
    }
}
