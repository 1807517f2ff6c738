//! The community's 片 → 组 → 邻 → 户 tree: shown, and extended one unit at a time by those who
//! keep it (两委, 镇/街道, an admin).

use super::choice::Choice;
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::random;
use crate::standing::{use_standing, NotAllowed};
use crate::views::refusal::{FieldError, Refusal};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Act, Field, OrgUnit, UnitKind};
use linli_shared::sort;

#[component]
pub fn OrgEditor() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let kind = RwSignal::new(UnitKind::Area);
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let writer = Writer::new();
    let standing = use_standing();
    let may_edit = Memo::new(move |_| standing.with(|s| s.may(Act::EditOrgTree)));
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
            move |d, ctx| domain::add_unit(d, ctx, unit),
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
            <Show
                when=move || may_edit.get().is_ok()
                fallback=move || may_edit.get().err().map(|rule| view! { <NotAllowed rule=rule/> })
            >
            <form on:submit=submit data-testid="add-unit">
                <div class="filter-row">
                    <Choice
                        value=Signal::derive(move || kind.get().as_str().to_string())
                        options=Signal::derive(move || UnitKind::ALL.iter().map(|k| (k.as_str().to_string(), i18n.t(|s| s.concern.unit_kind(*k)).to_string())).collect())
                        on_pick=move |v| if let Some(k) = UnitKind::parse(&v) { kind.set(k); parent.set(String::new()); }
                        {..}
                        aria-label=move || i18n.t(|s| s.records.unit_kind)
                        data-testid="unit-kind"
                    />
                    <Show when=move || kind.get().parent_kind().is_some()>
                        <Choice
                            value=parent
                            options=Signal::derive(move || parents().into_iter().map(|(id, path, _)| (id, path)).collect())
                            placeholder=Signal::derive(move || i18n.t(|s| s.concern.org_parent).to_string())
                            on_pick=move |v| parent.set(v)
                            {..}
                            aria-label=move || i18n.t(|s| s.concern.org_parent)
                            data-testid="unit-parent"
                        />
                    </Show>
                </div>
                <input id="unit-name" placeholder=move || i18n.t(|s| s.concern.org_name_placeholder) aria-label=move || i18n.t(|s| s.concern.org_name_placeholder) data-testid="unit-name" bind:value=name/>
                <FieldError writer=writer field=Field::UnitName.as_str() target="unit-name"/>
                <Refusal writer=writer/>
                <button type="submit" disabled=move || writer.running()>{move || i18n.t(|s| s.concern.org_add)}</button>
            </form>
            </Show>
        </section>
    }
}
