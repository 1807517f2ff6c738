//! 大字模式: a phone-local setting that scales every font size. All sizes are
//! in rem, so a class on <html> (`large-text`, see style/main.css) is enough.

use leptos::prelude::*;

const KEY: &str = "linli.largeText";

fn root() -> Option<web_sys::Element> {
    window().document()?.document_element()
}

/// Whether the setting is on (stored in this phone's localStorage).
pub fn saved() -> bool {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .is_some_and(|v| v == "1")
}

/// Puts the class on <html> (or takes it off).
pub fn apply(on: bool) {
    if let Some(r) = root() {
        let _ = r.class_list().toggle_with_force("large-text", on);
    }
}

/// Applies and stores the setting.
pub fn set(on: bool) {
    apply(on);
    if let Ok(Some(s)) = window().local_storage() {
        let _ = s.set_item(KEY, if on { "1" } else { "0" });
    }
}

/// The switch on the 我 screen.
#[component]
pub fn LargeTextSetting() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let on = RwSignal::new(saved());
    view! {
        <section class="card" data-testid="text-size">
            <h2>{move || i18n.t(|s| s.records.text_size)}</h2>
            <label class="check">
                <input type="checkbox" data-testid="large-text"
                    prop:checked=move || on.get()
                    on:change=move |ev| { let v = event_target_checked(&ev); on.set(v); set(v); }/>
                " " {move || i18n.t(|s| s.records.larger_text)}
            </label>
            <p class="muted">{move || i18n.t(|s| s.records.larger_text_hint)}</p>
        </section>
    }
}
