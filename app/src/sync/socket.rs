//! The WebSocket connection to the relay. It knows documents and frames, not
//! features: what happens on it is told as [`SyncEvent`]s to whoever subscribed
//! (the session, the status badge, presence, photos).

mod link;

use super::pending::Acknowledged;
use super::quota_retry::QuotaRetry;
use super::set_aside::SetAside;
use super::{api, Link, SyncEvent};
use crate::clock::elapsed_ms;
use crate::random;
use crate::workspace::{DocListener, Workspace};
use leptos::prelude::*;
use linli_shared::api::SyncTicket;
use linli_shared::wire::quota::Quota;
use linli_shared::wire::{DocumentId, Event, PeerId, PeerMetadata, SyncClient};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::WebSocket;

/// A relay that has not answered a `request` yet is asked again after this.
const RETRY_UNAVAILABLE_MS: u32 = 3_000;

type EventCallback = Closure<dyn FnMut(web_sys::Event)>;
type Subscriber = Box<dyn Fn(&SyncEvent)>;

/// The sync channel's state: its socket, its Automerge sync client, its subscribers.
struct Channel {
    workspace: Rc<Workspace>,
    client: RefCell<SyncClient>,
    socket: RefCell<Option<WebSocket>>,
    failures: Cell<u32>,
    /// Who hears what happens on the connection.
    subscribers: RefCell<Vec<Subscriber>>,
    /// The relay acknowledged every open document (as last counted).
    all_synced: Cell<bool>,
    /// The heads the relay last acknowledged, per document.
    acknowledged: Acknowledged,
    /// Documents the relay keeps refusing while this phone writes them.
    set_aside: SetAside,
    /// When to send again what the relay refused for a quota.
    quota_retry: QuotaRetry,
    /// The member credential: exchanged for a one-use ticket before each socket, so it
    /// never goes into a URL.
    credential: String,
    /// Asking the relay for a ticket (no socket yet).
    fetching_ticket: Cell<bool>,
    /// A ticket in hand for the next socket (the one the join answer carried), used once.
    ready_ticket: RefCell<Option<SyncTicket>>,
    /// The relay answered `join` on the current socket.
    joined: Cell<bool>,
    /// The relay sent an `error` on the current socket.
    refused: Cell<bool>,
    /// The relay answered `join` on the last socket, then closed it with an error: it is
    /// there, so until a socket joins or the relay cannot be reached the link is
    /// [`Link::Refused`] (同步中), not down (离线).
    relay_refused: Cell<bool>,
    /// Revoked: never reconnect.
    stopped: Cell<bool>,
    /// When changes were sent that the relay has not answered yet (`clock::elapsed_ms`).
    awaiting_since: Cell<Option<f64>>,
    /// Keeps the socket's JS callbacks alive for as long as the socket.
    callbacks: RefCell<Vec<EventCallback>>,
}

/// The workspace tells the connection what to sync.
struct Listener(Weak<Channel>);

impl DocListener for Listener {
    fn opened(&self, id: DocumentId) {
        if let Some(conn) = self.0.upgrade() {
            conn.sync_doc(id);
        }
    }
    fn local_change(&self, id: DocumentId) {
        if let Some(conn) = self.0.upgrade() {
            conn.sync_doc(id);
        }
    }
}

/// The connection of the page to the relay, before and after it starts.
pub struct SyncChannel(Rc<Channel>);

/// Sends through the connection while it lives (presence's heartbeat holds one).
#[derive(Clone)]
pub struct SyncSender(Weak<Channel>);

impl SyncSender {
    /// Builds a frame with the live client and sends it, if connected.
    pub fn send_with(&self, build: &dyn Fn(&SyncClient) -> Option<Vec<u8>>) {
        if let Some(c) = self.0.upgrade() {
            let frame = build(&c.client.borrow());
            c.send_all(frame.into_iter().collect());
        }
    }
}

