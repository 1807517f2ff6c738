//! The socket's life: a ticket, then the socket; a silent or closed one dropped, and the
//! next one tried after a growing delay (or never again, once the credential is refused).
//! A socket the relay closed with an error leaves the link [`Link::Refused`] (the relay is
//! there) until the next one joins or the relay cannot be reached.

use super::{api, Channel, Link, SyncEvent};
use crate::clock::elapsed_ms;
use crate::random;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

/// Reconnect delays grow to this (patchy signal: retry often, but not in a loop).
const MAX_BACKOFF_MS: u32 = 15_000;
/// Changes sent and not a frame back for this long: the socket is dead (no signal without
/// a close), so it is dropped, the badge says 离线, and a new one is tried.
const SILENT_SOCKET_MS: f64 = 10_000.0;

/// `ws[s]://<host>/sync?ticket=<ticket>`. Tickets are hex digits and a dot: nothing to
/// escape.
fn sync_url(ticket: &str) -> String {
    let location = window().location();
    let scheme = if location.protocol().as_deref() == Ok("https:") {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().unwrap_or_default();
    format!("{scheme}://{host}/sync?ticket={ticket}")
}

impl Channel {
    /// Asks the relay for a one-use ticket (the credential in a header), then opens the
    /// socket with it.
    pub(super) fn open_socket(self: Rc<Self>) {
        if self.socket.borrow().is_some() || self.stopped.get() || self.fetching_ticket.get() {
            return;
        }
        self.joined.set(false);
        self.refused.set(false);
        self.awaiting_since.set(None);
        if !self.relay_refused.get() {
            self.emit(SyncEvent::Link(Link::Connecting));
        }
        if let Some(t) = self.ready_ticket.take() {
            self.emit(SyncEvent::Admin(t.admin));
            self.connect(&t.ticket);
            return;
        }
        self.fetching_ticket.set(true);
        leptos::task::spawn_local(async move {
            let ticket = api::sync_ticket(&self.credential).await;
            self.fetching_ticket.set(false);
            match ticket {
                Ok(t) => {
                    self.emit(SyncEvent::Admin(t.admin));
                    self.connect(&t.ticket);
                }
                Err(e) if e.is_unauthorized() => {
                    self.stopped.set(true);
                    self.emit(SyncEvent::Revoked);
                }
                Err(_) => {
                    self.relay_refused.set(false);
                    self.schedule_reconnect()
                }
            }
        });
    }

    pub(super) fn connect(self: Rc<Self>, ticket: &str) {
        if self.socket.borrow().is_some() || self.stopped.get() {
            return;
        }
        let socket = match WebSocket::new(&sync_url(ticket)) {
            Ok(s) => s,
            Err(_) => {
                self.relay_refused.set(false);
                return self.schedule_reconnect();
            }
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

    /// Changes went out and nothing came back for too long: treat the socket as gone.
    pub(super) fn check_silence(self: Rc<Self>) {
        let silent = self
            .awaiting_since
            .get()
            .is_some_and(|since| elapsed_ms() - since > SILENT_SOCKET_MS);
        if silent && !self.all_synced.get() {
            self.drop_socket();
        }
    }

    /// Closes the socket without waiting for the browser to notice it is dead.
    pub(super) fn drop_socket(self: Rc<Self>) {
        if self.socket.borrow().is_some() {
            self.closed();
        }
    }

    pub(super) fn closed(self: Rc<Self>) {
        if let Some(socket) = self.socket.borrow_mut().take() {
            socket.set_onopen(None);
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
        }
        self.awaiting_since.set(None);
        self.relay_refused
            .set(self.joined.get() && self.refused.get());
        if self.joined.get() && !self.refused.get() {
            self.failures.set(0); // it worked until it closed: try again soon
        }
        self.emit(SyncEvent::Link(self.no_socket()));
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
                        conn.emit(SyncEvent::Revoked);
                    }
                    _ => conn.schedule_reconnect(),
                }
            });
            return;
        }
        self.schedule_reconnect();
    }

    /// The link while there is no socket: down, unless the relay answered the last one and
    /// closed it with an error (it is there; the changes are not held yet).
    fn no_socket(&self) -> Link {
        if self.relay_refused.get() {
            Link::Refused
        } else {
            Link::Down
        }
    }

    pub(super) fn schedule_reconnect(self: Rc<Self>) {
        self.emit(SyncEvent::Link(self.no_socket()));
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
