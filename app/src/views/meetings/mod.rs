//! 议事: the meeting list (with my follow-ups and the form to create one) and
//! the live meeting page (presence, attendance, agenda with live notes,
//! decisions and votes, follow-ups) with its printable minutes.

mod agenda;
mod attendance;
mod create;
mod data;
mod follow_ups;
mod minutes;
mod notes;
mod votes;

pub use data::format_time;
pub use follow_ups::MyFollowUps;

use crate::i18n::use_i18n;
use crate::route::Route;
use crate::session::use_session;
use crate::standing::{use_standing, NotAllowed};
use data::{meeting_memo, parse_id};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::Act;
use linli_shared::domain::{self, MeetingRef};
use linli_shared::privacy::mask_phones;

fn meeting_refs() -> Memo<Vec<MeetingRef>> {
    use_session().community_memo(|d| domain::list_meetings(d).unwrap_or_default())
}

#[component]
fn MeetingRow(m: MeetingRef) -> impl IntoView {
    let i18n = use_i18n();
    let kind = m.kind;
    view! {
        <li class="meeting-row" data-testid="meeting">
            <a href=Route::Meeting(m.id.clone()).to_hash()>
                <span class="meeting-title">{mask_phones(&m.title)}</span>
                <span class="muted">
                    {move || i18n.t(|s| s.meetings.kind(kind))}" · "{format_time(m.starts_at)}" · "{mask_phones(&m.place)}
                </span>
            </a>
        </li>
    }
}

#[component]
pub fn MeetingsScreen() -> impl IntoView {
    let i18n = use_i18n();
    let meetings = meeting_refs();
    let creating = RwSignal::new(false);
    let standing = use_standing();
    view! {
        <MyFollowUps/>
        <Show
            when=move || creating.get()
            fallback=move || match standing.with(|s| s.may(Act::CreateMeeting)) {
                Ok(()) => view! {
                    <button type="button" class="primary big" data-testid="new-meeting-open"
                        on:click=move |_| creating.set(true)>
                        "+ "{move || i18n.t(|s| s.meetings.new_meeting)}
                    </button>
                }.into_any(),
                Err(rule) => view! { <NotAllowed rule=rule/> }.into_any(),
            }
        >
            <create::NewMeetingForm on_done=Callback::new(move |_| creating.set(false))/>
        </Show>
        <section class="card">
            <h2>{move || i18n.t(|s| s.meetings.title)}</h2>
            <Show
                when=move || !meetings.with(|m| m.is_empty())
                fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.meetings.empty)}</p> }
            >
                <ul class="meeting-list" data-testid="meeting-list">
                    <For
                        each=move || meetings.get()
                        key=|m| (m.id.clone(), m.title.clone(), m.starts_at)
                        children=move |m| view! { <MeetingRow m/> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// The meetings that discussed a concern (for the concern page).
#[component]
pub fn ConcernMeetings(concern_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let all = meeting_refs();
    let found = Memo::new(move |_| {
        all.with(|v| {
            v.iter()
                .filter(|m| m.concerns.contains(&concern_id))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || found.with(|f| !f.is_empty())>
            <section class="card" data-testid="concern-meetings">
                <h2>{move || i18n.t(|s| s.meetings.discussed_in)}</h2>
                <ul class="meeting-list">
                    {move || found.get().into_iter().map(|m| view! { <MeetingRow m/> }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

#[component]
pub fn MeetingScreen(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let Some(doc) = parse_id(&id) else {
        return view! { <p class="muted">{move || i18n.t(|s| s.meetings.empty)}</p> }.into_any();
    };
    let session = use_session();
    spawn_local(async move {
        if let Some(w) = session.workspace() {
            let _ = w.open_doc(doc).await; // a failure shows in the storage banner
        }
    });
    let meeting = meeting_memo(doc);
    session.presence().announce(doc, &session.me(), None);
    on_cleanup(move || session.presence().leave(doc));
    let show_minutes = RwSignal::new(false);
    view! {
        <a class="back no-print" href=Route::Meetings.to_hash()>{move || i18n.t(|s| s.meetings.back)}</a>
        <Show
            when=move || meeting.with(|m| m.is_some())
            fallback=move || view! { <p class="muted" data-testid="meeting-loading">{move || i18n.t(|s| s.meetings.loading_meeting)}</p> }
        >
            <Show
                when=move || !show_minutes.get()
                fallback=move || view! { <minutes::Minutes meeting on_back=Callback::new(move |_| show_minutes.set(false))/> }
            >
                <LivePage doc meeting show_minutes/>
            </Show>
        </Show>
    }
    .into_any()
}

#[component]
fn LivePage(
    doc: linli_shared::wire::DocumentId,
    meeting: Memo<Option<domain::Meeting>>,
    show_minutes: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let header = move || {
        meeting.with(|m| {
            m.as_ref().map(|m| {
                (
                    mask_phones(&m.title),
                    m.kind,
                    m.starts_at,
                    mask_phones(&m.place),
                )
            })
        })
    };
    let withdrawn = move || meeting.with(|m| m.as_ref().and_then(|m| m.withdrawn.clone()));
    let created_by = move || meeting.with(|m| m.as_ref().map(|m| m.created_by.clone()));
    view! {
        <section class="card meeting-head" data-testid="meeting-page">
            {move || header().map(|(title, kind, at, place)| view! {
                <h2 data-testid="meeting-title">{title}</h2>
                <p class="muted">{move || i18n.t(|s| s.meetings.kind(kind))}" · "{format_time(at)}{(!place.is_empty()).then(|| format!(" · {place}"))}</p>
            })}
            <attendance::PresenceBar doc meeting/>
            <button type="button" data-testid="view-minutes" on:click=move |_| show_minutes.set(true)>
                {move || i18n.t(|s| s.meetings.view_minutes)}
            </button>
        </section>
        <attendance::AttendanceSection doc meeting/>
        <agenda::AgendaSection doc meeting/>
        <section class="card">
            <notes::NotesEditor
                doc
                item=None
                label=i18n.t(|s| s.meetings.general_notes_label)
                placeholder=i18n.t(|s| s.meetings.notes_placeholder)
            />
        </section>
        <follow_ups::FollowUpsSection doc meeting/>
        <super::history::History of=super::history::Of::Meeting(doc)/>
        {move || match (withdrawn(), created_by()) {
            (Some(w), _) => view! {
                <super::take_back::WithdrawnBanner w title=Signal::derive(move || i18n.t(|s| s.records.meeting_withdrawn_title))/>
            }.into_any(),
            (None, Some(by)) => view! { <super::take_back::MeetingTakeBack doc created_by=by/> }.into_any(),
            (None, None) => ().into_any(),
        }}
    }
}
