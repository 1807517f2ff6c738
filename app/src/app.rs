//! The root component: chooses the screen from the start-up phase.

use crate::i18n::{use_i18n, I18n, Lang};
use crate::route::Router;
use crate::session::{self, Phase};
use crate::sync::SyncSignals;
use crate::views::{Header, JoiningScreen, Shell, StartScreen};
use crate::workspace::WorkspaceSignals;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(session::saved_lang().unwrap_or(Lang::ZhHans));
    provide_context(I18n(lang));
    let ws = WorkspaceSignals::new();
    provide_context(ws);
    let sync = SyncSignals::new();
    provide_context(sync);
    let phase = RwSignal::new(Phase::Loading);
    provide_context(phase);
    let router = Router::install();
    provide_context(router);
    crate::scroll::install(router);
    session::start(phase, ws, sync);
    crate::pwa::register_service_worker();

    Effect::new(move |_| {
        let l = lang.get();
        session::save_lang(l);
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
    let ws = expect_context::<WorkspaceSignals>();
    move || {
        ws.storage_error.get().map(|e| {
            let text = match e {
                crate::storage::StorageError::Unavailable(_) => i18n.t(|s| s.storage_unavailable),
                crate::storage::StorageError::QuotaExceeded => i18n.t(|s| s.storage_full),
                _ => i18n.t(|s| s.storage_failed),
            };
            view! { <div class="banner banner-error" role="alert" data-testid="storage-error">{text}</div> }
        })
    }
}
