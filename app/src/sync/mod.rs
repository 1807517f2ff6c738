//! The WebSocket adapter: keeps the open community in sync with the relay
//! through the shared automerge-repo client core (`linli_shared::wire`).

pub mod api;
mod socket;

pub use socket::connect;

use leptos::prelude::*;

/// What the sync badge shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// No connection to the relay.
    Offline,
    /// Connected; the relay does not yet hold every local change.
    Syncing,
    /// The relay confirmed (after storing durably) that it holds every local change.
    Synced,
}

impl SyncStatus {
    pub fn css(self) -> &'static str {
        match self {
            SyncStatus::Offline => "offline",
            SyncStatus::Syncing => "syncing",
            SyncStatus::Synced => "synced",
        }
    }
}

#[derive(Clone, Copy)]
pub struct SyncSignals {
    pub status: RwSignal<SyncStatus>,
}

impl SyncSignals {
    pub fn new() -> Self {
        SyncSignals {
            status: RwSignal::new(SyncStatus::Offline),
        }
    }
}
