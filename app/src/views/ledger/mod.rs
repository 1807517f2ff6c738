//! 台账: the committee view (issue 7) — the dashboard, visits, the monthly
//! task list, service-day orders, the micro-fund and exports, one module per screen under a
//! shared period picker and sub-navigation.

mod charts;
mod dashboard;
mod data;
mod export;
mod fund;
mod service;
mod tasks;
mod visits;

use crate::i18n::use_i18n;
use crate::route::{LedgerPage, Route};
pub use data::provide_ledger_state;
use data::{use_ledger_state, Span};
use leptos::prelude::*;

#[component]
pub fn LedgerScreen(page: LedgerPage) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_ledger_state();
    let nav = move |p: LedgerPage, label: fn(&crate::i18n::Strings) -> &'static str| {
        let on = p == page;
        view! {
            <a href=Route::Ledger(p).to_hash() class="subtab" class:subtab-on=on
                aria-current=on.then_some("page") data-testid=format!("ledger-{}", p.code())>
                {move || i18n.t(label)}
            </a>
        }
    };
    let with_period = matches!(page, LedgerPage::Dashboard | LedgerPage::Export);
    view! {
        <div class="ledger" data-testid="ledger" data-page=page.code()>
            <nav class="subtabs">
                {nav(LedgerPage::Dashboard, |s| s.ledger.nav_dashboard)}
                {nav(LedgerPage::Visits, |s| s.ledger.nav_visits)}
                {nav(LedgerPage::Tasks, |s| s.ledger.nav_tasks)}
                {nav(LedgerPage::ServiceDay, |s| s.ledger.nav_service)}
                {nav(LedgerPage::Fund, |s| s.ledger.nav_fund)}
                {nav(LedgerPage::Export, |s| s.ledger.nav_export)}
            </nav>
            {with_period.then(|| view! {
                <div class="periods" role="radiogroup" data-testid="periods">
                    {Span::ALL.iter().map(|sp| {
                        let sp = *sp;
                        let on = move || state.span.get() == sp;
                        view! {
                            <button type="button" class="chip-button" class:chip-on=on role="radio"
                                aria-checked=move || on().to_string() data-span=sp.code()
                                on:click=move |_| state.span.set(sp)>
                                {move || sp.label(i18n.t(|s| s.ledger))}
                            </button>
                        }
                    }).collect_view()}
                </div>
            })}
            {match page {
                LedgerPage::Dashboard => view! { <dashboard::Dashboard/> }.into_any(),
                LedgerPage::Visits => view! { <visits::VisitsScreen/> }.into_any(),
                LedgerPage::Tasks => view! { <tasks::TasksScreen/> }.into_any(),
                LedgerPage::ServiceDay => view! { <service::ServiceDayScreen/> }.into_any(),
                LedgerPage::Fund => view! { <fund::FundScreen/> }.into_any(),
                LedgerPage::Export => view! { <export::ExportScreen/> }.into_any(),
            }}
        </div>
    }
}
