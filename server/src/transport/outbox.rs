//! The frames waiting to be written to one socket, counted in bytes.
//!
//! Every connection's queue has a byte budget, and all queues together share one: a peer that
//! does not read (a stalled phone, or a hostile member that subscribes and stops reading) is
//! cut off once its queue would outgrow its budget, and its queued frames are freed at once —
//! not when its socket finally times out. A frame stays counted until the socket has taken it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// How many bytes may wait for sockets.
#[derive(Debug, Clone, Copy)]
pub struct OutboxLimits {
    /// Bytes queued for one connection (a single frame is always accepted by an empty queue).
    pub per_connection: usize,
    /// Bytes queued for all connections together.
    pub total: usize,
}

impl Default for OutboxLimits {
    fn default() -> Self {
        OutboxLimits {
            per_connection: 16 * 1024 * 1024,
            total: 128 * 1024 * 1024,
        }
    }
}

/// The shared count of every outbox; one per relay.
#[derive(Debug)]
pub struct OutboxBudget {
    limits: OutboxLimits,
    queued: AtomicUsize,
}

impl OutboxBudget {
    pub fn new(limits: OutboxLimits) -> Arc<OutboxBudget> {
        Arc::new(OutboxBudget {
            limits,
            queued: AtomicUsize::new(0),
        })
    }

    /// Bytes queued for all connections right now.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }
}

/// What a connection task must do with its socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    Frame(Vec<u8>),
    Close(String),
}

/// Why a frame was not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The peer fell behind: its queue (or all queues) would outgrow the budget.
    OverBudget { queued: usize },
    /// The connection task is gone.
    Gone,
}

#[derive(Default)]
struct Queue {
    items: VecDeque<Outbound>,
    /// Bytes of queued frames plus the frame the socket is writing.
    bytes: usize,
    /// Set by the hub: nothing more will be queued.
    closed: bool,
    /// Set when the connection task is gone.
    gone: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    ready: Notify,
    /// Set when the queue was cut off: the socket should stop even a write in progress.
    cut: AtomicBool,
    budget: Arc<OutboxBudget>,
}

/// The hub's end of one connection's queue. Dropping it ends the connection.
pub struct Outbox {
    shared: Arc<Shared>,
}

/// The connection task's end.
pub struct OutboxReader {
    shared: Arc<Shared>,
}

/// A queue for one connection, counted against `budget`.
pub fn outbox(budget: Arc<OutboxBudget>) -> (Outbox, OutboxReader) {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue::default()),
        ready: Notify::new(),
        cut: AtomicBool::new(false),
        budget,
    });
    (
        Outbox {
            shared: shared.clone(),
        },
        OutboxReader { shared },
    )
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets `bytes` of this queue (written, or dropped).
    fn release(&self, queue: &mut Queue, bytes: usize) {
        let bytes = bytes.min(queue.bytes);
        queue.bytes -= bytes;
        self.budget.queued.fetch_sub(bytes, Ordering::Relaxed);
    }
}

impl Outbox {
    /// Queues a frame, unless the peer is gone or has fallen behind.
    pub fn push(&self, frame: Vec<u8>) -> Result<(), Refused> {
        let shared = &self.shared;
        let mut queue = shared.lock();
        if queue.gone || queue.closed {
            return Err(Refused::Gone);
        }
        let len = frame.len();
        let limits = shared.budget.limits;
        let total = shared.budget.queued();
        let over_own = queue.bytes > 0 && queue.bytes + len > limits.per_connection;
        if over_own || total + len > limits.total {
            return Err(Refused::OverBudget {
                queued: queue.bytes,
            });
        }
        queue.bytes += len;
        shared.budget.queued.fetch_add(len, Ordering::Relaxed);
        queue.items.push_back(Outbound::Frame(frame));
        drop(queue);
        shared.ready.notify_one();
        Ok(())
    }

    /// Queues a close after the frames already queued.
    pub fn close(self, reason: String) {
        let mut queue = self.shared.lock();
        queue.items.push_back(Outbound::Close(reason));
        queue.closed = true;
    }

