//! One concern: what, where, who raised it, its timeline, and the actions its
//! state allows. A merge that left two claimants shows a banner to settle it.

use super::actions::Actions;
use super::parts::{date, ResidentBadge, StatusChip};
use crate::community::{use_community, CommunityView};
use crate::i18n::concern::fill;
use crate::i18n::{use_i18n, Strings};
use crate::route::Route;
use crate::views::refusal::Refusal;
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Command, Concern, ConcernEvent, Reporter, TimelineEvent};

/// A member's name as this phone knows it; a resident's report link (吹哨) reads as such.
pub fn member_name(c: &CommunityView, s: &Strings, id: &str) -> String {
    if domain::is_resident(id) {
        return s.report.resident_name.to_string();
    }
    if id == c.me {
        return c
            .my_record()
            .map(|m| m.name.clone())
            .unwrap_or_else(|| s.concern.me.to_string());
    }
    c.member(id)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| s.concern.someone.to_string())
}

/// What an event says; `resident`: the concern is a resident's report (set aside, not deleted).
fn event_text(s: &Strings, e: &TimelineEvent, resident: bool) -> (String, Option<String>) {
    let t = s.concern;
    match &e.action {
        ConcernEvent::Recorded => (t.ev_recorded.into(), None),
        ConcernEvent::Claimed => (t.ev_claimed.into(), None),
        ConcernEvent::Released => (t.ev_released.into(), None),
        ConcernEvent::Escalated { from, to, reason } => (
            fill(t.ev_escalated, &[t.level(*from), t.level(*to)]),
            Some(reason.clone()),
        ),
        ConcernEvent::Resolved { summary } => (t.ev_resolved.into(), Some(summary.clone())),
        ConcernEvent::Feedback {
            satisfaction,
            comment,
        } => (
            t.ev_feedback.of(usize::from(*satisfaction)),
            (!comment.is_empty()).then(|| comment.clone()),
        ),
        ConcernEvent::Reopened { reason } => (t.ev_reopened.into(), Some(reason.clone())),
        ConcernEvent::Supported => (t.ev_supported.into(), None),
        ConcernEvent::Withdrawn {
            duplicate_of,
            reason,
        } => (
            if duplicate_of.is_some() {
                s.records.ev_merged
            } else if resident {
                s.report.set_aside
            } else {
                s.records.ev_withdrawn
            }
            .into(),
            (!reason.is_empty()).then(|| reason.clone()),
        ),
    }
}

#[component]
pub fn ConcernPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let lookup = id.clone();
    let concern = Memo::new(move |_| community.0.with(|c| c.concern(&lookup).cloned()));
    view! {
        <a class="back" href=Route::All.to_hash()>"‹ " {move || i18n.t(|s| s.concern.back)}</a>
        {move || match concern.get() {
            None => view! { <section class="card"><p class="muted">{move || i18n.t(|s| s.concern.not_found)}</p></section> }.into_any(),
            Some(c) => view! { <Details concern=c/> }.into_any(),
        }}
        <crate::views::history::History of=crate::views::history::Of::Concern(id.clone())/>
        // Meetings hook: the meetings that discussed this concern (views/meetings).
        <crate::views::meetings::ConcernMeetings concern_id=id/>
    }
}

