use super::{api, pending, Link, SyncSignals};
use crate::clock::elapsed_ms;
use crate::random;
use crate::workspace::{DocListener, Workspace};
use leptos::prelude::*;
use linli_shared::domain;
use linli_shared::wire::{DocumentId, Event, PeerId, PeerMetadata, SyncClient};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

/// Reconnect delays grow to this (patchy signal: retry often, but not in a loop).
const MAX_BACKOFF_MS: u32 = 15_000;
/// A relay that has not answered a `request` yet is asked again after this.
const RETRY_UNAVAILABLE_MS: u32 = 3_000;
/// Changes sent and not a frame back for this long: the socket is dead (no signal without
/// a close), so it is dropped, the badge says 离线, and a new one is tried.
const SILENT_SOCKET_MS: f64 = 10_000.0;

type EventCallback = Closure<dyn FnMut(web_sys::Event)>;

struct Connection {
    workspace: Rc<Workspace>,
    client: RefCell<SyncClient>,
    socket: RefCell<Option<WebSocket>>,
    failures: Cell<u32>,
    signals: SyncSignals,
    /// The member credential, sent as `?token=` (a browser WebSocket cannot set headers).
    credential: String,
    /// The relay answered `join` on the current socket.
    joined: Cell<bool>,
    /// The relay sent an `error` on the current socket.
    refused: Cell<bool>,
    /// Revoked: never reconnect.
    stopped: Cell<bool>,
    /// When changes were sent that the relay has not answered yet (`performance.elapsed_ms()`).
    awaiting_since: Cell<Option<f64>>,
    on_community_arrived: Box<dyn Fn()>,
    on_revoked: Box<dyn Fn()>,
    /// Keeps the socket's JS callbacks alive for as long as the socket.
    callbacks: RefCell<Vec<EventCallback>>,
}

/// The workspace tells the connection what to sync.
struct Listener(Weak<Connection>);

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

/// Starts syncing every open document of the workspace as the member holding
/// `credential`; reconnects for as long as the page lives. `on_community_arrived`
/// runs when the community document first arrives from the relay (joining);
/// `on_revoked` when the relay no longer accepts the credential (then sync stops).
pub fn connect(
    workspace: Rc<Workspace>,
    signals: SyncSignals,
    credential: String,
    on_community_arrived: impl Fn() + 'static,
    on_revoked: impl Fn() + 'static,
) {
    let peer = PeerId::new(format!("linli-{}", random::hex_id()));
    let conn = Rc::new(Connection {
        workspace: workspace.clone(),
        client: RefCell::new(SyncClient::new(peer, PeerMetadata::default())),
        socket: RefCell::new(None),
        failures: Cell::new(0),
        signals,
        credential,
        joined: Cell::new(false),
        refused: Cell::new(false),
        stopped: Cell::new(false),
        awaiting_since: Cell::new(None),
        on_community_arrived: Box::new(on_community_arrived),
        on_revoked: Box::new(on_revoked),
        callbacks: RefCell::new(Vec::new()),
    });
    for id in workspace.open_ids() {
        conn.sync_doc(id);
    }
    workspace.set_listener(Rc::new(Listener(Rc::downgrade(&conn))));
    // --- meetings presence hook (app/src/presence.rs builds the frames) ---
    let presence_conn = Rc::downgrade(&conn);
    crate::presence::set_transport(move |build| {
        if let Some(c) = presence_conn.upgrade() {
            let frame = build(&c.client.borrow());
            c.send_all(frame.into_iter().collect());
        }
    });
    // --- end meetings presence hook ---
    // Back online: don't wait for the backoff timer.
    let again = conn.clone();
    let online = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if again.socket.borrow().is_none() && !again.stopped.get() {
            again.failures.set(0);
            again.clone().open_socket();
        }
    });
    let _ = window().add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    online.forget();
    // No network: the socket may not notice for a long while; drop it now.
    let gone = conn.clone();
    let offline = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| gone.clone().drop_socket());
    let _ = window().add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
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

