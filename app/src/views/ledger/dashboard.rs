//! 看板: this period's picture — raised / resolved / open, medians,
//! satisfaction, overdue per level, bars by level, category and area, the
//! monthly trend and member activity. Figures from `domain::stats` only.

use super::charts::{Bar, BarChart, TrendChart};
use super::data::{duration, figures_memo, use_ledger_state};
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use linli_shared::domain::{Counts, Level};
use linli_shared::sort;

fn bar(key: String, label: String, c: &Counts) -> Bar {
    Bar {
        key,
        label,
        raised: c.raised,
        resolved: c.resolved,
    }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let state = use_ledger_state();
    let figures = figures_memo();
    let figure = move |testid: &'static str,
                       label: fn(&crate::i18n::Strings) -> &'static str,
                       value: Signal<String>| {
        view! {
            <div class="figure" data-testid=testid data-value=move || value.get()>
                <span class="figure-value">{move || value.get()}</span>
                <span class="figure-label">{move || i18n.t(label)}</span>
            </div>
        }
    };
    let total = move || figures.with(|f| f.ledger.total);
    let count = |f: fn(Counts) -> usize| Signal::derive(move || f(total()).to_string());
    let by_level = move || {
        let s = i18n.t(|s| s.concern);
        figures.with(|f| {
            f.ledger
                .by_level
                .iter()
                .map(|(l, c)| bar(l.as_str().into(), s.level(*l).into(), c))
                .collect::<Vec<_>>()
        })
    };
    let by_category = move || {
        let s = i18n.t(|s| s.concern);
        figures.with(|f| {
            let mut v: Vec<Bar> = f
                .ledger
                .by_category
                .iter()
                .map(|(k, c)| bar(k.as_str().into(), s.category(*k).into(), c))
                .collect();
            sort::sort_by_key(&mut v, |b| std::cmp::Reverse(b.raised));
            v
        })
    };
    let by_area = move || {
        let none = i18n.t(|s| s.ledger.no_area);
        community.0.with(|cv| {
            figures.with(|f| {
                f.ledger
                    .by_area
                    .iter()
                    .map(|(a, c)| {
                        let label = a
                            .as_deref()
                            .and_then(|id| cv.unit(id))
                            .map(|u| u.name.clone())
                            .unwrap_or_else(|| none.to_string());
                        bar(a.clone().unwrap_or_default(), label, c)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let by_group = move || {
        let none = i18n.t(|s| s.ledger.no_area);
        community.0.with(|cv| {
            figures.with(|f| {
                f.by_group
                    .iter()
                    .map(|(g, c)| {
                        let label = g
                            .as_deref()
                            .map(|id| cv.place_path(id))
                            .unwrap_or_else(|| none.to_string());
                        bar(g.clone().unwrap_or_default(), label, c)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let trend = move || {
        let month = i18n.t(|s| s.ledger.month_label);
        figures.with(|f| {
            let months: Vec<_> = f.all_time.by_month.iter().collect();
            let skip = months.len().saturating_sub(6);
            months
                .into_iter()
                .skip(skip)
                .map(|(m, c)| {
                    let label = fill(month, &[m.get(5..).unwrap_or("").trim_start_matches('0')]);
                    bar(m.clone(), label, c)
                })
                .collect::<Vec<_>>()
        })
    };
    let members = move || {
        let unnamed = i18n.t(|s| s.ledger.unnamed);
        community.0.with(|cv| {
            figures.with(|f| {
                let mut v: Vec<_> = f
                    .activity
                    .iter()
                    .map(|(id, a)| {
                        let name = cv
                            .member(id)
                            .map(|m| linli_shared::privacy::mask_phones(&m.name))
                            .unwrap_or_else(|| unnamed.to_string());
                        (name, *a)
                    })
                    .collect();
                sort::sort_by(&mut v, |a, b| {
                    b.1.total().cmp(&a.1.total()).then_with(|| a.0.cmp(&b.0))
                });
                v
            })
        })
    };
    view! {
        <section class="card" data-testid="dashboard" data-span=move || state.span.get().code()>
            <div class="figures">
                {figure("fig-raised", |s| s.ledger.raised, count(|c| c.raised))}
                {figure("fig-resolved", |s| s.ledger.resolved, count(|c| c.resolved))}
                {figure("fig-open", |s| s.ledger.open, count(|c| c.open()))}
            </div>
            <dl class="facts">
                <dt>{move || i18n.t(|s| s.ledger.median_claim)}</dt>
                <dd data-testid="median-claim">{move || duration(i18n.t(|s| s.ledger), figures.with(|f| f.ledger.median_ms_to_claim))}</dd>
                <dt>{move || i18n.t(|s| s.ledger.median_resolve)}</dt>
                <dd data-testid="median-resolve">{move || duration(i18n.t(|s| s.ledger), figures.with(|f| f.ledger.median_ms_to_resolve))}</dd>
                <dt>{move || i18n.t(|s| s.ledger.satisfaction)}</dt>
                <dd data-testid="satisfaction">{move || figures.with(|f| {
                    let s = &f.ledger.satisfaction;
                    match s.mean {
                        Some(m) => format!("{m:.1} / 5 · {}", i18n.t(|t| t.ledger.satisfaction_count.of(s.count))),
                        None => i18n.t(|s| s.ledger.none).to_string(),
                    }
                })}</dd>
                <dt>{move || i18n.t(|s| s.report.resident_badge)}</dt>
                <dd data-testid="satisfaction-residents" data-count=move || figures.with(|f| f.ledger.satisfaction.by_residents)>
                    {move || figures.with(|f| residents_rated(i18n.lang().strings(), &f.ledger.satisfaction))}
                </dd>
            </dl>
        </section>
        <section class="card" data-testid="overdue">
            <h2>{move || i18n.t(|s| s.ledger.overdue_title)}</h2>
            {move || {
                let list: Vec<(Level, usize)> = figures.with(|f| f.overdue.iter().map(|(l, n)| (*l, *n)).collect());
                if list.is_empty() {
                    view! { <p class="muted">{i18n.t(|s| s.ledger.overdue_none)}</p> }.into_any()
                } else {
                    view! {
                        <div class="overdue-row">
                            {list.into_iter().map(|(l, n)| view! {
                                <span class="chip overdue-chip" data-level=l.as_str() data-count=n>
                                    {format!("{} {n}", i18n.t(|s| s.concern.level(l)))}
                                </span>
                            }).collect_view()}
                        </div>
                    }.into_any()
                }
            }}
        </section>
        <Show
            when=move || figures.with(|f| f.ledger.total.raised > 0)
            fallback=move || view! { <section class="card"><p class="muted" data-testid="ledger-empty">{move || i18n.t(|s| s.ledger.empty)}</p></section> }
        >
            <section class="card">
                <h2>{move || i18n.t(|s| s.ledger.by_level)}</h2>
                {move || view! { <BarChart bars=by_level() title=i18n.t(|s| s.ledger.by_level).to_string() testid="by-level"/> }}
                <p class="legend muted small"><span class="key key-resolved"></span>{move || i18n.t(|s| s.ledger.resolved)}<span class="key key-raised"></span>{move || i18n.t(|s| s.ledger.raised)}</p>
            </section>
            <section class="card">
                <h2>{move || i18n.t(|s| s.ledger.by_category)}</h2>
                {move || view! { <BarChart bars=by_category() title=i18n.t(|s| s.ledger.by_category).to_string() testid="by-category"/> }}
            </section>
            <section class="card">
                <h2>{move || i18n.t(|s| s.ledger.by_area)}</h2>
                {move || view! { <BarChart bars=by_area() title=i18n.t(|s| s.ledger.by_area).to_string() testid="by-area"/> }}
            </section>
            <section class="card">
                <h2>{move || i18n.t(|s| s.ledger.by_group)}</h2>
                {move || view! { <BarChart bars=by_group() title=i18n.t(|s| s.ledger.by_group).to_string() testid="by-group"/> }}
            </section>
        </Show>
        <section class="card">
            <h2>{move || i18n.t(|s| s.ledger.by_month)}</h2>
            {move || view! { <TrendChart points=trend() title=i18n.t(|s| s.ledger.by_month).to_string()/> }}
        </section>
        <section class="card">
            <h2>{move || i18n.t(|s| s.ledger.members_title)}</h2>
            <div class="table-wrap">
                <table class="activity" data-testid="activity">
                    <thead><tr>
                        <th>{move || i18n.t(|s| s.ledger.col_member)}</th>
                        <th>{move || i18n.t(|s| s.ledger.col_recorded)}</th>
                        <th>{move || i18n.t(|s| s.ledger.col_claimed)}</th>
                        <th>{move || i18n.t(|s| s.ledger.col_resolved)}</th>
                        <th>{move || i18n.t(|s| s.ledger.col_visits)}</th>
                        <th>{move || i18n.t(|s| s.ledger.col_meetings)}</th>
                    </tr></thead>
                    <tbody>
                        {move || members().into_iter().map(|(name, a)| view! {
                            <tr data-testid="activity-row">
                                <td>{name}</td>
                                <td>{a.recorded}</td>
                                <td>{a.claimed}</td>
                                <td>{a.resolved}</td>
                                <td>{a.visits}</td>
                                <td>{a.meetings}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// How many ratings residents gave themselves on their tracking page, and their mean (吹哨).
fn residents_rated(s: &crate::i18n::Strings, sat: &linli_shared::domain::Satisfaction) -> String {
    let count = s.report.residents_rated.of(sat.by_residents);
    match sat.residents_mean {
        Some(m) => format!(
            "{count} · {}",
            crate::i18n::concern::fill(s.report.residents_mean, &[&format!("{m:.1}")])
        ),
        None => count,
    }
}
