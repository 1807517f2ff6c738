//! The resident pages answered in-process over a relay whose documents live in memory: a
//! member makes a link through the API, a resident reports through the form (a double tap
//! records once), follows and rates on the tracking page; a revoked link, a forged tracking
//! token and a flood are refused. `tests/resident_report.rs` walks it in a real browser.

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use linli_shared::api::{self, Grant, NewReportLink, ReportLinkRow};
use linli_shared::domain::*;
use linli_shared::wire::DocumentId;
use tower::ServiceExt;

use linli_testkit::resident::org_tree;

use super::{routes, ResidentPages, TrackingKey};
use crate::access::api::tests::in_memory_api;
use crate::access::api::{routes as api_routes, AccessApi};

const COMMUNITY: DocumentId = DocumentId::from_bytes([7; 16]);
const BOUNDARY: &str = "XyZBoundary";

struct Relay {
    api: AccessApi,
    app: Router,
    leader: Grant,
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

/// A relay with one community (one 片, 组 "一组", 邻 "一邻") and a 邻长 in it.
async fn relay() -> Relay {
    let api = in_memory_api(true);
    let admin = api
        .access
        .update(|r| r.create_community(COMMUNITY, Role::Committee))
        .unwrap();
    let admin_row = api.access.member(&admin.credential).unwrap();
    let invite = api
        .access
        .update(|r| r.create_invite(&admin_row, Role::NeighbourLeader, 3600, 1, 1))
        .unwrap();
    let leader = api.access.update(|r| r.join(&invite.token, 1)).unwrap();
    api.hub
        .edit(COMMUNITY, COMMUNITY, true, org_tree)
        .await
        .unwrap();
    let pages = ResidentPages::new(api.access.clone(), api.hub.clone(), TrackingKey::random());
    let app = Router::new()
        .merge(api_routes(api.clone()))
        .merge(routes(pages));
    Relay { api, app, leader }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 1 << 22).await.unwrap();
    Answer {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, path: &str) -> Answer {
    let request = Request::get(path).header(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9");
    send(app, request.body(Body::empty()).unwrap()).await
}

/// Makes a report link for `place` as the 邻长.
async fn make_link(relay: &Relay, place: &str) -> Answer {
    let body = serde_json::to_string(&NewReportLink {
        place: place.into(),
    })
    .unwrap();
    let request = Request::builder()
        .method(Method::POST)
        .uri(api::REPORT_LINKS)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", relay.leader.credential),
        )
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    send(&relay.app, request).await
}

/// A report form post: text fields, then the photo (if any) last, as the page sends it.
fn report(path: &str, fields: &[(&str, &str)], photo: Option<&[u8]>) -> Request<Body> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some(bytes) = photo {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; \
                 filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap()
}

fn tiny_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&64u32.to_be_bytes());
    png.extend_from_slice(&48u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0]);
    png
}

async fn concerns(relay: &Relay) -> Vec<Concern> {
    relay
        .api
        .hub
        .read(COMMUNITY, |doc| list_concerns(doc).unwrap())
        .await
        .unwrap()
}

