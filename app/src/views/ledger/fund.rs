//! 资金: each 邻长's micro-service fund (≥ 200 yuan) — allocation, spending,
//! balance — with my own spending to record; committee members set allocations.

use super::data::{parse_fen, yuan};
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::random;
use crate::session::use_session;
use crate::standing::{use_standing, NotAllowed};
use crate::views::choice::Choice;
use crate::views::refusal::Refusal;
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Act, FundAccount, NewExpense};
use linli_shared::export::datetime_china;
use linli_shared::privacy::mask_phones;

/// Every member's fund (members with neither allocation nor spending left out).
fn accounts(doc: &automerge::AutoCommit) -> Vec<(String, FundAccount)> {
    domain::list_members(doc)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| {
            let a = domain::fund_account(doc, &m.id).ok()?;
            (a.allocated_fen != 0 || !a.expenses.is_empty()).then_some((m.id, a))
        })
        .collect()
}

#[component]
pub fn FundScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let funds = use_session().community_memo(accounts);
    let amount = RwSignal::new(String::new());
    let purpose = RwSignal::new(String::new());
    let alloc_member = RwSignal::new(String::new());
    let alloc_amount = RwSignal::new(String::from("200"));
    let error = RwSignal::new(None::<String>);
    let standing = use_standing();
    let may_allocate = Memo::new(move |_| standing.with(|s| s.may(Act::AllocateFund)));
    let fail = move |e: String| error.set(Some(e));
    let writer = Writer::new();
    let spend = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = purpose.get_untracked().trim().to_string();
        let Some(fen) = parse_fen(&amount.get_untracked()).filter(|f| *f > 0) else {
            fail(i18n.t(|s| s.ledger.amount_invalid).into());
            return;
        };
        if p.is_empty() {
            fail(i18n.t(|s| s.ledger.amount_invalid).into());
            return;
        }
        let e = NewExpense {
            id: random::hex_id(),
            amount_fen: fen,
            purpose: p,
            concern: None,
        };
        error.set(None);
        writer.run(
            move |doc, ctx| domain::record_expense(doc, ctx, e),
            move || {
                amount.set(String::new());
                purpose.set(String::new());
            },
        );
    };
    let allocate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let member = alloc_member.get_untracked();
        let Some(fen) = parse_fen(&alloc_amount.get_untracked()).filter(|f| *f > 0) else {
            fail(i18n.t(|s| s.ledger.amount_invalid).into());
            return;
        };
        if member.is_empty() {
            return;
        }
        error.set(None);
        writer.run(
            move |doc, ctx| domain::set_fund_allocation(doc, ctx, &member, fen),
            || (),
        );
    };
    let yuan_text = move |fen: i64| fill(i18n.t(|s| s.ledger.yuan), &[&yuan(fen)]);
    view! {
        <section class="card">
            <h2>{move || i18n.t(|s| s.ledger.fund_title)}</h2>
            <p class="muted small">{move || i18n.t(|s| s.ledger.fund_min_note)}</p>
            <Show
                when=move || !funds.with(|f| f.is_empty())
                fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.ledger.fund_empty)}</p> }
            >
                <div class="table-wrap">
                    <table class="activity" data-testid="funds">
                        <thead><tr>
                            <th>{move || i18n.t(|s| s.ledger.fund_member)}</th>
                            <th>{move || i18n.t(|s| s.ledger.fund_allocated)}</th>
                            <th>{move || i18n.t(|s| s.ledger.fund_spent)}</th>
                            <th>{move || i18n.t(|s| s.ledger.fund_balance)}</th>
                        </tr></thead>
                        <tbody>
                            {move || community.0.with(|c| funds.get().into_iter().map(|(id, a)| {
                                let name = c.member(&id).map(|m| mask_phones(&m.name)).unwrap_or_default();
                                view! {
                                    <tr data-testid="fund-row" data-balance=a.balance_fen>
                                        <td>{name}</td>
                                        <td>{yuan(a.allocated_fen)}</td>
                                        <td>{yuan(a.spent_fen)}</td>
                                        <td class:negative=a.balance_fen < 0>{yuan(a.balance_fen)}</td>
                                    </tr>
                                }
                            }).collect_view())}
                        </tbody>
                    </table>
                </div>
            </Show>
            <Show
                when=move || may_allocate.get().is_ok()
                fallback=move || may_allocate.get().err().map(|rule| view! { <NotAllowed rule=rule/> })
            >
                <form on:submit=allocate data-testid="allocation-form" class="inline-form">
                    <Choice value=alloc_member
                        options=Signal::derive(move || community.0.with(|c| c.members.iter().map(|m| (m.id.clone(), mask_phones(&m.name))).collect()))
                        placeholder=Signal::derive(move || i18n.t(|s| s.ledger.fund_member).to_string())
                        on_pick=move |v| alloc_member.set(v)
                        {..} aria-label=move || i18n.t(|s| s.ledger.fund_member)/>
                    <input inputmode="decimal" aria-label=move || i18n.t(|s| s.ledger.fund_set)
                        prop:value=move || alloc_amount.get()
                        on:input=move |ev| alloc_amount.set(event_target_value(&ev))/>
                    <button type="submit" class="primary" disabled=move || writer.running()>{move || i18n.t(|s| s.ledger.fund_set_button)}</button>
                </form>
            </Show>
        </section>
        <section class="card">
            <h2>{move || i18n.t(|s| s.ledger.expense_title)}</h2>
            <form on:submit=spend data-testid="expense-form">
                <label for="expense-amount">{move || i18n.t(|s| s.ledger.expense_amount)}</label>
                <input id="expense-amount" inputmode="decimal" autocomplete="off"
                    prop:value=move || amount.get()
                    on:input=move |ev| amount.set(event_target_value(&ev))/>
                <label for="expense-purpose">{move || i18n.t(|s| s.ledger.expense_purpose)}</label>
                <input id="expense-purpose" autocomplete="off" maxlength=linli_shared::domain::MAX_NOTE_CHARS
                    prop:value=move || purpose.get()
                    on:input=move |ev| purpose.set(event_target_value(&ev))/>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Refusal writer=writer/>
                <button type="submit" class="primary" disabled=move || writer.running()>{move || i18n.t(|s| s.ledger.expense_add)}</button>
            </form>
            <h3 class="small muted">{move || i18n.t(|s| s.ledger.expenses_title)}</h3>
            <ul class="plain-list" data-testid="my-expenses">
                {move || {
                    let me = community.0.with(|c| c.me.clone());
                    funds.with(|f| f.iter().find(|(id, _)| *id == me).map(|(_, a)| a.expenses.clone()).unwrap_or_default())
                        .into_iter()
                        .map(|e| view! {
                            <li class="expense">
                                <span>{mask_phones(&e.purpose)}</span>
                                <span class="muted small">{datetime_china(e.at)}</span>
                                <strong>{yuan_text(e.amount_fen)}</strong>
                            </li>
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
