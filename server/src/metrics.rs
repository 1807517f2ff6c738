//! `/metrics` (Prometheus text): answered to loopback clients and to the operator
//! (`Authorization: Bearer <--admin-token>`) only, since computing it costs a pass on the
//! relay's core thread. Anyone else gets a bare 403.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::access::api::is_operator;
use crate::transport::HubHandle;

/// What `/metrics` needs.
#[derive(Clone)]
pub struct MetricsState {
    pub hub: HubHandle,
    /// The operator's `--admin-token`, if the relay has one.
    pub admin_token: Option<String>,
}

/// Whether a request from `peer` (the TCP peer, as [`crate::serve::serve`] records it) with
/// `headers` may read the metrics: from the machine itself, or with the operator's token.
/// An unknown peer is not local.
pub fn may_read_metrics(
    peer: Option<SocketAddr>,
    admin_token: Option<&str>,
    headers: &HeaderMap,
) -> bool {
    peer.is_some_and(|p| p.ip().to_canonical().is_loopback()) || is_operator(admin_token, headers)
}

pub async fn metrics(State(state): State<MetricsState>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr);
    if !may_read_metrics(peer, state.admin_token.as_deref(), request.headers()) {
        return StatusCode::FORBIDDEN.into_response();
    }
    render(&state.hub).await.into_response()
}

async fn render(hub: &HubHandle) -> (StatusCode, String) {
    let Some(stats) = hub.stats().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, String::new());
    };
    let gauge = "gauge";
    let counter = "counter";
    let rows = [
        (
            "linli_connections",
            gauge,
            "Open WebSocket connections.",
            stats.connections as u64,
        ),
        (
            "linli_documents_in_memory",
            gauge,
            "Documents held in memory.",
            stats.documents_in_memory as u64,
        ),
        (
            "linli_bytes_stored",
            gauge,
            "Bytes of document snapshots and logs on disk.",
            stats.bytes_stored,
        ),
        (
            "linli_sync_messages_received_total",
            counter,
            "Sync and request messages received.",
            stats.sync_messages_received,
        ),
        (
            "linli_sync_messages_sent_total",
            counter,
            "Sync messages sent.",
            stats.sync_messages_sent,
        ),
        (
            "linli_bytes_appended_total",
            counter,
            "Bytes of changes durably appended to document logs.",
            stats.bytes_appended,
        ),
        (
            "linli_storage_errors_total",
            counter,
            "Failed storage operations.",
            stats.storage_errors,
        ),
    ];
    let mut body = String::new();
    for (name, kind, help, value) in rows {
        body.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
        ));
    }
    body.push_str(&stats.frame_latency.render());
    (StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    use super::may_read_metrics;
    use axum::http::header::AUTHORIZATION;
    use axum::http::{HeaderMap, HeaderValue};

    fn bearer(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
        headers.insert(AUTHORIZATION, value);
        headers
    }

    #[test]
    fn loopback_peers_read_metrics_without_a_token() {
        let none = HeaderMap::new();
        for peer in [
            "127.0.0.1:5000",
            "127.8.9.10:1",
            "[::1]:5000",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(
                may_read_metrics(Some(peer.parse().unwrap()), None, &none),
                "{peer}"
            );
        }
    }

    #[test]
    fn remote_peers_need_the_operator_token() {
        let none = HeaderMap::new();
        for peer in [
            "192.168.1.20:5000",
            "10.0.0.1:1",
            "[2001:db8::1]:443",
            "[::ffff:8.8.8.8]:80",
        ] {
            let peer = Some(peer.parse().unwrap());
            assert!(!may_read_metrics(peer, None, &none));
            assert!(!may_read_metrics(peer, Some("s3cret"), &none));
            assert!(!may_read_metrics(peer, Some("s3cret"), &bearer("wrong")));
            assert!(!may_read_metrics(peer, None, &bearer("s3cret")));
            assert!(may_read_metrics(peer, Some("s3cret"), &bearer("s3cret")));
        }
        // A request whose peer is unknown is not taken for a local one.
        assert!(!may_read_metrics(None, None, &none));
        assert!(may_read_metrics(None, Some("s3cret"), &bearer("s3cret")));
    }
}
