//! 议事: meeting list and the live meeting page.

use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn MeetingsScreen() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{move || i18n.t(|s| s.meetings.title)}</h2>
            <p class="muted">{move || i18n.t(|s| s.meetings.empty)}</p>
        </section>
    }
}

#[component]
pub fn MeetingScreen(id: String) -> impl IntoView {
    let _ = id;
    view! { <section class="card"></section> }
}
