//! 纪要: the meeting's minutes as one page that prints cleanly (see the
//! `@media print` rules in style/meetings.css): attendance, items with their
//! notes, decisions and tallies, follow-ups.

use super::data::{format_date, format_time, name_of};
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::session::use_session;
use leptos::prelude::*;
use linli_shared::domain::{self, FollowUpState, Meeting};
use linli_shared::privacy::mask_phones;
use linli_shared::sort;

#[component]
pub fn Minutes(meeting: Memo<Option<Meeting>>, on_back: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let community = use_community();
    let print = move |_| {
        let _ = window().print();
    };
    move || {
        let Some(m) = meeting.get() else {
            return ().into_any();
        };
        let participants: Vec<_> = {
            let mut v: Vec<_> = m.participants.values().cloned().collect();
            sort::sort_by_key(&mut v, |p| p.role);
            v
        };
        let items = m.agenda.clone();
        let follow_ups = m.follow_ups.clone();
        let meeting_for_names = m.clone();
        view! {
            <div class="minutes-actions no-print">
                <button type="button" data-testid="minutes-actions-back" on:click=move |_| on_back.run(())>{move || i18n.t(|s| s.meetings.view_live)}</button>
                <button type="button" class="primary" data-testid="print" on:click=print>{move || i18n.t(|s| s.meetings.print)}</button>
            </div>
            <article class="minutes" data-testid="minutes">
                <h1>{mask_phones(&m.title)}" · "{move || i18n.t(|s| s.meetings.minutes_title)}</h1>
                <p class="minutes-meta">
                    {move || i18n.t(|s| s.meetings.kind(m.kind))}" · "{format_time(m.starts_at)}" · "{mask_phones(&m.place)}
                </p>
                <h2>{move || i18n.t(|s| s.meetings.attendance)}</h2>
                <table class="minutes-table" data-testid="minutes-attendance">
                    <tbody>
                        {participants.into_iter().map(|p| view! {
                            <tr><td>{mask_phones(&p.name)}</td><td>{move || super::attendance::seat_label(i18n, community, &p)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{move || i18n.t(|s| s.meetings.items)}</h2>
                <ol class="minutes-items">
                    {items.into_iter().map(|item| {
                        let t = domain::tally(&item);
                        let voted = !item.votes.is_empty();
                        let concerns: Vec<String> = community.0.with(|c| {
                            item.concerns.iter().filter_map(|id| c.concern(id).map(|x| mask_phones(&x.title))).collect()
                        });
                        view! {
                            <li class="minutes-item" data-testid="minutes-item">
                                <h3>{mask_phones(&item.title)}</h3>
                                {(!concerns.is_empty()).then(|| view! {
                                    <p class="muted">{move || i18n.t(|s| format!("{}{}{}", s.meetings.linked_concerns, s.meetings.colon, concerns.join(s.list_separator)))}</p>
                                })}
                                <p class="minutes-notes">{mask_phones(&item.notes)}</p>
                                <p><strong>{move || i18n.t(|s| s.meetings.decision_label)}{move || i18n.t(|s| s.meetings.colon)}</strong>
                                    {match item.decision.clone() {
                                        Some(d) => mask_phones(&d.text).into_any(),
                                        None => (move || i18n.t(|s| s.meetings.no_decision)).into_any(),
                                    }}
                                </p>
                                {voted.then(|| view! {
                                    <p data-testid="minutes-tally"><strong>{move || i18n.t(|s| s.meetings.tally)}{move || i18n.t(|s| s.meetings.colon)}</strong>
                                    {move || i18n.t(|s| fill(s.meetings.votes_count, &[
                                        &t.in_favour.to_string(), &t.against.to_string(), &t.abstain.to_string(),
                                    ]))}</p>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {(!m.minutes.is_empty()).then(|| view! {
                    <h2>{move || i18n.t(|s| s.meetings.general_notes_label)}</h2>
                    <p class="minutes-notes">{mask_phones(&m.minutes)}</p>
                })}
                <h2>{move || i18n.t(|s| s.meetings.section_follow_ups)}</h2>
                <table class="minutes-table" data-testid="minutes-follow-ups">
                    <tbody>
                        {follow_ups.into_iter().map(|f| {
                            let owner = mask_phones(&name_of(session, Some(&meeting_for_names), &f.owner).unwrap_or_default());
                            let done = f.state == FollowUpState::Done;
                            view! {
                                <tr>
                                    <td>{mask_phones(&f.title)}</td>
                                    <td>{owner}</td>
                                    <td>{f.due_at.map(format_date).unwrap_or_default()}</td>
                                    <td>{move || if done { i18n.t(|s| s.meetings.done) } else { "" }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </article>
        }
        .into_any()
    }
}
