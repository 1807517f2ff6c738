//! The agenda (议程): items in order, added by anyone, moved with large up/down
//! buttons, linked to concerns; each with live notes, who is editing it, and
//! its decision and vote.

use super::data::name_of;
use super::notes::NotesEditor;
use super::votes::ItemDecision;
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::random;
use crate::route::Route;
use crate::session::{use_session, Session};
use crate::views::choice::Choice;
use crate::views::refusal::Refusal;
use crate::views::text_limit::{input_len, LengthCount};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Meeting, NewAgendaItem};
use linli_shared::privacy::mask_phones;
use linli_shared::wire::DocumentId;

#[component]
pub fn AgendaSection(doc: DocumentId, meeting: Memo<Option<Meeting>>) -> impl IntoView {
    let i18n = use_i18n();
    let ids = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .map(|m| m.agenda.iter().map(|i| i.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <section class="card agenda" data-testid="agenda">
            <h2>{move || i18n.t(|s| s.meetings.section_agenda)}</h2>
            <Show when=move || ids.with(|v| v.is_empty())>
                <p class="muted">{move || i18n.t(|s| s.meetings.agenda_empty)}</p>
            </Show>
            <ol class="agenda-list">
                <For
                    each=move || ids.get()
                    key=|id| id.clone()
                    children=move |id: String| view! { <ItemCard doc meeting id ids/> }
                />
            </ol>
            <AddItemForm doc/>
        </section>
    }
}

#[component]
fn AddItemForm(doc: DocumentId) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let writer = Writer::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = title.get_untracked().trim().to_string();
        if t.is_empty() {
            return;
        }
        title.set(String::new());
        let item = NewAgendaItem {
            id: random::hex_id(),
            title: t,
            concerns: Vec::new(),
        };
        writer.run_on(
            doc,
            move |d, ctx| domain::add_agenda_item(d, ctx, item),
            || (),
        );
    };
    view! {
        <form class="add-item" on:submit=submit data-testid="add-item">
            <label for="new-item">{move || i18n.t(|s| s.meetings.item_title_label)}</label>
            <input
                id="new-item"
                autocomplete="off"
                maxlength=domain::MAX_TITLE_CHARS
                placeholder=move || i18n.t(|s| s.meetings.item_title_placeholder)
                bind:value=title
            />
            <LengthCount len=Signal::derive(move || title.with(|t| input_len(t))) max=domain::MAX_TITLE_CHARS/>
            <Refusal writer=writer/>
            <button type="submit" class="primary">{move || i18n.t(|s| s.meetings.add_item)}</button>
        </form>
    }
}

#[component]
fn ItemCard(
    doc: DocumentId,
    meeting: Memo<Option<Meeting>>,
    id: String,
    ids: Memo<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let writer = Writer::new();
    let item_id = id.clone();
    let item = Memo::new(move |_| {
        meeting.with(|m| {
            m.as_ref()
                .and_then(|m| m.agenda.iter().find(|i| i.id == item_id).cloned())
        })
    });
    let index_id = id.clone();
    let index =
        Memo::new(move |_| ids.with(|v| v.iter().position(|i| *i == index_id).unwrap_or(0)));
    let count = Memo::new(move |_| ids.with(|v| v.len()));
    let editing_id = id.clone();
    let editors = Memo::new(move |_| {
        let present = session.presence().others(doc);
        meeting.with(|m| {
            present
                .into_iter()
                .filter(|p| p.editing.as_deref() == Some(editing_id.as_str()))
                .map(|p| name_of(session, m.as_ref(), &p.member).unwrap_or_default())
                .collect::<Vec<_>>()
        })
    });
    let mover = |delta: isize, id: String| {
        move |_| {
            let to = index.get_untracked() as isize + delta;
            if to < 0 {
                return;
            }
            let id = id.clone();
            writer.run_on(
                doc,
                move |d, ctx| domain::move_agenda_item(d, ctx, &id, to as usize),
                || (),
            );
        }
    };
    let remove_id = id.clone();
    view! {
        <li class="agenda-item" data-testid="agenda-item" data-id=id.clone()>
            <div class="item-head">
                <span class="item-no">{move || index.get() + 1}"."</span>
                <h3 class="item-title">{move || item.with(|i| i.as_ref().map(|i| mask_phones(&i.title)))}</h3>
                <div class="item-move">
                    <button type="button" class="icon" data-testid="move-up"
                        aria-label=move || i18n.t(|s| s.meetings.move_up)
                        disabled=move || index.get() == 0
                        on:click=mover(-1, id.clone())>"▲"</button>
                    <button type="button" class="icon" data-testid="move-down"
                        aria-label=move || i18n.t(|s| s.meetings.move_down)
                        disabled={move || index.get() + 1 >= count.get()}
                        on:click=mover(1, id.clone())>"▼"</button>
                </div>
            </div>
            <Show when=move || editors.with(|e| !e.is_empty())>
                <p class="editing-now" data-testid="editing-now">
                    "✎ "{move || i18n.t(|s| s.meetings.editing_now)}{move || i18n.t(|s| editors.get().join(s.list_separator))}
                </p>
            </Show>
            <ConcernLinks doc item_id=id.clone() item/>
            <NotesEditor
                doc
                item=Some(id.clone())
                label=i18n.t(|s| s.meetings.notes_label)
                placeholder=i18n.t(|s| s.meetings.notes_placeholder)
            />
            <ItemDecision doc meeting item item_id=id.clone()/>
            <Refusal writer=writer/>
            <button type="button" class="link-button danger" on:click=move |_| {
                let ask = i18n.t(|s| s.meetings.confirm_remove);
                if !window().confirm_with_message(ask).unwrap_or(false) {
                    return;
                }
                let id = remove_id.clone();
                writer.run_on(doc, move |d, ctx| domain::remove_agenda_item(d, ctx, &id), || ());
            }>{move || i18n.t(|s| s.meetings.remove_item)}</button>
        </li>
    }
}

