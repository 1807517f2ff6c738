//! The whole HTTP surface answered in-process (`oneshot`, no socket): the app with SPA
//! fallback and cache headers, `/healthz`, `/metrics` and `/api/…`. `server/tests/http.rs`
//! and `server/tests/compression.rs` drive the real binary.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use axum::body::{to_bytes, Body};
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use axum::Router;
use linli_shared::api::{self, ErrorBody, Grant, NewCommunity};
use linli_shared::wire::DocumentId;
use linli_testkit::app_shell::{app_shell, HASHED_JS, INDEX};
use tower::ServiceExt;

use super::{is_hashed_asset, router};
use crate::access::api::tests::{in_memory_api, OPERATOR};
use crate::core::RelayConfig;
use crate::transport::socket_limits::{SocketCounter, SocketLimits};
use crate::transport::websocket::SyncEndpoint;
use crate::transport::ConnectionOptions;

/// Status, headers and text of an answer.
struct Answer {
    status: u16,
    headers: HashMap<String, String>,
    body: String,
}

/// The relay's router over `dist`, with documents and registry in memory.
fn app(dist: &Path) -> Router {
    let api = in_memory_api(true);
    let endpoint = SyncEndpoint {
        hub: api.hub.clone(),
        access: api.access.clone(),
        tickets: api.tickets.clone(),
        max_frame_bytes: RelayConfig::default().max_frame_bytes,
        options: ConnectionOptions::default(),
        sockets: SocketCounter::new(SocketLimits::default()),
        credential_in_url: false,
    };
    let residents = crate::resident::ResidentPages::new(
        api.access.clone(),
        api.hub.clone(),
        crate::resident::TrackingKey::random(),
    );
    router(dist, endpoint, api, residents)
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    let status = response.status().as_u16();
    let bytes = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into(),
    }
}

async fn get(app: &Router, path: &str) -> Answer {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_app_is_served_with_spa_fallback_and_cache_headers() {
    let dist = app_shell();
    let app = app(dist.path());
    for path in ["/", "/index.html", "/meetings/42"] {
        let page = get(&app, path).await;
        assert_eq!((page.status, page.body.as_str()), (200, INDEX), "{path}");
        assert_eq!(page.headers["cache-control"], "no-cache", "{path}");
        assert_eq!(page.headers["vary"], "accept-encoding", "{path}");
    }
    let sw = get(&app, "/sw.js").await;
    assert_eq!(sw.headers["cache-control"], "no-cache");
    let asset = get(&app, &format!("/{HASHED_JS}")).await;
    assert_eq!(asset.body, "export {}");
    assert!(asset.headers["cache-control"].contains("immutable"));
    assert_eq!(asset.headers["vary"], "accept-encoding");

    let health = get(&app, "/healthz").await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn a_brotli_copy_goes_to_browsers_that_accept_it() {
    let dist = app_shell();
    fs::write(dist.path().join(format!("{HASHED_JS}.br")), b"brotli bytes").unwrap();
    let app = app(dist.path());
    let request = |encoding: &str| {
        Request::get(format!("/{HASHED_JS}"))
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap()
    };
    let br = send(&app, request("gzip, br")).await;
    assert_eq!(br.headers["content-encoding"], "br");
    assert_eq!(br.body, "brotli bytes");
    let plain = send(&app, request("identity")).await;
    assert!(!plain.headers.contains_key("content-encoding"));
    assert_eq!(plain.body, "export {}");
}

#[tokio::test]
async fn api_answers_are_json_and_never_cached() {
    let dist = app_shell();
    let app = app(dist.path());
    let refused = get(&app, api::ME).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.headers["cache-control"], "no-store");
    assert!(refused.headers["content-type"].starts_with("application/json"));
    let error: ErrorBody = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(error.error, "a valid member credential is required");

    let register = NewCommunity {
        community_doc_id: DocumentId::from_bytes([5; 16]).to_string(),
        role: None,
        credential: None,
    };
    let request = Request::builder()
        .method(Method::POST)
        .uri(api::COMMUNITIES)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_string(&register).unwrap()))
        .unwrap();
    let granted = send(&app, request).await;
    assert_eq!(granted.status, 200);
    assert_eq!(granted.headers["cache-control"], "no-store");
    let grant: Grant = serde_json::from_str(&granted.body).unwrap();
    assert_eq!(grant.community_doc_id, register.community_doc_id);
    // An unknown /api/ path is not the app's HTML.
    let unknown = get(&app, "/api/nothing-here").await;
    assert_eq!(unknown.headers["cache-control"], "no-store");
}

/// `GET /metrics` from `peer` (as the accept loop records it), with the operator's token or not.
fn metrics_request(peer: &str, token: Option<&str>) -> Request<Body> {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let mut request = request.body(Body::empty()).unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

#[tokio::test]
async fn metrics_are_answered_from_the_hub_to_the_machine_itself_or_the_operator() {
    let dist = app_shell();
    let app = app(dist.path());
    for (peer, token) in [
        ("127.0.0.1:5000", None),
        ("203.0.113.9:5000", Some(OPERATOR)),
    ] {
        let metrics = send(&app, metrics_request(peer, token)).await;
        assert_eq!(metrics.status, 200, "{peer}");
        assert!(metrics
            .body
            .contains("# TYPE linli_connections gauge\nlinli_connections 0\n"));
        assert!(metrics.body.contains("linli_documents_in_memory 0\n"));
        assert!(metrics
            .body
            .contains("# TYPE linli_frame_seconds histogram"));
        assert!(metrics
            .body
            .contains("# TYPE linli_store_seconds histogram"));
    }
    for token in [None, Some("not-the-operator")] {
        let refused = send(&app, metrics_request("203.0.113.9:5000", token)).await;
        assert_eq!(refused.status, 403, "{token:?}");
        assert!(!refused.body.contains("linli_"));
    }
    // No recorded peer (no accept loop in front): not local.
    assert_eq!(get(&app, "/metrics").await.status, 403);
}

#[test]
fn recognises_trunk_hashed_assets() {
    assert!(is_hashed_asset("/linli-app-1a2b3c4d5e6f7a8b.js"));
    assert!(is_hashed_asset("/linli-app-1a2b3c4d5e6f7a8b_bg.wasm"));
    assert!(is_hashed_asset("/style-0123456789abcdef0123.css"));
    // Trunk drops the hash's leading zeros.
    assert!(is_hashed_asset("/main-85369404d42d9b6.css"));
    assert!(is_hashed_asset("/meetings-3c214a2d95d280a.css"));
    assert!(!is_hashed_asset("/icons/icon-192.png"));
    assert!(!is_hashed_asset("/read-me-abc.txt"));
    assert!(!is_hashed_asset("/sw.js"));
    assert!(!is_hashed_asset("/index.html"));
    assert!(!is_hashed_asset("/manifest.json"));
    assert!(!is_hashed_asset("/icon-192.png"));
}
