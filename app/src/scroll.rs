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
use std::collections::HashMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Each screen's scroll offset and each paged list's rows shown; part of the
/// [`Router`] (made once at the root).
#[derive(Clone, Copy)]
pub struct ScrollMemory {
    offsets: StoredValue<HashMap<String, f64>>,
    rows: StoredValue<HashMap<String, usize>>,
}

impl ScrollMemory {
    pub fn new() -> Self {
        ScrollMemory {
            offsets: StoredValue::new(HashMap::new()),
            rows: StoredValue::new(HashMap::new()),
        }
    }

    /// How many rows a paged list (by screen and list) last showed.
    pub fn rows_shown(self, list: &str) -> Option<usize> {
        self.rows.try_with_value(|r| r.get(list).copied()).flatten()
    }

    pub fn keep_rows_shown(self, list: &str, rows: usize) {
        self.rows
            .try_update_value(|r| r.insert(list.to_string(), rows));
    }

    /// Remembers how far the screen at `route` is scrolled: call before leaving it, while
    /// it is still drawn.
    pub fn leaving(self, route: &Route) {
        let y = window().scroll_y().unwrap_or(0.0);
        self.offsets
            .try_update_value(|o| o.insert(route.to_hash(), y));
    }

    fn offset(self, key: &str) -> Option<f64> {
        self.offsets
            .try_with_value(|o| o.get(key).copied())
            .flatten()
    }
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
                .then(|| router.scroll().offset(&key))
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
