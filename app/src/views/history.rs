//! 修改记录 (M15): who changed which part of a concern or a meeting, and when; on a meeting,
//! who wrote which part of the notes. Read on demand from the document's changes
//! (`domain::history`); the writers are named by their actor ids, or for older actor ids by
//! the relay's bindings kept on the phone (`authors.rs`), so the history works offline.

use super::concerns::member_name;
use super::meetings::format_time;
use crate::authors::{self, Book};
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{self, Edit, Notes, Written};
use linli_shared::privacy::mask_phones;
use linli_shared::wire::DocumentId;
use std::collections::BTreeSet;

/// A member's changes to the same parts less than this far apart show as one row.
const FOLD_WITHIN_S: i64 = 10 * 60;

/// What the history is of.
#[derive(Clone, PartialEq)]
pub enum Of {
    /// A concern of the community document.
    Concern(String),
    /// A meeting document.
    Meeting(DocumentId),
}

/// One row: the edit, how many were folded into it, the member id if known.
#[derive(Clone, PartialEq)]
struct Row {
    edit: Edit,
    times: usize,
    member: Option<String>,
}

/// A piece of notes and who wrote it.
#[derive(Clone, PartialEq)]
struct Piece {
    member: Option<String>,
    text: String,
}

/// The history's card: closed, it is one button; opened, the panel is read (a lazy part of
/// its own, `lazy::history_panel`).
#[component]
pub fn History(of: Of) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        <section class="card history no-print" data-testid="history">
            <button type="button" data-testid="history-toggle" on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { i18n.t(|s| s.history.hide) } else { i18n.t(|s| s.history.show) }}
            </button>
            {move || open.get().then(|| super::lazy::history_panel(of.clone()))}
        </section>
    }
}

