//! 走访: log this week's household visit; every issue line becomes a concern
//! (recorded at the household, linked from the visit) in the same tap.

use super::data::visits_memo;
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::random;
use crate::views::choice::Choice;
use crate::views::refusal::Refusal;
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, NewConcern, NewVisit, Reporter, UnitKind};
use linli_shared::export::datetime_china;
use linli_shared::privacy::mask_phones;
use linli_shared::sort;

#[component]
pub fn VisitsScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let visits = visits_memo();
    let household = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let issues = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let writer = Writer::new();
    let households = Memo::new(move |_| {
        community.0.with(|c| {
            let mut v: Vec<(String, String)> = c
                .units
                .iter()
                .filter(|u| u.kind == UnitKind::Household)
                .map(|u| (u.id.clone(), c.place_path(&u.id)))
                .collect();
            sort::sort_by(&mut v, |a, b| a.1.cmp(&b.1));
            v
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lines: Vec<String> = issues
            .get_untracked()
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        let text = note.get_untracked().trim().to_string();
        if text.is_empty() && lines.is_empty() {
            error.set(Some(i18n.t(|s| s.ledger.visit_empty_note).to_string()));
            return;
        }
        let h = household.get_untracked();
        let h = (!h.is_empty()).then_some(h);
        let n = lines.len();
        error.set(None);
        let saved = move || {
            note.set(String::new());
            issues.set(String::new());
            message.set(Some(i18n.t(|s| s.ledger.visit_saved.of(n))));
        };
        let command = move |doc: &mut automerge::AutoCommit, ctx: &domain::Ctx| {
            let mut ids = Vec::new();
            for line in lines {
                let id = random::hex_id();
                domain::record_concern(
                    doc,
                    ctx,
                    NewConcern {
                        id: id.clone(),
                        title: line,
                        place: h.clone(),
                        reporter: h.clone().map(Reporter::Household).unwrap_or_default(),
                        ..Default::default()
                    },
                )?;
                ids.push(id);
            }
            domain::log_visit(
                doc,
                ctx,
                NewVisit {
                    id: random::hex_id(),
                    household: h,
                    note: text,
                    concerns: ids,
                },
            )
        };
        writer.run(command, saved);
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(|s| s.ledger.visit_title)}</h2>
            <form on:submit=submit data-testid="visit-form">
                <label for="visit-household">{move || i18n.t(|s| s.ledger.visit_household)}</label>
                <Choice value=household options=households
                    placeholder=Signal::derive(move || i18n.t(|s| s.ledger.visit_household_none).to_string())
                    on_pick=move |v| household.set(v) {..} id="visit-household"/>
                <label for="visit-note">{move || i18n.t(|s| s.ledger.visit_note)}</label>
                <textarea id="visit-note" rows="2" maxlength=linli_shared::domain::MAX_NOTE_CHARS
                    placeholder=move || i18n.t(|s| s.ledger.visit_note_placeholder)
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
                <label for="visit-issues">{move || i18n.t(|s| s.ledger.visit_issues)}</label>
                <textarea id="visit-issues" rows="3"
                    placeholder=move || i18n.t(|s| s.ledger.visit_issues_placeholder)
                    prop:value=move || issues.get()
                    on:input=move |ev| issues.set(event_target_value(&ev))
                ></textarea>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Refusal writer=writer/>
                {move || message.get().map(|m| view! { <p class="ok" role="status" data-testid="visit-saved">{m}</p> })}
                <button type="submit" class="primary" disabled=move || writer.running()>{move || i18n.t(|s| s.ledger.visit_save)}</button>
            </form>
        </section>
        <section class="card">
            <h2>{move || i18n.t(|s| s.ledger.visits_recent)}</h2>
            <Show
                when=move || !visits.with(|v| v.is_empty())
                fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.ledger.visits_empty)}</p> }
            >
                <ul class="plain-list" data-testid="visits">
                    {move || {
                        let list = visits.get();
                        community.0.with(|c| list.into_iter().take(30).map(|v| {
                            let who = c.member(&v.by).map(|m| mask_phones(&m.name)).unwrap_or_default();
                            let place = v.household.as_deref().map(|h| c.place_path(h)).unwrap_or_default();
                            let n = v.concerns.len();
                            view! {
                                <li class="visit" data-testid="visit" data-concerns=n>
                                    <div class="visit-head">
                                        <strong>{who}</strong>
                                        <span class="muted small">{datetime_china(v.at)}</span>
                                    </div>
                                    <div class="muted small">{place}</div>
                                    <div class="visit-note">{mask_phones(&v.note)}</div>
                                    {(n > 0).then(|| view! {
                                        <span class="chip">{i18n.t(|s| s.ledger.visit_concerns.of(n))}</span>
                                    })}
                                </li>
                            }
                        }).collect_view())
                    }}
                </ul>
            </Show>
        </section>
    }
}
