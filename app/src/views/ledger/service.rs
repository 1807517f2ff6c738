//! 服务日: this month's service-day orders ("村民来点单、代表来实施") — a
//! resident's request written down, the representative who took it, and when
//! it was delivered.

use crate::clock::now_ms;
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::random;
use crate::session::use_session;
use crate::views::choice::Choice;
use crate::views::refusal::Refusal;
use crate::write::{EditFn, Writer};
use leptos::prelude::*;
use linli_shared::domain::{self, month_key, NewOrder, ServiceOrder, UnitKind};
use linli_shared::export::datetime_china;
use linli_shared::privacy::mask_phones;
use linli_shared::sort;

fn this_month(doc: &automerge::AutoCommit) -> Vec<ServiceOrder> {
    domain::list_orders(doc, &month_key(now_ms())).unwrap_or_default()
}

#[component]
pub fn ServiceDayScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let orders = use_session().community_memo(this_month);
    let request = RwSignal::new(String::new());
    let resident = RwSignal::new(String::new());
    let household = RwSignal::new(String::new());
    let writer = Writer::new();
    let month = month_key(now_ms());
    let run = move |cmd: EditFn| writer.run(cmd, || ());
    let households = Memo::new(move |_| {
        community.0.with(|c| {
            let mut v: Vec<(String, String)> = c
                .units
                .iter()
                .filter(|u| u.kind == UnitKind::Household)
                .map(|u| (u.id.clone(), c.place_path(&u.id)))
                .collect();
            sort::sort_by(&mut v, |a, b| a.1.cmp(&b.1));
            v
        })
    });
    let add = {
        let month = month.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let r = request.get_untracked().trim().to_string();
            if r.is_empty() {
                return;
            }
            let h = household.get_untracked();
            let o = NewOrder {
                id: random::hex_id(),
                month: month.clone(),
                request: r,
                household: (!h.is_empty()).then_some(h),
                resident: resident.get_untracked().trim().to_string(),
            };
            request.set(String::new());
            resident.set(String::new());
            run(Box::new(move |d, c| domain::place_order(d, c, o)));
        }
    };
    let row = move |o: ServiceOrder| {
        let (me, who, taker, place) = community.0.with(|c| {
            let name = |id: &str| {
                c.member(id)
                    .map(|m| mask_phones(&m.name))
                    .unwrap_or_default()
            };
            (
                c.me.clone(),
                mask_phones(&o.resident),
                o.taken_by.as_deref().map(name),
                o.household
                    .as_deref()
                    .map(|h| c.place_path(h))
                    .unwrap_or_default(),
            )
        });
        let state = match (&taker, o.done_at) {
            (Some(t), Some(at)) => fill(
                i18n.t(|s| s.ledger.order_delivered),
                &[t, &datetime_china(at)],
            ),
            (Some(t), None) => fill(i18n.t(|s| s.ledger.order_taken), &[t]),
            _ => i18n.t(|s| s.ledger.order_open).to_string(),
        };
        let code = match (&o.taken_by, o.done_at) {
            (_, Some(_)) => "done",
            (Some(_), None) => "taken",
            _ => "open",
        };
        let can_take = o.taken_by.is_none() && o.done_at.is_none();
        let can_finish = o.done_at.is_none() && o.taken_by.as_ref().is_none_or(|t| *t == me);
        let (id1, id2) = (o.id.clone(), o.id.clone());
        view! {
            <li class="task order" data-testid="order" data-state=code>
                <div class="task-title">
                    <div>{mask_phones(&o.request)}</div>
                    <div class="muted small">{who}" "{place}</div>
                    <div class="small">{state}</div>
                </div>
                {can_take.then(|| view! {
                    <button type="button" class="small-button" data-testid="order-take"
                        on:click=move |_| { let id = id1.clone(); run(Box::new(move |d, c| domain::take_order(d, c, &id))) }>
                        {i18n.t(|s| s.ledger.order_take)}
                    </button>
                })}
                {can_finish.then(|| view! {
                    <button type="button" class="small-button" data-testid="order-done"
                        on:click=move |_| { let id = id2.clone(); run(Box::new(move |d, c| domain::complete_order(d, c, &id, ""))) }>
                        {i18n.t(|s| s.ledger.order_done)}
                    </button>
                })}
            </li>
        }
    };
    view! {
        <section class="card">
            <h2>{move || fill(i18n.t(|s| s.ledger.service_title), &[&month])}</h2>
            <p class="muted small">{move || i18n.t(|s| s.ledger.service_note)}</p>
            <ul class="plain-list" data-testid="orders">
                {move || {
                    let list = orders.get();
                    if list.is_empty() {
                        view! { <li class="muted">{i18n.t(|s| s.ledger.orders_empty)}</li> }.into_any()
                    } else {
                        list.into_iter().map(row).collect_view().into_any()
                    }
                }}
            </ul>
            <Refusal writer=writer/>
        </section>
        <section class="card">
            <form on:submit=add data-testid="order-form">
                <label for="order-request">{move || i18n.t(|s| s.ledger.order_request)}</label>
                <input id="order-request" autocomplete="off" maxlength=linli_shared::domain::MAX_NOTE_CHARS
                    placeholder=move || i18n.t(|s| s.ledger.order_request_placeholder)
                    prop:value=move || request.get()
                    on:input=move |ev| request.set(event_target_value(&ev))/>
                <label for="order-resident">{move || i18n.t(|s| s.ledger.order_resident)}</label>
                <input id="order-resident" autocomplete="off" maxlength=linli_shared::domain::MAX_REPORTER_CHARS
                    prop:value=move || resident.get()
                    on:input=move |ev| resident.set(event_target_value(&ev))/>
                <Show when=move || !households.with(|h| h.is_empty())>
                    <label for="order-household">{move || i18n.t(|s| s.ledger.order_household)}</label>
                    <Choice value=household options=households
                        placeholder=Signal::derive(move || i18n.t(|s| s.ledger.visit_household_none).to_string())
                        on_pick=move |v| household.set(v) {..} id="order-household"/>
                </Show>
                <button type="submit" class="primary" disabled=move || writer.running()>{move || i18n.t(|s| s.ledger.order_add)}</button>
            </form>
        </section>
    }
}
