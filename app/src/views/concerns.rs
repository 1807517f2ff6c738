use crate::i18n::{use_i18n, Strings};
use crate::random;
use crate::session;
use crate::workspace::{Workspace, WorkspaceSignals};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{self, Concern, ConcernStatus, Ctx, NewConcern};

/// The community's concerns, newest first, with the form to record one.
#[component]
pub fn ConcernsScreen() -> impl IntoView {
    let i18n = use_i18n();
    let ws = expect_context::<WorkspaceSignals>();
    let concerns = Memo::new(move |_| {
        ws.opened.track();
        let Some(w) = Workspace::current() else {
            return Vec::new();
        };
        if let Some(rev) = w.revision(w.community) {
            rev.track();
        }
        w.read(w.community, |d| {
            domain::list_concerns(d).unwrap_or_default()
        })
    });
    let invite = Memo::new(move |_| {
        ws.opened.track();
        Workspace::current().map(|w| session::invite_link(w.community))
    });
    view! {
        <NewConcernForm/>
        <section class="card">
            <h2>{move || i18n.t(|s| s.concerns_title)}</h2>
            <Show
                when=move || !concerns.with(|c| c.is_empty())
                fallback=move || view! { <p class="muted">{move || i18n.t(|s| s.concerns_empty)}</p> }
            >
                <ul class="concern-list" data-testid="concern-list">
                    <For
                        each=move || concerns.get()
                        key=|c| format!("{}:{:?}", c.id, c.status)
                        children=move |c: Concern| view! { <ConcernRow concern=c/> }
                    />
                </ul>
            </Show>
        </section>
        <section class="card invite">
            <label for="invite-link">{move || i18n.t(|s| s.invite_label)}</label>
            <input id="invite-link" readonly data-testid="invite-link" prop:value=move || invite.get().unwrap_or_default()/>
        </section>
    }
}

#[component]
fn ConcernRow(concern: Concern) -> impl IntoView {
    let i18n = use_i18n();
    let status = concern.status;
    view! {
        <li class="concern" data-testid="concern" data-id=concern.id.clone()>
            <span class="concern-title">{concern.title.clone()}</span>
            <span class=format!("chip status-{status:?}").to_lowercase()>
                {move || status_text(i18n.0.get().strings(), status)}
            </span>
        </li>
    }
}

pub fn status_text(s: &Strings, status: ConcernStatus) -> &'static str {
    match status {
        ConcernStatus::Open => s.status_open,
        ConcernStatus::Claimed => s.status_claimed,
        ConcernStatus::Reopened => s.status_reopened,
        ConcernStatus::Resolved => s.status_resolved,
        ConcernStatus::Closed => s.status_closed,
    }
}

#[component]
fn NewConcernForm() -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let refused = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = title.get_untracked().trim().to_string();
        missing.set(text.is_empty());
        let Some(ws) = Workspace::current() else {
            return;
        };
        if text.is_empty() {
            return;
        }
        spawn_local(async move {
            let ctx = Ctx {
                actor: ws.member_id.clone(),
                now_ms: js_sys::Date::now() as i64,
            };
            let new = NewConcern {
                id: random::hex_id(),
                title: text,
                ..Default::default()
            };
            let community = ws.community;
            match ws
                .apply(community, move |d| domain::record_concern(d, &ctx, new))
                .await
            {
                None => {}
                Some(Ok(_)) => {
                    title.set(String::new());
                    refused.set(None);
                }
                Some(Err(e)) => refused.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card">
            <form on:submit=submit data-testid="new-concern">
                <label for="concern-title">{move || i18n.t(|s| s.new_concern_label)}</label>
                <textarea
                    id="concern-title"
                    name="concern-title"
                    rows="2"
                    placeholder=move || i18n.t(|s| s.new_concern_placeholder)
                    bind:value=title
                ></textarea>
                <Show when=move || missing.get()>
                    <p class="error" role="alert">{move || i18n.t(|s| s.title_required)}</p>
                </Show>
                {move || refused.get().map(|why| view! {
                    <p class="error" role="alert">{i18n.t(|s| s.domain_error)}{why}</p>
                })}
                <button type="submit" class="primary">{move || i18n.t(|s| s.add_concern)}</button>
            </form>
        </section>
    }
}
