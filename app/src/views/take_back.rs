//! Taking back a record made by mistake: on the concern page 删除（记错了） or
//! 合并到…, on the meeting page 删除这次会议, each behind a confirm step, and
//! the banner a withdrawn record shows (who, when, why). Shown only to whom
//! the domain allows (the recorder, or a committee or town member).

use super::choice::Choice;
use super::concerns::{date, member_name};
use super::refusal::{FieldError, Refusal};
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::route::Route;
use crate::session::use_session;
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Concern, Field, Withdrawal};
use linli_shared::privacy::mask_phones;
use linli_shared::wire::DocumentId;

/// The field key of the merge form's "into which concern" picker.
const MERGE_TARGET: &str = "merge-target";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Withdraw,
    Merge,
}

/// Whether I may take back a record `recorded_by` made.
fn may_take_back(recorded_by: &str) -> bool {
    use_session().workspace().is_some_and(|w| {
        w.read(w.community, |d| {
            domain::may_withdraw(d, &w.member_id, recorded_by)
        })
    })
}

/// Who took it back, when, why; for a merged concern, a link to the other one.
#[component]
pub fn WithdrawnBanner(w: Withdrawal, #[prop(into)] title: Signal<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let (by, at) = (w.by.clone(), w.at);
    let who = move || {
        let s = i18n.lang().strings();
        let name = community.0.with(|c| member_name(c, s, &by));
        fill(s.records.withdrawn_by, &[&name, &date(at)])
    };
    let into = w.duplicate_of.clone().map(|other| {
        let label = community.0.with_untracked(|c| {
            c.concern(&other)
                .map(|x| mask_phones(&x.title))
                .unwrap_or_default()
        });
        view! {
            <p>{move || i18n.t(|s| s.records.merged_into)}
                <a href=Route::Concern(other).to_hash() data-testid="merged-into">{label}</a></p>
        }
    });
    view! {
        <div class="banner banner-warn" role="status" data-testid="withdrawn-banner">
            <p><strong>{move || title.get()}</strong></p>
            {(!w.reason.is_empty()).then(|| view! {
                <p data-testid="withdrawn-reason">{move || fill(i18n.t(|s| s.records.reason_shown), &[&w.reason])}</p>
            })}
            {into}
            <p class="small">{who}</p>
        </div>
    }
}

/// 删除（记错了） / 合并到… for a concern, set apart from its work actions.
#[component]
pub fn ConcernTakeBack(concern: Concern) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    if !may_take_back(&concern.raised_by) {
        return None;
    }
    // A resident's report (吹哨) is not "recorded by mistake": any member may set it aside.
    let resident = domain::is_resident(&concern.raised_by);
    let step = RwSignal::new(None::<Step>);
    let reason = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let writer = Writer::new();
    let id = concern.id.clone();
    let others = {
        let id = id.clone();
        Signal::derive(move || {
            community.0.with(|c| {
                c.concerns
                    .iter()
                    .filter(|x| x.id != id)
                    .map(|x| (x.id.clone(), mask_phones(&x.title)))
                    .collect::<Vec<_>>()
            })
        })
    };
    let confirm = move |_| {
        let (id, why, into) = (id.clone(), reason.get_untracked(), target.get_untracked());
        let Some(s) = step.get_untracked() else {
            return;
        };
        if s == Step::Merge && into.is_empty() {
            writer.refuse(MERGE_TARGET, i18n.t(|s| s.records.merge_target));
            return;
        }
        writer.run(
            move |d, ctx| match s {
                Step::Withdraw => domain::withdraw_concern(d, ctx, &id, &why),
                Step::Merge => domain::merge_concern(d, ctx, &id, &into, &why),
            },
            || (),
        );
    };
    Some(view! {
        <section class="card take-back" data-testid="take-back">
            <h2>{move || if resident { i18n.t(|s| s.report.set_aside_heading) } else { i18n.t(|s| s.records.take_back_heading) }}</h2>
            <p class="muted">{move || if resident { i18n.t(|s| s.report.set_aside_hint) } else { i18n.t(|s| s.records.take_back_hint) }}</p>
            <Show when=move || step.get().is_none()>
                <div class="actions">
                    <button type="button" class="danger" data-testid="withdraw-open"
                        on:click=move |_| step.set(Some(Step::Withdraw))>{move || if resident { i18n.t(|s| s.report.set_aside) } else { i18n.t(|s| s.records.withdraw) }}</button>
                    <button type="button" data-testid="merge-open"
                        on:click=move |_| step.set(Some(Step::Merge))>{move || i18n.t(|s| s.records.merge)}</button>
                </div>
            </Show>
            <Show when=move || step.get().is_some()>
                <p><strong>{move || i18n.t(|s| s.records.confirm_withdraw_hint)}</strong></p>
                <Show when=move || step.get() == Some(Step::Merge)>
                    <label for="merge-target">{move || i18n.t(|s| s.records.merge_target)}</label>
                    <Choice value=target options=others
                        placeholder=Signal::derive(move || i18n.t(|s| s.records.merge_target).to_string())
                        on_pick=move |v| target.set(v)
                        {..} id="merge-target" data-testid="merge-target"/>
                    <FieldError writer=writer field=MERGE_TARGET target="merge-target"/>
                </Show>
                <label for="withdraw-reason">{move || i18n.t(|s| s.records.reason_label)}</label>
                <textarea id="withdraw-reason" data-testid="withdraw-reason" rows="2"
                    placeholder=move || i18n.t(|s| s.records.reason_placeholder)
                    bind:value=reason></textarea>
                <FieldError writer=writer field=Field::WithdrawReason.as_str() target="withdraw-reason"/>
                <Refusal writer=writer/>
                <div class="actions">
                    <button type="button" class="danger" data-testid="withdraw-confirm" disabled=move || writer.running() on:click=confirm.clone()>
                        {move || match (step.get(), resident) {
                            (Some(Step::Merge), _) => i18n.t(|s| s.records.confirm_merge),
                            (_, true) => i18n.t(|s| s.report.confirm_set_aside),
                            (_, false) => i18n.t(|s| s.records.confirm_withdraw),
                        }}
                    </button>
                    <button type="button" on:click=move |_| { step.set(None); writer.clear(); }>{move || i18n.t(|s| s.records.cancel)}</button>
                </div>
            </Show>
        </section>
    })
}

