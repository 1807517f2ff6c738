//! The `/sync` WebSocket endpoint: `/sync?ticket=<one-use ticket>` (see
//! [`crate::access::tickets`]; the app, and JS automerge-repo clients through
//! `tests/js/ticket_adapter.mjs`). `/sync?token=<member credential>` only with
//! `--allow-credential-in-url`: a credential in a URL ends up in proxies' access logs.
//!
//! Browsers cannot set headers on a WebSocket, so what authenticates travels in the query.
//! Nothing in the relay logs a URI or a query.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::socket_limits::{Full, SocketCounter};
use super::{serve_socket, ConnectionOptions, HubHandle};
use crate::access::tickets::Tickets;
use crate::access::Access;
use crate::core::Principal;

/// What the endpoint needs.
#[derive(Clone)]
pub struct SyncEndpoint {
    pub hub: HubHandle,
    /// Authenticates the credential of every upgrade.
    pub access: Access,
    /// Redeems the tickets of upgrades that carry one.
    pub tickets: Tickets,
    /// The core refuses larger frames with an `error`; the socket layer allows a little more
    /// so that the refusal can be sent, and drops anything beyond.
    pub max_frame_bytes: usize,
    /// Per-connection rate limit, keepalive, write timeout and outgoing byte budget.
    pub options: ConnectionOptions,
    /// Sockets per member and in total.
    pub sockets: SocketCounter,
    /// Accept `?token=<member credential>` as well as tickets (`--allow-credential-in-url`).
    pub credential_in_url: bool,
}

pub async fn upgrade(
    State(endpoint): State<SyncEndpoint>,
    RawQuery(query): RawQuery,
    ws: WebSocketUpgrade,
) -> Response {
    let Some(principal) = query.as_deref().and_then(|q| authenticate(&endpoint, q)) else {
        tracing::info!("refused a sync connection without a valid credential");
        return (
            StatusCode::UNAUTHORIZED,
            "a valid member credential is required",
        )
            .into_response();
    };
    let slot = match endpoint.sockets.open(&principal.member_id) {
        Ok(slot) => slot,
        Err(Full::Member) => {
            tracing::info!("refused a sync connection: the member has too many open");
            return (
                StatusCode::TOO_MANY_REQUESTS,
                "too many open connections for this member",
            )
                .into_response();
        }
        Err(Full::Relay) => {
            tracing::warn!("refused a sync connection: the relay is at its socket limit");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "the relay is full; retry later",
            )
                .into_response();
        }
    };
    let limit = endpoint.max_frame_bytes.saturating_add(64 * 1024);
    // Small buffers: the defaults (128 KiB each way per socket) made 10,000 idle phones cost
    // 1.5 GB. A sync message is a few hundred bytes; a bigger one is read in 2 KiB steps.
    // 10,000 sockets: 280 MiB with a document each, 90 MiB sharing community documents
    // (BENCHMARKS.md, relay load).
    ws.max_message_size(limit)
        .max_frame_size(limit)
        .read_buffer_size(2048)
        .write_buffer_size(0)
        .on_upgrade(move |socket| async move {
            let (sink, stream) = socket.split();
            let hub = endpoint.hub;
            serve_socket(sink, stream, hub, endpoint.options, Some(principal)).await;
            drop(slot);
        })
}

/// The member of a `ticket` (used up by this) or else, where allowed, of a `token` parameter,
/// still active.
fn authenticate(endpoint: &SyncEndpoint, query: &str) -> Option<Principal> {
    if let Some(ticket) = param(query, "ticket") {
        let principal = endpoint.tickets.redeem(&ticket)?;
        // Revoked since the ticket was made: refused.
        let active = endpoint.access.is_active(&principal.member_id);
        return active.then_some(principal);
    }
    let credential = param(query, "token")?;
    if !endpoint.credential_in_url {
        tracing::info!("refused a credential in the sync URL (see --allow-credential-in-url)");
        return None;
    }
    endpoint.access.authenticate(&credential)
}

/// The `name` parameter of a query string (credentials and tickets are URL-safe: no decoding
/// needed beyond `%2E` for the dot some clients escape).
fn param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.replace("%2E", ".").replace("%2e", "."))
}

#[cfg(test)]
mod tests {
    use super::param;

    #[test]
    fn finds_a_parameter() {
        assert_eq!(param("token=ab.cd", "token").as_deref(), Some("ab.cd"));
        assert_eq!(
            param("x=1&token=ab%2Ecd", "token").as_deref(),
            Some("ab.cd")
        );
        assert_eq!(param("ticket=t.cd", "ticket").as_deref(), Some("t.cd"));
        assert_eq!(param("tokens=ab", "token"), None);
        assert_eq!(param("", "token"), None);
    }
}
