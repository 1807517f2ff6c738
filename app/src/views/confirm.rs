//! The question asked in place of a button before a step that is hard to take back (revoke
//! a member, cancel an invite, change who is admin): the question, a yes and a cancel.

use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn Confirm(
    /// `data-testid`s of the box, its yes button and its cancel button.
    testids: [&'static str; 3],
    question: Signal<&'static str>,
    yes: Signal<&'static str>,
    /// The yes button's class: `danger` or `primary`.
    yes_class: &'static str,
    on_yes: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let [box_id, yes_id, cancel_id] = testids;
    view! {
        <div class="confirm-revoke" data-testid=box_id role="alert">
            <p>{move || question.get()}</p>
            <button type="button" class=yes_class data-testid=yes_id on:click=move |_| on_yes.run(())>
                {move || yes.get()}
            </button>
            <button type="button" data-testid=cancel_id on:click=move |_| on_cancel.run(())>
                {move || i18n.t(|s| s.access.cancel)}
            </button>
        </div>
    }
}
