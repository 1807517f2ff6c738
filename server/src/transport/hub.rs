//! The thread that owns the [`Relay`] and the outboxes of all connections.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::time::{Duration, Instant};

use std::sync::Arc;

use automerge::ActorId;
use linli_shared::wire::DocumentId;
use tokio::sync::{mpsc, oneshot, OwnedSemaphorePermit, Semaphore};

use super::outbox::{Outbox, Refused};
use crate::core::{Authorize, ConnId, Output, Principal, Relay, Stats};
use crate::latency::Histogram;
use crate::metrics::StatsBoard;
use crate::storage::Storage;

mod handle;

pub use handle::HubHandle;

const INBOX_CAPACITY: usize = 1024;
/// Bytes of received frames waiting for the core, all connections together: a socket whose
/// frame would exceed this waits (and stops reading) until the core catches up.
const INBOX_BYTES: usize = 64 * 1024 * 1024;
/// Most frames applied before their changes are stored and answered.
const MAX_BATCH: usize = 256;
/// The hub publishes its counters for `/metrics` after a batch once this long has passed since
/// it last did, and at least this often while anything changes (a ticker asks it to).
const PUBLISH_STATS_EVERY: Duration = Duration::from_millis(500);

enum Command {
    Frame {
        conn: ConnId,
        frame: Vec<u8>,
        received: Instant,
        /// Holds the frame's share of [`INBOX_BYTES`] until it is handled.
        _bytes: Option<OwnedSemaphorePermit>,
    },
    Control(Control),
}

/// Everything but frames: handled after pending changes are stored and answered.
enum Control {
    Open {
        principal: Option<Principal>,
        outbox: Outbox,
        reply: oneshot::Sender<ConnId>,
    },
    Reject {
        conn: ConnId,
        reason: String,
    },
    Closed {
        conn: ConnId,
    },
    CloseMember {
        member_id: String,
    },
    /// Publish the counters now (and say when done).
    PublishStats {
        reply: Option<oneshot::Sender<()>>,
    },
    SweepIdle,
    /// Other relay nodes stored changes to these documents (`None`: perhaps to any, after the
    /// connection to the database was lost).
    StoredElsewhere {
        docs: Option<Vec<DocumentId>>,
    },
    /// The relay's own command on a document of `community` (`core::local_edit`); replies
    /// once stored. `write: false`: a read, nothing stored.
    Edit {
        doc: DocumentId,
        community: DocumentId,
        create: bool,
        write: bool,
        edit: crate::core::Edit,
        reply: oneshot::Sender<std::io::Result<()>>,
    },
    /// Which of the actors are bound to members of the community (`Relay::authors`).
    Authors {
        community: DocumentId,
        actors: Vec<ActorId>,
        reply: oneshot::Sender<Vec<(ActorId, String)>>,
    },
}

/// Runs `relay` on its own thread.
pub fn spawn_hub<S: Storage, A: Authorize>(
    relay: Relay<S, A>,
) -> (HubHandle, thread::JoinHandle<()>) {
    let (commands, inbox) = mpsc::channel(INBOX_CAPACITY);
    let stats = StatsBoard::default();
    let board = stats.clone();
    let thread = thread::Builder::new()
        .name("relay-core".into())
        .spawn(move || run(relay, inbox, board))
        .expect("spawning the relay thread");
    let ticker = commands.downgrade();
    thread::Builder::new()
        .name("relay-stats".into())
        .spawn(move || tick_stats(ticker))
        .expect("spawning the stats ticker");
    let inbox_bytes = Arc::new(Semaphore::new(INBOX_BYTES));
    (
        HubHandle {
            commands,
            inbox_bytes,
            stats,
        },
        thread,
    )
}

/// Asks the hub to publish its counters every [`PUBLISH_STATS_EVERY`], for as long as the hub
/// has handles (it holds none itself). A full inbox skips a tick: a busy hub publishes
/// after its batches anyway.
fn tick_stats(hub: mpsc::WeakSender<Command>) {
    loop {
        thread::sleep(PUBLISH_STATS_EVERY);
        let Some(commands) = hub.upgrade() else {
            return;
        };
        let publish = Command::Control(Control::PublishStats { reply: None });
        if let Err(mpsc::error::TrySendError::Closed(_)) = commands.try_send(publish) {
            return;
        }
    }
}

fn run<S: Storage, A: Authorize>(
    relay: Relay<S, A>,
    mut inbox: mpsc::Receiver<Command>,
    board: StatsBoard,
) {
    let mut hub = Hub {
        relay,
        outboxes: HashMap::new(),
        waiting: Vec::new(),
        latency: Histogram::default(),
        store_latency: Histogram::default(),
        board,
        published: Instant::now(),
    };
    hub.publish_stats();
    while let Some(first) = inbox.blocking_recv() {
        // Group commit: frames already queued are applied together, then stored and
        // answered once (see `core::batch`).
        hub.handle(first);
        for _ in 1..MAX_BATCH {
            match inbox.try_recv() {
                Ok(command) => hub.handle(command),
                Err(_) => break,
            }
        }
        hub.flush();
        if hub.published.elapsed() >= PUBLISH_STATS_EVERY {
            hub.publish_stats();
        }
    }
}

/// The relay and where its outputs go.
struct Hub<S: Storage, A: Authorize> {
    relay: Relay<S, A>,
    outboxes: HashMap<ConnId, Outbox>,
    /// When each frame handled since the last flush reached the hub.
    waiting: Vec<Instant>,
    latency: Histogram,
    /// Each flush that stored changes (`core::Stats::stores`).
    store_latency: Histogram,
    /// Where `/metrics` reads the counters, and when they were last put there.
    board: StatsBoard,
    published: Instant,
}

