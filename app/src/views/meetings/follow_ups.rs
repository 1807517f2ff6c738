//! Follow-up actions (督办): added in the meeting with an owner and a deadline,
//! mirrored into the community document's meeting index so they show in the
//! owner's list on every phone, tracked to done; overdue ones are marked.

use super::data::{format_date, name_of, parse_local};
use crate::clock::now_ms;
use crate::i18n::use_i18n;
use crate::random;
use crate::route::Route;
use crate::session::use_session;
use crate::views::choice::Choice;
use crate::views::refusal::Refusal;
use crate::views::text_limit::{input_len, LengthCount};
use crate::write::{EditFn, Writer};
use automerge::AutoCommit;
use leptos::prelude::*;
use linli_shared::domain::{self, Ctx, DomainError, FollowUp, FollowUpState, Meeting, NewFollowUp};
use linli_shared::privacy::mask_phones;
use linli_shared::sort;
use linli_shared::wire::DocumentId;

/// Status chip: 已完成 / 已逾期 / 期限 …
#[component]
fn DueChip(state: FollowUpState, due_at: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let overdue = state == FollowUpState::Open && due_at.is_some_and(|d| d < now_ms());
    let (class, testid) = match (state, overdue) {
        (FollowUpState::Done, _) => ("chip status-closed", "follow-up-done"),
        (_, true) => ("chip overdue", "follow-up-overdue"),
        _ => ("chip", "follow-up-open"),
    };
    view! {
        <span class=class data-testid=testid>
            {move || match (state, overdue) {
                (FollowUpState::Done, _) => i18n.t(|s| s.meetings.done).to_string(),
                (_, true) => format!("{} {}", i18n.t(|s| s.meetings.overdue), due_at.map(format_date).unwrap_or_default()),
                _ => match due_at {
                    Some(d) => format!("{}{}", i18n.t(|s| s.meetings.due_prefix), format_date(d)),
                    None => i18n.t(|s| s.meetings.no_due).to_string(),
                },
            }}
        </span>
    }
}

/// Applies `command` to the meeting, then copies the follow-up's new state
/// into the community index (one run: the button waits for both).
async fn edit_and_mirror(
    writer: Writer,
    doc: DocumentId,
    id: String,
    command: EditFn,
) -> Result<(), DomainError> {
    writer.step(Some(doc), command).await?;
    let Some(w) = writer.session().workspace() else {
        return Ok(());
    };
    let found = w.read(doc, |d| {
        domain::get_meeting(d)
            .ok()
            .and_then(|m| m.follow_ups.into_iter().find(|f| f.id == id))
    });
    let Some(f) = found else {
        return Ok(());
    };
    let meeting = doc.to_string();
    let index = move |d: &mut AutoCommit, _: &Ctx| domain::index_follow_up(d, &meeting, &f);
    writer.step(None, Box::new(index)).await
}

