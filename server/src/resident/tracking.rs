//! The tracking page (`/t/<token>`): what became of a report, and the resident's rating.

use std::collections::HashMap;
use std::io;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use linli_i18n::resident::strings;
use linli_i18n::Lang;
use linli_shared::domain::{commit_at, get_concern, rate_as_resident, tracking};
use linli_shared::wire::DocumentId;

use super::form::RatingForm;
use super::html::{message, page, tracking_page as tracking_html};
use super::limits::Verdict;
use super::request::{lang_of, now_ms, see_other, sender, Peer};
use super::ResidentPages;

/// How long a tracking page waits for its turn to read the community document.
const READ_WAIT: Duration = Duration::from_secs(2);

pub(super) async fn tracking_page(
    State(pages): State<ResidentPages>,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    peer: Peer,
) -> Response {
    let lang = lang_of(&headers);
    let t = strings(lang);
    let Some((community, concern)) = pages.0.key.open_token(&token) else {
        return message(StatusCode::NOT_FOUND, t, t.tracking_unknown);
    };
    let from = sender(&peer, &headers, &pages.0.trusted_proxies);
    if pages.0.views.take(&from, Instant::now()) == Verdict::Refused {
        return message(StatusCode::TOO_MANY_REQUESTS, t, t.too_many_views);
    }
    let notice = if query.contains_key("rated") {
        Some(t.thanks.to_string())
    } else if query.contains_key("new") {
        let left_out = query.get("photo").is_some_and(|p| p == "0");
        Some(match left_out {
            true => format!("{} {}", t.received, t.photo_left_out),
            false => t.received.to_string(),
        })
    } else {
        None
    };
    let shown = Shown {
        lang,
        notice: notice.as_deref(),
        error: None,
    };
    show(&pages, community, concern, shown, StatusCode::OK).await
}

pub(super) async fn rate(
    State(pages): State<ResidentPages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    peer: Peer,
    Form(rating): Form<RatingForm>,
) -> Response {
    let lang = lang_of(&headers);
    let t = strings(lang);
    let Some((community, concern)) = pages.0.key.open_token(&token) else {
        return message(StatusCode::NOT_FOUND, t, t.tracking_unknown);
    };
    let error = |error| Shown {
        lang,
        notice: None,
        error: Some(error),
    };
    let from = sender(&peer, &headers, &pages.0.trusted_proxies);
    if pages.0.ratings.take(&from, Instant::now()) == Verdict::Refused {
        let status = StatusCode::TOO_MANY_REQUESTS;
        return show(&pages, community, concern, error(t.too_many), status).await;
    }
    let Some(stars) = rating
        .stars
        .parse::<u8>()
        .ok()
        .filter(|s| (1..=5).contains(s))
    else {
        let status = StatusCode::BAD_REQUEST;
        return show(&pages, community, concern, error(t.stars_missing), status).await;
    };
    let comment: String = rating.comment.trim().chars().take(500).collect();
    let (unhappy, now, id) = (t.unhappy_reason, now_ms(), concern.clone());
    let rated = pages
        .0
        .hub
        .edit(community, community, false, move |doc| {
            let rated = rate_as_resident(doc, now, &id, stars, &comment, unhappy);
            commit_at(doc, now);
            rated
        })
        .await;
    let status = StatusCode::SERVICE_UNAVAILABLE;
    match rated {
        Ok(Ok(())) => {
            tracing::info!(community = %community, "resident rating recorded");
            see_other(&token, "rated=1")
        }
        // Rated already (a double tap) or not resolved (an old page): show how it stands.
        Ok(Err(_)) => {
            tracing::info!(community = %community, "resident rating refused by the rules");
            see_other(&token, "")
        }
        Err(e) if e.kind() == io::ErrorKind::QuotaExceeded => {
            show(&pages, community, concern, error(t.community_full), status).await
        }
        Err(_) => show(&pages, community, concern, error(t.not_stored), status).await,
    }
}

/// What a tracking page says besides the concern.
struct Shown<'a> {
    lang: Lang,
    notice: Option<&'a str>,
    error: Option<&'a str>,
}

/// The tracking page of `concern`. Reads of community documents for these pages take turns
/// (`ResidentPages::reads`): however many arrive, the core thread serves a few at a time.
async fn show(
    pages: &ResidentPages,
    community: DocumentId,
    concern: String,
    shown: Shown<'_>,
    status: StatusCode,
) -> Response {
    let t = strings(shown.lang);
    let turn = tokio::time::timeout(READ_WAIT, pages.0.reads.acquire()).await;
    let Ok(Ok(_turn)) = turn else {
        return message(StatusCode::SERVICE_UNAVAILABLE, t, t.busy);
    };
    let read = pages
        .0
        .hub
        .read(community, move |doc| {
            get_concern(doc, &concern).map(|c| tracking(&c))
        })
        .await;
    match read {
        Ok(Ok(tracked)) => {
            let body = tracking_html(shown.lang, &tracked, shown.notice, shown.error);
            page(status, t, t.tracking_title, &body)
        }
        _ => message(StatusCode::NOT_FOUND, t, t.tracking_unknown),
    }
}