    /// Drops every queued frame (freeing them now) and tells the socket to close with
    /// `reason`, without waiting for a write in progress.
    pub fn cut_off(self, reason: String) {
        let shared = &self.shared;
        let mut queue = shared.lock();
        let dropped: usize = queue
            .items
            .drain(..)
            .map(|item| match item {
                Outbound::Frame(frame) => frame.len(),
                Outbound::Close(_) => 0,
            })
            .sum();
        shared.release(&mut queue, dropped);
        queue.items.push_back(Outbound::Close(reason));
        queue.closed = true;
        shared.cut.store(true, Ordering::Release);
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.ready.notify_one();
    }
}

impl OutboxReader {
    /// The next thing to do; `None` once the hub has dropped the connection and the queue is
    /// empty. A frame stays counted until [`OutboxReader::written`].
    pub async fn recv(&self) -> Option<Outbound> {
        loop {
            let notified = self.shared.ready.notified();
            {
                let mut queue = self.shared.lock();
                if let Some(item) = queue.items.pop_front() {
                    return Some(item);
                }
                if queue.closed {
                    return None;
                }
            }
            notified.await;
        }
    }

    /// The socket took a frame of `len` bytes (or gave up on it).
    pub fn written(&self, len: usize) {
        let mut queue = self.shared.lock();
        self.shared.release(&mut queue, len);
    }

    /// True once the hub cut this peer off: stop writing.
    pub fn is_cut_off(&self) -> bool {
        self.shared.cut.load(Ordering::Acquire)
    }

    /// Resolves when the hub cuts this peer off.
    pub async fn cut_off(&self) {
        while !self.is_cut_off() {
            let notified = self.shared.ready.notified();
            if self.is_cut_off() {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for OutboxReader {
    fn drop(&mut self) {
        let shared = &self.shared;
        let mut queue = shared.lock();
        queue.items.clear();
        let all = queue.bytes;
        shared.release(&mut queue, all);
        queue.gone = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(per_connection: usize, total: usize) -> Arc<OutboxBudget> {
        OutboxBudget::new(OutboxLimits {
            per_connection,
            total,
        })
    }

    #[test]
    fn a_peer_that_falls_behind_is_refused_and_its_frames_freed() {
        let budget = budget(100, 1000);
        let (outbox, reader) = outbox(budget.clone());
        // An empty queue takes one frame of any size.
        outbox.push(vec![0; 150]).unwrap();
        assert_eq!(
            outbox.push(vec![0; 10]),
            Err(Refused::OverBudget { queued: 150 })
        );
        assert_eq!(budget.queued(), 150);
        outbox.cut_off("behind".into());
        assert_eq!(budget.queued(), 0, "queued frames are freed at once");
        assert!(reader.is_cut_off());
        drop(reader);
        assert_eq!(budget.queued(), 0);
    }

    #[test]
    fn all_queues_share_the_total() {
        let budget = budget(100, 120);
        let (a, _ra) = outbox(budget.clone());
        let (b, rb) = outbox(budget.clone());
        a.push(vec![0; 80]).unwrap();
        assert!(matches!(
            b.push(vec![0; 80]),
            Err(Refused::OverBudget { .. })
        ));
        b.push(vec![0; 40]).unwrap();
        drop(rb);
        assert_eq!(budget.queued(), 80, "a gone reader frees its frames");
        assert_eq!(b.push(vec![1]), Err(Refused::Gone));
    }

    #[tokio::test]
    async fn frames_stay_counted_until_written() {
        let budget = budget(100, 1000);
        let (outbox, reader) = outbox(budget.clone());
        outbox.push(vec![0; 30]).unwrap();
        let Some(Outbound::Frame(frame)) = reader.recv().await else {
            panic!("a frame")
        };
        assert_eq!(budget.queued(), 30);
        reader.written(frame.len());
        assert_eq!(budget.queued(), 0);
        drop(outbox);
        assert_eq!(reader.recv().await, None);
    }
}
