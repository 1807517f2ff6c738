//! 我: my name, role and unit in this community (asked for once, on first use),
//! for admins the invites and the member list, and the org tree.

use super::invite::AccessAdmin;
use super::org_editor::OrgEditor;
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::views::refusal::{FieldError, Refusal};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Field, NewMember, Role};

#[component]
pub fn ProfileScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let known = move || community.0.with(|c| c.my_record().cloned());
    view! {
        {move || match known() {
            None => view! { <ProfileForm/> }.into_any(),
            Some(m) => view! {
                <section class="card" data-testid="my-profile">
                    <h2>{move || i18n.t(|s| s.concern.profile_title)}</h2>
                    <p><strong>{m.name.clone()}</strong> " · " {move || i18n.t(|s| s.concern.role(m.role))}</p>
                    {m.unit.clone().map(|u| view! { <p class="muted">{community.0.with_untracked(|c| c.place_path(&u))}</p> })}
                </section>
            }.into_any(),
        }}
        <crate::text_size::LargeTextSetting/>
        <AccessAdmin/>
        <OrgEditor/>
    }
}

/// Asked on first use: who am I in this community.
#[component]
fn ProfileForm() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::NeighbourLeader);
    let unit = RwSignal::new(String::new());
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
            domain::add_member(d, ctx, m)
        };
        writer.run(command, || ());
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
                <select id="member-role" on:change=move |ev| {
                    if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }
                }>
                    {Role::ALL.iter().map(|r| { let r = *r; view! {
                        <option value=r.as_str() selected=move || role.get() == r>{move || i18n.t(|s| s.concern.role(r))}</option>
                    }}).collect_view()}
                </select>
                <label for="member-unit">{move || i18n.t(|s| s.concern.unit_label)}</label>
                <select id="member-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t(|s| s.concern.place_none)}</option>
                    {move || units.get().into_iter().map(|(id, path)| view! { <option value=id>{path}</option> }).collect_view()}
                </select>
                <Refusal writer=writer/>
                <button type="submit" class="primary" data-testid="save-profile" disabled=move || writer.running()>{move || i18n.t(|s| s.concern.save)}</button>
            </form>
        </section>
    }
}
