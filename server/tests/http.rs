//! The relay as a web server: the app with SPA fallback, cache headers, health and metrics.

use std::fs;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_testkit::api::metric;
use linli_testkit::app_shell::{app_shell, HASHED_JS, INDEX, INDEX_SCRIPT};
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::raw_http::get;
use linli_testkit::{eventually, timeouts, RelayBuilder, RelayProcess};

/// Trunk writes the hash without leading zeros: 15 digits for one build in 16.
const SHORT_HASHED_CSS: &str = "main-85369404d42d9b6.css";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_the_app_with_spa_fallback_and_cache_headers() {
    let data = tempfile::tempdir().unwrap();
    let dist = app_shell();
    fs::write(dist.path().join(SHORT_HASHED_CSS), "body { color: red }").unwrap();
    let relay = RelayBuilder::new(data.path()).serving(dist.path()).start();

    for path in ["/", "/index.html", "/meetings/42"] {
        let response = get(&relay.http_url, path).await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.body, INDEX, "{path}");
        assert_eq!(response.headers["cache-control"], "no-cache", "{path}");
        assert_security_headers(&response.headers, path);
        let csp = &response.headers["content-security-policy"];
        let script_hash = STANDARD.encode(Sha256::digest(INDEX_SCRIPT.as_bytes()));
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{script_hash}';"
            )),
            "{path}: {csp}"
        );
        for directive in [
            "connect-src 'self' blob:",
            "img-src 'self' data: blob:",
            "frame-ancestors 'none'",
            "base-uri 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
    let sw = get(&relay.http_url, "/sw.js").await;
    assert_eq!(sw.headers["cache-control"], "no-cache");
    assert!(sw.headers["content-type"].contains("javascript"));
    let asset = get(&relay.http_url, &format!("/{HASHED_JS}")).await;
    assert_eq!(asset.body, "export {}");
    assert!(asset.headers["cache-control"].contains("immutable"));
    assert_security_headers(&asset.headers, HASHED_JS);
    // Served brotli, gzip or plain from one URL: caches must key on the encoding.
    for response in [&asset, &sw] {
        assert_eq!(
            response.headers.get("vary").map(String::as_str),
            Some("accept-encoding")
        );
    }
    // Kept by the phone's HTTP cache like every other build asset, so an offline
    // start does not need to revalidate the stylesheet.
    let css = get(&relay.http_url, &format!("/{SHORT_HASHED_CSS}")).await;
    assert_eq!(css.status, 200);
    assert!(css.headers["content-type"].starts_with("text/css"));
    assert!(
        css.headers["cache-control"].contains("immutable"),
        "{:?}",
        css.headers["cache-control"]
    );

    let health = get(&relay.http_url, "/healthz").await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
}

fn assert_security_headers(headers: &std::collections::HashMap<String, String>, path: &str) {
    assert_eq!(
        headers.get("x-content-type-options").map(String::as_str),
        Some("nosniff"),
        "{path}"
    );
    assert_eq!(
        headers.get("referrer-policy").map(String::as_str),
        Some("no-referrer"),
        "{path}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_connections_documents_and_stored_bytes() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let doc = new_doc_id();
    let mut client = NativeClient::new("metrics");
    client.connect(&relay.sync_url()).await;
    client
        .edit(doc, |d| d.put(ROOT, "k", "v").map(drop).unwrap())
        .await;
    client.wait_until("stored", |c| c.is_synced(doc)).await;

    // The counters are the hub's latest published ones (every half second): polled.
    let url = relay.http_url.clone();
    let metrics = eventually(timeouts::NATIVE, "the stored document in /metrics", || {
        let url = url.clone();
        async move {
            let metrics = get(&url, "/metrics").await;
            assert_eq!(metrics.status, 200);
            let published = metric(&metrics.body, "linli_bytes_appended_total") > 0.0;
            published.then_some(metrics)
        }
    })
    .await;
    let value = |name: &str| metric(&metrics.body, name);
    assert_eq!(value("linli_connections"), 1.0);
    assert_eq!(value("linli_documents_in_memory"), 1.0);
    assert!(value("linli_sync_messages_received_total") >= 1.0);
    assert!(value("linli_sync_messages_sent_total") >= 1.0);
    assert!(value("linli_bytes_appended_total") > 0.0);
    assert!(value("linli_bytes_stored") >= value("linli_bytes_appended_total"));
    assert!(metrics.body.contains("# TYPE linli_connections gauge"));
    // How long the relay held each frame: the join and every sync message.
    assert!(metrics
        .body
        .contains("# TYPE linli_frame_seconds histogram"));
    assert!(
        value("linli_frame_seconds_count") >= 1.0 + value("linli_sync_messages_received_total")
    );
    assert!(value("linli_frame_seconds_sum") > 0.0);
}
