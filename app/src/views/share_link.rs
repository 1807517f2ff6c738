//! Sending a link on from the phone: 复制链接 and 分享, for an invite (我 → 邀请) and for a
//! report link's poster (吹哨). WeChat is how most of it travels, so both matter.

use crate::i18n::{use_i18n, Strings};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How the link left the phone: copied to the clipboard, or selected for the person.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    Clipboard,
    Selected,
}

/// 复制链接 (the clipboard, or the link selected in the field `input_id` when the browser
/// refuses) and 分享 (the phone's share sheet, where the browser has one, with `text`).
/// Their test ids: `copy-{testid}`, `share-{testid}` and `copy-result`.
#[component]
pub fn ShareButtons(
    link: String,
    input_id: &'static str,
    testid: &'static str,
    text: fn(&'static Strings) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<Copied>);
    let link = StoredValue::new(link);
    let copy = move |_| {
        spawn_local(async move {
            let done = if copy_to_clipboard(&link.get_value()).await {
                Copied::Clipboard
            } else {
                select_link(input_id);
                Copied::Selected
            };
            copied.set(Some(done));
        });
    };
    let share = move |_| {
        share_link(i18n.t(text), &link.get_value());
    };
    view! {
        <div class="invite-actions">
            <button type="button" data-testid=format!("copy-{testid}") on:click=copy>{move || i18n.t(|s| s.access.copy_link)}</button>
            <Show when=can_share>
                <button type="button" data-testid=format!("share-{testid}") on:click=share>{move || i18n.t(|s| s.access.share_link)}</button>
            </Show>
        </div>
        {move || copied.get().map(|how| {
            let kind = if how == Copied::Clipboard { "clipboard" } else { "selected" };
            view! {
                <p class="muted" role="status" data-testid="copy-result" data-copied=kind>
                    {move || if how == Copied::Clipboard { i18n.t(|s| s.access.copied) } else { i18n.t(|s| s.access.copy_selected) }}
                </p>
            }
        })}
    }
}

fn navigator_member(name: &str) -> Option<wasm_bindgen::JsValue> {
    let v = js_sys::Reflect::get(&window().navigator(), &name.into()).ok()?;
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

fn can_share() -> bool {
    navigator_member("share").is_some()
}

/// `navigator.clipboard.writeText`; false where there is none or it was refused.
async fn copy_to_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(clipboard) = navigator_member("clipboard") else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else {
        return false;
    };
    match write.call1(&clipboard, &text.into()) {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise))
            .await
            .is_ok(),
        Err(_) => false,
    }
}

/// Selects the link's text so a long press copies it.
fn select_link(input_id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) = document()
        .get_element_by_id(input_id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        let _ = input.focus();
        input.select();
    }
}

/// `navigator.share({text, url})`: the phone's own share sheet (WeChat and the rest).
fn share_link(text: &str, url: &str) {
    use wasm_bindgen::JsCast;
    let Some(share) = navigator_member("share").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"text".into(), &text.into());
    let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
    if let Ok(promise) = share.call1(&window().navigator(), &data) {
        // Cancelling the sheet rejects the promise: nothing to tell.
        spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await;
        });
    }
}
