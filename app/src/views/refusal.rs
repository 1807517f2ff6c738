//! Where a refusal shows: beside the field it is about (scrolled into view,
//! the field focused), or at the foot of the form for everything else.

use crate::write::Writer;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Brings the element with id `id` to the middle of the screen and focuses it.
pub fn reveal(id: &str) {
    let Some(el) = document().get_element_by_id(id) else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Scrolls a form that opened on a tap into view (it may open below the fold).
pub fn reveal_soon(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(id) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

/// The error about `field`, shown under it; `target` is the id of the element
/// to scroll to and focus (the input).
#[component]
pub fn FieldError(
    writer: Writer,
    field: &'static str,
    #[prop(into)] target: String,
) -> impl IntoView {
    writer.show_beside(field);
    let message = Memo::new(move |_| {
        writer
            .refused()
            .filter(|r| r.field == Some(field))
            .map(|r| r.message)
    });
    Effect::new(move |_| {
        if message.get().is_some() {
            let target = target.clone();
            request_animation_frame(move || reveal(&target));
        }
    });
    view! {
        {move || message.get().map(|m| view! {
            <p class="error field-error" role="alert" data-testid="field-error" data-field=field>{m}</p>
        })}
    }
}

/// Every refusal not shown beside its field, at the foot of the form.
#[component]
pub fn Refusal(writer: Writer) -> impl IntoView {
    let node = NodeRef::<leptos::html::P>::new();
    let message = Memo::new(move |_| {
        writer
            .refused()
            .filter(|r| r.field.is_none_or(|f| !writer.shown_beside(f)))
            .map(|r| r.message)
    });
    Effect::new(move |_| {
        if message.get().is_some() {
            request_animation_frame(move || {
                if let Some(p) = node.get_untracked() {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Center);
                    p.scroll_into_view_with_scroll_into_view_options(&options);
                }
            });
        }
    });
    view! {
        {move || message.get().map(|m| view! {
            <p class="error" role="alert" data-testid="refused" node_ref=node>{m}</p>
        })}
    }
}