/// `ws[s]://<host>/sync?token=<credential>`. Credentials are hex digits and a dot:
/// nothing to escape.
fn sync_url(credential: &str) -> String {
    let location = window().location();
    let scheme = if location.protocol().as_deref() == Ok("https:") {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().unwrap_or_default();
    format!("{scheme}://{host}/sync?token={credential}")
}

impl Connection {
    fn open_socket(self: Rc<Self>) {
        if self.socket.borrow().is_some() || self.stopped.get() {
            return;
        }
        self.joined.set(false);
        self.refused.set(false);
        self.awaiting_since.set(None);
        self.signals.link.set(Link::Connecting);
        let socket = match WebSocket::new(&sync_url(&self.credential)) {
            Ok(s) => s,
            Err(_) => return self.schedule_reconnect(),
        };
        socket.set_binary_type(BinaryType::Arraybuffer);
        let mut callbacks = Vec::new();

        let conn = self.clone();
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let join = conn.client.borrow().join();
            conn.send_all(vec![join]);
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        callbacks.push(on_open);

        let conn = self.clone();
        let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Ok(msg) = ev.dyn_into::<MessageEvent>() else {
                return;
            };
            let Ok(buf) = msg.data().dyn_into::<js_sys::ArrayBuffer>() else {
                return;
            };
            conn.handle_frame(&js_sys::Uint8Array::new(&buf).to_vec());
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        callbacks.push(on_message);

        let conn = self.clone();
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| conn.clone().closed());
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        callbacks.push(on_close);

        *self.callbacks.borrow_mut() = callbacks;
        *self.socket.borrow_mut() = Some(socket);
    }

    /// Opens `id` in the client (if new) and sends what the relay lacks.
    fn sync_doc(&self, id: DocumentId) {
        let frames = self
            .workspace
            .with_doc_mut(id, |doc| self.client.borrow_mut().open(id, doc))
            .unwrap_or_default();
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
            .with_doc_store(|docs| self.client.borrow_mut().handle_frame(bytes, docs));
        self.send_all(out.frames);
        let community = self.workspace.community;
        for event in out.events {
            match event {
                Event::Connected { .. } => {
                    self.failures.set(0);
                    self.joined.set(true);
                    self.signals.link.set(Link::Joined);
                }
                Event::DocChanged(id) => {
                    self.workspace.changed(id);
                    if id == community
                        && self
                            .workspace
                            .read(id, |d| domain::community_info(d).is_ok())
                    {
                        (self.on_community_arrived)();
                    }
                }
                Event::Unavailable(id) => {
                    // The relay may still be receiving it from its author: ask again.
                    let conn = self.clone();
                    gloo_timers::callback::Timeout::new(RETRY_UNAVAILABLE_MS, move || {
                        conn.sync_doc(id)
                    })
                    .forget();
                }
                // Meetings presence hook: ephemeral data for app/src/presence.rs.
                Event::Ephemeral {
                    document_id,
                    sender_id,
                    data,
                } => crate::presence::received(document_id, sender_id.as_str(), &data),
                // Never log frame contents: they can hold residents' data.
                Event::Error(_) => {
                    self.refused.set(true);
                    leptos::logging::warn!("relay reported a sync error");
                }
            }
        }
        self.update_status();
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
        for id in self.workspace.open_ids() {
            self.workspace.with_doc_mut(id, |doc| {
                if connected && self.client.borrow().is_synced(id, doc) {
                    pending::acknowledged(id, doc);
                } else {
                    all_synced = false;
                    unsent += pending::count(id, doc);
                }
            });
        }
        if all_synced {
            crate::photos::pending::all_synced(); // photos hook (issue 5)
        }
        self.signals.all_synced.set(all_synced);
        self.signals.pending.set(unsent);
    }

    /// Changes went out and nothing came back for too long: treat the socket as gone.
    fn check_silence(self: Rc<Self>) {
        let silent = self
            .awaiting_since
            .get()
            .is_some_and(|since| elapsed_ms() - since > SILENT_SOCKET_MS);
        if silent && !self.signals.all_synced.get_untracked() {
            self.drop_socket();
        }
    }

    /// Closes the socket without waiting for the browser to notice it is dead.
    fn drop_socket(self: Rc<Self>) {
        if self.socket.borrow().is_some() {
            self.closed();
        }
    }

    fn closed(self: Rc<Self>) {
        if let Some(socket) = self.socket.borrow_mut().take() {
            socket.set_onopen(None);
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
        }
        self.awaiting_since.set(None);
        self.signals.link.set(Link::Down);
        self.client.borrow_mut().reset();
        self.update_status();
        // Refused at the upgrade (401 shows as a failed socket) or closed with an error:
        // ask the relay whether the credential still counts before trying again.
        if !self.joined.get() || self.refused.get() {
            let conn = self.clone();
            leptos::task::spawn_local(async move {
                match api::me(&conn.credential).await {
                    Err(e) if e.is_unauthorized() => {
                        conn.stopped.set(true);
                        (conn.on_revoked)();
                    }
                    _ => conn.schedule_reconnect(),
                }
            });
            return;
        }
        self.schedule_reconnect();
    }

    fn schedule_reconnect(self: Rc<Self>) {
        self.signals.link.set(Link::Down);
        let n = self.failures.get();
        self.failures.set(n.saturating_add(1));
        let base = 500u32.saturating_mul(1 << n.min(5)).min(MAX_BACKOFF_MS);
        let jitter = u32::from(random::bytes::<1>()[0]) * base / 1024;
        if self.stopped.get() {
            return;
        }
        gloo_timers::callback::Timeout::new(base + jitter, move || self.open_socket()).forget();
    }
}
