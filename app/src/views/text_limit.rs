//! Text limits at the inputs: each input carries its domain limit as
//! `maxlength` (see `linli_shared::domain::MAX_*_CHARS`), and close to the
//! limit a count shows how much is left.

use leptos::prelude::*;

/// The length of `text` as `maxlength` counts it (UTF-16 code units).
pub fn input_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// "95/100" under an input once its text reaches 80% of `max`.
#[component]
pub fn LengthCount(#[prop(into)] len: Signal<usize>, max: usize) -> impl IntoView {
    let near = move || len.get() * 5 >= max * 4;
    let full = move || len.get() >= max;
    view! {
        <Show when=near>
            <p class="length-count" class:at-limit=full
                data-testid="length-count" aria-live="polite">
                {move || format!("{}/{max}", len.get())}
            </p>
        </Show>
    }
}
