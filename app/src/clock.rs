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