impl SyncChannel {
    /// A connection that will sync every open document of the workspace as the
    /// member holding `credential`; [`SyncChannel::start`] starts it.
    /// `ticket`: one already in hand (from the join or registration answer) for the first
    /// socket.
    pub fn new(
        workspace: Rc<Workspace>,
        credential: String,
        ticket: Option<SyncTicket>,
    ) -> SyncChannel {
        let peer = PeerId::new(format!("linli-{}", random::hex_id()));
        SyncChannel(Rc::new(Channel {
            acknowledged: Acknowledged::new(workspace.community),
            set_aside: SetAside::default(),
            quota_retry: QuotaRetry::default(),
            workspace,
            client: RefCell::new(SyncClient::new(peer, PeerMetadata::default())),
            socket: RefCell::new(None),
            failures: Cell::new(0),
            subscribers: RefCell::new(Vec::new()),
            all_synced: Cell::new(false),
            credential,
            fetching_ticket: Cell::new(false),
            ready_ticket: RefCell::new(ticket),
            joined: Cell::new(false),
            refused: Cell::new(false),
            relay_refused: Cell::new(false),
            stopped: Cell::new(false),
            awaiting_since: Cell::new(None),
            callbacks: RefCell::new(Vec::new()),
        }))
    }

    /// `on_event` hears everything that happens on the connection from now on.
    pub fn subscribe(&self, on_event: impl Fn(&SyncEvent) + 'static) {
        self.0.subscribers.borrow_mut().push(Box::new(on_event));
    }

    pub fn sender(&self) -> SyncSender {
        SyncSender(Rc::downgrade(&self.0))
    }

    /// Starts syncing; reconnects for as long as the page lives, until the relay
    /// no longer accepts the credential ([`SyncEvent::Revoked`]).
    pub fn start(self) {
        let conn = self.0;
        let workspace = conn.workspace.clone();
        for id in workspace.open_ids() {
            conn.sync_doc(id);
        }
        workspace.set_listener(Rc::new(Listener(Rc::downgrade(&conn))));
        // Back online: don't wait for the backoff timer.
        let again = conn.clone();
        let online = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if again.socket.borrow().is_none() && !again.stopped.get() {
                again.failures.set(0);
                again.clone().open_socket();
            }
        });
        let _ =
            window().add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        online.forget();
        // No network: the socket may not notice for a long while; drop it now.
        let gone = conn.clone();
        let offline =
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| gone.clone().drop_socket());
        let _ =
            window().add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        offline.forget();
        let watched = Rc::downgrade(&conn);
        gloo_timers::callback::Interval::new(2_000, move || {
            if let Some(conn) = watched.upgrade() {
                conn.check_silence();
            }
        })
        .forget();
        conn.open_socket();
    }
}

impl Channel {
    fn emit(&self, event: SyncEvent) {
        for subscriber in self.subscribers.borrow().iter() {
            subscriber(&event);
        }
    }

    /// Opens `id` in the client (if new) and sends what the relay lacks.
    fn sync_doc(&self, id: DocumentId) {
        let frames = self.workspace.sync_open(&mut self.client.borrow_mut(), id);
        if !frames.is_empty() && self.joined.get() && self.awaiting_since.get().is_none() {
            self.awaiting_since.set(Some(elapsed_ms()));
        }
        self.send_all(frames);
        self.update_status();
    }

    fn handle_frame(self: &Rc<Self>, bytes: &[u8]) {
        self.awaiting_since.set(None);
        let out = self
            .workspace
            .handle_frame(&mut self.client.borrow_mut(), bytes);
        self.send_all(out.frames);
        for event in out.events {
            match event {
                Event::Connected { .. } => {
                    // After a socket the relay closed with an error (its database down, say)
                    // the delays keep growing: joining is not yet working.
                    if !self.relay_refused.get() {
                        self.failures.set(0);
                    }
                    self.joined.set(true);
                    self.emit(SyncEvent::Link(Link::Joined));
                }
                Event::DocChanged(id) => {
                    self.workspace.changed(id);
                    self.emit(SyncEvent::DocChanged(id));
                }
                Event::Unavailable(id) => {
                    let unsent = self
                        .workspace
                        .with_document(id, |doc| self.acknowledged.changes_since(id, doc))
                        .unwrap_or(0);
                    // The relay may still be receiving it from its author: ask again,
                    // unless it keeps refusing what this phone writes (then: on reconnect).
                    if self.set_aside.refused(id, unsent) {
                        let conn = self.clone();
                        gloo_timers::callback::Timeout::new(RETRY_UNAVAILABLE_MS, move || {
                            conn.sync_doc(id)
                        })
                        .forget();
                    }
                }
                Event::Ephemeral {
                    document_id,
                    sender_id,
                    data,
                } => self.emit(SyncEvent::Ephemeral {
                    doc: document_id,
                    sender: sender_id.as_str(),
                    data: &data,
                }),
                // Never log frame contents: they can hold residents' data.
                Event::Error(message) => {
                    self.refused.set(true);
                    leptos::logging::warn!("relay reported a sync error");
                    if let Some(rule) = linli_shared::wire::rights::rule_of_error(&message) {
                        // Sending it again would not help: the role does not allow it.
                        self.emit(SyncEvent::RightsRefused(rule));
                        if let Some(id) = linli_shared::wire::rights::document_of_error(&message) {
                            self.roll_back(id);
                        }
                        continue;
                    }
                    let quota = Quota::of_error(&message);
                    if quota.is_some() {
                        self.retry_refused_later();
                    }
                    self.emit(SyncEvent::Refused(quota));
                }
            }
        }
        self.update_status();
    }

