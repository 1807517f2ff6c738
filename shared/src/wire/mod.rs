//! The automerge-repo wire protocol (as spoken by `@automerge/automerge-repo` 2.5.6 over
//! `@automerge/automerge-repo-network-websocket`). Pure: no IO, no clocks, builds for wasm32.
//!
//! - [`doc_id`]: document ids and `automerge:` URLs.
//! - [`message`]: the messages and their CBOR frames.
//! - [`client`]: the client side of the sync protocol, shared by the browser app and native
//!   test clients.
//! - [`quota`]: why the relay refused to store a change (the start of its `error` message).

pub mod client;
pub mod doc_id;
mod frame;
pub mod message;
pub mod presence;
pub mod quota;
pub mod rights;

pub use client::{DocStore, Event, SyncClient};
pub use doc_id::{DocumentId, DocumentIdError};
pub use message::{DecodeError, Message, PeerId, PeerMetadata, PROTOCOL_VERSION};
