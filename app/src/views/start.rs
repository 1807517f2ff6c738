use crate::i18n::use_i18n;
use crate::session;
use leptos::prelude::*;

#[component]
pub fn StartScreen() -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let invite = RwSignal::new(String::new());
    let invite_error = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked().trim().to_string();
        if !n.is_empty() {
            session::create_community(n);
        }
    };
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invite_error.set(!session::join_community(&invite.get_untracked()));
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(|s| s.start_title)}</h2>
            <p class="muted">{move || i18n.t(|s| s.start_intro)}</p>
            <form on:submit=create data-testid="create-community">
                <label for="community-name">{move || i18n.t(|s| s.community_name_label)}</label>
                <input
                    id="community-name"
                    name="community-name"
                    autocomplete="off"
                    placeholder=move || i18n.t(|s| s.community_name_placeholder)
                    bind:value=name
                />
                <button type="submit" class="primary">{move || i18n.t(|s| s.create_community)}</button>
            </form>
        </section>
        <section class="card">
            <h2>{move || i18n.t(|s| s.join_title)}</h2>
            <form on:submit=join data-testid="join-community">
                <label for="invite">{move || i18n.t(|s| s.join_label)}</label>
                <input
                    id="invite"
                    name="invite"
                    autocomplete="off"
                    placeholder=move || i18n.t(|s| s.join_placeholder)
                    bind:value=invite
                />
                <Show when=move || invite_error.get()>
                    <p class="error" role="alert">{move || i18n.t(|s| s.join_invalid)}</p>
                </Show>
                <button type="submit">{move || i18n.t(|s| s.join_button)}</button>
            </form>
        </section>
    }
}
