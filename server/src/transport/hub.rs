//! The thread that owns the [`Relay`] and the outboxes of all connections.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::thread;

use tokio::sync::{mpsc, oneshot};

use crate::core::{Authorize, ConnId, Output, Relay, Stats};
use crate::storage::Storage;

/// Frames waiting to be written to one socket; a peer that lets this many pile up is cut off.
pub const OUTBOX_CAPACITY: usize = 1024;
const INBOX_CAPACITY: usize = 1024;

/// What a connection task must do with its socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    Frame(Vec<u8>),
    Close(String),
}

enum Command {
    Open {
        outbox: mpsc::Sender<Outbound>,
        reply: oneshot::Sender<ConnId>,
    },
    Frame {
        conn: ConnId,
        frame: Vec<u8>,
    },
    Reject {
        conn: ConnId,
        reason: String,
    },
    Closed {
        conn: ConnId,
    },
    Stats {
        reply: oneshot::Sender<Stats>,
    },
    SweepIdle,
}

/// A cheap handle to the hub; the hub stops when every handle is dropped.
#[derive(Clone)]
pub struct HubHandle {
    commands: mpsc::Sender<Command>,
}

impl HubHandle {
    /// Registers a connection whose outgoing frames go to `outbox`.
    pub async fn open(&self, outbox: mpsc::Sender<Outbound>) -> Option<ConnId> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Open { outbox, reply }).await;
        answer.await.ok()
    }

    pub async fn frame(&self, conn: ConnId, frame: Vec<u8>) {
        self.send(Command::Frame { conn, frame }).await;
    }

    pub async fn reject(&self, conn: ConnId, reason: &str) {
        let reason = reason.to_string();
        self.send(Command::Reject { conn, reason }).await;
    }

    pub async fn closed(&self, conn: ConnId) {
        self.send(Command::Closed { conn }).await;
    }

    pub async fn stats(&self) -> Option<Stats> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Stats { reply }).await;
        answer.await.ok()
    }

    /// Asks the hub to unload documents idle since the previous sweep, every `period`,
    /// for as long as the hub runs.
    pub async fn sweep_idle_documents_every(self, period: std::time::Duration) {
        let mut ticks = tokio::time::interval(period);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if self.commands.send(Command::SweepIdle).await.is_err() {
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
    let thread = thread::Builder::new()
        .name("relay-core".into())
        .spawn(move || run(relay, inbox))
        .expect("spawning the relay thread");
    (HubHandle { commands }, thread)
}

fn run<S: Storage, A: Authorize>(mut relay: Relay<S, A>, mut inbox: mpsc::Receiver<Command>) {
    let mut outboxes: HashMap<ConnId, mpsc::Sender<Outbound>> = HashMap::new();
    while let Some(command) = inbox.blocking_recv() {
        let outputs = match command {
            Command::Open { outbox, reply } => {
                let conn = relay.open_connection();
                outboxes.insert(conn, outbox);
                if reply.send(conn).is_err() {
                    outboxes.remove(&conn);
                    relay.close_connection(conn);
                }
                continue;
            }
            Command::Frame { conn, frame } => {
                match panic::catch_unwind(AssertUnwindSafe(|| relay.receive(conn, &frame))) {
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
            Command::Reject { conn, reason } => relay.reject(conn, &reason),
            Command::Closed { conn } => {
                outboxes.remove(&conn);
                relay.close_connection(conn);
                continue;
            }
            Command::Stats { reply } => {
                let _ = reply.send(relay.stats());
                continue;
            }
            Command::SweepIdle => {
                let unloaded = relay.unload_idle_documents();
                if unloaded > 0 {
                    tracing::debug!(unloaded, "unloaded idle documents");
                }
                continue;
            }
        };
        for output in outputs {
            deliver(&mut relay, &mut outboxes, output);
        }
    }
}

fn deliver<S: Storage, A: Authorize>(
    relay: &mut Relay<S, A>,
    outboxes: &mut HashMap<ConnId, mpsc::Sender<Outbound>>,
    output: Output,
) {
    match output {
        Output::Frame { conn, frame } => {
            let Some(outbox) = outboxes.get(&conn) else {
                return;
            };
            if let Err(e) = outbox.try_send(Outbound::Frame(frame)) {
                if matches!(e, mpsc::error::TrySendError::Full(_)) {
                    tracing::warn!(conn, "peer does not read its frames; disconnecting it");
                }
                // Dropping the outbox ends the connection task.
                outboxes.remove(&conn);
                relay.close_connection(conn);
            }
        }
        Output::Close { conn, reason } => {
            if let Some(outbox) = outboxes.remove(&conn) {
                let _ = outbox.try_send(Outbound::Close(reason));
            }
        }
    }
}

#[cfg(test)]
#[path = "hub_tests.rs"]
mod tests;
