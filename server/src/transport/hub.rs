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
use crate::frame_latency::FrameLatency;
use crate::metrics::StatsBoard;
use crate::storage::Storage;

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
    /// Which of the actors are bound to members of the community (`Relay::authors`).
    Authors {
        community: DocumentId,
        actors: Vec<ActorId>,
        reply: oneshot::Sender<Vec<(ActorId, String)>>,
    },
}

/// A cheap handle to the hub; the hub stops when every handle is dropped.
#[derive(Clone)]
pub struct HubHandle {
    commands: mpsc::Sender<Command>,
    inbox_bytes: Arc<Semaphore>,
    stats: StatsBoard,
}

impl HubHandle {
    /// Registers a connection of `principal` whose outgoing frames go to `outbox`.
    pub async fn open(&self, principal: Option<Principal>, outbox: Outbox) -> Option<ConnId> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Control(Control::Open {
            principal,
            outbox,
            reply,
        }))
        .await;
        answer.await.ok()
    }

    pub async fn frame(&self, conn: ConnId, frame: Vec<u8>) {
        let share = frame.len().clamp(1, INBOX_BYTES) as u32;
        let _bytes = self
            .inbox_bytes
            .clone()
            .acquire_many_owned(share)
            .await
            .ok();
        let received = Instant::now();
        self.send(Command::Frame {
            conn,
            frame,
            received,
            _bytes,
        })
        .await;
    }

    pub async fn reject(&self, conn: ConnId, reason: &str) {
        let reason = reason.to_string();
        self.send(Command::Control(Control::Reject { conn, reason }))
            .await;
    }

    pub async fn closed(&self, conn: ConnId) {
        self.send(Command::Control(Control::Closed { conn })).await;
    }

    /// Closes every connection of a revoked member (an `error`, then the close frame).
    pub async fn close_member(&self, member_id: &str) {
        let member_id = member_id.to_string();
        self.send(Command::Control(Control::CloseMember { member_id }))
            .await;
    }

    /// Which of `actors` are bound to members of `community`, and to whom.
    pub async fn authors(
        &self,
        community: DocumentId,
        actors: Vec<ActorId>,
    ) -> Option<Vec<(ActorId, String)>> {
        let (reply, answer) = oneshot::channel();
        let ask = Control::Authors {
            community,
            actors,
            reply,
        };
        self.send(Command::Control(ask)).await;
        answer.await.ok()
    }

    /// Where the hub publishes its counters: reading them costs the core nothing.
    pub fn stats_board(&self) -> StatsBoard {
        self.stats.clone()
    }

    /// The counters as they are now: asks the hub to publish them first (a pass on the core
    /// thread; `/metrics` reads [`HubHandle::stats_board`] instead).
    pub async fn stats(&self) -> Option<Stats> {
        let (reply, answer) = oneshot::channel();
        let reply = Some(reply);
        self.send(Command::Control(Control::PublishStats { reply }))
            .await;
        answer.await.ok()?;
        Some(self.stats.latest().as_ref().clone())
    }

    /// Asks the hub to unload documents idle since the previous sweep, every `period`,
    /// for as long as the hub runs.
    pub async fn sweep_idle_documents_every(self, period: std::time::Duration) {
        let mut ticks = tokio::time::interval(period);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if self
                .commands
                .send(Command::Control(Control::SweepIdle))
                .await
                .is_err()
            {
                return;
            }
        }
    }

    async fn send(&self, command: Command) {
        // Fails only if the hub thread is gone (shutdown); then nothing is left to do.
        let _ = self.commands.send(command).await;
    }
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
        latency: FrameLatency::default(),
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
    latency: FrameLatency,
    /// Where `/metrics` reads the counters, and when they were last put there.
    board: StatsBoard,
    published: Instant,
}

impl<S: Storage, A: Authorize> Hub<S, A> {
    fn publish_stats(&mut self) {
        self.board.publish(Stats {
            frame_latency: self.latency.clone(),
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
        let outputs = match panic::catch_unwind(AssertUnwindSafe(|| relay.flush())) {
            Ok(outputs) => outputs,
            Err(_) => {
                tracing::error!(
                    "bug: panic while storing changes; resetting the documents involved"
                );
                relay.recover_from_panic_in_flush()
            }
        };
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
