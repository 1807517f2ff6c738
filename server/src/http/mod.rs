//! The HTTP side: the built app from `dist/` (SPA fallback to `index.html`), `/sync`,
//! `/api/…` (access, see [`crate::access::api`]), `/r/…` and `/t/…` (the resident pages,
//! [`crate::resident`]), `/healthz` and `/metrics` (see
//! [`crate::metrics`]), with [`crate::security_headers`] on the answers.
//!
//! No request is logged: `/sync` URIs carry credentials.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, VARY};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::access::api::{routes, AccessApi};
use crate::metrics::{metrics, MetricsState};
use crate::resident::{self, ResidentPages};
use crate::security_headers::{security_headers, AppPolicy};
use crate::transport::websocket::{upgrade, SyncEndpoint};

const NO_CACHE: &str = "no-cache";
/// API answers can carry credentials: never kept by a cache.
const NO_STORE: &str = "no-store";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The whole HTTP surface of the relay.
pub fn router(
    dist: &Path,
    endpoint: SyncEndpoint,
    api: AccessApi,
    residents: ResidentPages,
) -> Router {
    // `.br` / `.gz` copies (see `precompress`) are served to browsers that accept them.
    let app = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(dist.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    let metrics_route = Router::new()
        .route("/metrics", get(metrics))
        .with_state(MetricsState {
            stats: endpoint.hub.stats_board(),
            admin_token: api.admin_token.clone(),
        });
    let policy = AppPolicy::new(dist.join("index.html"));
    Router::new()
        .route("/sync", get(upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(endpoint)
        .merge(metrics_route)
        .merge(routes(api))
        .merge(resident::routes(residents))
        .fallback_service(app)
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn_with_state(policy, security_headers))
}

/// `no-cache` for the HTML shell and the service worker (and anything unhashed); a year for
/// assets whose names carry a content hash.
async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    if path == "/sync" {
        return response;
    }
    if path.starts_with("/api/") {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
        return response;
    }
    let is_html = is_html(&response);
    let policy = if !is_html && is_hashed_asset(&path) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let headers = response.headers_mut();
    // An answer that chose its own (the resident pages: tracking pages are private) keeps it.
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    // The same URL is answered brotli, gzip or plain by what the browser accepts: a shared
    // cache (an operator's proxy) must not hand one browser's encoding to another.
    if !headers.contains_key(VARY) {
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Whether an answer is an HTML page (by its `Content-Type`).
pub(crate) fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Trunk names built assets `name-<hash>[_bg].ext`, the hash a 64-bit number in hex
/// *without* leading zeros: 16 digits, but 15 for one build in 16 (`main-85369404d42d9b6.css`),
/// 14 for one in 256… 12 or more is a hash; a shorter one only costs revalidation.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    if name == "sw.js" {
        return false;
    }
    name.split('-')
        .skip(1)
        .any(|part| part.chars().take_while(char::is_ascii_hexdigit).count() >= 12)
}

#[cfg(test)]
mod tests;
