//! Pieces the concern screens share: the list row, chips, dates.

use crate::clock::now_ms;
use crate::community::use_community;
use crate::i18n::concern::{fill, status};
use crate::i18n::use_i18n;
use crate::route::{use_router, Route};
use leptos::prelude::*;
use linli_shared::domain::{china_date, is_resident, Concern, ConcernStatus, DAY_MS};
use linli_shared::privacy::mask_phones;

/// `2026-11-21` in China time.
pub fn date(ms: i64) -> String {
    let (y, m, d) = china_date(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

#[component]
pub fn StatusChip(status: ConcernStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("chip status-{}", status.as_str()) data-testid="status" data-status=status.as_str()>
            {move || status_name(i18n.lang().strings(), status)}
        </span>
    }
}

fn status_name(s: &crate::i18n::Strings, st: ConcernStatus) -> &'static str {
    status(s, st)
}

/// 居民反映: a concern a resident raised through a report link (吹哨).
#[component]
pub fn ResidentBadge() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="chip resident" data-testid="resident-badge">{move || i18n.t(|s| s.report.resident_badge)}</span>
    }
}

/// One concern in a list: what, where, how long, and its state. Personal data
/// (phone numbers typed into the title) is masked here.
#[component]
pub fn ConcernRow(concern: Concern) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let now = now_ms();
    let overdue = concern.is_overdue(now);
    let days = ((now - concern.raised_at).max(0) / DAY_MS).to_string();
    let place = concern
        .place
        .as_deref()
        .map(|p| community.0.with_untracked(|c| c.place_path(p)))
        .unwrap_or_default();
    let level = concern.level;
    let photos = concern.photos.len();
    let resident = is_resident(&concern.raised_by);
    let href = Route::Concern(concern.id.clone()).to_hash();
    view! {
        <li class="concern" class:overdue=overdue data-testid="concern" data-id=concern.id.clone()>
            <a class="concern-link" href=href>
                <span class="concern-title">{mask_phones(&concern.title)}</span>
                <span class="concern-meta">
                    {resident.then(|| view! { <ResidentBadge/> })}
                    <span class="chip level">{move || i18n.t(|s| s.concern.level(level))}</span>
                    {(!place.is_empty()).then(|| view! { <span class="place">{place.clone()}</span> })}
                    <span class="age">{move || if days == "0" { i18n.t(|s| s.records.today).to_string() } else { fill(i18n.t(|s| s.concern.days_open), &[&days]) }}</span>
                    {(photos > 0).then(|| view! {
                        <span class="photo-count" data-testid="photo-count"
                            aria-label=move || i18n.t(|s| s.photos.count.of(photos))>
                            <svg class="camera-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                                <path d="M4 7h3l2-3h6l2 3h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z"/>
                                <circle cx="12" cy="13" r="4"/>
                            </svg>
                            {photos}
                        </span>
                    })}
                    {overdue.then(|| view! {
                        <span class="chip overdue-chip" data-testid="overdue">{move || i18n.t(|s| s.concern.overdue)}</span>
                    })}
                </span>
            </a>
            <StatusChip status=concern.status/>
        </li>
    }
}

/// A list of concerns shown a page at a time, so 2,000 stay smooth on a cheap phone.
#[component]
pub fn ConcernList(
    #[prop(into)] items: Signal<Vec<Concern>>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    const PAGE: usize = 50;
    let i18n = use_i18n();
    // Coming back to the list (from a concern) shows as many pages as were open, so
    // the screen's scroll offset lands on the same row.
    let router = use_router();
    let key = format!("{}{testid}", router.0.get_untracked().to_hash());
    let shown = RwSignal::new(router.scroll().rows_shown(&key).unwrap_or(PAGE));
    Effect::new(move |_| router.scroll().keep_rows_shown(&key, shown.get()));
    let total = move || items.with(|v| v.len());
    view! {
        <ul class="concern-list" data-testid=if testid.is_empty() { "concern-list" } else { testid }>
            <For
                each=move || items.with(|v| v.iter().take(shown.get()).cloned().collect::<Vec<_>>())
                key=|c| format!("{}:{}:{}:{}", c.id, c.status.as_str(), c.level.as_str(), c.timeline.len())
                children=move |c: Concern| view! { <ConcernRow concern=c/> }
            />
        </ul>
        <Show when=move || { total() > shown.get() }>
            <button class="more" on:click=move |_| shown.update(|n| *n += PAGE)>
                {move || i18n.t(|s| s.concern.show_more)}
                " (" {move || fill(i18n.t(|s| s.concern.count_of), &[&total().to_string()])} ")"
            </button>
        </Show>
    }
}
