//! Decision (决议) and vote (表决: 赞成/反对/弃权) of one agenda item, with the
//! live tally. A participant's vote can change until the decision closes it.

use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::session::use_session;
use crate::standing::{use_standing, NotAllowed};
use crate::views::refusal::{FieldError, Refusal};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{self, Act, AgendaItem, Field, Meeting, VoteChoice};
use linli_shared::privacy::mask_phones;
use linli_shared::wire::DocumentId;

#[component]
pub fn ItemDecision(
    doc: DocumentId,
    meeting: Memo<Option<Meeting>>,
    item: Memo<Option<AgendaItem>>,
    item_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let writer = Writer::new();
    let decision_text = RwSignal::new(String::new());
    let decision_field = format!("decision-{item_id}");
    let closed =
        Memo::new(move |_| item.with(|i| i.as_ref().is_some_and(|i| i.decision.is_some())));
    let me = use_session().me();
    let me_too = me.clone();
    let participant = Memo::new(move |_| {
        meeting.with(|m| m.as_ref().is_some_and(|m| m.participants.contains_key(&me)))
    });
    let my_vote =
        Memo::new(move |_| item.with(|i| i.as_ref().and_then(|i| i.votes.get(&me_too).copied())));
    let tally =
        Memo::new(move |_| item.with(|i| i.as_ref().map(domain::tally).unwrap_or_default()));
    let standing = use_standing();
    // Whether this member may record the decision: the convenor or a manager.
    let may_decide = Memo::new(move |_| {
        meeting.with(|m| {
            let convenor = m
                .as_ref()
                .map(|m| m.created_by.as_str())
                .unwrap_or_default();
            standing.with(|s| s.may(Act::Decide { convenor }))
        })
    });

    let vote_button = {
        let item_id = item_id.clone();
        move |choice: VoteChoice| {
            let item_id = item_id.clone();
            view! {
                <button
                    type="button"
                    class=move || if my_vote.get() == Some(choice) { "vote vote-mine" } else { "vote" }
                    data-testid=format!("vote-{}", choice.as_str())
                    aria-pressed=move || (my_vote.get() == Some(choice)).to_string()
                    disabled=move || closed.get() || !participant.get()
                    on:click=move |_| {
                        let item_id = item_id.clone();
                        writer.run_on(doc, move |d, ctx| domain::vote(d, ctx, &item_id, choice), || ());
                    }
                >
                    {move || i18n.t(|s| s.meetings.vote(choice))}
                </button>
            }
        }
    };
    let decide = {
        let item_id = item_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            // Empty text: the domain refuses it, shown beside the field.
            let text = decision_text.get_untracked().trim().to_string();
            let item_id = item_id.clone();
            writer.run_on(
                doc,
                move |d, ctx| domain::decide(d, ctx, &item_id, &text),
                || (),
            );
        }
    };
    view! {
        <div class="decision-block">
            <h4>{move || i18n.t(|s| s.meetings.tally)}</h4>
            <p class="tally" data-testid="tally">
                {move || {
                    let t = tally.get();
                    i18n.t(|s| fill(s.meetings.votes_count, &[
                        &t.in_favour.to_string(), &t.against.to_string(), &t.abstain.to_string(),
                    ]))
                }}
            </p>
            <div class="vote-row">
                {vote_button(VoteChoice::For)}
                {vote_button(VoteChoice::Against)}
                {vote_button(VoteChoice::Abstain)}
            </div>
            <Show when=move || !participant.get() && !closed.get()>
                <p class="muted">{move || i18n.t(|s| s.meetings.vote_need_check_in)}</p>
            </Show>
            <h4>{move || i18n.t(|s| s.meetings.decision_label)}</h4>
            {move || match item.with(|i| i.as_ref().and_then(|i| i.decision.clone())) {
                Some(d) => view! {
                    <p class="decision" data-testid="decision">{mask_phones(&d.text)}</p>
                    <p class="muted">{move || i18n.t(|s| s.meetings.item_closed)}</p>
                }.into_any(),
                None if may_decide.get().is_err() => {
                    may_decide.get().err().map(|rule| view! { <NotAllowed rule=rule/> }).into_any()
                }
                None => view! {
                    <form class="decide" on:submit=decide.clone() data-testid="decide">
                        <textarea
                            id=decision_field.clone()
                            rows="2"
                            maxlength=linli_shared::domain::MAX_NOTE_CHARS
                            aria-label=move || i18n.t(|s| s.meetings.decision_label)
                            placeholder=move || i18n.t(|s| s.meetings.decision_placeholder)
                            bind:value=decision_text
                        ></textarea>
                        <FieldError writer=writer field=Field::Decision.as_str() target=decision_field.clone()/>
                        <button type="submit" disabled=move || writer.running()>{move || i18n.t(|s| s.meetings.record_decision)}</button>
                    </form>
                }.into_any(),
            }}
            <Refusal writer=writer/>
        </div>
    }
}
