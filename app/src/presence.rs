//! Who is in a meeting now, and which agenda item each person is editing.
//!
//! Sent as automerge-repo `ephemeral` messages through the sync connection
//! (`sync/socket.rs` registers the transport and hands received ones here);
//! never stored. Each phone repeats its presence every few seconds; a phone
//! not heard from for [`PRESENCE_TTL_MS`] has left.

use crate::clock::now_ms;
use leptos::prelude::*;
use linli_shared::wire::presence::{presence_frame, Presence, HEARTBEAT_MS, PRESENCE_TTL_MS};
use linli_shared::wire::{DocumentId, SyncClient};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Builds a frame with the live client and sends it, if connected.
type Transport = Rc<dyn Fn(&dyn Fn(&SyncClient) -> Option<Vec<u8>>)>;

/// Another phone present in a meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Present {
    pub member: String,
    pub editing: Option<String>,
}

#[derive(Default)]
struct State {
    transport: Option<Transport>,
    session: String,
    count: u64,
    /// (meeting document, sender peer) → what they said, when we heard it.
    others: BTreeMap<(DocumentId, String), (Presence, i64)>,
    /// My presence per meeting I have open.
    mine: BTreeMap<DocumentId, Presence>,
    heartbeat: bool,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    static VERSION: ArcRwSignal<u64> = ArcRwSignal::new(0);
}

fn bump() {
    VERSION.with(|v| v.update(|n| *n += 1));
}

/// Called by the sync adapter once it has a connection to send through.
pub fn set_transport(send: impl Fn(&dyn Fn(&SyncClient) -> Option<Vec<u8>>) + 'static) {
    STATE.with(|s| s.borrow_mut().transport = Some(Rc::new(send)));
}

/// Called by the sync adapter for every ephemeral message of an open document.
pub fn received(doc: DocumentId, sender: &str, data: &[u8]) {
    let Ok(p) = Presence::decode(data) else {
        return; // not ours (another app's presence format): ignore
    };
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let key = (doc, sender.to_string());
        if p.leaving {
            s.others.remove(&key);
        } else {
            s.others.insert(key, (p, now_ms()));
        }
    });
    bump();
}

fn send(doc: DocumentId, p: &Presence) {
    let (transport, session, count) = STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.session.is_empty() {
            s.session = crate::random::hex_id();
        }
        s.count += 1;
        (s.transport.clone(), s.session.clone(), s.count)
    });
    if let Some(t) = transport {
        t(&|client| presence_frame(client, doc, &session, count, p));
    }
}

/// I am in this meeting, editing `editing` (an agenda item id) or nothing.
pub fn announce(doc: DocumentId, member: &str, editing: Option<String>) {
    let p = Presence {
        member: member.to_string(),
        editing,
        leaving: false,
    };
    STATE.with(|s| s.borrow_mut().mine.insert(doc, p.clone()));
    send(doc, &p);
    ensure_heartbeat();
    bump();
}

/// I left the meeting page.
pub fn leave(doc: DocumentId) {
    let Some(mut p) = STATE.with(|s| s.borrow_mut().mine.remove(&doc)) else {
        return;
    };
    p.leaving = true;
    p.editing = None;
    send(doc, &p);
    bump();
}

/// What I announced in this meeting (so an editor can change only its field).
pub fn mine(doc: DocumentId) -> Option<Presence> {
    STATE.with(|s| s.borrow().mine.get(&doc).cloned())
}

fn ensure_heartbeat() {
    let start = STATE.with(|s| !std::mem::replace(&mut s.borrow_mut().heartbeat, true));
    if !start {
        return;
    }
    gloo_timers::callback::Interval::new(HEARTBEAT_MS, || {
        let mine: Vec<(DocumentId, Presence)> =
            STATE.with(|s| s.borrow().mine.clone().into_iter().collect());
        for (doc, p) in mine {
            send(doc, &p);
        }
        let cutoff = now_ms() - PRESENCE_TTL_MS;
        STATE.with(|s| s.borrow_mut().others.retain(|_, (_, at)| *at >= cutoff));
        bump();
    })
    .forget();
}

/// The other phones present in a meeting (reactive), one entry per member.
pub fn others(doc: DocumentId) -> Vec<Present> {
    VERSION.with(|v| v.track());
    let cutoff = now_ms() - PRESENCE_TTL_MS;
    let mut by_member: BTreeMap<String, Present> = BTreeMap::new();
    STATE.with(|s| {
        for ((d, _), (p, at)) in s.borrow().others.iter() {
            if *d != doc || *at < cutoff {
                continue;
            }
            let entry = by_member.entry(p.member.clone()).or_insert(Present {
                member: p.member.clone(),
                editing: None,
            });
            if p.editing.is_some() {
                entry.editing = p.editing.clone();
            }
        }
    });
    by_member.into_values().collect()
}
