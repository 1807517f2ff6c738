use crate::i18n::{use_i18n, Lang};
use crate::sync::{SyncSignals, SyncStatus};
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <h1 class="app-name">{move || i18n.t(|s| s.app_name)}</h1>
            <SyncBadge/>
            <select
                class="lang"
                aria-label=move || i18n.t(|s| s.records.language)
                on:change=move |ev| {
                    if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                        i18n.0.set(l);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.code() selected=move || i18n.lang() == l>
                                {l.strings().lang_name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </header>
    }
}

/// 离线 / 同步中 / 已同步 — 已同步 only once the relay confirmed it holds every change.
#[component]
fn SyncBadge() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<SyncSignals>();
    let status = sync.status;
    view! {
        <span
            class=move || format!("sync sync-{}", status.get().css())
            data-testid="sync-status"
            data-status=move || status.get().css()
            role="status"
        >
            {move || match status.get() {
                SyncStatus::Offline => i18n.t(|s| s.sync_offline),
                SyncStatus::Syncing => i18n.t(|s| s.sync_syncing),
                SyncStatus::Synced => i18n.t(|s| s.sync_synced),
            }}
        </span>
    }
}
