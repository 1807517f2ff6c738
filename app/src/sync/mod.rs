//! The WebSocket adapter: keeps the open community in sync with the relay
//! through the shared automerge-repo client core (`linli_shared::wire`).

pub mod api;
mod pending;
mod socket;

pub use socket::connect;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What the sync badge shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// No connection to the relay: the phone has no network, or no socket is open.
    Offline,
    /// The phone is online and a socket to the relay is being opened.
    Connecting,
    /// Connected; the relay does not yet hold every local change.
    Syncing,
    /// The relay confirmed (after storing durably) that it holds every local change.
    Synced,
}

impl SyncStatus {
    pub fn css(self) -> &'static str {
        match self {
            SyncStatus::Offline => "offline",
            SyncStatus::Connecting => "connecting",
            SyncStatus::Syncing => "syncing",
            SyncStatus::Synced => "synced",
        }
    }
}

/// The socket's state, as the connection reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Being opened (or about to be: the page just started).
    Connecting,
    /// The relay answered `join` on the open socket.
    Joined,
    /// No socket: it closed, or it could not be opened; a retry is scheduled.
    Down,
}

#[derive(Clone, Copy)]
pub struct SyncSignals {
    pub link: RwSignal<Link>,
    /// `navigator.onLine`, kept current by the `online` / `offline` events.
    pub online: RwSignal<bool>,
    /// The relay acknowledged every open document as it is on this phone.
    pub all_synced: RwSignal<bool>,
    /// Local changes the relay has not acknowledged yet.
    pub pending: RwSignal<usize>,
}

impl SyncSignals {
    pub fn new() -> Self {
        let signals = SyncSignals {
            link: RwSignal::new(Link::Connecting),
            online: RwSignal::new(navigator_online()),
            all_synced: RwSignal::new(false),
            pending: RwSignal::new(0),
        };
        for event in ["online", "offline"] {
            let online = signals.online;
            let track =
                Closure::<dyn FnMut(web_sys::Event)>::new(move |_| online.set(navigator_online()));
            let _ =
                window().add_event_listener_with_callback(event, track.as_ref().unchecked_ref());
            track.forget();
        }
        signals
    }

    /// Offline only without network or socket; 已同步 only once the relay acknowledged all.
    pub fn status(&self) -> SyncStatus {
        if !self.online.get() {
            return SyncStatus::Offline;
        }
        match self.link.get() {
            Link::Connecting => SyncStatus::Connecting,
            Link::Down => SyncStatus::Offline,
            Link::Joined if self.all_synced.get() => SyncStatus::Synced,
            Link::Joined => SyncStatus::Syncing,
        }
    }
}

pub(crate) fn navigator_online() -> bool {
    window().navigator().on_line()
}
