//! What can be done to a concern now: claim, release, escalate, resolve,
//! feedback, reopen, support. The domain validates; refusals are shown
//! beside the field they are about. One command at a time (a double tap acts once).
//! What the member's role does not allow is not offered; the rule is said instead.

use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::session::use_session;
use crate::standing::Standing;
use crate::views::choice::Choice;
use crate::views::refusal::{reveal_soon, FieldError, Refusal};
use crate::views::text_limit::{input_len, LengthCount};
use crate::write::{Writer, SATISFACTION};
use leptos::prelude::*;
use linli_shared::domain::{
    Act, Command, Concern, ConcernStatus, Field, Level, Rule, MAX_NOTE_CHARS,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Escalate,
    Resolve,
    Feedback,
    Reopen,
}

#[component]
pub fn Actions(concern: Concern) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let me = community.0.with_untracked(|c| c.me.clone());
    let session = use_session();
    let standing = untrack(|| community.0.with(|c| Standing::of(session, c)));
    // The rules that keep something from being offered, each said once.
    let mut why: Vec<Rule> = Vec::new();
    let mut allowed = |answer: Result<(), Rule>| match answer {
        Ok(()) => true,
        Err(rule) => {
            if !why.contains(&rule) {
                why.push(rule);
            }
            false
        }
    };
    let level = concern.level;
    // The levels this member may send the concern to.
    let higher: Vec<Level> = Level::ALL
        .iter()
        .copied()
        .filter(|to| *to > level && standing.may(Act::Escalate { to: *to }).is_ok())
        .collect();
    let close_the_loop = Act::CloseTheLoop {
        raised_by: &concern.raised_by,
        resolved_by: concern.resolution.as_ref().map(|r| r.by.as_str()),
    };
    let form = RwSignal::new(None::<Form>);
    let writer = Writer::new();
    let run = move |command: Command| writer.send(command, move || form.set(None));
    let id = concern.id.clone();
    let mine = concern.claim.as_ref().is_some_and(|c| c.by == me);
    let status = concern.status;
    let already_supported = concern.supporters.contains_key(&me) || concern.raised_by == me;
    let button = move |label: fn(&crate::i18n::Strings) -> &'static str,
                       testid: &'static str,
                       primary: bool,
                       on: Box<dyn Fn() + Send + Sync>| {
        view! {
            <button class=if primary { "primary" } else { "" } data-testid=testid
                disabled=move || writer.running() on:click=move |_| on()>
                {move || i18n.t(label)}
            </button>
        }
    };
    let cmd = |command: fn(String) -> Command, id: String| -> Box<dyn Fn() + Send + Sync> {
        Box::new(move || run(command(id.clone())))
    };
    let open = |which: Form| -> Box<dyn Fn() + Send + Sync> {
        Box::new(move || {
            writer.clear();
            form.set(Some(which));
            // It opens below the buttons, often below the fold.
            reveal_soon(ACTION_FORM);
        })
    };
    let support_id = id.clone();
    let me_support = me.clone();
    let support: Box<dyn Fn() + Send + Sync> = Box::new(move || {
        run(Command::Support {
            id: support_id.clone(),
            supporter: me_support.clone(),
        })
    });
    let mut buttons = Vec::new();
    if status.is_unclaimed() && allowed(standing.may(Act::Claim { level })) {
        buttons.push(button(
            |s| s.concern.claim,
            "claim",
            true,
            cmd(Command::Claim, id.clone()),
        ));
    }
    if status == ConcernStatus::Claimed && mine {
        buttons.push(button(
            |s| s.concern.resolve,
            "resolve",
            true,
            open(Form::Resolve),
        ));
        buttons.push(button(
            |s| s.concern.release,
            "release",
            false,
            cmd(Command::Release, id.clone()),
        ));
    }
    if (status.is_unclaimed() || (status == ConcernStatus::Claimed && mine))
        && concern.level.next().is_some()
        && allowed(if higher.is_empty() {
            Err(Rule::BeyondReach)
        } else {
            Ok(())
        })
    {
        buttons.push(button(
            |s| s.concern.escalate,
            "escalate",
            false,
            open(Form::Escalate),
        ));
    }
    let may_close_the_loop = !status.is_done() || allowed(standing.may(close_the_loop));
    if status == ConcernStatus::Resolved && may_close_the_loop {
        buttons.push(button(
            |s| s.concern.give_feedback,
            "feedback",
            true,
            open(Form::Feedback),
        ));
    }
    if status.is_done() && may_close_the_loop {
        buttons.push(button(
            |s| s.concern.reopen,
            "reopen",
            false,
            open(Form::Reopen),
        ));
    }
    if !status.is_done() && !already_supported {
        buttons.push(button(|s| s.concern.support, "support", false, support));
    }
    // Claimed by someone else: who has it, rather than an empty box.
    let in_hand = concern
        .claim
        .as_ref()
        .filter(|_| status == ConcernStatus::Claimed && !mine)
        .map(|c| c.by.clone());
    if buttons.is_empty() && why.is_empty() && in_hand.is_none() {
        return ().into_any();
    }
    let in_hand = in_hand.map(|by| {
        let name = move || {
            let s = i18n.lang().strings();
            let who = community.0.with(|c| super::member_name(c, s, &by));
            fill(s.concern.in_hand, &[&who])
        };
        view! { <p class="muted" data-testid="in-hand">{name}</p> }
    });
    let why = why
        .into_iter()
        .map(|rule| {
            view! {
                <li data-rule=rule.as_str()>{move || i18n.t(|s| (s.refusal.rule)(rule))}</li>
            }
        })
        .collect_view();
    view! {
        <section class="card actions" data-testid="actions">
            {in_hand}
            <div class="action-row">{buttons}</div>
            <ul class="not-allowed muted" data-testid="not-allowed">{why}</ul>
            {move || form.get().map(|f| view! { <ActionForm which=f id=id.clone() level=level higher=higher.clone() run=run form=form writer=writer/> })}
            <Refusal writer=writer/>
        </section>
    }
    .into_any()
}

