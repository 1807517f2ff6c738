//! `/metrics` (Prometheus text): answered to loopback clients and to the operator
//! (`Authorization: Bearer <--admin-token>`) only. Anyone else gets a bare 403.
//!
//! A scrape never waits for the relay's core thread: the hub publishes its counters on a
//! [`StatsBoard`] after its batches and every half second ([`crate::transport::hub`]), and the
//! handler renders the latest of them.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::access::api::is_operator;
use crate::core::Stats;
use crate::latency;

/// The counters the hub published last.
#[derive(Clone, Default)]
pub struct StatsBoard(Arc<Mutex<Arc<Stats>>>);

impl StatsBoard {
    pub fn publish(&self, stats: Stats) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(stats);
    }

    pub fn latest(&self) -> Arc<Stats> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// What `/metrics` needs.
#[derive(Clone)]
pub struct MetricsState {
    pub stats: StatsBoard,
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
    (StatusCode::OK, render(&state.stats.latest())).into_response()
}

fn render(stats: &Stats) -> String {
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
            "linli_actor_bindings",
            gauge,
            "Actor ids bound to members (each held in memory): one per phone and community.",
            stats.actor_bindings,
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
        (
            "linli_quota_refusals_total",
            counter,
            "Changes refused for a quota or the disk reserve.",
            stats.quota_refusals,
        ),
        (
            "linli_authorship_refusals_total",
            counter,
            "Changes refused because their actor is bound to another member.",
            stats.authorship_refusals,
        ),
        (
            "linli_rights_refusals_total",
            counter,
            "Changes refused by the authority rules (outside the member's role or in another's name), and presence in another's name dropped.",
            stats.rights_refusals,
        ),
    ];
    let mut body = String::new();
    for (name, kind, help, value) in rows {
        body.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
        ));
    }
    body.push_str(&stats.frame_latency.render(&latency::FRAME));
    body.push_str(&stats.store_latency.render(&latency::STORE));
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use axum::http::header::AUTHORIZATION;
    use axum::http::HeaderValue;

    #[tokio::test]
    async fn metrics_are_read_from_the_published_counters_without_the_core() {
        // No hub, no core thread: only what was published.
        let board = StatsBoard::default();
        board.publish(Stats {
            connections: 3,
            quota_refusals: 2,
            authorship_refusals: 5,
            ..Stats::default()
        });
        let state = MetricsState {
            stats: board.clone(),
            admin_token: None,
        };
        let scrape = |state: MetricsState| async move {
            let mut request = Request::new(Body::empty());
            let local: SocketAddr = "127.0.0.1:9".parse().unwrap();
            request.extensions_mut().insert(ConnectInfo(local));
            let response = metrics(State(state), request).await;
            assert_eq!(response.status(), StatusCode::OK);
            let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
            String::from_utf8(body.to_vec()).unwrap()
        };
        let body = scrape(state.clone()).await;
        assert!(body.contains("\nlinli_connections 3\n"), "{body}");
        assert!(body.contains("\nlinli_quota_refusals_total 2\n"), "{body}");
        assert!(
            body.contains("\nlinli_authorship_refusals_total 5\n"),
            "{body}"
        );
        board.publish(Stats::default());
        assert!(scrape(state).await.contains("\nlinli_connections 0\n"));
    }

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
