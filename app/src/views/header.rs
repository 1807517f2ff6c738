use super::choice::Choice;
use crate::i18n::{use_i18n, Lang};
use crate::session::{use_session, Phase};
use crate::sync::SyncStatus;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <Title/>
            <SyncBadge/>
            <Choice
                value=Signal::derive(move || i18n.lang().code().to_string())
                options=Signal::stored(Lang::ALL.into_iter().map(|l| (l.code().to_string(), l.strings().lang_name.to_string())).collect())
                on_pick=move |v| if let Some(l) = Lang::from_code(&v) { i18n.0.set(l) }
                {..} class="lang" aria-label=move || i18n.t(|s| s.records.language)/>
        </header>
    }
}

/// The app's name, and once a community's data is here, the community's name instead.
#[component]
fn Title() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let community = crate::community::use_community();
    let name = Memo::new(move |_| {
        if session.phase.get() != Phase::Ready {
            return String::new();
        }
        community.0.with(|c| c.name.clone())
    });
    move || {
        let n = name.get();
        if n.is_empty() {
            view! { <h1 class="app-name">{move || i18n.t(|s| s.app_name)}</h1> }.into_any()
        } else {
            let title = n.clone();
            view! {
                <h1 class="app-name community-name" data-testid="community-name" title=title>{n}</h1>
            }
            .into_any()
        }
    }
}

/// 离线 / 连接中 / 同步中 / 已同步, and without a connection the number of changes the
/// relay lacks ("离线 · 3 条待发送").
/// 已同步 only once the relay confirmed it holds every change. Before there is a
/// community to sync, only 离线 is shown.
#[component]
fn SyncBadge() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (sync, phase) = (session.sync, session.phase);
    let status = Memo::new(move |_| sync.status());
    let shown = move || status.get() == SyncStatus::Offline || phase.get() != Phase::Start;
    let label = move || {
        let word = match status.get() {
            SyncStatus::Offline => i18n.t(|s| s.sync_offline),
            SyncStatus::Connecting => i18n.t(|s| s.sync_connecting),
            SyncStatus::Syncing => i18n.t(|s| s.sync_syncing),
            SyncStatus::Synced => i18n.t(|s| s.sync_synced),
            SyncStatus::SetAside => i18n.t(|s| s.sync_set_aside),
        };
        // Counted against what the relay last acknowledged: while connected, what arrives
        // from the relay would look unsent until it is acknowledged, so only without a
        // connection is the number shown.
        let connected = matches!(
            status.get(),
            SyncStatus::Syncing | SyncStatus::Synced | SyncStatus::SetAside
        );
        match sync.pending.get() {
            0 => word.to_string(),
            _ if connected => word.to_string(),
            n => format!(
                "{word} · {}",
                i18n.t(|s| s.sync_pending).replace("{n}", &n.to_string())
            ),
        }
    };
    view! {
        <Show when=shown>
            <span
                class=move || format!("sync sync-{}", status.get().css())
                data-testid="sync-status"
                data-status=move || status.get().css()
                data-pending=move || sync.pending.get().to_string()
                data-set-aside=move || sync.set_aside.get().to_string()
                role="status"
            >
                {label}
            </span>
        </Show>
    }
}
