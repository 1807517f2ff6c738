//! Rarely used screens live in wasm parts of their own (issue 14): the page loads only
//! the main part (我的, 全部, 记录, a concern's page without its photos and history); each
//! function below is a split point
//! (`wasm_split`), and `scripts/split_wasm.mjs` (Trunk's post-build hook) cuts the code
//! only it reaches into a lazy part, fetched on first use — from the service worker's
//! cache once the app has been online once.
//!
//! A part that cannot be fetched (offline before the service worker cached it) is said
//! with a retry button: `fallible`, so a failed load never aborts the app.

use super::concerns::ConcernPhotos;
use super::history::{HistoryPanel, Of};
use super::invite::AccessAdmin;
use super::ledger::LedgerScreen;
use super::meetings::{MeetingScreen, MeetingsScreen};
use super::org_editor::OrgEditor;
use super::photo_picker::PhotoPicker;
use super::profile::ProfileScreen;
use super::report_links::ReportLinksScreen;
use super::take_back::ConcernTakeBack;
use crate::i18n::use_i18n;
use crate::route::LedgerPage;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use linli_shared::domain::Concern;
use std::future::Future;

type Part = Result<AnyView, SplitLoaderError>;

#[wasm_split(ledger, wasm_split_path = ::leptos::wasm_split, fallible)]
fn ledger(page: LedgerPage) -> Part {
    Ok(view! { <LedgerScreen page=page/> }.into_any())
}

#[wasm_split(meetings, wasm_split_path = ::leptos::wasm_split, fallible)]
fn meetings() -> Part {
    Ok(view! { <MeetingsScreen/> }.into_any())
}

#[wasm_split(meetings, wasm_split_path = ::leptos::wasm_split, fallible)]
fn meeting(id: String) -> Part {
    Ok(view! { <MeetingScreen id=id/> }.into_any())
}

#[wasm_split(admin, wasm_split_path = ::leptos::wasm_split, fallible)]
fn admin() -> Part {
    Ok(view! { <AccessAdmin/><OrgEditor/> }.into_any())
}

#[wasm_split(report_links, wasm_split_path = ::leptos::wasm_split, fallible)]
fn report_links() -> Part {
    Ok(view! { <ReportLinksScreen/> }.into_any())
}

#[wasm_split(photos, wasm_split_path = ::leptos::wasm_split, fallible)]
fn picker(
    photos: Signal<Vec<String>>,
    on_add: Callback<String>,
    on_remove: Callback<String>,
) -> Part {
    Ok(view! { <PhotoPicker photos on_add on_remove/> }.into_any())
}

#[wasm_split(photos, wasm_split_path = ::leptos::wasm_split, fallible)]
fn gallery(concern_id: String, ids: Vec<String>) -> Part {
    Ok(view! { <ConcernPhotos concern_id ids/> }.into_any())
}

#[wasm_split(history, wasm_split_path = ::leptos::wasm_split, fallible)]
fn history(of: Of) -> Part {
    Ok(view! { <HistoryPanel of/> }.into_any())
}

#[wasm_split(profile, wasm_split_path = ::leptos::wasm_split, fallible)]
fn profile() -> Part {
    Ok(view! { <ProfileScreen/> }.into_any())
}

#[wasm_split(take_back, wasm_split_path = ::leptos::wasm_split, fallible)]
fn take_back(concern: Concern) -> Part {
    Ok(view! { <ConcernTakeBack concern/> }.into_any())
}

/// 我: my name, role and unit, the text size and language (the admin sections are a part
/// of their own within it).
pub fn profile_screen() -> impl IntoView {
    part(profile)
}

/// A concern's 删除（记错了） / 合并到…
pub fn concern_take_back(concern: Concern) -> impl IntoView {
    part(move || take_back(concern.clone()))
}

/// 记录's photos: take or choose them, compressed on the phone (issue 5).
pub fn photo_picker(
    photos: Signal<Vec<String>>,
    on_add: Callback<String>,
    on_remove: Callback<String>,
) -> impl IntoView {
    part(move || picker(photos, on_add, on_remove))
}

/// A concern's photos on its page, and adding one later.
pub fn concern_photos(concern_id: String, ids: Vec<String>) -> impl IntoView {
    part(move || gallery(concern_id.clone(), ids.clone()))
}

/// 修改记录 once opened: who changed what, and who wrote which notes.
pub fn history_panel(of: Of) -> impl IntoView {
    part(move || history(of.clone()))
}

/// 台账 (issue 7): the dashboard, visits, tasks, service day, fund and exports.
pub fn ledger_screen(page: LedgerPage) -> impl IntoView {
    part(move || ledger(page))
}

/// 议事: the meeting list and the form to make one.
pub fn meetings_screen() -> impl IntoView {
    part(meetings)
}

/// One meeting, live, with its minutes.
pub fn meeting_screen(id: String) -> impl IntoView {
    part(move || meeting(id.clone()))
}

/// On 我: invites (with their QR codes), open invites, members, and the org tree editor.
pub fn admin_sections() -> impl IntoView {
    part(admin)
}

/// 扫码反映二维码 (吹哨): report links and their posters.
pub fn report_links_screen() -> impl IntoView {
    part(report_links)
}

/// Shows a lazy part once loaded: a small loading line meanwhile (it appears only if the
/// part takes over a quarter second: `.part-loading` in style/main.css), and if it cannot
/// be fetched, why, with a retry.
fn part<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Part> + 'static,
{
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=move || view! { <p class="muted part-loading" data-testid="part-loading">{move || i18n.t(|s| s.loading)}</p> }>
            {move || {
                attempt.track();
                let loading = load();
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    loading.await.unwrap_or_else(|_| view! {
                        <div class="banner banner-warn" role="alert" data-testid="part-failed">
                            <span>{move || i18n.t(|s| s.part_failed)}</span>
                            <button type="button" data-testid="part-retry" on:click=move |_| attempt.update(|n| *n += 1)>
                                {move || i18n.t(|s| s.part_retry)}
                            </button>
                        </div>
                    }.into_any())
                }))
            }}
        </Suspense>
    }
}
