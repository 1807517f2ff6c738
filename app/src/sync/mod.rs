//! The WebSocket adapter: keeps the open community in sync with the relay
//! through the shared automerge-repo client core (`linli_shared::wire`).

pub mod api;
mod pending;
mod quota_retry;
mod set_aside;
mod socket;

pub use socket::{SyncChannel, SyncSender};

use leptos::prelude::*;
use linli_shared::domain::{Edit, Rule};
use linli_shared::wire::quota::Quota;
use linli_shared::wire::DocumentId;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What the sync badge shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// No connection to the relay: the phone has no network, or the relay could not be
    /// reached.
    Offline,
    /// The phone is online and a socket to the relay is being opened.
    Connecting,
    /// Connected (or reconnecting to a relay that answered and closed the last socket
    /// with an error); the relay does not yet hold every local change.
    Syncing,
    /// The relay confirmed (after storing durably) that it holds every local change.
    Synced,
    /// Connected, and the relay keeps refusing a document this phone has changes to
    /// (it is set aside; the other documents keep syncing).
    SetAside,
}

impl SyncStatus {
    pub fn css(self) -> &'static str {
        match self {
            SyncStatus::Offline => "offline",
            SyncStatus::Connecting => "connecting",
            SyncStatus::Syncing => "syncing",
            SyncStatus::Synced => "synced",
            SyncStatus::SetAside => "set-aside",
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
    /// No socket, but the relay is there: it answered `join` on the last one, then reported
    /// an error and closed it (it could not store the changes, say, its database being
    /// down). A new socket is on its way; the changes are not held yet (同步中, not 离线).
    Refused,
}

/// What happens on the connection, told to its subscribers.
pub enum SyncEvent<'a> {
    /// The socket's state: connecting, connected (the relay answered `join`), down.
    Link(Link),
    /// Counted after every frame and local change: whether the relay holds every
    /// open document as it is here (synced), how many local changes it lacks, and how
    /// many documents with such changes it keeps refusing (set aside).
    Progress {
        all_synced: bool,
        pending: usize,
        set_aside: usize,
    },
    /// The relay sent changes to document `0` (already merged and stored).
    DocChanged(DocumentId),
    /// A message about an open document that is never stored (presence).
    Ephemeral {
        doc: DocumentId,
        sender: &'a str,
        data: &'a [u8],
    },
    /// The relay reported an error on this socket; `Some` when it refused to store a change
    /// for one of its limits (the socket stays open, the change stays on the phone).
    Refused(Option<Quota>),
    /// The relay refused a change under the authority rules: this rule.
    RightsRefused(Rule),
    /// After such a refusal the phone put these changes of its own aside (the refused one and
    /// those written after it) and went back to the relay's copy.
    PutAside(&'a [Edit]),
    /// The relay no longer accepts the credential: the connection stopped for good.
    Revoked,
    /// Whether the member is an admin of its community, as the relay said before connecting
    /// (another admin may have made it one, or no longer one).
    Admin(bool),
}

/// What the sync badge shows, kept current from the connection's events.
#[derive(Clone, Copy)]
pub struct SyncSignals {
    pub link: RwSignal<Link>,
    /// `navigator.onLine`, kept current by the `online` / `offline` events.
    pub online: RwSignal<bool>,
    /// The relay acknowledged every open document as it is on this phone.
    pub all_synced: RwSignal<bool>,
    /// Local changes the relay has not acknowledged yet.
    pub pending: RwSignal<usize>,
    /// Documents with such changes that the relay keeps refusing.
    pub set_aside: RwSignal<usize>,
    /// The relay refused to store a change for this limit (until everything is synced).
    pub quota: RwSignal<Option<Quota>>,
    /// The last rule the relay refused one of this phone's changes under (stays until reload).
    pub rights: RwSignal<Option<Rule>>,
    /// The changes put aside after that refusal (stays until reload).
    pub put_aside: RwSignal<Vec<Edit>>,
}

impl SyncSignals {
    pub fn new() -> Self {
        let signals = SyncSignals {
            link: RwSignal::new(Link::Connecting),
            online: RwSignal::new(navigator_online()),
            all_synced: RwSignal::new(false),
            pending: RwSignal::new(0),
            set_aside: RwSignal::new(0),
            quota: RwSignal::new(None),
            rights: RwSignal::new(None),
            put_aside: RwSignal::new(Vec::new()),
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

    /// Follows the connection: subscribe this to it.
    pub fn follow(&self, event: &SyncEvent) {
        match *event {
            SyncEvent::Link(link) => self.link.set(link),
            SyncEvent::Progress {
                all_synced,
                pending,
                set_aside,
            } => {
                self.all_synced.set(all_synced);
                self.pending.set(pending);
                self.set_aside.set(set_aside);
                if all_synced {
                    self.quota.set(None);
                }
            }
            SyncEvent::Refused(Some(quota)) => self.quota.set(Some(quota)),
            SyncEvent::RightsRefused(rule) => self.rights.set(Some(rule)),
            SyncEvent::PutAside(edits) => self.put_aside.update(|all| all.extend_from_slice(edits)),
            _ => {}
        }
    }

    /// Offline only without network or a relay that answers; 已同步 only once the relay
    /// acknowledged all.
    pub fn status(&self) -> SyncStatus {
        if !self.online.get() {
            return SyncStatus::Offline;
        }
        match self.link.get() {
            Link::Connecting => SyncStatus::Connecting,
            Link::Down => SyncStatus::Offline,
            Link::Refused => SyncStatus::Syncing,
            Link::Joined if self.all_synced.get() => SyncStatus::Synced,
            Link::Joined if self.set_aside.get() > 0 => SyncStatus::SetAside,
            Link::Joined => SyncStatus::Syncing,
        }
    }
}

pub(crate) fn navigator_online() -> bool {
    window().navigator().on_line()
}