#[component]
fn Details(concern: Concern) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let c = concern.clone();
    let place = c
        .place
        .as_deref()
        .map(|p| community.0.with_untracked(|v| v.place_path(p)));
    let reporter = match &c.reporter {
        Reporter::Unknown => None,
        Reporter::Resident(r) => Some(r.clone()),
        Reporter::Household(h) => Some(community.0.with_untracked(|v| v.place_path(h))),
    };
    let raised = {
        let c = c.clone();
        move || {
            let s = i18n.lang().strings();
            let who = community.0.with(|v| member_name(v, s, &c.raised_by));
            fill(s.concern.raised_by, &[&date(c.raised_at), &who])
        }
    };
    let level = c.level;
    let category = c.category;
    let supporters = c.supporters.len();
    let timeline = c.timeline.clone();
    let withdrawn = c.withdrawn.clone();
    let merged = withdrawn.as_ref().is_some_and(|w| w.duplicate_of.is_some());
    let resident = domain::is_resident(&c.raised_by);
    view! {
        {withdrawn.clone().map(|w| view! {
            <crate::views::take_back::WithdrawnBanner w title=Signal::derive(move || {
                if merged { i18n.t(|s| s.records.merged_title) }
                else if resident { i18n.t(|s| s.report.set_aside_title) }
                else { i18n.t(|s| s.records.withdrawn_title) }
            })/>
        })}
        <ConflictBanner concern=c.clone()/>
        <section class="card concern-page" data-testid="concern-page" data-id=c.id.clone()>
            <h2 data-testid="concern-heading">{c.title.clone()}</h2>
            <div class="concern-meta">
                <StatusChip status=c.status/>
                {resident.then(|| view! { <ResidentBadge/> })}
                <span class="chip level" data-testid="level" data-level=level.as_str()>{move || i18n.t(|s| s.concern.level(level))}</span>
                <span class="chip">{move || i18n.t(|s| s.concern.category(category))}</span>
            </div>
            {(!c.description.is_empty()).then(|| view! { <p class="description">{c.description.clone()}</p> })}
            <dl class="facts">
                {place.map(|p| view! { <dt>{move || i18n.t(|s| s.concern.place_label)}</dt><dd>{p}</dd> })}
                {reporter.map(|r| view! { <dt>{move || i18n.t(|s| s.records.reporter_fact)}</dt><dd data-testid="reporter">{r}</dd> })}
            </dl>
            <p class="muted small">{raised}</p>
            {(supporters > 0).then(|| view! {
                <p class="muted small" data-testid="supporters">{move || i18n.t(|s| s.concern.supporters.of(supporters))}</p>
            })}
        </section>
        {crate::views::lazy::concern_photos(c.id.clone(), c.photos.clone())}
        {withdrawn.is_none().then(|| view! { <Actions concern=c.clone()/> })}
        <section class="card">
            <h2>{move || i18n.t(|s| s.concern.timeline)}</h2>
            <ol class="timeline" data-testid="timeline">
                {timeline.into_iter().map(|e| {
                    let kind = e.action.kind().as_str();
                    let at = date(e.at);
                    let by = e.by.clone();
                    let feedback_by = matches!(e.action, ConcernEvent::Feedback { .. })
                        .then(|| domain::is_resident(&e.by));
                    let text = move || event_text(i18n.lang().strings(), &e, resident);
                    view! {
                        <li class="event" data-kind=kind>
                            <div class="event-head">
                                <span class="event-what">{let t = text.clone(); move || t().0}
                                    {feedback_by.map(|own| view! { " " <FeedbackBy own=own/> })}</span>
                                <span class="muted small">{at} " · " {move || community.0.with(|v| member_name(v, i18n.lang().strings(), &by))}</span>
                            </div>
                            {move || text().1.map(|note| view! { <p class="event-note">{note}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        {withdrawn.is_none().then(|| crate::views::lazy::concern_take_back(c.clone()))}
    }
}

/// Beside a rating: the resident gave it on the tracking page (居民自评), or a member recorded
/// it for them (代录).
#[component]
fn FeedbackBy(own: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (testid, class) = if own {
        ("feedback-by-resident", "chip resident")
    } else {
        ("feedback-by-member", "chip")
    };
    view! {
        <span class=class data-testid=testid>
            {move || if own { i18n.t(|s| s.report.feedback_by_resident) } else { i18n.t(|s| s.report.feedback_by_member) }}
        </span>
    }
}

#[component]
fn ConflictBanner(concern: Concern) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let current = concern.claim.clone()?;
    if concern.contested_claims.is_empty() {
        return None;
    }
    let me = community.0.with_untracked(|c| c.me.clone());
    let id = concern.id.clone();
    let others: Vec<String> = concern
        .contested_claims
        .iter()
        .map(|c| c.by.clone())
        .collect();
    let current_by = current.by.clone();
    let text = move || {
        let s = i18n.lang().strings();
        community.0.with(|c| {
            let mut names: Vec<String> = vec![member_name(c, s, &current_by)];
            names.extend(others.iter().map(|o| member_name(c, s, o)));
            fill(
                s.concern.conflict,
                &[&names.join(s.list_separator), &names[0]],
            )
        })
    };
    let holder = current.by.clone();
    let contact = move || {
        let s = i18n.lang().strings();
        fill(
            s.concern.conflict_contact,
            &[&community.0.with(|c| member_name(c, s, &holder))],
        )
    };
    let writer = Writer::new();
    let settle = move |_| {
        let id = id.clone();
        writer.send(Command::Claim(id), || ());
    };
    Some(view! {
        <div class="banner banner-warn" role="alert" data-testid="conflict-banner">
            <p>{text}</p>
            {if current.by == me {
                view! { <button class="primary" data-testid="settle-claim" disabled=move || writer.running() on:click=settle>{move || i18n.t(|s| s.concern.conflict_keep)}</button> <Refusal writer=writer/> }.into_any()
            } else {
                view! { <p class="small">{contact}</p> }.into_any()
            }}
        </div>
    })
}