    /// After a refusal of rights: brings document `id` back to what the relay last acknowledged
    /// (`Workspace::roll_back`) and syncs it afresh, so the phone holds the community's copy
    /// again and its next changes sync. Once per refused exchange: nothing to do when the
    /// phone holds no change the relay lacks.
    fn roll_back(self: &Rc<Self>, id: DocumentId) {
        let unsent = self
            .workspace
            .with_document(id, |doc| self.acknowledged.changes_since(id, doc))
            .unwrap_or(0);
        if unsent == 0 {
            return;
        }
        let heads = self.acknowledged.heads(id);
        let conn = self.clone();
        leptos::task::spawn_local(async move {
            let at = crate::clock::now_ms();
            match conn.workspace.roll_back(id, &heads, at).await {
                Ok(put_aside) => conn.emit(SyncEvent::PutAside(&put_aside)),
                Err(e) => {
                    leptos::logging::warn!("could not roll back a refused document: {e:?}");
                    return;
                }
            }
            conn.client.borrow_mut().restart(id);
            conn.sync_doc(id);
            conn.workspace.changed(id);
        });
    }

    /// After a quota refusal: sends every open document the relay lacks changes of again,
    /// from the start of the exchange, once the retry delay has passed.
    fn retry_refused_later(self: &Rc<Self>) {
        let Some(delay) = self.quota_retry.refused() else {
            return;
        };
        let conn = Rc::downgrade(self);
        gloo_timers::callback::Timeout::new(delay, move || {
            let Some(conn) = conn.upgrade() else {
                return;
            };
            conn.quota_retry.fired();
            for id in conn.workspace.open_ids() {
                let synced = conn.workspace.is_synced(&conn.client.borrow(), id);
                if !synced {
                    conn.client.borrow_mut().restart(id);
                    conn.sync_doc(id);
                }
            }
        })
        .forget();
    }

    fn send_all(&self, frames: Vec<Vec<u8>>) {
        let socket = self.socket.borrow();
        let Some(socket) = socket.as_ref() else {
            return;
        };
        if socket.ready_state() != WebSocket::OPEN {
            return; // sent after the next join is answered
        }
        for frame in frames {
            if socket.send_with_u8_array(&frame).is_err() {
                return;
            }
        }
    }

    /// Recounts what the relay lacks; records what it acknowledged.
    fn update_status(&self) {
        let connected = self.client.borrow().server_peer().is_some();
        let mut all_synced = connected;
        let mut unsent = 0;
        let mut set_aside = 0;
        let engine = self.workspace.engine();
        for id in self.workspace.open_ids() {
            self.workspace.with_document(id, |doc| {
                if connected && engine.is_synced(&self.client.borrow(), id, doc) {
                    self.acknowledged.record(id, doc);
                    self.set_aside.accepted(id);
                } else {
                    all_synced = false;
                    unsent += self.acknowledged.items_unsent(id, doc);
                    set_aside += usize::from(self.set_aside.contains(id));
                }
            });
        }
        self.all_synced.set(all_synced);
        if all_synced {
            self.quota_retry.synced();
        }
        self.emit(SyncEvent::Progress {
            all_synced,
            pending: unsent,
            set_aside,
        });
    }
}
