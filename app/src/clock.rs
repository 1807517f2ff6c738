//! The app's one clock. Domain commands take the time as an argument (`Ctx`);
//! this is where the app reads it.

use leptos::prelude::window;

/// Wall-clock time in milliseconds since the epoch: what records carry.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A monotonic time in milliseconds (`performance.now()`): for measuring how
/// long something took or has been waiting, never for records.
pub fn elapsed_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// A named moment on the page's performance timeline (`performance.mark`), the first
/// time it happens in this page: read by the start-up benchmark (`tests/app_start.rs`) to
/// say where a start's time went.
pub fn mark(name: &'static str) {
    thread_local! {
        static MARKED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let first = MARKED.with_borrow_mut(|seen| {
        let first = !seen.contains(&name);
        if first {
            seen.push(name);
        }
        first
    });
    if first {
        if let Some(p) = window().performance() {
            let _ = p.mark(name);
        }
    }
}

/// Resolves once the browser has painted what is on screen now (the next animation frame),
/// or after 100 ms in a hidden tab, which gets no frames.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().request_animation_frame(&resolve);
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
