//! Participants with their 五方 seat, who is here now (presence), checking in
//! on one's own phone, and adding a participant who has no phone with the app.

use super::data::name_of;
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::random;
use crate::session::use_session;
use crate::views::choice::Choice;
use crate::views::refusal::Refusal;
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Meeting, Participant, PartyRole};
use linli_shared::sort;
use linli_shared::wire::DocumentId;

/// A `<select>` of the 五方 seats.
#[component]
pub fn RoleSelect(role: RwSignal<PartyRole>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Choice
            value=Signal::derive(move || role.get().as_str().to_string())
            options=Signal::derive(move || PartyRole::ALL.iter().map(|r| (r.as_str().to_string(), i18n.t(|s| s.meetings.role(*r)).to_string())).collect())
            on_pick=move |v| if let Some(r) = PartyRole::parse(&v) { role.set(r) }
            {..} id=id class="role-select"/>
    }
}

/// Who is here now: me and the other phones in the meeting.
#[component]
pub fn PresenceBar(doc: DocumentId, meeting: Memo<Option<Meeting>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let names = Memo::new(move |_| {
        let others = session.presence().others(doc);
        meeting.with(|m| {
            others
                .into_iter()
                .map(|p| name_of(session, m.as_ref(), &p.member).unwrap_or_else(|| "?".into()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p class="presence" data-testid="presence" role="status">
            <span class="presence-label">{move || i18n.t(|s| s.meetings.present_now)}</span>
            <span class="chip present">{move || i18n.t(|s| s.meetings.me)}</span>
            {move || names.get().into_iter().map(|n| view! {
                <span class="chip present" data-testid="present">{n}</span>
            }).collect_view()}
        </p>
    }
}

/// What an attendee is: a member in a representative's seat shows their own role
/// (邻长, 组长 …); other seats and guests show the seat.
pub fn seat_label(
    i18n: crate::i18n::I18n,
    community: crate::community::Community,
    p: &Participant,
) -> &'static str {
    let role = (p.role == PartyRole::Representative)
        .then(|| community.0.with(|c| c.member(&p.id).map(|m| m.role)))
        .flatten();
    match role {
        Some(r) => i18n.t(|s| s.concern.role(r)),
        None => i18n.t(|s| s.meetings.role(p.role)),
    }
}

#[component]
pub fn AttendanceSection(doc: DocumentId, meeting: Memo<Option<Meeting>>) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let writer = Writer::new();
    let my_role = RwSignal::new(PartyRole::Representative);
    let guest = RwSignal::new(String::new());
    let guest_role = RwSignal::new(PartyRole::Owner);
    let participants = Memo::new(move |_| {
        meeting.with(|m| {
            let mut v: Vec<Participant> = m
                .as_ref()
                .map(|m| m.participants.values().cloned().collect())
                .unwrap_or_default();
            sort::sort_by_key(&mut v, |p| p.role);
            v
        })
    });
    let me = use_session().me();
    let checked_in = Memo::new(move |_| participants.with(|p| p.iter().any(|p| p.id == me)));
    let my_name = Memo::new(move |_| community.0.with(|c| c.my_record().map(|m| m.name.clone())));
    let check_in = move |_| {
        let Some(name) = my_name.get_untracked() else {
            return;
        };
        let role = my_role.get_untracked();
        let command = move |d: &mut _, ctx: &linli_shared::domain::Ctx| {
            let p = Participant {
                id: ctx.actor.clone(),
                name,
                role,
            };
            domain::add_participant(d, p)
        };
        writer.run_on(doc, command, || ());
    };
    let add_guest = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = guest.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        guest.set(String::new());
        let role = guest_role.get_untracked();
        let p = Participant {
            id: random::hex_id(),
            name,
            role,
        };
        writer.run_on(doc, move |d, _| domain::add_participant(d, p), || ());
    };
    view! {
        <section class="card attendance" data-testid="attendance">
            <h2>{move || i18n.t(|s| s.meetings.section_attendance)}</h2>
            <ul class="participants">
                {move || participants.get().into_iter().map(|p| view! {
                    <li class="participant" data-testid="participant">
                        <span class="participant-name">{p.name.clone()}</span>
                        <span class="chip" data-testid="participant-role">{move || seat_label(i18n, community, &p)}</span>
                    </li>
                }).collect_view()}
            </ul>
            <Show
                when=move || !checked_in.get()
                fallback=move || view! { <p class="ok" data-testid="checked-in">"✓ "{move || i18n.t(|s| s.meetings.checked_in)}</p> }
            >
                <Show
                    when=move || my_name.with(|n| n.is_some())
                    fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.meetings.profile_first)}</p> }
                >
                    <div class="check-in">
                        <label for="my-seat">{move || i18n.t(|s| s.meetings.my_role_label)}</label>
                        <RoleSelect role=my_role id="my-seat"/>
                        <button type="button" class="primary" data-testid="check-in" on:click=check_in>
                            {move || i18n.t(|s| s.meetings.check_in)}
                        </button>
                    </div>
                </Show>
            </Show>
            <details class="add-guest">
                <summary>{move || i18n.t(|s| s.meetings.add_guest)}</summary>
                <form on:submit=add_guest>
                    <label for="guest-name">{move || i18n.t(|s| s.meetings.guest_name_label)}</label>
                    <input id="guest-name" autocomplete="off" bind:value=guest/>
                    <RoleSelect role=guest_role id="guest-seat"/>
                    <button type="submit">{move || i18n.t(|s| s.meetings.guest_add)}</button>
                </form>
            </details>
            <Refusal writer=writer/>
        </section>
    }
}
