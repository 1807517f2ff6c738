//! Who is in a meeting now, and which agenda item each person is editing.
//!
//! Sent as automerge-repo `ephemeral` messages through the sync connection (the
//! session subscribes [`PresenceBoard::heard`] to it and hands it a sender); never
//! stored. Each phone repeats its presence every few seconds; a phone not heard
//! from for [`PRESENCE_TTL_MS`] has left. One [`PresenceBoard`] per page, held by the
//! session.

use crate::clock::now_ms;
use crate::sync::{SyncEvent, SyncSender};
use leptos::prelude::*;
use linli_shared::wire::presence::{presence_frame, Presence, HEARTBEAT_MS, PRESENCE_TTL_MS};
use linli_shared::wire::DocumentId;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Another phone present in a meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Present {
    pub member: String,
    pub editing: Option<String>,
}

#[derive(Default)]
struct State {
    sender: Option<SyncSender>,
    session: String,
    count: u64,
    /// (meeting document, sender peer) → what they said, when we heard it.
    others: BTreeMap<(DocumentId, String), (Presence, i64)>,
    /// My presence per meeting I have open.
    mine: BTreeMap<DocumentId, Presence>,
    heartbeat: bool,
}

/// Who is present in the meetings open here and on other phones: what this
/// phone announced, and what it heard (the wire's [`Presence`] messages).
pub struct PresenceBoard {
    state: RefCell<State>,
    /// Bumped whenever who is present may have changed.
    version: ArcRwSignal<u64>,
}

impl PresenceBoard {
    pub fn new() -> Self {
        PresenceBoard {
            state: RefCell::new(State::default()),
            version: ArcRwSignal::new(0),
        }
    }

    fn bump(&self) {
        self.version.update(|n| *n += 1);
    }

    /// Sends through `sender` from now on (the connection is up).
    pub fn send_through(&self, sender: SyncSender) {
        self.state.borrow_mut().sender = Some(sender);
    }

    /// Subscribed to the sync connection: takes the ephemeral messages.
    pub fn heard(&self, event: &SyncEvent) {
        if let SyncEvent::Ephemeral { doc, sender, data } = *event {
            self.received(doc, sender, data);
        }
    }

    fn received(&self, doc: DocumentId, sender: &str, data: &[u8]) {
        let Ok(p) = Presence::decode(data) else {
            return; // not ours (another app's presence format): ignore
        };
        {
            let mut s = self.state.borrow_mut();
            let key = (doc, sender.to_string());
            if p.leaving {
                s.others.remove(&key);
            } else {
                s.others.insert(key, (p, now_ms()));
            }
        }
        self.bump();
    }

    fn send(&self, doc: DocumentId, p: &Presence) {
        let (sender, session, count) = {
            let mut s = self.state.borrow_mut();
            if s.session.is_empty() {
                s.session = crate::random::hex_id();
            }
            s.count += 1;
            (s.sender.clone(), s.session.clone(), s.count)
        };
        if let Some(sender) = sender {
            sender.send_with(&|client| presence_frame(client, doc, &session, count, p));
        }
    }

    /// I am in this meeting, editing `editing` (an agenda item id) or nothing.
    pub fn announce(self: &Rc<Self>, doc: DocumentId, member: &str, editing: Option<String>) {
        let p = Presence {
            member: member.to_string(),
            editing,
            leaving: false,
        };
        self.state.borrow_mut().mine.insert(doc, p.clone());
        self.send(doc, &p);
        self.ensure_heartbeat();
        self.bump();
    }

    /// I left the meeting page.
    pub fn leave(&self, doc: DocumentId) {
        let Some(mut p) = self.state.borrow_mut().mine.remove(&doc) else {
            return;
        };
        p.leaving = true;
        p.editing = None;
        self.send(doc, &p);
        self.bump();
    }

    /// What I announced in this meeting (so an editor can change only its field).
    pub fn mine(&self, doc: DocumentId) -> Option<Presence> {
        self.state.borrow().mine.get(&doc).cloned()
    }

    fn ensure_heartbeat(self: &Rc<Self>) {
        let start = !std::mem::replace(&mut self.state.borrow_mut().heartbeat, true);
        if !start {
            return;
        }
        let me = self.clone();
        gloo_timers::callback::Interval::new(HEARTBEAT_MS, move || {
            let mine: Vec<(DocumentId, Presence)> =
                me.state.borrow().mine.clone().into_iter().collect();
            for (doc, p) in mine {
                me.send(doc, &p);
            }
            let cutoff = now_ms() - PRESENCE_TTL_MS;
            me.state
                .borrow_mut()
                .others
                .retain(|_, (_, at)| *at >= cutoff);
            me.bump();
        })
        .forget();
    }

    /// The other phones present in a meeting (reactive), one entry per member.
    pub fn others(&self, doc: DocumentId) -> Vec<Present> {
        self.version.track();
        let cutoff = now_ms() - PRESENCE_TTL_MS;
        let mut by_member: BTreeMap<String, Present> = BTreeMap::new();
        for ((d, _), (p, at)) in self.state.borrow().others.iter() {
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
        by_member.into_values().collect()
    }
}
