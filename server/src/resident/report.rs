//! The report form (`/r/<token>`): shown, and taken.

use std::io;
use std::time::Instant;

use axum::extract::{Multipart, Path, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use linli_i18n::resident::strings;
use linli_i18n::Lang;
use linli_shared::domain::{
    commit_at, create_photo, get_concern, record_resident_report, Ctx, DomainError, NewPhoto,
    ResidentReport, MAX_DESCRIPTION_CHARS, RESIDENT,
};
use linli_shared::wire::DocumentId;

use super::form::{read_report, PhotoUpload, ReportForm};
use super::html::{message, page, report_form};
use super::limits::{Verdict, SLOWED_BY};
use super::request::{lang_of, now_ms, see_other, sender, worse, Peer};
use super::ResidentPages;
use crate::access::report_links::ReportLink;

pub(super) async fn report_page(
    State(pages): State<ResidentPages>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    match live_link(&pages, &token, lang) {
        Ok((_, link)) => form_page(lang, &link, &ReportForm::default(), None, StatusCode::OK),
        Err(refused) => *refused,
    }
}

pub(super) async fn report(
    State(pages): State<ResidentPages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    peer: Peer,
    body: Multipart,
) -> Response {
    let lang = lang_of(&headers);
    let t = strings(lang);
    let (community, link) = match live_link(&pages, &token, lang) {
        Ok(found) => found,
        Err(refused) => return *refused,
    };
    let Ok(mut sent) = read_report(body).await else {
        return message(StatusCode::BAD_REQUEST, t, t.not_stored);
    };
    sent.text = sent.text.trim().to_string();
    let photo = sent.photo.take();
    // A browser cannot refill a file input: say the photo must be chosen again.
    let photo_sent = photo.is_some() || sent.photo_left_out;
    let refill = |error: &str, status| {
        let error = match photo_sent {
            true => format!("{error} {}", t.photo_again),
            false => error.to_string(),
        };
        form_page(lang, &link, &sent, Some(&error), status)
    };
    if sent.text.is_empty() {
        return refill(t.text_missing, StatusCode::BAD_REQUEST);
    }
    if sent.text.chars().count() > MAX_DESCRIPTION_CHARS {
        let error = t
            .text_too_long
            .replace("{0}", &MAX_DESCRIPTION_CHARS.to_string());
        return refill(&error, StatusCode::BAD_REQUEST);
    }
    let now = Instant::now();
    let from = sender(&peer, &headers, &pages.0.trusted_proxies);
    let verdict = match pages.0.per_address.take(&from, now) {
        Verdict::Refused => Verdict::Refused,
        by_address => worse(by_address, pages.0.per_link.take(&link.token, now)),
    };
    match verdict {
        Verdict::Refused => {
            tracing::info!(community = %community, link = %link.id, "resident report refused: too many");
            let mut refused = refill(t.too_many, StatusCode::TOO_MANY_REQUESTS);
            let wait = HeaderValue::from_static("600");
            refused.headers_mut().insert(RETRY_AFTER, wait);
            return refused;
        }
        Verdict::Slowed => tokio::time::sleep(SLOWED_BY).await,
        Verdict::Go => {}
    }
    // The form's nonce names the report: the same form posted twice (a double tap) is one.
    let concern = match sent.nonce.is_empty() {
        true => uuid::Uuid::new_v4().to_string(),
        false => pages.0.key.report_id(&link.token, &sent.nonce),
    };
    let tracking = pages.0.key.token(&community, &concern);
    if recorded_already(&pages, community, &concern).await {
        return see_other(&tracking, "new=1");
    }
    let mut photo_left_out = sent.photo_left_out;
    let mut photo_id = None;
    if let Some(photo) = photo {
        match store_photo(&pages, community, photo).await {
            Some(id) => photo_id = Some(id),
            None => photo_left_out = true,
        }
    }
    let report = ResidentReport {
        id: concern.clone(),
        place: link.place.clone(),
        category: sent.category.unwrap_or_default(),
        text: sent.text.clone(),
        name: sent.name.clone(),
        phone: sent.phone.clone(),
        photo: photo_id.map(|id| id.to_string()),
    };
    let now_ms = now_ms();
    let recorded = pages
        .0
        .hub
        .edit(community, community, false, move |doc| {
            let recorded = record_resident_report(doc, now_ms, report);
            commit_at(doc, now_ms);
            recorded
        })
        .await;
    match recorded {
        // Recorded, or by the same form's other post meanwhile.
        Ok(Ok(_)) | Ok(Err(DomainError::AlreadyExists { .. })) => {}
        // The place left the org tree since the link was made.
        Ok(Err(DomainError::NotFound { .. })) => {
            return message(StatusCode::GONE, t, t.link_revoked)
        }
        Ok(Err(error)) => {
            tracing::warn!(community = %community, link = %link.id, %error, "resident report not recorded");
            return refill(t.not_stored, StatusCode::BAD_REQUEST);
        }
        Err(error) if error.kind() == io::ErrorKind::QuotaExceeded => {
            return refill(t.community_full, StatusCode::SERVICE_UNAVAILABLE)
        }
        Err(_) => return refill(t.not_stored, StatusCode::SERVICE_UNAVAILABLE),
    }
    tracing::info!(community = %community, link = %link.id, "resident report recorded");
    let query = if photo_left_out {
        "new=1&photo=0"
    } else {
        "new=1"
    };
    see_other(&tracking, query)
}

/// Whether `concern` is in the community document already (a form posted again).
async fn recorded_already(pages: &ResidentPages, community: DocumentId, concern: &str) -> bool {
    let concern = concern.to_string();
    let read = pages
        .0
        .hub
        .read(community, move |doc| get_concern(doc, &concern).is_ok());
    matches!(read.await, Ok(true))
}

/// Stores the photo as its own document owned by `community`; `None` if it could not be.
async fn store_photo(
    pages: &ResidentPages,
    community: DocumentId,
    photo: PhotoUpload,
) -> Option<DocumentId> {
    let id = DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes());
    if pages.0.access.claim(&id, &community) != Ok(true) {
        return None;
    }
    let now = now_ms();
    let new = NewPhoto {
        mime: photo.mime.to_string(),
        width: photo.width,
        height: photo.height,
        bytes: photo.bytes,
    };
    let made = pages
        .0
        .hub
        .edit(id, community, true, move |doc| {
            let made = create_photo(doc, &Ctx::new(RESIDENT, now), new);
            commit_at(doc, now);
            made
        })
        .await;
    matches!(made, Ok(Ok(()))).then_some(id)
}

/// The link and its community, or the page that says it is unknown or revoked.
fn live_link(
    pages: &ResidentPages,
    token: &str,
    lang: Lang,
) -> Result<(DocumentId, ReportLink), Box<Response>> {
    let t = strings(lang);
    match pages.0.access.read(|r| r.report_link(token)) {
        None => Err(Box::new(message(StatusCode::NOT_FOUND, t, t.link_unknown))),
        Some((_, link)) if link.revoked_at.is_some() => {
            Err(Box::new(message(StatusCode::GONE, t, t.link_revoked)))
        }
        Some(found) => Ok(found),
    }
}

fn form_page(
    lang: Lang,
    link: &ReportLink,
    filled: &ReportForm,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let t = strings(lang);
    let nonce = match filled.nonce.is_empty() {
        true => uuid::Uuid::new_v4().simple().to_string(),
        false => filled.nonce.clone(),
    };
    let body = report_form(lang, &link.place_name, filled, &nonce, error);
    page(status, t, t.report_title, &body)
}