/// The opened history: the edits and the notes' writers, recomputed after every change
/// while it is shown.
#[component]
pub fn HistoryPanel(of: Of) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let community = use_community();
    let book = RwSignal::new(Book::new());
    let doc = match &of {
        Of::Concern(_) => None,
        Of::Meeting(d) => Some(*d),
    };
    // The edits, newest first, and the actors they name.
    let edits = {
        let of = of.clone();
        Memo::new(move |_| {
            let Some((w, id)) = session.track(doc) else {
                return Vec::new();
            };
            let edits = w
                .read_changes(id, |d| match &of {
                    Of::Concern(c) => domain::concern_history(d, c),
                    Of::Meeting(_) => domain::meeting_history(d),
                })
                .unwrap_or_default();
            let mut folded = domain::fold_runs(edits, FOLD_WITHIN_S);
            folded.reverse();
            folded
        })
    };
    let notes = Memo::new(move |_| {
        let Some(doc) = doc else {
            return Vec::new();
        };
        let Some((w, id)) = session.track(Some(doc)) else {
            return Vec::new();
        };
        w.read(id, |d| {
            let Ok(meeting) = domain::get_meeting(d) else {
                return Vec::new();
            };
            let mut all = vec![(None, domain::notes_authors(d, Notes::Minutes))];
            for item in meeting.agenda {
                let runs = domain::notes_authors(d, Notes::Item(&item.id));
                all.push((Some(item.title), runs));
            }
            all.into_iter()
                .filter_map(|(title, runs)| Some((title, runs.ok()?)))
                .filter(|(_, runs)| !runs.is_empty())
                .collect::<Vec<(Option<String>, Vec<Written>)>>()
        })
    });
    // Actors the phone cannot name: asked of the relay once each while the view is open.
    let asked = StoredValue::new(BTreeSet::<String>::new());
    let unnamed = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(w) = session.workspace() else { return };
        let known = authors::book(w.community);
        let mut unknown: BTreeSet<String> = edits.with(|e| {
            e.iter()
                .map(|(edit, _)| edit.actor.clone())
                .filter(|a| authors::member_of(&known, a).is_none())
                .collect()
        });
        notes.with(|n| {
            for (_, runs) in n {
                unknown.extend(runs.iter().map(|r| r.actor.clone()));
            }
        });
        unknown.retain(|a| authors::member_of(&known, a).is_none());
        book.set(known);
        unnamed.set(!unknown.is_empty());
        let ask: Vec<String> = asked.with_value(|done| unknown.difference(done).cloned().collect());
        let Some(me) = session.membership.get_untracked() else {
            return;
        };
        if ask.is_empty() {
            return;
        }
        asked.update_value(|done| done.extend(ask.iter().cloned()));
        let community_id = w.community;
        spawn_local(async move {
            match authors::learn(&me.credential, community_id, &ask).await {
                Ok(learned) => {
                    let still = unknown
                        .iter()
                        .any(|a| authors::member_of(&learned, a).is_none());
                    book.update(|b| b.extend(learned));
                    unnamed.set(still);
                }
                // Offline: asked again at the next change while the history is shown.
                Err(_) => asked.update_value(|done| {
                    for a in &ask {
                        done.remove(a);
                    }
                }),
            }
        });
    });
    let name = move |member: &Option<String>| -> String {
        let s = i18n.lang().strings();
        match member {
            Some(id) => community.0.with(|c| member_name(c, s, id)),
            None => s.history.unknown_member.to_string(),
        }
    };
    let rows = move || {
        let known = book.get();
        edits
            .get()
            .into_iter()
            .map(|(edit, times)| Row {
                member: authors::member_of(&known, &edit.actor),
                edit,
                times,
            })
            .collect::<Vec<_>>()
    };
    let pieces = move || {
        let known = book.get();
        notes
            .get()
            .into_iter()
            .map(|(title, runs)| (title, pieces_of(&known, runs)))
            .collect::<Vec<_>>()
    };
    view! {
        <h2>{move || i18n.t(|s| s.history.heading)}</h2>
        <Show when=move || unnamed.get()>
            <p class="muted small" data-testid="history-unnamed">{move || i18n.t(|s| s.history.names_need_network)}</p>
        </Show>
        <Show
            when=move || edits.with(|e| !e.is_empty())
            fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.history.empty)}</p> }
        >
            <ul class="history-list">
                {move || rows().into_iter().map(|row| {
                    let s = i18n.lang().strings();
                    let when = if row.edit.time_s > 0 {
                        format_time(row.edit.time_s * 1000)
                    } else {
                        s.history.no_time.to_string()
                    };
                    let parts: Vec<&str> = row.edit.parts.iter().map(|p| (s.history.part)(*p)).collect();
                    let data_parts = row.edit.parts.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ");
                    view! {
                        <li data-testid="history-edit" data-member=row.member.clone().unwrap_or_default() data-parts=data_parts>
                            <span class="muted small">{when}</span>" "
                            <b>{name(&row.member)}</b>{s.history.after_name}
                            {parts.join(s.list_separator)}
                            {(row.times > 1).then(|| s.history.times.of(row.times))}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
        <Show when=move || notes.with(|n| !n.is_empty())>
            <h3>{move || i18n.t(|s| s.history.notes_heading)}</h3>
            {move || pieces().into_iter().map(|(title, pieces)| view! {
                <h4>{title.map(|t| mask_phones(&t)).unwrap_or_else(|| i18n.t(|s| s.history.minutes).to_string())}</h4>
                <ul class="notes-authors">
                    {pieces.into_iter().map(|p| view! {
                        <li data-testid="notes-author" data-member=p.member.clone().unwrap_or_default()>
                            <b>{name(&p.member)}</b>{move || i18n.t(|s| s.history.after_name)}{mask_phones(&p.text)}
                        </li>
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </Show>
    }
}

/// The runs of notes as pieces by member: neighbouring runs of one member (two of its phones
/// or sessions) join.
fn pieces_of(known: &Book, runs: Vec<Written>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for run in runs {
        let member = authors::member_of(known, &run.actor);
        match out.last_mut() {
            Some(last) if last.member == member => last.text.push_str(&run.text),
            _ => out.push(Piece {
                member,
                text: run.text,
            }),
        }
    }
    out
}