/// The id of the open form (claim and the rest need none).
const ACTION_FORM: &str = "action-form";

#[component]
fn ActionForm(
    which: Form,
    id: String,
    level: Level,
    /// The levels the member may send it to, lowest first.
    higher: Vec<Level>,
    run: impl Fn(Command) + Copy + Send + Sync + 'static,
    form: RwSignal<Option<Form>>,
    writer: Writer,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    // No default: 确定 is refused until a score is chosen (0 is out of range).
    let stars = RwSignal::new(0u8);
    let target = RwSignal::new(higher.first().copied().or(level.next()));
    let label: fn(&crate::i18n::Strings) -> &'static str = match which {
        Form::Escalate => |s| s.concern.reason_label,
        Form::Resolve => |s| s.concern.resolve_summary,
        Form::Feedback => |s| s.concern.comment_label,
        Form::Reopen => |s| s.concern.reason_label,
    };
    // The text field the domain requires (feedback's comment is optional).
    let field = match which {
        Form::Escalate => Some(Field::EscalationReason),
        Form::Resolve => Some(Field::ResolutionSummary),
        Form::Feedback => None,
        Form::Reopen => Some(Field::ReopenReason),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, t) = (id.clone(), text.get_untracked());
        let command = match which {
            Form::Escalate => Command::Escalate {
                id,
                to: target.get_untracked(),
                reason: t,
            },
            Form::Resolve => Command::Resolve { id, summary: t },
            Form::Feedback => Command::Feedback {
                id,
                satisfaction: stars.get_untracked(),
                comment: t,
            },
            Form::Reopen => Command::Reopen { id, reason: t },
        };
        run(command);
    };
    view! {
        <form class="action-form" id=ACTION_FORM data-testid=format!("form-{which:?}").to_lowercase() on:submit=submit>
            {(which == Form::Escalate).then(|| view! {
                <label for="escalate-to">{move || i18n.t(|s| s.concern.escalate_to)}</label>
                <Choice
                    value=Signal::derive(move || target.get().map(|l| l.as_str().to_string()).unwrap_or_default())
                    options=Signal::derive(move || higher.iter().map(|l| (l.as_str().to_string(), i18n.t(|s| s.concern.level(*l)).to_string())).collect())
                    on_pick=move |v| target.set(Level::parse(&v))
                    {..} id="escalate-to"/>
            })}
            {(which == Form::Feedback).then(|| view! {
                <label>{move || i18n.t(|s| s.concern.satisfaction)}</label>
                <div class="stars" role="radiogroup" data-testid="stars">
                    {(1..=5u8).map(|n| {
                        let lit = Memo::new(move |_| stars.get() >= n);
                        view! {
                            <button type="button" class="star" class:star-on=lit id=format!("star-{n}")
                                aria-label=move || fill(i18n.t(|s| s.concern.star_n), &[&n.to_string()]) aria-checked=move || (stars.get() == n).to_string()
                                role="radio" data-star=n on:click=move |_| { stars.set(n); writer.clear(); }>"★"</button>
                        }
                    }).collect_view()}
                </div>
                <FieldError writer=writer field=SATISFACTION target="star-1"/>
            })}
            <label for="action-text">{move || i18n.t(label)}</label>
            <textarea id="action-text" rows="2" maxlength=MAX_NOTE_CHARS bind:value=text></textarea>
            <LengthCount len=Signal::derive(move || text.with(|t| input_len(t))) max=MAX_NOTE_CHARS/>
            {field.map(|f| view! { <FieldError writer=writer field=f.as_str() target="action-text"/> })}
            <div class="action-row">
                <button type="submit" class="primary" data-testid="confirm" disabled=move || writer.running()>{move || i18n.t(|s| s.concern.confirm)}</button>
                <button type="button" on:click=move |_| { writer.clear(); form.set(None); }>{move || i18n.t(|s| s.concern.cancel)}</button>
            </div>
        </form>
    }
}