/// The concerns brought to an item, and a picker to bring one more.
#[component]
fn ConcernLinks(
    doc: DocumentId,
    item_id: String,
    item: Memo<Option<linli_shared::domain::AgendaItem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let writer = Writer::new();
    let linked = Memo::new(move |_| {
        let ids = item.with(|i| i.as_ref().map(|i| i.concerns.clone()).unwrap_or_default());
        community.0.with(|c| {
            ids.iter()
                .map(|id| {
                    (
                        id.clone(),
                        c.concern(id)
                            .map(|x| mask_phones(&x.title))
                            .unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let choices = Memo::new(move |_| {
        let linked = item.with(|i| i.as_ref().map(|i| i.concerns.clone()).unwrap_or_default());
        community.0.with(|c| {
            c.concerns
                .iter()
                .filter(|x| !x.status.is_done() && !linked.contains(&x.id))
                .map(|x| (x.id.clone(), mask_phones(&x.title)))
                .collect::<Vec<_>>()
        })
    });
    let pick_item = item_id.clone();
    let on_pick = move |concern: String| {
        if concern.is_empty() {
            return;
        }
        let (item, meeting, c2) = (pick_item.clone(), doc.to_string(), concern.clone());
        // The item's link, then the community's index of it: one run.
        let task = async move {
            let link = move |d: &mut _, ctx: &_| domain::link_concern(d, ctx, &item, &concern);
            writer.step(Some(doc), Box::new(link)).await?;
            let index = move |d: &mut _, ctx: &_| domain::index_concern(d, ctx, &meeting, &c2);
            writer.step(None, Box::new(index)).await
        };
        writer.run_task(task, || ());
    };
    let unlink = Callback::new(move |concern: String| {
        let (item, meeting, c2) = (item_id.clone(), doc.to_string(), concern.clone());
        // The meeting index keeps the concern while another item still has it.
        let elsewhere = meeting_links(writer.session(), doc, &item, &concern);
        // The item's link, then (unless another item keeps it) the index entry: one run.
        let task = async move {
            let unlink = move |d: &mut _, ctx: &_| domain::unlink_concern(d, ctx, &item, &concern);
            writer.step(Some(doc), Box::new(unlink)).await?;
            if elsewhere {
                return Ok(());
            }
            let unindex = move |d: &mut _, ctx: &_| domain::unindex_concern(d, ctx, &meeting, &c2);
            writer.step(None, Box::new(unindex)).await
        };
        writer.run_task(task, || ());
    });
    view! {
        <Show when=move || linked.with(|l| !l.is_empty())>
            <ul class="linked-concerns" aria-label=move || i18n.t(|s| s.meetings.linked_concerns)>
                {move || linked.get().into_iter().map(|(id, title)| {
                    let (gone, label) = (id.clone(), title.clone());
                    view! {
                        <li data-testid="linked-concern">
                            <a href=Route::Concern(id).to_hash()>{title}</a>
                            " "
                            <button type="button" class="icon" data-testid="unlink-concern"
                                aria-label=move || fill(i18n.t(|s| s.records.unlink), &[&label])
                                on:click=move |_| unlink.run(gone.clone())>"✕"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
        <Show when=move || choices.with(|c| !c.is_empty())>
            <Choice
                value=Signal::stored(String::new())
                options=choices
                placeholder=Signal::derive(move || i18n.t(|s| s.meetings.link_none).to_string())
                on_pick=on_pick.clone()
                {..}
                class="link-concern"
                data-testid="link-concern"
                aria-label=move || i18n.t(|s| s.meetings.link_concern)
            />
        </Show>
        <Refusal writer=writer/>
    }
}

/// Whether another agenda item of the meeting than `item` links `concern`.
fn meeting_links(session: Session, doc: DocumentId, item: &str, concern: &str) -> bool {
    session
        .workspace()
        .and_then(|w| w.read(doc, |d| domain::get_meeting(d).ok()))
        .is_some_and(|m| {
            m.agenda
                .iter()
                .any(|i| i.id != item && i.concerns.iter().any(|c| c == concern))
        })
}
