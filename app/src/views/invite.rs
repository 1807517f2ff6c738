//! 我 → for community admins: invite members (role and number of phones → link + QR
//! code, copied or shared), the open invites and the member list. Talks to the relay's
//! access API.

use super::choice::Choice;
use super::members::MemberList;
use super::open_invites::OpenInvites;
use crate::i18n::{use_i18n, I18n};
use crate::qr;
use crate::session::{self, Membership};
use crate::sync::api::{self, ApiError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::Role;

/// How long an invite link works.
const INVITE_HOURS: u32 = 72;
/// Most phones one invite may admit (the relay's limit).
const MAX_INVITE_USES: u32 = 100;

#[component]
pub fn AccessAdmin() -> impl IntoView {
    let membership = session::use_session().membership;
    move || {
        membership.get().filter(|m| m.admin).map(|m| {
            let (made, made_one) = signal(0u32);
            view! {
                <InviteSection me=m.clone() made=made_one/>
                <OpenInvites me=m.clone() made=made/>
                <MemberList me=m/>
            }
        })
    }
}

/// Why an access call failed. Read the language when the answer arrives, after an `await`:
/// there is no reactive owner there to find the `I18n` context in (it panicked, killing the
/// app, when an admin's member list failed offline), so the caller passes the one it took.
pub(super) fn failure_text(i18n: I18n, e: &ApiError) -> String {
    match e {
        ApiError::Offline => i18n.t(|s| s.access.offline).to_string(),
        ApiError::Refused {
            refusal: Some(refusal),
            ..
        } => i18n.t(|s| (s.access.refusal)(*refusal)).to_string(),
        ApiError::Refused { refusal: None, .. } => i18n.t(|s| s.access.refused_other).to_string(),
    }
}

#[component]
fn InviteSection(me: Membership, made: WriteSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let role = RwSignal::new(Role::NeighbourLeader);
    let uses = RwSignal::new(1u32);
    let link = RwSignal::new(None::<(String, u32)>);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let credential = me.credential;
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let credential = credential.clone();
        let r = role.get_untracked();
        let n = uses.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::create_invite(&credential, r, INVITE_HOURS, n).await {
                Ok(token) => {
                    link.set(Some((session::invite_link(&token), n)));
                    failed.set(None);
                    made.update(|n| *n += 1);
                }
                Err(e) => failed.set(Some(failure_text(i18n, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card invite" data-testid="invite-section">
            <h2>{move || i18n.t(|s| s.access.invite_title)}</h2>
            <p class="muted">{move || i18n.t(|s| s.access.invite_intro)}</p>
            <form on:submit=create data-testid="invite-form">
                <label for="invite-role">{move || i18n.t(|s| s.access.invite_role_label)}</label>
                <Choice
                    value=Signal::derive(move || role.get().as_str().to_string())
                    options=Signal::derive(move || Role::ALL.iter().map(|r| (r.as_str().to_string(), i18n.t(|s| s.concern.role(*r)).to_string())).collect())
                    on_pick=move |v| if let Some(r) = Role::parse(&v) { role.set(r) }
                    {..} id="invite-role"/>
                <label for="invite-uses">{move || i18n.t(|s| s.access.invite_uses_label)}</label>
                <input id="invite-uses" type="number" inputmode="numeric" min="1" max=MAX_INVITE_USES
                    data-testid="invite-uses" prop:value=move || uses.get().to_string()
                    on:change=move |ev| {
                        let n = event_target_value(&ev).trim().parse().unwrap_or(1u32);
                        uses.set(n.clamp(1, MAX_INVITE_USES));
                    }/>
                <button type="submit" class="primary" data-testid="create-invite" disabled=move || busy.get()>
                    {move || i18n.t(|s| s.access.create_invite)}
                </button>
            </form>
            {move || failed.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            {move || link.get().map(|(l, n)| {
                let svg = qr::svg(&l).unwrap_or_default();
                view! {
                    <label for="invite-link">{move || i18n.t(|s| s.access.invite_link_label)}</label>
                    <input id="invite-link" readonly data-testid="invite-link" prop:value=l.clone()/>
                    <ShareButtons link=l/>
                    <div class="qr" data-testid="invite-qr" aria-label=move || i18n.t(|s| s.access.qr_title) inner_html=svg></div>
                    <p class="muted">{move || i18n.t(|s| s.access.invite_valid.of(n as usize))}</p>
                }
            })}
        </section>
    }
}

/// How the link left the phone: copied to the clipboard, or selected for the person.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Copied {
    Clipboard,
    Selected,
}

/// 复制链接 (the clipboard, or the link selected when the browser refuses) and 分享
/// (the phone's share sheet, where the browser has one).
#[component]
fn ShareButtons(link: String) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<Copied>);
    let link = StoredValue::new(link);
    let copy = move |_| {
        spawn_local(async move {
            let done = if copy_to_clipboard(&link.get_value()).await {
                Copied::Clipboard
            } else {
                select_link();
                Copied::Selected
            };
            copied.set(Some(done));
        });
    };
    let share = move |_| {
        let text = i18n.t(|s| s.access.share_text);
        share_link(text, &link.get_value());
    };
    view! {
        <div class="invite-actions">
            <button type="button" data-testid="copy-invite" on:click=copy>{move || i18n.t(|s| s.access.copy_link)}</button>
            <Show when=can_share>
                <button type="button" data-testid="share-invite" on:click=share>{move || i18n.t(|s| s.access.share_link)}</button>
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
fn select_link() {
    use wasm_bindgen::JsCast;
    if let Some(input) = document()
        .get_element_by_id("invite-link")
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
