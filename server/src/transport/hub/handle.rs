//! The handle the sockets and the HTTP API hold on the hub thread: frames in, and the few
//! questions and orders (open, close, revoke, stats, authors) that wait for its answer.

use std::sync::Arc;
use std::time::Instant;

use automerge::ActorId;
use linli_shared::wire::DocumentId;
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::{Command, Control, INBOX_BYTES};
use crate::core::{ConnId, Principal, Stats};
use crate::metrics::StatsBoard;
use crate::transport::outbox::Outbox;

/// A cheap handle to the hub; the hub stops when every handle is dropped.
#[derive(Clone)]
pub struct HubHandle {
    pub(super) commands: mpsc::Sender<Command>,
    pub(super) inbox_bytes: Arc<Semaphore>,
    pub(super) stats: StatsBoard,
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

    /// Tells the hub that other relay nodes stored changes to `docs` (`None`: to any
    /// document, perhaps). Called from a thread outside the runtime (`database::listen`);
    /// false once the hub is gone.
    pub fn stored_elsewhere_blocking(&self, docs: Option<Vec<DocumentId>>) -> bool {
        let command = Command::Control(Control::StoredElsewhere { docs });
        self.commands.blocking_send(command).is_ok()
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

    /// Runs `edit` on document `doc` of `community` on the core thread, as the relay itself
    /// (residents' reports, `crate::resident`), and answers once what it wrote is stored and
    /// sent to the document's peers. `NotFound`: no such document (and not `create`);
    /// `QuotaExceeded`: past the community's quota or the disk reserve, nothing kept.
    pub async fn edit<R: Send + 'static>(
        &self,
        doc: DocumentId,
        community: DocumentId,
        create: bool,
        edit: impl FnOnce(&mut automerge::AutoCommit) -> R + Send + 'static,
    ) -> std::io::Result<R> {
        self.run_on_document(doc, community, create, true, edit)
            .await
    }

    /// Runs `read` on document `doc` on the core thread: nothing is written.
    pub async fn read<R: Send + 'static>(
        &self,
        doc: DocumentId,
        read: impl FnOnce(&mut automerge::AutoCommit) -> R + Send + 'static,
    ) -> std::io::Result<R> {
        self.run_on_document(doc, doc, false, false, read).await
    }

    async fn run_on_document<R: Send + 'static>(
        &self,
        doc: DocumentId,
        community: DocumentId,
        create: bool,
        write: bool,
        run: impl FnOnce(&mut automerge::AutoCommit) -> R + Send + 'static,
    ) -> std::io::Result<R> {
        let (result, outcome) = oneshot::channel();
        let edit: crate::core::Edit = Box::new(move |d| {
            let _ = result.send(run(d));
        });
        let (reply, answer) = oneshot::channel();
        let order = Control::Edit {
            doc,
            community,
            create,
            write,
            edit,
            reply,
        };
        self.send(Command::Control(order)).await;
        let gone = || std::io::Error::other("the relay is stopping");
        answer.await.map_err(|_| gone())??;
        outcome.await.map_err(|_| gone())
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
