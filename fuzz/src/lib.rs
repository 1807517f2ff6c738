//! Fuzzing harness for the relay core.
//!
//! [`Harness`] runs a [`Relay`] over an in-memory store with two honest peers ("honest-a",
//! "honest-b", real `SyncClient`s) syncing [`DOCS`]`[0]`, and applies [`Op`]s: attacker
//! connections open, send frames (raw, mutated real frames, well-formed messages with
//! attacker-chosen fields and real or broken Automerge data), close; batches flush; idle
//! documents unload; honest peers edit. [`Harness::check`] then asserts:
//! - nothing panicked (libFuzzer reports a panic as a crash);
//! - no honest connection was closed;
//! - every stored document loads;
//! - a final honest edit reaches the other honest peer, and a relay restarted on the same
//!   store serves it to a new peer (the store was not corrupted).

mod frames;

use std::collections::HashMap;

use arbitrary::Arbitrary;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use linli_server::core::{ConnId, Output, Relay, RelayConfig};
use linli_server::storage::MemoryStore;
use linli_shared::wire::{DocStore, DocumentId, PeerId, PeerMetadata, SyncClient};

pub use frames::{templates, FrameSpec, DOCS};

/// One step of a fuzz case.
#[derive(Arbitrary, Debug)]
pub enum Op {
    Connect,
    Close(u8),
    /// A frame from attacker connection `conn`; `deferred` = batched until the next flush.
    Send {
        conn: u8,
        frame: FrameSpec,
        deferred: bool,
    },
    Flush,
    Unload,
    HonestEdit {
        peer: bool,
        value: u8,
    },
}

/// A relay with a small compaction threshold, so fuzz cases reach compaction.
pub fn new_relay(store: MemoryStore) -> Relay<MemoryStore> {
    let config = RelayConfig {
        compact_after_bytes: 2048,
        max_docs_per_connection: 2,
        ..RelayConfig::default()
    };
    Relay::new(PeerId::new("relay"), "store".into(), store, config)
}

struct Honest {
    conn: ConnId,
    client: SyncClient,
    docs: HashMap<DocumentId, AutoCommit>,
    closed: Option<String>,
}

pub struct Harness {
    relay: Relay<MemoryStore>,
    store: MemoryStore,
    honest: Vec<Honest>,
    attackers: Vec<ConnId>,
    edits: u32,
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

impl Harness {
    pub fn new() -> Harness {
        Harness::on(MemoryStore::new())
    }

    /// A relay over `store` with two honest peers, after one honest edit.
    fn on(store: MemoryStore) -> Harness {
        let mut harness = Harness {
            relay: new_relay(store.clone()),
            store,
            honest: Vec::new(),
            attackers: Vec::new(),
            edits: 0,
        };
        for name in ["honest-a", "honest-b"] {
            harness.connect_honest(name);
        }
        harness.honest_edit(0, "start");
        harness
    }

    fn connect_honest(&mut self, name: &str) -> usize {
        let conn = self.relay.open_connection();
        let client = SyncClient::new(PeerId::new(name), PeerMetadata::default());
        let join = client.join();
        self.honest.push(Honest {
            conn,
            client,
            docs: HashMap::new(),
            closed: None,
        });
        self.deliver(vec![(conn, join)], true);
        let i = self.honest.len() - 1;
        let h = &mut self.honest[i];
        let frames = h.client.open(DOCS[0], h.docs.doc_mut(&DOCS[0]));
        self.deliver(frames.into_iter().map(|f| (conn, f)).collect(), true);
        i
    }

