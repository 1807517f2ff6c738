//! What can be done to a concern now: claim, release, escalate, resolve,
//! feedback, reopen, support. The domain validates; refusals are shown.

use crate::community::{act, use_community};
use crate::i18n::use_i18n;
use crate::views::text_limit::{input_len, LengthCount};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{self, Concern, ConcernStatus, Ctx, DomainError, Level, MAX_NOTE_CHARS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Escalate,
    Resolve,
    Feedback,
    Reopen,
}

type Command = Box<dyn FnOnce(&mut automerge::AutoCommit, &Ctx) -> Result<(), DomainError>>;

#[component]
pub fn Actions(concern: Concern) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let me = community.0.with_untracked(|c| c.me.clone());
    let form = RwSignal::new(None::<Form>);
    let refused = RwSignal::new(None::<String>);
    let run = move |command: Command| {
        spawn_local(async move {
            match act(command).await {
                Ok(()) => {
                    refused.set(None);
                    form.set(None);
                }
                Err(e) => refused.set(Some(e.to_string())),
            }
        });
    };
    let id = concern.id.clone();
    let mine = concern.claim.as_ref().is_some_and(|c| c.by == me);
    let status = concern.status;
    let already_supported = concern.supporters.contains_key(&me) || concern.raised_by == me;
    let button = move |label: fn(&crate::i18n::Strings) -> &'static str,
                       testid: &'static str,
                       primary: bool,
                       on: Box<dyn Fn() + Send + Sync>| {
        view! {
            <button class=if primary { "primary" } else { "" } data-testid=testid on:click=move |_| on()>
                {move || i18n.t(label)}
            </button>
        }
    };
    let cmd = |f: fn(&mut automerge::AutoCommit, &Ctx, &str) -> Result<(), DomainError>,
               id: String|
     -> Box<dyn Fn() + Send + Sync> {
        Box::new(move || {
            let id = id.clone();
            run(Box::new(move |d, ctx| f(d, ctx, &id)))
        })
    };
    let open =
        |which: Form| -> Box<dyn Fn() + Send + Sync> { Box::new(move || form.set(Some(which))) };
    let support_id = id.clone();
    let me_support = me.clone();
    let support: Box<dyn Fn() + Send + Sync> = Box::new(move || {
        let (id, me) = (support_id.clone(), me_support.clone());
        run(Box::new(move |d, ctx| domain::support(d, ctx, &id, &me)))
    });
    let mut buttons = Vec::new();
    if status.is_unclaimed() {
        buttons.push(button(
            |s| s.concern.claim,
            "claim",
            true,
            cmd(domain::claim, id.clone()),
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
            cmd(domain::release, id.clone()),
        ));
    }
    if (status.is_unclaimed() || (status == ConcernStatus::Claimed && mine))
        && concern.level.next().is_some()
    {
        buttons.push(button(
            |s| s.concern.escalate,
            "escalate",
            false,
            open(Form::Escalate),
        ));
    }
    if status == ConcernStatus::Resolved {
        buttons.push(button(
            |s| s.concern.give_feedback,
            "feedback",
            true,
            open(Form::Feedback),
        ));
    }
    if status.is_done() {
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
    let level = concern.level;
    view! {
        <section class="card actions" data-testid="actions">
            <div class="action-row">{buttons}</div>
            {move || form.get().map(|f| view! { <ActionForm which=f id=id.clone() level=level run=run form=form/> })}
            {move || refused.get().map(|why| view! {
                <p class="error" role="alert" data-testid="refused">{i18n.t(|s| s.domain_error)}{why}</p>
            })}
        </section>
    }
}

#[component]
fn ActionForm(
    which: Form,
    id: String,
    level: Level,
    run: impl Fn(Command) + Copy + Send + Sync + 'static,
    form: RwSignal<Option<Form>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let stars = RwSignal::new(5u8);
    let higher: Vec<Level> = Level::ALL.iter().copied().filter(|l| *l > level).collect();
    let target = RwSignal::new(level.next());
    let label: fn(&crate::i18n::Strings) -> &'static str = match which {
        Form::Escalate => |s| s.concern.reason_label,
        Form::Resolve => |s| s.concern.resolve_summary,
        Form::Feedback => |s| s.concern.comment_label,
        Form::Reopen => |s| s.concern.reason_label,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, t) = (id.clone(), text.get_untracked());
        let command: Command = match which {
            Form::Escalate => {
                let to = target.get_untracked();
                Box::new(move |d, ctx| domain::escalate(d, ctx, &id, to, &t).map(|_| ()))
            }
            Form::Resolve => Box::new(move |d, ctx| domain::resolve(d, ctx, &id, &t)),
            Form::Feedback => {
                let n = stars.get_untracked();
                Box::new(move |d, ctx| domain::feedback(d, ctx, &id, n, &t))
            }
            Form::Reopen => Box::new(move |d, ctx| domain::reopen(d, ctx, &id, &t)),
        };
        run(command);
    };
    view! {
        <form class="action-form" data-testid=format!("form-{which:?}").to_lowercase() on:submit=submit>
            {(which == Form::Escalate).then(|| view! {
                <label for="escalate-to">{move || i18n.t(|s| s.concern.escalate_to)}</label>
                <select id="escalate-to" on:change=move |ev| target.set(Level::parse(&event_target_value(&ev)))>
                    {higher.iter().map(|l| { let l = *l; view! {
                        <option value=l.as_str() selected=move || target.get() == Some(l)>{move || i18n.t(|s| s.concern.level(l))}</option>
                    }}).collect_view()}
                </select>
            })}
            {(which == Form::Feedback).then(|| view! {
                <label>{move || i18n.t(|s| s.concern.satisfaction)}</label>
                <div class="stars" role="radiogroup" data-testid="stars">
                    {(1..=5u8).map(|n| {
                        let lit = Memo::new(move |_| stars.get() >= n);
                        view! {
                            <button type="button" class="star" class:star-on=lit
                                aria-label=n.to_string() data-star=n on:click=move |_| stars.set(n)>"★"</button>
                        }
                    }).collect_view()}
                </div>
            })}
            <label for="action-text">{move || i18n.t(label)}</label>
            <textarea id="action-text" rows="2" maxlength=MAX_NOTE_CHARS bind:value=text></textarea>
            <LengthCount len=Signal::derive(move || text.with(|t| input_len(t))) max=MAX_NOTE_CHARS/>
            <div class="action-row">
                <button type="submit" class="primary" data-testid="confirm">{move || i18n.t(|s| s.concern.confirm)}</button>
                <button type="button" on:click=move |_| form.set(None)>{move || i18n.t(|s| s.concern.cancel)}</button>
            </div>
        </form>
    }
}
