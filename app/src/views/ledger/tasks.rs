//! 清单: this month's task list (清单一月一制定) — mine to add and tick off,
//! and the others' lists to read, grouped by member.

use crate::clock::now_ms;
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::random;
use crate::session::use_session;
use crate::views::refusal::Refusal;
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, month_key, MonthlyTask, NewTask};
use linli_shared::privacy::mask_phones;

/// Every task of this month (China time), by owner then id.
fn this_month(doc: &automerge::AutoCommit) -> Vec<MonthlyTask> {
    let month = month_key(now_ms());
    let mut out = Vec::new();
    for m in domain::list_members(doc).unwrap_or_default() {
        out.extend(domain::list_tasks(doc, &m.id, &month).unwrap_or_default());
    }
    out
}

#[component]
pub fn TasksScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let tasks = use_session().community_memo(this_month);
    let title = RwSignal::new(String::new());
    let writer = Writer::new();
    let month = month_key(now_ms());
    let me = move || community.0.with(|c| c.me.clone());
    let add = {
        let month = month.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let t = title.get_untracked().trim().to_string();
            if t.is_empty() {
                return;
            }
            let new = NewTask {
                id: random::hex_id(),
                owner: me(),
                month: month.clone(),
                title: t,
            };
            writer.run(
                move |doc, ctx| domain::add_task(doc, ctx, new),
                move || title.set(String::new()),
            );
        }
    };
    let done = move |id: String| {
        writer.run(move |doc, ctx| domain::complete_task(doc, ctx, &id), || ());
    };
    let row = move |t: MonthlyTask, mine: bool| {
        let id = t.id.clone();
        let finished = t.done_at.is_some();
        view! {
            <li class="task" class:task-done=finished data-testid="task" data-done=finished.to_string()>
                <span class="task-title">{mask_phones(&t.title)}</span>
                {(mine && !finished).then(|| view! {
                    <button type="button" class="small-button" data-testid="task-done" disabled=move || writer.running() on:click=move |_| done(id.clone())>
                        {i18n.t(|s| s.ledger.task_done)}
                    </button>
                })}
                {finished.then(|| view! { <span class="chip status-closed">"✓"</span> })}
            </li>
        }
    };
    let others = move || {
        let me = me();
        let list = tasks.get();
        community.0.with(|c| {
            let mut groups: Vec<(String, Vec<MonthlyTask>)> = Vec::new();
            for t in list.into_iter().filter(|t| t.owner != me) {
                let name = c
                    .member(&t.owner)
                    .map(|m| mask_phones(&m.name))
                    .unwrap_or_default();
                match groups.iter_mut().find(|g| g.0 == name) {
                    Some(g) => g.1.push(t),
                    None => groups.push((name, vec![t])),
                }
            }
            groups
        })
    };
    view! {
        <section class="card">
            <h2>{move || fill(i18n.t(|s| s.ledger.tasks_title), &[&month])}</h2>
            <h3 class="small muted">{move || i18n.t(|s| s.ledger.tasks_mine)}</h3>
            <ul class="plain-list" data-testid="my-tasks">
                {move || {
                    let me = me();
                    let mine: Vec<MonthlyTask> = tasks.get().into_iter().filter(|t| t.owner == me).collect();
                    if mine.is_empty() {
                        view! { <li class="muted">{i18n.t(|s| s.ledger.tasks_empty)}</li> }.into_any()
                    } else {
                        mine.into_iter().map(|t| row(t, true)).collect_view().into_any()
                    }
                }}
            </ul>
            <form on:submit=add data-testid="task-form" class="inline-form">
                <input id="task-title" autocomplete="off" maxlength=linli_shared::domain::MAX_TITLE_CHARS
                    placeholder=move || i18n.t(|s| s.ledger.task_placeholder)
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
                <button type="submit" class="primary" disabled=move || writer.running()>{move || i18n.t(|s| s.ledger.task_add)}</button>
            </form>
            <Refusal writer=writer/>
        </section>
        <Show when=move || !others().is_empty()>
            <section class="card">
                <h2>{move || i18n.t(|s| s.ledger.tasks_others)}</h2>
                {move || others().into_iter().map(|(name, list)| view! {
                    <h3 class="small">{name}</h3>
                    <ul class="plain-list">{list.into_iter().map(|t| row(t, false)).collect_view()}</ul>
                }).collect_view()}
            </section>
        </Show>
    }
}
