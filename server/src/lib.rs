//! 邻里 relay: an automerge-repo compatible sync server that stores every change durably
//! before acknowledging it, and serves the web app.
//!
//! - [`access`]: communities, members, invites, and the rules of who syncs what.
//! - [`core`]: the protocol core (no IO besides [`storage`]).
//! - [`storage`]: durable document storage in the data directory.
//! - [`database`]: documents and registry in PostgreSQL, shared by several relay nodes.
//! - [`transport`]: WebSocket connections and the thread that runs the core.
//! - [`http`]: the axum router (static app, `/sync`, `/healthz`, `/metrics`).
//! - [`resident`]: the 吹哨 pages residents reach from a report link's QR code.
//! - [`precompress`]: brotli/gzip copies of the app's files.
//! - [`serve`]: the HTTP listener with its connection limits and timeouts.
//! - [`backup`]: `--export` / `--import` of single documents.
//! - [`latency`]: the `/metrics` histograms of how long the core thread holds a frame and
//!   takes to store a batch.

pub mod access;
pub mod backup;
pub mod core;
pub mod database;
pub mod http;
pub mod latency;
pub mod metrics;
pub mod precompress;
pub mod resident;
pub mod security_headers;
pub mod serve;
pub mod storage;
pub mod transport;
