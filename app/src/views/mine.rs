//! 我的: what I am handling, what awaits the resident's feedback, and what
//! reached my level and waits for someone to take it (oldest first).

use super::concerns::ConcernList;
use crate::community::{level_of, use_community, CommunityView};
use crate::i18n::{use_i18n, Strings};
use leptos::prelude::*;
use linli_shared::domain::{Concern, ConcernStatus};
use linli_shared::sort;

fn claimed_by_me(c: &CommunityView) -> Vec<Concern> {
    c.concerns
        .iter()
        .filter(|x| {
            x.status == ConcernStatus::Claimed && x.claim.as_ref().is_some_and(|cl| cl.by == c.me)
        })
        .cloned()
        .collect()
}

fn awaiting_feedback(c: &CommunityView) -> Vec<Concern> {
    c.concerns
        .iter()
        .filter(|x| {
            x.status == ConcernStatus::Resolved
                && (x.raised_by == c.me || x.resolution.as_ref().is_some_and(|r| r.by == c.me))
        })
        .cloned()
        .collect()
}

/// Unclaimed concerns at my role's level, the longest waiting there first (overdue
/// ones are marked in the row).
fn at_my_level(c: &CommunityView) -> Vec<Concern> {
    let Some(level) = c.my_record().map(|m| level_of(m.role)) else {
        return Vec::new();
    };
    let mut v: Vec<Concern> = c
        .concerns
        .iter()
        .filter(|x| x.level == level && x.status.is_unclaimed())
        .cloned()
        .collect();
    sort::sort_by_key(&mut v, |x| x.reached_level_at());
    v
}

#[component]
pub fn MineScreen() -> impl IntoView {
    let community = use_community();
    view! {
        <Section title=|s| s.concern.mine_claimed testid="mine-claimed"
            items=Memo::new(move |_| community.0.with(claimed_by_me))/>
        <Section title=|s| s.concern.mine_feedback testid="mine-feedback"
            items=Memo::new(move |_| community.0.with(awaiting_feedback))/>
        <Section title=|s| s.concern.mine_my_level testid="mine-level"
            items=Memo::new(move |_| community.0.with(at_my_level))/>
        <super::meetings::MyFollowUps/>
    }
}

#[component]
fn Section(
    title: fn(&Strings) -> &'static str,
    testid: &'static str,
    /// A memo, not a derived signal: the badge, the list and its pages all read it.
    #[prop(into)]
    items: Signal<Vec<Concern>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{move || i18n.t(title)} " " <span class="count-badge">{move || items.with(|v| v.len())}</span></h2>
            <Show
                when=move || !items.with(|v| v.is_empty())
                fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.concern.mine_nothing)}</p> }
            >
                <ConcernList items=items testid=testid/>
            </Show>
        </section>
    }
}
