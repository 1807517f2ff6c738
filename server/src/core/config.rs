//! The core's limits and tuning, set by the relay's command line (`args.rs`).

use super::Quotas;

/// Limits and tuning.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// Frames larger than this are refused (the connection is closed).
    pub max_frame_bytes: usize,
    /// A document's log is compacted into a snapshot once it exceeds this (and the snapshot).
    pub compact_after_bytes: u64,
    /// Documents one connection may sync at once.
    pub max_docs_per_connection: usize,
    /// Different documents one connection may be refused before it is closed: a phone with a
    /// stray id in its open set keeps syncing the rest; a client probing for ids does not.
    pub max_refused_docs_per_connection: usize,
    /// Largest presence (`ephemeral`) payload; a larger one closes the connection.
    pub max_presence_bytes: usize,
    /// Presence messages per second per member (all its sockets); more are dropped.
    pub presence_rate: crate::transport::RateLimit,
    /// What each community and member may store.
    pub quotas: Quotas,
}

impl Default for RelayConfig {
    fn default() -> Self {
        RelayConfig {
            max_frame_bytes: 8 * 1024 * 1024,
            compact_after_bytes: 1024 * 1024,
            max_docs_per_connection: 1000,
            max_refused_docs_per_connection: 64,
            max_presence_bytes: 4096,
            presence_rate: crate::transport::RateLimit {
                per_second: 20,
                burst: 60,
            },
            quotas: Quotas::default(),
        }
    }
}
