//! Floods of posts: from one address, slowed then refused with the form kept; to one link
//! from many addresses, held to the link's own limit.

use axum::http::{header, StatusCode};
use linli_shared::api::{self, ReportLinkRow};

use super::{concerns, make_link, relay, report, send};

#[tokio::test]
async fn a_flood_from_one_address_is_slowed_then_refused_and_keeps_what_was_written() {
    let relay = relay().await;
    let link: ReportLinkRow = serde_json::from_str(&make_link(&relay, "nb1").await.text).unwrap();
    let path = api::report_page_path(&link.token);
    let mut statuses = Vec::new();
    for i in 0..12 {
        let text = format!("第{i}条");
        let answer = send(&relay.app, report(&path, &[("text", &text)], None)).await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(
                answer.text.contains(&text),
                "the form keeps what was written"
            );
            assert_eq!(answer.headers[header::RETRY_AFTER], "600");
        }
        statuses.push(answer.status);
    }
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(
        accepted,
        crate::resident::limits::PER_ADDRESS.burst as usize,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(concerns(&relay).await.len(), accepted);
}

#[tokio::test]
async fn a_flood_to_one_link_from_many_addresses_meets_the_links_own_limit() {
    let relay = relay().await;
    let link: ReportLinkRow = serde_json::from_str(&make_link(&relay, "nb1").await.text).unwrap();
    let path = api::report_page_path(&link.token);
    let burst = crate::resident::limits::PER_LINK.burst as usize;
    let mut accepted = 0;
    for i in 0..burst + 5 {
        let mut request = report(&path, &[("text", "刷屏")], None);
        let from = std::net::SocketAddr::from(([10, 0, (i / 250) as u8, (i % 250) as u8], 4000));
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(from));
        let answer = send(&relay.app, request).await;
        accepted += usize::from(answer.status == StatusCode::SEE_OTHER);
    }
    assert_eq!(accepted, burst);
    assert_eq!(concerns(&relay).await.len(), burst);
    // Another link of the same place is not held up by this one's flood.
    let other: ReportLinkRow = serde_json::from_str(&make_link(&relay, "nb1").await.text).unwrap();
    let mut request = report(
        &api::report_page_path(&other.token),
        &[("text", "路灯")],
        None,
    );
    let from = std::net::SocketAddr::from(([10, 9, 9, 9], 4000));
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(from));
    assert_eq!(
        send(&relay.app, request).await.status,
        StatusCode::SEE_OTHER
    );
}