fn location(answer: &Answer) -> String {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    answer.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_resident_reports_with_a_photo_follows_and_rates() {
    let relay = relay().await;
    let link: ReportLinkRow = serde_json::from_str(&make_link(&relay, "nb1").await.text).unwrap();
    let path = api::report_page_path(&link.token);
    let form = get(&relay.app, &path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("一邻") && form.text.contains("name=\"nonce\""));
    assert!(
        form.text.len() < 50 * 1024,
        "the whole page is {} bytes",
        form.text.len()
    );
    let policy = form.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(policy.contains("default-src 'none'") && policy.contains("script-src 'sha256-"));

    let png = tiny_png();
    let fields = [
        ("nonce", "n1"),
        ("text", "<script>alert(1)</script> 路灯坏了"),
        ("category", "lighting"),
        ("name", "王阿姨"),
        ("phone", "13812345678"),
    ];
    let sent = send(&relay.app, report(&path, &fields, Some(&png))).await;
    let tracking = location(&sent);
    assert!(tracking.starts_with(api::TRACKING_PREFIX) && tracking.ends_with("?new=1"));
    assert!(!tracking.contains("13812345678"));
    // A double tap posts the same form again: the same tracking page, one concern.
    let again = send(&relay.app, report(&path, &fields, Some(&png))).await;
    assert_eq!(location(&again), tracking);
    let all = concerns(&relay).await;
    assert_eq!(all.len(), 1);
    let c = &all[0];
    assert_eq!(
        (c.raised_by.as_str(), c.status),
        (RESIDENT, ConcernStatus::Open)
    );
    assert_eq!(
        (c.place.as_deref(), c.category),
        (Some("nb1"), Category::Lighting)
    );
    assert_eq!(c.reporter, Reporter::Resident("王阿姨 13812345678".into()));
    let photo_id: DocumentId = c.photos[0].parse().unwrap();
    assert_eq!(relay.api.access.owner(&photo_id), Some(COMMUNITY));
    let photo = relay
        .api
        .hub
        .read(photo_id, |doc| read_photo(doc).unwrap().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (photo.width, photo.height, photo.bytes),
        (64, 48, png.clone())
    );

    let page = get(&relay.app, &tracking).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(page.text.contains("待领办") && page.text.contains("已收到"));
    assert!(page.text.contains("&lt;script&gt;") && !page.text.contains("<script>alert"));
    assert!(!page.text.contains("13812345678") && !page.text.contains("王阿姨"));
    assert!(
        !page.text.contains("name=\"stars\""),
        "not rated before it is resolved"
    );

    let id = c.id.clone();
    relay
        .api
        .hub
        .edit(COMMUNITY, COMMUNITY, false, move |doc| {
            let ctx = Ctx::new("ll", 1).with_role(Some(Role::NeighbourLeader));
            claim(doc, &ctx, &id).unwrap();
            resolve(doc, &ctx, &id, "换了灯泡，电话 13900001111").unwrap();
        })
        .await
        .unwrap();
    let bare = tracking.split('?').next().unwrap().to_string();
    let page = get(&relay.app, &bare).await;
    assert!(page.text.contains("已办结") && page.text.contains("name=\"stars\""));
    assert!(
        !page.text.contains("13900001111"),
        "phone numbers in the summary are masked"
    );
    assert!(
        page.text.contains("换了灯泡"),
        "what was done, before the resident rates it"
    );

    let rate = |stars: &str| {
        Request::post(&bare)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "stars={stars}&comment=%E8%B0%A2%E8%B0%A2"
            )))
            .unwrap()
    };
    let no_stars = send(&relay.app, rate("9")).await;
    assert_eq!(no_stars.status, StatusCode::BAD_REQUEST);
    let beside_the_stars = "<form method=\"post\"><p class=\"error\" role=\"alert\">请选一个评分";
    assert!(
        no_stars.text.contains(beside_the_stars),
        "{}",
        no_stars.text
    );
    let rated = send(&relay.app, rate("5")).await;
    assert!(location(&rated).ends_with("?rated=1"));
    let c = &concerns(&relay).await[0];
    assert_eq!(c.status, ConcernStatus::Closed);
    let c_id = c.id.clone();
    let history = relay
        .api
        .hub
        .read(COMMUNITY, move |doc| concern_history(doc, &c_id))
        .await
        .unwrap();
    // The report and the rating (this test's own claim and resolve went through the relay too).
    let by_relay: Vec<_> = history
        .iter()
        .filter(|e| e.parts.contains(&Part::Recorded) || e.parts.contains(&Part::Feedback))
        .collect();
    assert_eq!(by_relay.len(), 2, "{history:?}");
    assert!(
        by_relay.iter().all(|e| e.time_s > 1_700_000_000),
        "the relay's changes carry their time: {history:?}"
    );
    let feedback = c.feedback.as_ref().unwrap();
    assert_eq!((feedback.by.as_str(), feedback.satisfaction), (RESIDENT, 5));
    // A second tap changes nothing.
    location(&send(&relay.app, rate("1")).await);
    assert_eq!(concerns(&relay).await[0].status, ConcernStatus::Closed);
}

#[tokio::test]
async fn a_forged_token_a_revoked_link_and_a_bad_place_are_refused() {
    let relay = relay().await;
    assert_eq!(
        make_link(&relay, "g1").await.status,
        StatusCode::FORBIDDEN,
        "a 邻长 and a 组"
    );
    assert_eq!(make_link(&relay, "a1").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        make_link(&relay, "nowhere").await.status,
        StatusCode::NOT_FOUND
    );
    let link: ReportLinkRow = serde_json::from_str(&make_link(&relay, "nb1").await.text).unwrap();
    let path = api::report_page_path(&link.token);
    let sent = send(&relay.app, report(&path, &[("text", "噪音")], None)).await;
    let tracking = location(&sent).split('?').next().unwrap().to_string();
    let forged = format!("{}0", &tracking[..tracking.len() - 1]);
    let forged = if forged == tracking {
        format!("{}1", &tracking[..tracking.len() - 1])
    } else {
        forged
    };
    assert_eq!(get(&relay.app, &forged).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&relay.app, "/r/0123456789abcdef0123456789abcdef")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let empty = send(&relay.app, report(&path, &[("text", "   ")], None)).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.text.contains("请写一下遇到的问题"));
    assert!(
        !empty.text.contains("照片需要重新选择"),
        "no photo was sent"
    );
    // 5,000 characters (15 KB): refused as too long, its start kept in the form, not lost.
    let long = "楼".repeat(5_000);
    let too_long = send(&relay.app, report(&path, &[("text", &long)], None)).await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(too_long.text.contains("内容太长了"), "{}", too_long.text);
    assert!(
        too_long.text.contains(&"楼".repeat(2_000)),
        "the text is kept"
    );
    let png = tiny_png();
    let with_photo = send(&relay.app, report(&path, &[("text", " ")], Some(&png))).await;
    assert!(
        with_photo.text.contains("照片需要重新选择"),
        "the photo is not refilled"
    );

    let revoke = Request::post(api::revoke_report_link_path(&link.id))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", relay.leader.credential),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&relay.app, revoke).await.status, StatusCode::OK);
    let gone = get(&relay.app, &path).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.text.contains("已经停用"));
    let late = send(&relay.app, report(&path, &[("text", "还有人吗")], None)).await;
    assert_eq!(late.status, StatusCode::GONE);
    assert_eq!(concerns(&relay).await.len(), 1, "nothing more was written");
    // The tracking page of what came before still works.
    assert_eq!(get(&relay.app, &tracking).await.status, StatusCode::OK);
}

mod flood;
