//! Creating a meeting: its own automerge document, listed in the community
//! document's meeting index so every phone finds it.

use super::attendance::RoleSelect;
use super::data::{parse_local, to_local_input};
use crate::clock::now_ms;
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::random;
use crate::route::{use_router, Route};
use crate::views::choice::Choice;
use crate::views::refusal::{FieldError, Refusal};
use crate::views::text_limit::{input_len, LengthCount};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{
    self, DomainError, Field, MeetingKind, NewMeeting, NewMeetingRef, Participant, PartyRole, Role,
};
use linli_shared::wire::DocumentId;
use std::collections::BTreeSet;

/// The seat a community member usually takes.
fn usual_seat(role: Role) -> PartyRole {
    match role {
        Role::Committee | Role::Town => PartyRole::Community,
        _ => PartyRole::Representative,
    }
}

#[component]
pub fn NewMeetingForm(on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let router = use_router();
    let kind = RwSignal::new(MeetingKind::CourtyardCouncil);
    let title = RwSignal::new(String::new());
    let when = RwSignal::new(to_local_input(now_ms()));
    let place = RwSignal::new(String::new());
    let my_seat = RwSignal::new(PartyRole::Community);
    let invited = RwSignal::new(BTreeSet::<String>::new());
    let writer = Writer::new();
    // The meeting's document id, chosen once when the form opens: a second
    // submit finds the meeting there and is refused, not a second meeting.
    let doc = DocumentId::from_bytes(random::bytes::<16>());
    let others = Memo::new(move |_| {
        community.0.with(|c| {
            c.members
                .iter()
                .filter(|m| m.id != c.me)
                .map(|m| (m.id.clone(), m.name.clone(), m.role))
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = title.get_untracked().trim().to_string();
        if t.is_empty() {
            writer.refuse(
                Field::MeetingTitle.as_str(),
                i18n.t(|s| s.meetings.title_required),
            );
            return;
        }
        let Some(ws) = writer.session().workspace() else {
            return;
        };
        let starts_at = parse_local(&when.get_untracked()).unwrap_or_else(now_ms);
        let (k, p) = (
            kind.get_untracked(),
            place.get_untracked().trim().to_string(),
        );
        let mut participants = Vec::new();
        community.0.with_untracked(|c| {
            if let Some(me) = c.my_record() {
                participants.push(Participant {
                    id: me.id.clone(),
                    name: me.name.clone(),
                    role: my_seat.get_untracked(),
                });
            }
            for id in invited.get_untracked() {
                if let Some(m) = c.member(&id) {
                    participants.push(Participant {
                        id: m.id.clone(),
                        name: m.name.clone(),
                        role: usual_seat(m.role),
                    });
                }
            }
        });
        let task = async move {
            if ws.open_doc(doc).await.is_err() {
                return Ok(()); // shown in the storage banner
            }
            let community_id = ws
                .read(ws.community, |d| domain::community_info(d).map(|c| c.id))
                .unwrap_or_default();
            let new = NewMeeting {
                id: doc.to_string(),
                community_id,
                kind: k,
                title: t.clone(),
                starts_at,
                place: p.clone(),
                participants,
            };
            writer
                .step(
                    Some(doc),
                    Box::new(move |d, ctx| domain::create_meeting(d, ctx, new)),
                )
                .await?;
            let entry = NewMeetingRef {
                id: doc.to_string(),
                kind: k,
                title: t,
                starts_at,
                place: p,
            };
            let indexed = writer
                .step(
                    None,
                    Box::new(move |d, ctx| domain::index_meeting(d, ctx, entry)),
                )
                .await;
            // Indexed already (a submit that got through twice): nothing to add.
            match indexed {
                Err(DomainError::AlreadyExists { .. }) => Ok(()),
                other => other,
            }
        };
        writer.run_task(task, move || {
            on_done.run(());
            router.go(Route::Meeting(doc.to_string()));
        });
    };
    view! {
        <form class="card new-meeting" on:submit=submit data-testid="new-meeting">
            <h2>{move || i18n.t(|s| s.meetings.new_meeting)}</h2>
            <label for="meeting-kind">{move || i18n.t(|s| s.meetings.kind_label)}</label>
            <Choice
                value=Signal::derive(move || kind.get().as_str().to_string())
                options=Signal::derive(move || MeetingKind::ALL.iter().map(|k| (k.as_str().to_string(), i18n.t(|s| s.meetings.kind(*k)).to_string())).collect())
                on_pick=move |v| if let Some(k) = MeetingKind::parse(&v) { kind.set(k) }
                {..} id="meeting-kind"/>
            <label for="meeting-title">{move || i18n.t(|s| s.meetings.title_label)}</label>
            <input id="meeting-title" autocomplete="off" bind:value=title
                maxlength=domain::MAX_TITLE_CHARS
                placeholder=move || i18n.t(|s| s.meetings.title_placeholder)/>
            <LengthCount len=Signal::derive(move || title.with(|t| input_len(t))) max=domain::MAX_TITLE_CHARS/>
            <FieldError writer=writer field=Field::MeetingTitle.as_str() target="meeting-title"/>
            <label for="meeting-time">{move || i18n.t(|s| s.meetings.time_label)}</label>
            <input id="meeting-time" type="datetime-local" bind:value=when/>
            <label for="meeting-place">{move || i18n.t(|s| s.meetings.place_label)}</label>
            <input id="meeting-place" autocomplete="off" bind:value=place
                maxlength=domain::MAX_PLACE_CHARS
                placeholder=move || i18n.t(|s| s.meetings.place_placeholder)/>
            <label for="organiser-seat">{move || i18n.t(|s| s.meetings.my_role_label)}</label>
            <RoleSelect role=my_seat id="organiser-seat"/>
            <Show when=move || others.with(|o| !o.is_empty())>
                <fieldset class="invitees">
                    <legend>{move || i18n.t(|s| s.meetings.participants_label)}</legend>
                    {move || others.get().into_iter().map(|(id, name, _)| {
                        let toggle_id = id.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    invited.update(|s| { if on { s.insert(toggle_id.clone()); } else { s.remove(&toggle_id); } });
                                }/>
                                {name}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            </Show>
            <Refusal writer=writer/>
            <button type="submit" class="primary" data-testid="create-meeting" disabled=move || writer.running()>{move || i18n.t(|s| s.meetings.create)}</button>
            <button type="button" on:click=move |_| on_done.run(())>{move || i18n.t(|s| s.meetings.cancel)}</button>
        </form>
    }
}