/// 删除这次会议（记错了）: withdrawn in the community's index (where the
/// permission is checked), then marked in the meeting document.
#[component]
pub fn MeetingTakeBack(doc: DocumentId, created_by: String) -> impl IntoView {
    let i18n = use_i18n();
    if !may_take_back(&created_by) {
        return None;
    }
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let writer = Writer::new();
    let confirm = move |_| {
        let (meeting, why) = (doc.to_string(), reason.get_untracked());
        // Withdrawn in the index (where the permission is checked), then
        // marked in the meeting document: one run.
        let task = async move {
            let done = std::rc::Rc::new(std::cell::RefCell::new(None::<Withdrawal>));
            let keep = done.clone();
            let withdraw = move |d: &mut _, ctx: &_| {
                *keep.borrow_mut() = Some(domain::withdraw_meeting(d, ctx, &meeting, &why)?);
                Ok(())
            };
            writer.step(None, Box::new(withdraw)).await?;
            let taken = done.borrow_mut().take();
            match taken {
                Some(w) => {
                    let mark = move |d: &mut _, _: &_| domain::mark_meeting_withdrawn(d, &w);
                    writer.step(Some(doc), Box::new(mark)).await
                }
                None => Ok(()),
            }
        };
        writer.run_task(task, || ());
    };
    Some(view! {
        <section class="card take-back no-print" data-testid="meeting-take-back">
            <h2>{move || i18n.t(|s| s.records.take_back_heading)}</h2>
            <p class="muted">{move || i18n.t(|s| s.records.take_back_hint)}</p>
            <Show when=move || !asking.get()>
                <button type="button" class="danger" data-testid="meeting-withdraw-open"
                    on:click=move |_| asking.set(true)>{move || i18n.t(|s| s.records.meeting_withdraw)}</button>
            </Show>
            <Show when=move || asking.get()>
                <p><strong>{move || i18n.t(|s| s.records.confirm_withdraw_hint)}</strong></p>
                <label for="meeting-withdraw-reason">{move || i18n.t(|s| s.records.reason_label)}</label>
                <textarea id="meeting-withdraw-reason" data-testid="withdraw-reason" rows="2"
                    placeholder=move || i18n.t(|s| s.records.reason_placeholder)
                    bind:value=reason></textarea>
                <FieldError writer=writer field=Field::WithdrawReason.as_str() target="meeting-withdraw-reason"/>
                <Refusal writer=writer/>
                <div class="actions">
                    <button type="button" class="danger" data-testid="withdraw-confirm" disabled=move || writer.running() on:click=confirm>
                        {move || i18n.t(|s| s.records.meeting_confirm_withdraw)}
                    </button>
                    <button type="button" on:click=move |_| { asking.set(false); writer.clear(); }>{move || i18n.t(|s| s.records.cancel)}</button>
                </div>
            </Show>
        </section>
    })
}
