//! The community's 片 → 组 → 邻 → 户 tree: shown, and extended one unit at a time.

use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::random;
use crate::views::refusal::{FieldError, Refusal};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Field, OrgUnit, UnitKind};
use linli_shared::sort;

#[component]
pub fn OrgEditor() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let kind = RwSignal::new(UnitKind::Area);
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let writer = Writer::new();
    let tree = Memo::new(move |_| {
        community.0.with(|c| {
            let mut v: Vec<(String, String, UnitKind)> = c
                .units
                .iter()
                .map(|u| (u.id.clone(), c.place_path(&u.id), u.kind))
                .collect();
            sort::sort_by(&mut v, |a, b| a.1.cmp(&b.1));
            v
        })
    });
    let parents = move || {
        let want = kind.get().parent_kind();
        tree.get()
            .into_iter()
            .filter(move |(_, _, k)| Some(*k) == want)
            .collect::<Vec<_>>()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let unit = OrgUnit {
            id: random::hex_id(),
            kind: kind.get_untracked(),
            name: name.get_untracked().trim().to_string(),
            parent: Some(parent.get_untracked()).filter(|p| !p.is_empty()),
        };
        writer.run(
            move |d, _| domain::add_unit(d, unit),
            move || name.set(String::new()),
        );
    };
    view! {
        <section class="card org">
            <h2>{move || i18n.t(|s| s.concern.org_title)}</h2>
            <ul class="org-tree" data-testid="org-tree">
                {move || tree.get().into_iter().map(|(_, path, k)| view! {
                    <li><span class="chip">{move || i18n.t(|s| s.concern.unit_kind(k))}</span> " " {path}</li>
                }).collect_view()}
            </ul>
            <form on:submit=submit data-testid="add-unit">
                <div class="filter-row">
                    <select aria-label="kind" on:change=move |ev| {
                        if let Some(k) = UnitKind::parse(&event_target_value(&ev)) { kind.set(k); parent.set(String::new()); }
                    }>
                        {UnitKind::ALL.iter().map(|k| { let k = *k; view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(|s| s.concern.unit_kind(k))}</option>
                        }}).collect_view()}
                    </select>
                    <Show when=move || kind.get().parent_kind().is_some()>
                        <select aria-label=move || i18n.t(|s| s.concern.org_parent) on:change=move |ev| parent.set(event_target_value(&ev))>
                            <option value="">{move || i18n.t(|s| s.concern.org_parent)}</option>
                            {move || parents().into_iter().map(|(id, path, _)| view! { <option value=id>{path}</option> }).collect_view()}
                        </select>
                    </Show>
                </div>
                <input id="unit-name" placeholder=move || i18n.t(|s| s.concern.org_name_placeholder) bind:value=name/>
                <FieldError writer=writer field=Field::UnitName.as_str() target="unit-name"/>
                <Refusal writer=writer/>
                <button type="submit" disabled=move || writer.running()>{move || i18n.t(|s| s.concern.org_add)}</button>
            </form>
        </section>
    }
}
