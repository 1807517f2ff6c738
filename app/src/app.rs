//! The root component: chooses the screen from the start-up phase.

use crate::i18n::{save_lang, saved_lang};
use crate::i18n::{use_i18n, I18n, Lang};
use crate::route::Router;
use crate::session::{use_session, Phase, Session};
use crate::views::{Header, JoiningScreen, Shell, StartScreen};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(saved_lang().unwrap_or(Lang::ZhHans));
    provide_context(I18n(lang));
    let session = Session::new();
    provide_context(session);
    let community = crate::community::provide_community();
    crate::session::keep_snapshot(session, community);
    let phase = session.phase;
    let router = Router::install();
    provide_context(router);
    crate::scroll::install(router);
    session.start();
    crate::pwa::register_service_worker();

    Effect::new(move |_| {
        let l = lang.get();
        save_lang(l);
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", l.code());
        }
    });

    view! {
        <Header/>
        <StorageBanner/>
        <main class="screen">
            {move || match phase.get() {
                Phase::Loading => view! { <Loading/> }.into_any(),
                Phase::Start => view! { <StartScreen/> }.into_any(),
                Phase::Joining => view! { <JoiningScreen/> }.into_any(),
                Phase::Ready => view! { <Shell/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted" data-testid="loading">{move || i18n.t(|s| s.loading)}</p> }
}

/// Storage failures are shown, never swallowed.
#[component]
fn StorageBanner() -> impl IntoView {
    let i18n = use_i18n();
    let docs = use_session().docs;
    move || {
        docs.storage_error.get().map(|e| {
            let text = match e {
                crate::storage::StorageError::Unavailable(_) => i18n.t(|s| s.storage_unavailable),
                crate::storage::StorageError::QuotaExceeded => i18n.t(|s| s.storage_full),
                crate::storage::StorageError::EngineUnavailable => i18n.t(|s| s.part_failed),
                _ => i18n.t(|s| s.storage_failed),
            };
            view! { <div class="banner banner-error" role="alert" data-testid="storage-error">{text}</div> }
        })
    }
}
