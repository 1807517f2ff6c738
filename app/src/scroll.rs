//! Where each screen was scrolled to.
//!
//! Switching screens keeps the window, so without this a new screen opened at the previous
//! one's offset (the 记录 form half under the header after the long 我 screen). Each screen
//! (by its fragment) remembers its own offset: a screen opened for the first time starts at
//! the top, and going back to one (the list after a concern, a tab visited before) puts it
//! where it was, with as many pages of a long list open as before. 记录 always opens at the top: after a submit its form is a new one. The
//! browser's own restoration is turned off: it runs before the new screen is drawn and lands
//! on a page of the wrong height.

use crate::route::{Route, Router};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static OFFSETS: RefCell<HashMap<String, f64>> = RefCell::default();
    static ROWS: RefCell<HashMap<String, usize>> = RefCell::default();
}

/// How many rows a paged list (by screen and list) last showed.
pub fn rows_shown(list: &str) -> Option<usize> {
    ROWS.with(|r| r.borrow().get(list).copied())
}

pub fn keep_rows_shown(list: &str, rows: usize) {
    ROWS.with(|r| r.borrow_mut().insert(list.to_string(), rows));
}

/// Remembers how far the screen at `route` is scrolled: call before leaving it, while it
/// is still drawn.
pub fn leaving(route: &Route) {
    let y = window().scroll_y().unwrap_or(0.0);
    OFFSETS.with(|o| o.borrow_mut().insert(route.to_hash(), y));
}

/// Puts each screen `router` shows where it was last left (the top the first time).
pub fn install(router: Router) {
    if let Ok(history) = window().history() {
        let _ = js_sys::Reflect::set(
            &history,
            &JsValue::from_str("scrollRestoration"),
            &JsValue::from_str("manual"),
        );
    }
    Effect::new(move |previous: Option<String>| {
        let key = router.0.with(|r| r.to_hash());
        if previous.is_some_and(|p| p != key) {
            let remembered = router.0.with_untracked(|r| *r != Route::Record);
            let to = remembered
                .then(|| OFFSETS.with(|o| o.borrow().get(&key).copied()))
                .flatten()
                .unwrap_or(0.0);
            // After the new screen is drawn.
            let restore = Closure::once_into_js(move || window().scroll_to_with_x_and_y(0.0, to));
            let _ = window().request_animation_frame(restore.unchecked_ref());
        }
        key
    });
}

/// Back to the top of the current screen (tapping the tab of the screen one is on).
pub fn to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}
