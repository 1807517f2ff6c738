//! Carries frames between sockets and the protocol core.
//!
//! The core runs on one dedicated thread ([`hub`]), so its blocking fsyncs never stall the
//! async runtime; every socket is an async task ([`connection`]) that talks to it through
//! channels. [`websocket`] adapts axum's WebSocket to it.

pub mod connection;
pub mod hub;
pub mod outbox;
pub mod rate_limit;
pub mod socket_limits;
pub mod websocket;

pub use connection::{serve_socket, ConnectionOptions};
pub use hub::{spawn_hub, HubHandle};
pub use outbox::{Outbound, OutboxBudget, OutboxLimits};
pub use rate_limit::RateLimit;
pub use socket_limits::{SocketCounter, SocketLimits};
