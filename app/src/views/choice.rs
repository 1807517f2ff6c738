//! A `<select>` that always shows the value its signal holds.
//!
//! Why not `prop:value` on the select or the `selected` attribute on options:
//! Leptos sets the select's `value` before its options are rendered (and does
//! not set it again when the options change), so the browser falls back to
//! another option; and an option's `selected` *attribute* stops applying once
//! the user has picked (its "dirtiness"). Binding each option's `selected`
//! *property* to the signal, keying options by value, and putting the shown
//! value back after every pick keeps what is shown and what is held equal.

use leptos::prelude::*;

/// Options as (value, label). `placeholder`, when given, is an option with
/// the empty value. `on_pick` gets the picked value; if it does not change
/// `value`, the select goes back to showing `value` (a "pick to act" menu).
#[component]
pub fn Choice(
    #[prop(into)] value: Signal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] placeholder: Option<Signal<String>>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        on_pick(event_target_value(&ev));
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        select.set_value(&value.get_untracked());
    };
    view! {
        <select on:change=on_change>
            {placeholder.map(|p| view! {
                <option value="" prop:selected=move || value.with(String::is_empty)>{p}</option>
            })}
            <For
                each=move || options.get()
                key=|o| o.clone()
                children=move |(id, label)| {
                    let mine = id.clone();
                    view! { <option value=id prop:selected=move || value.with(|v| *v == mine)>{label}</option> }
                }
            />
        </select>
    }
}