#[component]
pub fn FollowUpsSection(doc: DocumentId, meeting: Memo<Option<Meeting>>) -> impl IntoView {
    let i18n = use_i18n();
    let writer = Writer::new();
    let session = writer.session();
    let title = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let item = RwSignal::new(String::new());
    let follow_ups = Memo::new(move |_| {
        meeting.with(|m| {
            let mut v: Vec<FollowUp> = m.as_ref().map(|m| m.follow_ups.clone()).unwrap_or_default();
            sort::sort_by_key(&mut v, |f| {
                (f.state == FollowUpState::Done, f.due_at.unwrap_or(i64::MAX))
            });
            v
        })
    });
    let people = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.participants
                        .values()
                        .map(|p| (p.id.clone(), p.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let items = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.agenda
                        .iter()
                        .map(|i| (i.id.clone(), mask_phones(&i.title)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = title.get_untracked().trim().to_string();
        let o = owner.get_untracked();
        if t.is_empty() || o.is_empty() {
            return;
        }
        let id = random::hex_id();
        let it = item.get_untracked();
        let f = NewFollowUp {
            id: id.clone(),
            title: t,
            owner: o,
            due_at: parse_local(&due.get_untracked()),
            item: (!it.is_empty()).then_some(it),
        };
        let add: EditFn = Box::new(move |d, ctx| domain::add_follow_up(d, ctx, f));
        writer.run_task(edit_and_mirror(writer, doc, id, add), move || {
            title.set(String::new())
        });
    };
    let complete = move |id: String| {
        let done_id = id.clone();
        let done: EditFn = Box::new(move |d, ctx| domain::complete_follow_up(d, ctx, &done_id, ""));
        writer.run_task(edit_and_mirror(writer, doc, id, done), || ());
    };
    view! {
        <section class="card follow-ups" data-testid="follow-ups">
            <h2>{move || i18n.t(|s| s.meetings.section_follow_ups)}</h2>
            <Show when=move || follow_ups.with(|f| f.is_empty())>
                <p class="muted">{move || i18n.t(|s| s.meetings.follow_ups_empty)}</p>
            </Show>
            <ul class="follow-up-list">
                {move || follow_ups.get().into_iter().map(|f| {
                    let owner = meeting.with(|m| name_of(session, m.as_ref(), &f.owner)).unwrap_or_default();
                    let id = f.id.clone();
                    let open = f.state == FollowUpState::Open;
                    view! {
                        <li class="follow-up" data-testid="follow-up">
                            <span class="follow-up-title">{mask_phones(&f.title)}</span>
                            <span class="muted">{owner}</span>
                            <DueChip state=f.state due_at=f.due_at/>
                            <Show when=move || open>
                                <button type="button" data-testid="mark-done" on:click={
                                    let id = id.clone();
                                    move |_| complete(id.clone())
                                }>{move || i18n.t(|s| s.meetings.mark_done)}</button>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="add-follow-up" on:submit=submit data-testid="add-follow-up">
                <label for="fu-title">{move || i18n.t(|s| s.meetings.follow_up_label)}</label>
                <input id="fu-title" autocomplete="off" bind:value=title
                    maxlength=domain::MAX_TITLE_CHARS
                    placeholder=move || i18n.t(|s| s.meetings.follow_up_placeholder)/>
                <LengthCount len=Signal::derive(move || title.with(|t| input_len(t))) max=domain::MAX_TITLE_CHARS/>
                <label for="fu-owner">{move || i18n.t(|s| s.meetings.owner_label)}</label>
                <Choice value=owner options=people placeholder=Signal::stored("—".to_string())
                    on_pick=move |v| owner.set(v) {..} id="fu-owner"/>
                <label for="fu-due">{move || i18n.t(|s| s.meetings.due_label)}</label>
                <input id="fu-due" type="date" bind:value=due/>
                <label for="fu-item">{move || i18n.t(|s| s.meetings.from_item)}</label>
                <Choice value=item options=items
                    placeholder=Signal::derive(move || i18n.t(|s| s.meetings.no_item).to_string())
                    on_pick=move |v| item.set(v) {..} id="fu-item"/>
                <button type="submit" class="primary">{move || i18n.t(|s| s.meetings.add_follow_up)}</button>
            </form>
            <Refusal writer=writer/>
        </section>
    }
}

/// My follow-up actions from every meeting (for 我的 and the 议事 tab).
#[component]
pub fn MyFollowUps() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let mine = session
        .community_memo(move |d| domain::follow_ups_of(d, &session.me()).unwrap_or_default());
    view! {
        <section class="card my-follow-ups" data-testid="my-follow-ups">
            <h2>{move || i18n.t(|s| s.meetings.my_follow_ups)}</h2>
            <Show when=move || mine.with(|m| m.is_empty())>
                <p class="muted">{move || i18n.t(|s| s.meetings.my_follow_ups_empty)}</p>
            </Show>
            <ul class="follow-up-list">
                {move || mine.get().into_iter().map(|(m, f)| view! {
                    <li class="follow-up" data-testid="my-follow-up">
                        <a class="follow-up-title" href=Route::Meeting(m.id.clone()).to_hash()>{mask_phones(&f.title)}</a>
                        <span class="muted">{mask_phones(&m.title)}</span>
                        <DueChip state=f.state due_at=f.due_at/>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
