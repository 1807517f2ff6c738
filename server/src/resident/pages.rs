//! The handlers of the resident pages (see the module's head for what each does).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::header::{ACCEPT_LANGUAGE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use linli_i18n::resident::strings;
use linli_i18n::Lang;
use linli_shared::api::TRACKING_PREFIX;
use linli_shared::domain::{
    commit_at, create_photo, get_concern, rate_as_resident, record_resident_report, tracking, Ctx,
    NewPhoto, ResidentReport, MAX_DESCRIPTION_CHARS, RESIDENT,
};
use linli_shared::wire::DocumentId;

use super::form::{read_report, RatingForm, ReportForm};
use super::html::{message, page, report_form, tracking_page as tracking_html};
use super::limits::{Verdict, SLOWED_BY};
use super::ResidentPages;
use crate::access::report_links::ReportLink;

type Address = Option<Extension<ConnectInfo<SocketAddr>>>;

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
    address: Address,
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
    if let Some(tracking) = pages.posted(&sent.nonce) {
        return see_other(&tracking, "new=1"); // the same form again: a double tap
    }
    sent.text = sent.text.trim().to_string();
    if sent.text.is_empty() {
        return form_page(
            lang,
            &link,
            &sent,
            Some(t.text_missing),
            StatusCode::BAD_REQUEST,
        );
    }
    if sent.text.chars().count() > MAX_DESCRIPTION_CHARS {
        let error = t
            .text_too_long
            .replace("{0}", &MAX_DESCRIPTION_CHARS.to_string());
        return form_page(lang, &link, &sent, Some(&error), StatusCode::BAD_REQUEST);
    }
    let now = Instant::now();
    let by_address = pages.0.per_address.take(&address_of(&address), now);
    let verdict = match by_address {
        Verdict::Refused => Verdict::Refused,
        _ => worse(by_address, pages.0.per_link.take(&link.token, now)),
    };
    match verdict {
        Verdict::Refused => {
            tracing::info!(community = %community, link = %link.id, "resident report refused: too many");
            let mut refused = form_page(
                lang,
                &link,
                &sent,
                Some(t.too_many),
                StatusCode::TOO_MANY_REQUESTS,
            );
            refused
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("600"));
            return refused;
        }
        Verdict::Slowed => tokio::time::sleep(SLOWED_BY).await,
        Verdict::Go => {}
    }
    let mut photo_left_out = sent.photo_left_out;
    let mut photo_id = None;
    if let Some(photo) = sent.photo.take() {
        match store_photo(&pages, community, photo).await {
            Some(id) => photo_id = Some(id),
            None => photo_left_out = true,
        }
    }
    let concern = uuid::Uuid::new_v4().to_string();
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
        .edit(community, false, move |doc| {
            let recorded = record_resident_report(doc, now_ms, report);
            commit_at(doc, now_ms);
            recorded
        })
        .await;
    match recorded {
        Ok(Ok(_)) => {}
        Ok(Err(_)) => {
            // The place left the org tree since the link was made.
            return message(StatusCode::GONE, t, t.link_revoked);
        }
        Err(_) => {
            return form_page(
                lang,
                &link,
                &sent,
                Some(t.not_stored),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    }
    tracing::info!(community = %community, link = %link.id, "resident report recorded");
    let tracking = pages.0.key.token(&community, &concern);
    pages.remember(&sent.nonce, &tracking);
    let query = if photo_left_out {
        "new=1&photo=0"
    } else {
        "new=1"
    };
    see_other(&tracking, query)
}

/// Stores the photo as its own document owned by `community`; `None` if it could not be.
async fn store_photo(
    pages: &ResidentPages,
    community: DocumentId,
    photo: super::form::PhotoUpload,
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
        .edit(id, true, move |doc| {
            let made = create_photo(doc, &Ctx::new(RESIDENT, now), new);
            commit_at(doc, now);
            made
        })
        .await;
    matches!(made, Ok(Ok(()))).then_some(id)
}

pub(super) async fn tracking_page(
    State(pages): State<ResidentPages>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    address: Address,
) -> Response {
    let lang = lang_of(&headers);
    let t = strings(lang);
    if pages.0.views.take(&address_of(&address), Instant::now()) == Verdict::Refused {
        return message(StatusCode::TOO_MANY_REQUESTS, t, t.too_many_views);
    }
    let notice = if query.contains_key("rated") {
        Some(t.thanks.to_string())
    } else if query.contains_key("new") {
        let left_out = query.get("photo").is_some_and(|p| p == "0");
        Some(if left_out {
            format!("{} {}", t.received, t.photo_left_out)
        } else {
            t.received.to_string()
        })
    } else {
        None
    };
    show_tracking(
        &pages,
        &token,
        lang,
        notice.as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

pub(super) async fn rate(
    State(pages): State<ResidentPages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    address: Address,
    Form(rating): Form<RatingForm>,
) -> Response {
    let lang = lang_of(&headers);
    let t = strings(lang);
    let Some((community, concern)) = pages.0.key.open_token(&token) else {
        return message(StatusCode::NOT_FOUND, t, t.tracking_unknown);
    };
    if pages.0.ratings.take(&address_of(&address), Instant::now()) == Verdict::Refused {
        return show_tracking(
            &pages,
            &token,
            lang,
            None,
            Some(t.too_many),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let Some(stars) = rating
        .stars
        .parse::<u8>()
        .ok()
        .filter(|s| (1..=5).contains(s))
    else {
        return show_tracking(
            &pages,
            &token,
            lang,
            None,
            Some(t.stars_missing),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let comment: String = rating.comment.trim().chars().take(500).collect();
    let unhappy = t.unhappy_reason;
    let now = now_ms();
    let rated = pages
        .0
        .hub
        .edit(community, false, move |doc| {
            let rated = rate_as_resident(doc, now, &concern, stars, &comment, unhappy);
            commit_at(doc, now);
            rated
        })
        .await;
    match rated {
        // Refused by the domain: rated already (a double tap), or not resolved (the page was
        // old). The tracking page shows how it stands.
        Ok(_) => {
            tracing::info!(community = %community, "resident rating recorded");
            see_other(&token, "rated=1")
        }
        Err(_) => {
            show_tracking(
                &pages,
                &token,
                lang,
                None,
                Some(t.not_stored),
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

async fn show_tracking(
    pages: &ResidentPages,
    token: &str,
    lang: Lang,
    notice: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let t = strings(lang);
    let Some((community, concern)) = pages.0.key.open_token(token) else {
        return message(StatusCode::NOT_FOUND, t, t.tracking_unknown);
    };
    let read = pages
        .0
        .hub
        .edit(community, false, move |doc| {
            get_concern(doc, &concern).map(|c| tracking(&c))
        })
        .await;
    match read {
        Ok(Ok(tracked)) => {
            let body = tracking_html(lang, &tracked, notice, error);
            page(status, t, t.tracking_title, &body, true)
        }
        _ => message(StatusCode::NOT_FOUND, t, t.tracking_unknown),
    }
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
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let nonce = if filled.nonce.is_empty() {
        nonce
    } else {
        filled.nonce.clone()
    };
    let body = report_form(lang, &link.place_name, filled, &nonce, error);
    page(status, t, t.report_title, &body, false)
}

fn see_other(tracking: &str, query: &str) -> Response {
    let location = format!("{TRACKING_PREFIX}{tracking}?{query}");
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn worse(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Refused, _) | (_, Verdict::Refused) => Verdict::Refused,
        (Verdict::Slowed, _) | (_, Verdict::Slowed) => Verdict::Slowed,
        _ => Verdict::Go,
    }
}

fn address_of(address: &Address) -> String {
    address
        .as_ref()
        .map_or_else(|| "unknown".to_string(), |a| a.0 .0.ip().to_string())
}

/// The page's language from `Accept-Language`: traditional Chinese for zh-TW/HK/MO/Hant,
/// English when the first choice is English, simplified Chinese otherwise.
fn lang_of(headers: &HeaderMap) -> Lang {
    let first = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|tag| {
            tag.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if first.starts_with("zh-tw")
        || first.starts_with("zh-hk")
        || first.starts_with("zh-mo")
        || first.starts_with("zh-hant")
    {
        Lang::ZhHant
    } else if first.starts_with("en") {
        Lang::En
    } else {
        Lang::ZhHans
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
