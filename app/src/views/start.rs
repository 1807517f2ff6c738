use crate::i18n::use_i18n;
use crate::session::{use_session, Notice};
use crate::views::refusal::FieldError;
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{DomainError, Field};

#[component]
pub fn StartScreen() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name = RwSignal::new(String::new());
    let writer = Writer::new();
    // A second tap while the community is being made would make a second one (the
    // screen goes away once it is ready; a storage failure shows its own banner).
    let creating = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if creating.get_untracked() {
            return;
        }
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            let why = i18n.refusal(&DomainError::Empty(Field::CommunityName));
            writer.refuse(Field::CommunityName.as_str(), &why);
        } else {
            creating.set(true);
            session.create_community(n);
        }
    };
    let notice = session.notice;
    view! {
        {move || notice.get().map(|n| {
            let (testid, text) = match n {
                Notice::Revoked => ("revoked", i18n.t(|s| s.access.revoked_message)),
                Notice::InviteRefused => ("join-refused", i18n.t(|s| s.access.join_refused)),
                Notice::JoinOffline => ("join-offline", i18n.t(|s| s.access.join_offline)),
                Notice::RegistrationPending => ("registration-pending", i18n.t(|s| s.access.registration_pending)),
                Notice::NeedsInvite => ("needs-invite", i18n.t(|s| s.access.needs_invite)),
            };
            view! { <section class="card"><p class="error" role="alert" data-testid=testid>{text}</p></section> }
        })}
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
                <FieldError writer=writer field=Field::CommunityName.as_str() target="community-name"/>
                <button type="submit" class="primary" disabled=move || creating.get()>{move || i18n.t(|s| s.create_community)}</button>
            </form>
        </section>
        <section class="card" data-testid="join-hint">
            <h2>{move || i18n.t(|s| s.join_title)}</h2>
            <p class="muted">{move || i18n.t(|s| s.access.join_hint)}</p>
        </section>
    }
}
