//! The `/sync` WebSocket endpoint.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::response::Response;
use futures_util::StreamExt;

use super::{serve_socket, ConnectionOptions, HubHandle};

/// What the endpoint needs.
#[derive(Clone)]
pub struct SyncEndpoint {
    pub hub: HubHandle,
    /// The core refuses larger frames with an `error`; the socket layer allows a little more
    /// so that the refusal can be sent, and drops anything beyond.
    pub max_frame_bytes: usize,
    /// Per-connection rate limit and keepalive.
    pub options: ConnectionOptions,
}

pub async fn upgrade(ws: WebSocketUpgrade, State(endpoint): State<SyncEndpoint>) -> Response {
    let limit = endpoint.max_frame_bytes.saturating_add(64 * 1024);
    ws.max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| {
            let (sink, stream) = socket.split();
            serve_socket(sink, stream, endpoint.hub, endpoint.options)
        })
}
