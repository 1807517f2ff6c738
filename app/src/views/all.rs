//! 全部: every concern of the community, filtered and searched, newest first.

use super::choice::Choice;
use super::concerns::ConcernList;
use crate::community::{use_community, CommunityView};
use crate::i18n::concern::{fill, status};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use linli_shared::domain::{Category, Concern, ConcernStatus, Level, Reporter, UnitKind};
use linli_shared::privacy::mask_phones;

#[derive(Clone, Debug, Default, PartialEq)]
struct Filter {
    status: Option<ConcernStatus>,
    level: Option<Level>,
    category: Option<Category>,
    area: Option<String>,
    text: String,
}

impl Filter {
    fn keeps(&self, c: &Concern, community: &CommunityView) -> bool {
        self.status.is_none_or(|s| c.status == s)
            && self.level.is_none_or(|l| c.level == l)
            && self.category.is_none_or(|k| c.category == k)
            && self.area.as_ref().is_none_or(|a| {
                c.place
                    .as_deref()
                    .and_then(|u| community.area_of(u))
                    .as_ref()
                    == Some(a)
            })
            && (self.text.is_empty() || searchable(c, community).contains(&self.text))
    }
}

/// What the search box looks through: the concern's title and description,
/// who reported it and where, all as the list shows them (phone numbers
/// masked), so typing part of a number never finds more than a card reveals.
fn searchable(c: &Concern, community: &CommunityView) -> String {
    let reporter = match &c.reporter {
        Reporter::Unknown => String::new(),
        Reporter::Household(h) => community.place_path(h),
        Reporter::Resident(name) => name.clone(),
    };
    let place = c
        .place
        .as_deref()
        .map(|p| community.place_path(p))
        .unwrap_or_default();
    mask_phones(&[c.title.as_str(), &c.description, &reporter, &place].join("\n"))
}

#[component]
pub fn AllScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let filter = RwSignal::new(Filter::default());
    // A memo: the count, the list and its pages read it, and each read of a derived
    // signal would filter and copy every concern again (2,000 of them, at start).
    let items = Memo::new(move |_| {
        let f = filter.get();
        community.0.with(|c| {
            c.concerns
                .iter()
                .filter(|x| f.keeps(x, c))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // For the start-up benchmark: the moment the list first shows concerns.
    Effect::new(move |marked: Option<bool>| {
        if marked == Some(true) {
            return true;
        }
        let ready = items.with(|v| !v.is_empty());
        if ready {
            crate::clock::mark("linli:list-ready");
        }
        ready
    });
    let areas = Memo::new(move |_| {
        community.0.with(|c| {
            c.units
                .iter()
                .filter(|u| u.kind == UnitKind::Area)
                .map(|u| (u.id.clone(), u.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card filters">
            <input
                type="search"
                data-testid="search"
                placeholder=move || i18n.t(|s| s.concern.search_placeholder)
                on:input=move |ev| filter.update(|f| f.text = event_target_value(&ev).trim().to_string())
            />
            <div class="filter-row">
                <Choice
                    value=Signal::derive(move || filter.with(|f| f.status.map(|x| x.as_str().to_string()).unwrap_or_default()))
                    options=Signal::derive(move || ConcernStatus::ALL.iter().map(|st| (st.as_str().to_string(), status(i18n.lang().strings(), *st).to_string())).collect())
                    placeholder=Signal::derive(move || i18n.t(|s| s.concern.any_status).to_string())
                    on_pick=move |v| filter.update(|f| f.status = ConcernStatus::parse(&v))
                    {..} data-testid="filter-status" aria-label=move || i18n.t(|s| s.records.filter_status)/>
                <Choice
                    value=Signal::derive(move || filter.with(|f| f.level.map(|x| x.as_str().to_string()).unwrap_or_default()))
                    options=Signal::derive(move || Level::ALL.iter().map(|l| (l.as_str().to_string(), i18n.t(|s| s.concern.level(*l)).to_string())).collect())
                    placeholder=Signal::derive(move || i18n.t(|s| s.concern.any_level).to_string())
                    on_pick=move |v| filter.update(|f| f.level = Level::parse(&v))
                    {..} data-testid="filter-level" aria-label=move || i18n.t(|s| s.records.filter_level)/>
                <Choice
                    value=Signal::derive(move || filter.with(|f| f.category.map(|x| x.as_str().to_string()).unwrap_or_default()))
                    options=Signal::derive(move || Category::ALL.iter().map(|k| (k.as_str().to_string(), i18n.t(|s| s.concern.category(*k)).to_string())).collect())
                    placeholder=Signal::derive(move || i18n.t(|s| s.concern.any_category).to_string())
                    on_pick=move |v| filter.update(|f| f.category = Category::parse(&v))
                    {..} data-testid="filter-category" aria-label=move || i18n.t(|s| s.records.filter_category)/>
                <Show when=move || !areas.with(|a| a.is_empty())>
                    <Choice
                        value=Signal::derive(move || filter.with(|f| f.area.clone().unwrap_or_default()))
                        options=areas
                        placeholder=Signal::derive(move || i18n.t(|s| s.concern.any_area).to_string())
                        on_pick=move |v| filter.update(|f| f.area = (!v.is_empty()).then_some(v))
                        {..} data-testid="filter-area" aria-label=move || i18n.t(|s| s.records.filter_area)/>
                </Show>
            </div>
            <p class="muted count" data-testid="count">
                {move || fill(i18n.t(|s| s.concern.count_of), &[&items.with(|v| v.len()).to_string()])}
            </p>
        </section>
        <section class="card">
            <Show
                when=move || !items.with(|v| v.is_empty())
                fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.concerns_empty)}</p> }
            >
                <ConcernList items=items/>
            </Show>
        </section>
    }
}
