//! Installable-app plumbing: the service worker that keeps the app shell for
//! offline starts, and a request that the browser keep our storage.

use leptos::prelude::window;
use wasm_bindgen_futures::JsFuture;

pub fn register_service_worker() {
    let navigator = window().navigator();
    // Absent on insecure origins; the app still works online without it.
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
    let storage = navigator.storage();
    if let Ok(promise) = storage.persist() {
        leptos::task::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}
