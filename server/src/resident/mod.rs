//! 吹哨: the pages a resident reaches from a report link's QR code, served by the relay itself
//! (no app, no service worker, no login; a form post is all the browser needs).
//!
//! - `GET /r/{token}`: the report form for the link's 邻 or 组; `POST`: records the report as a
//!   new concern there, written by the relay as [`linli_shared::domain::RESIDENT`]
//!   (`core::local_edit`), with its photo as a photo document the community owns, then
//!   answers `303` to the private tracking page. Nothing else is ever written from here.
//! - `GET /t/{token}`: the tracking page ([`tracking_key`]); `POST`: the resident's rating,
//!   once the concern is resolved.
//!
//! Abuse: posts are limited per link and per address, tracking pages and ratings per address
//! ([`limits`]), before anything reaches the core; every field is bounded as it streams in ([`form`]); a revoked link answers `410`
//! at once; what residents write is escaped ([`html`]). Logs name the community and link,
//! never what was written, a phone number or a token.

mod form;
mod html;
mod limits;
mod pages;
pub mod tracking_key;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;

use crate::access::Access;
use crate::transport::HubHandle;
use limits::{Limiter, PER_ADDRESS, PER_LINK, RATINGS_PER_ADDRESS, VIEWS_PER_ADDRESS};
pub use tracking_key::TrackingKey;

/// Largest report post read: a phone without the page's script sends its camera's photo,
/// which is then left out (the report itself is kept).
const MAX_POST_BYTES: usize = 16 * 1024 * 1024;
/// How long a form's nonce answers a second post with the first one's tracking page.
const NONCE_LIFETIME: Duration = Duration::from_secs(600);
const MAX_NONCES: usize = 10_000;

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
    /// Form nonce → the tracking token its first post got.
    posted: Mutex<HashMap<String, (String, Instant)>>,
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
            posted: Mutex::default(),
        }))
    }

    /// The tracking token a form's first post got, if it was posted lately.
    fn posted(&self, nonce: &str) -> Option<String> {
        let posted = self.0.posted.lock().unwrap_or_else(|e| e.into_inner());
        let (token, at) = posted.get(nonce)?;
        (at.elapsed() < NONCE_LIFETIME).then(|| token.clone())
    }

    fn remember(&self, nonce: &str, token: &str) {
        if nonce.is_empty() {
            return;
        }
        let mut posted = self.0.posted.lock().unwrap_or_else(|e| e.into_inner());
        if posted.len() >= MAX_NONCES {
            posted.retain(|_, (_, at)| at.elapsed() < NONCE_LIFETIME);
        }
        if posted.len() < MAX_NONCES {
            posted.insert(nonce.to_string(), (token.to_string(), Instant::now()));
        }
    }
}

pub fn routes(pages: ResidentPages) -> Router {
    Router::new()
        .route("/r/{token}", get(pages::report_page).post(pages::report))
        .route("/t/{token}", get(pages::tracking_page).post(pages::rate))
        .layer(DefaultBodyLimit::max(MAX_POST_BYTES))
        .with_state(pages)
}

#[cfg(test)]
mod tests;