impl<S: Storage, A: Authorize> Hub<S, A> {
    fn publish_stats(&mut self) {
        self.board.publish(Stats {
            frame_latency: self.latency.clone(),
            store_latency: self.store_latency.clone(),
            ..self.relay.stats()
        });
        self.published = Instant::now();
    }

    fn handle(&mut self, command: Command) {
        let relay = &mut self.relay;
        let outputs = match command {
            Command::Frame {
                conn,
                frame,
                received,
                _bytes,
            } => {
                self.waiting.push(received);
                match panic::catch_unwind(AssertUnwindSafe(|| relay.receive_deferred(conn, &frame)))
                {
                    Ok(outputs) => outputs,
                    Err(_) => {
                        tracing::error!(
                            conn,
                            "bug: panic while handling a frame; resetting the documents involved"
                        );
                        relay.recover_from_panic(conn)
                    }
                }
            }
            // Anything else sees the relay with every applied change stored and answered.
            Command::Control(control) => {
                self.flush();
                self.handle_control(control)
            }
        };
        self.deliver_all(outputs);
    }

    fn handle_control(&mut self, control: Control) -> Vec<Output> {
        let relay = &mut self.relay;
        match control {
            Control::Open {
                principal,
                outbox,
                reply,
            } => {
                let conn = relay.open_connection_as(principal);
                self.outboxes.insert(conn, outbox);
                if reply.send(conn).is_err() {
                    self.outboxes.remove(&conn);
                    relay.close_connection(conn);
                }
                Vec::new()
            }
            Control::Reject { conn, reason } => relay.reject(conn, &reason),
            Control::Closed { conn } => {
                self.outboxes.remove(&conn);
                relay.close_connection(conn);
                Vec::new()
            }
            Control::CloseMember { member_id } => {
                relay.close_member(&member_id, "membership revoked")
            }
            Control::PublishStats { reply } => {
                self.publish_stats();
                if let Some(reply) = reply {
                    let _ = reply.send(());
                }
                Vec::new()
            }
            Control::Authors {
                community,
                actors,
                reply,
            } => {
                let _ = reply.send(relay.authors(&community, &actors));
                Vec::new()
            }
            Control::Edit {
                doc,
                community,
                create,
                write,
                edit,
                reply,
            } => {
                let run = AssertUnwindSafe(|| match write {
                    true => relay.edit_document(doc, community, create, edit),
                    false => (relay.read_document(doc, edit), Vec::new()),
                });
                let (result, outputs) = match panic::catch_unwind(run) {
                    Ok(done) => done,
                    Err(_) => {
                        tracing::error!(%doc, "bug: panic in the relay's own edit; dropping the document");
                        let failed = std::io::Error::other("internal relay error");
                        (Err(failed), relay.forget_document(doc))
                    }
                };
                let _ = reply.send(result);
                outputs
            }
            Control::StoredElsewhere { docs } => {
                let docs = docs.unwrap_or_else(|| relay.documents_in_memory());
                relay.stored_elsewhere(docs)
            }
            Control::SweepIdle => {
                relay.checkpoint_storage();
                let unloaded = relay.unload_idle_documents();
                if unloaded > 0 {
                    tracing::debug!(unloaded, "unloaded idle documents");
                }
                Vec::new()
            }
        }
    }

    fn flush(&mut self) {
        let relay = &mut self.relay;
        let (stores, started) = (relay.stores(), Instant::now());
        let outputs = match panic::catch_unwind(AssertUnwindSafe(|| relay.flush())) {
            Ok(outputs) => outputs,
            Err(_) => {
                tracing::error!(
                    "bug: panic while storing changes; resetting the documents involved"
                );
                relay.recover_from_panic_in_flush()
            }
        };
        if self.relay.stores() > stores {
            self.store_latency.observe(started.elapsed());
        }
        self.deliver_all(outputs);
        let now = Instant::now();
        for received in self.waiting.drain(..) {
            self.latency.observe(now - received);
        }
    }

    fn deliver_all(&mut self, outputs: Vec<Output>) {
        for output in outputs {
            deliver(&mut self.relay, &mut self.outboxes, output);
        }
    }
}

fn deliver<S: Storage, A: Authorize>(
    relay: &mut Relay<S, A>,
    outboxes: &mut HashMap<ConnId, Outbox>,
    output: Output,
) {
    match output {
        Output::Frame { conn, frame } => {
            let Some(outbox) = outboxes.get(&conn) else {
                return;
            };
            match outbox.push(frame) {
                Ok(()) => {}
                Err(Refused::OverBudget { queued }) => {
                    tracing::warn!(
                        conn,
                        queued,
                        "peer does not read its frames; disconnecting it"
                    );
                    if let Some(outbox) = outboxes.remove(&conn) {
                        outbox.cut_off(format!(
                            "too far behind: {queued} bytes waiting to be read; reconnect"
                        ));
                    }
                    relay.close_connection(conn);
                }
                Err(Refused::Gone) => {
                    outboxes.remove(&conn);
                    relay.close_connection(conn);
                }
            }
        }
        Output::Close { conn, reason } => {
            if let Some(outbox) = outboxes.remove(&conn) {
                outbox.close(reason);
            }
        }
    }
}

#[cfg(test)]
mod tests;
