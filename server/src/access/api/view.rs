//! `GET /api/view`: the caller's community as the concern screens show it, read from the
//! relay's copy of the community document with the same function the app reads its own copy
//! with ([`CommunityView::read`]).
//!
//! A phone that has just joined shows its list from this answer while it fetches its document
//! engine and syncs (issue 14), instead of waiting for the engine before the first screen.
//! Any unrevoked member may ask, as any member may sync the whole document; the answer holds
//! nothing the document does not, and is never logged (it holds residents' names).
//! `Cache-Control: no-store`, as every `/api/` answer. JSON repeats its keys for every concern:
//! the answer is compressed (brotli, else gzip) for a phone that accepts it: 2,000 concerns of
//! the test (`tests/view.rs`, `a_big_view_is_compressed`) are 916 KB of JSON and 7 KB brotli
//! (real residents' texts repeat less).

use std::io::Write;

use axum::extract::State;
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use linli_shared::domain::CommunityView;
use linli_shared::wire::DocumentId;

use super::{caller, AccessApi, Refused};
use crate::access::ApiRefusal;

/// Fast enough for a request (a few ms for a big community), most of quality 11's gain on
/// repetitive JSON.
const BROTLI_QUALITY: u32 = 5;

pub(super) async fn community_view(
    State(api): State<AccessApi>,
    headers: HeaderMap,
) -> Result<Response, Refused> {
    let member = caller(&api, &headers)?;
    let community: DocumentId = member
        .community_doc_id
        .parse()
        .map_err(|_| ApiRefusal::NotADocumentId)?;
    let me = member.member_id;
    let json = api
        .hub
        .read(community, move |doc| {
            serde_json::to_vec(&CommunityView::read(doc, me))
        })
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or(ApiRefusal::DocumentUnavailable)?;
    Ok(compressed(json, &headers))
}

/// `json` as the request accepts it: brotli, gzip, or as it is.
pub(super) fn compressed(json: Vec<u8>, request: &HeaderMap) -> Response {
    let accepts = |coding: &str| {
        request
            .get_all(ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|c| c.split(';').next().is_some_and(|c| c.trim() == coding))
    };
    let (coding, body) = if accepts("br") {
        let mut out = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, 22);
            let _ = w.write_all(&json);
        }
        (Some("br"), out)
    } else if accepts("gzip") {
        let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = w.write_all(&json);
        match w.finish() {
            Ok(out) => (Some("gzip"), out),
            Err(_) => (None, json),
        }
    } else {
        (None, json)
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(coding) = coding {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    response
}
