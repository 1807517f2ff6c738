use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Shown while a joined community's data is still on its way from the relay.
#[component]
pub fn JoiningScreen() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="joining">
            <p>{move || i18n.t(|s| s.joining)}</p>
        </section>
    }
}
