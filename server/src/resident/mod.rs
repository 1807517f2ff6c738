//! 吹哨: the pages a resident reaches from a report link's QR code, served by the relay itself
//! (no app, no service worker, no login; a form post is all the browser needs).
//!
//! - `GET /r/{token}`: the report form for the link's 邻 or 组; `POST`: records the report as a
//!   new concern there, written by the relay as [`linli_shared::domain::RESIDENT`]
//!   (`core::local_edit`), with its photo as a photo document the community owns, then
//!   answers `303` to the private tracking page; the form's nonce names the concern, so the
//!   same form posted twice records once. Nothing else is ever written from here.
//! - `GET /t/{token}`: the tracking page ([`tracking_key`]); `POST`: the resident's rating,
//!   once the concern is resolved.
//!
//! Abuse: posts are limited per link and per address, tracking pages and ratings per address
//! ([`limits`]), before anything reaches the core; every field is bounded as it streams in ([`form`]); a revoked link answers `410`
//! at once; what residents write is escaped ([`html`]); the relay's writes are held to the
//! community's quotas; tracking pages read the core a few at a time. Behind a reverse proxy,
//! `--trusted-proxy` makes the limits count residents, not the proxy ([`request`]). Logs name
//! the community and link, never what was written, a phone number or a token.

mod form;
mod html;
mod limits;
mod report;
mod request;
mod tracking;
pub mod tracking_key;

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use tokio::sync::Semaphore;

use crate::access::Access;
use crate::transport::HubHandle;
use limits::{Limiter, PER_ADDRESS, PER_LINK, RATINGS_PER_ADDRESS, VIEWS_PER_ADDRESS};
pub use tracking_key::TrackingKey;

/// Largest report post read: a phone without the page's script sends its camera's photo,
/// which is then left out (the report itself is kept).
const MAX_POST_BYTES: usize = 16 * 1024 * 1024;
/// Tracking pages reading community documents on the core thread at once.
const CONCURRENT_READS: usize = 4;

/// What the resident pages need.
#[derive(Clone)]
pub struct ResidentPages(Arc<Inner>);

struct Inner {
    access: Access,
    hub: HubHandle,
    key: TrackingKey,
    per_link: Limiter,
    per_address: Limiter,
    ratings: Limiter,
    views: Limiter,
    /// Turns for tracking pages to read a community document.
    reads: Semaphore,
    /// Reverse proxies whose `X-Forwarded-For` names the sender (`--trusted-proxy`).
    trusted_proxies: Vec<IpAddr>,
}

impl ResidentPages {
    pub fn new(access: Access, hub: HubHandle, key: TrackingKey) -> ResidentPages {
        ResidentPages(Arc::new(Inner {
            access,
            hub,
            key,
            per_link: Limiter::new(PER_LINK),
            per_address: Limiter::new(PER_ADDRESS),
            ratings: Limiter::new(RATINGS_PER_ADDRESS),
            views: Limiter::new(VIEWS_PER_ADDRESS),
            reads: Semaphore::new(CONCURRENT_READS),
            trusted_proxies: Vec::new(),
        }))
    }

    /// The same pages, taking the sender's address from these proxies' headers.
    pub fn trusting(self, proxies: Vec<IpAddr>) -> ResidentPages {
        let mut inner = Arc::try_unwrap(self.0).unwrap_or_else(|_| panic!("set before use"));
        inner.trusted_proxies = proxies;
        ResidentPages(Arc::new(inner))
    }
}

pub fn routes(pages: ResidentPages) -> Router {
    Router::new()
        .route("/r/{token}", get(report::report_page).post(report::report))
        .route(
            "/t/{token}",
            get(tracking::tracking_page).post(tracking::rate),
        )
        .layer(DefaultBodyLimit::max(MAX_POST_BYTES))
        .with_state(pages)
}

#[cfg(test)]
mod tests;