    pub fn apply(&mut self, op: Op) {
        match op {
            Op::Connect => self.attackers.push(self.relay.open_connection()),
            Op::Close(i) => {
                if !self.attackers.is_empty() {
                    let conn = self.attackers.remove(i as usize % self.attackers.len());
                    self.relay.close_connection(conn);
                }
            }
            Op::Send {
                conn,
                frame,
                deferred,
            } => {
                if self.attackers.is_empty() {
                    self.attackers.push(self.relay.open_connection());
                }
                let conn = self.attackers[conn as usize % self.attackers.len()];
                let bytes = frame.bytes();
                let outputs = if deferred {
                    self.relay.receive_deferred(conn, &bytes)
                } else {
                    self.relay.receive(conn, &bytes)
                };
                self.handle(outputs, false);
            }
            Op::Flush => {
                let outputs = self.relay.flush();
                self.handle(outputs, true);
            }
            Op::Unload => {
                self.relay.unload_idle_documents();
            }
            Op::HonestEdit { peer, value } => {
                self.honest_edit(usize::from(peer), &value.to_string());
            }
        }
    }

    fn honest_edit(&mut self, i: usize, value: &str) {
        self.edits += 1;
        let h = &mut self.honest[i];
        let doc = h.docs.doc_mut(&DOCS[0]);
        let key = format!("{}-{}", h.client.peer_id(), self.edits);
        doc.put(ROOT, key.as_str(), value).unwrap();
        let frames = h.client.local_change(DOCS[0], doc);
        let conn = h.conn;
        self.deliver(frames.into_iter().map(|f| (conn, f)).collect(), true);
    }

    /// Passes outputs to honest peers (attackers' are dropped) and pumps their answers.
    fn handle(&mut self, outputs: Vec<Output>, settle: bool) {
        let answers = self.outputs_to_honest(outputs);
        self.deliver(answers, settle);
    }

    /// Frames from honest peers to the relay, and everything they cause, until quiet.
    fn deliver(&mut self, mut queue: Vec<(ConnId, Vec<u8>)>, settle: bool) {
        let mut rounds = 0;
        loop {
            let mut outputs = Vec::new();
            for (conn, frame) in std::mem::take(&mut queue) {
                outputs.extend(self.relay.receive(conn, &frame));
            }
            if settle {
                outputs.extend(self.relay.flush());
            }
            queue = self.outputs_to_honest(outputs);
            if queue.is_empty() {
                return;
            }
            rounds += 1;
            assert!(rounds < 200, "honest sync did not settle");
        }
    }

    fn outputs_to_honest(&mut self, outputs: Vec<Output>) -> Vec<(ConnId, Vec<u8>)> {
        let mut answers = Vec::new();
        for output in outputs {
            match output {
                Output::Frame { conn, frame } => {
                    let Some(h) = self.honest.iter_mut().find(|h| h.conn == conn) else {
                        continue;
                    };
                    let out = h.client.handle_frame(&frame, &mut h.docs);
                    answers.extend(out.frames.into_iter().map(|f| (conn, f)));
                }
                Output::Close { conn, reason } => {
                    if let Some(h) = self.honest.iter_mut().find(|h| h.conn == conn) {
                        h.closed = Some(reason);
                    }
                }
            }
        }
        answers
    }

    /// The invariants (see the module documentation); panics if one does not hold.
    pub fn check(mut self) {
        let outputs = self.relay.flush();
        self.handle(outputs, true);
        for h in &self.honest {
            assert_eq!(h.closed, None, "an honest peer was disconnected");
        }
        self.honest_edit(0, "final");
        let key = format!("honest-a-{}", self.edits);
        let b = &self.honest[1];
        let seen = b
            .docs
            .get(&DOCS[0])
            .and_then(|d| d.get(ROOT, key.as_str()).unwrap());
        assert!(
            seen.is_some(),
            "the final edit of honest-a did not reach honest-b"
        );

        // Every stored document loads, and a restarted relay serves the shared one.
        for (id, stored) in self.store.documents() {
            if let Err(e) = stored.to_automerge() {
                panic!("stored document {id} does not load: {e}");
            }
        }
        let mut fresh = Harness {
            relay: new_relay(self.store.deep_copy()),
            store: MemoryStore::new(),
            honest: Vec::new(),
            attackers: Vec::new(),
            edits: 0,
        };
        let c = fresh.connect_honest("honest-c");
        let doc = fresh.honest[c].docs.get(&DOCS[0]).expect("opened");
        assert!(
            doc.get(ROOT, key.as_str()).unwrap().is_some(),
            "a restarted relay lost an acknowledged edit"
        );
    }
}
