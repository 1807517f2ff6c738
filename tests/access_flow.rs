//! Community access in the real app (issue 4/5): the admin makes a 组长 invite
//! on the 我 screen (link + QR code), a second phone opens the link and joins,
//! the admin revokes it, and the second phone stops syncing and says so.

use linli_tests::flows::{
    create_community, join, record, show_all, titles, wait_for, wait_status, wait_title, LONG,
};
use linli_tests::{eventually, Browser, Chromedriver, Relay};
use std::time::Duration;

/// Selects `role` in the invite form and makes a new invite; returns its link.
async fn make_invite(b: &Browser, role: &str, previous: &str) -> String {
    b.js(&format!(
        "const s = document.querySelector('#invite-role'); s.value = {role:?};
         s.dispatchEvent(new Event('change', {{bubbles: true}}));"
    ))
    .await;
    b.click("[data-testid=create-invite]").await;
    eventually(LONG, "a new invite link", || async {
        b.value("[data-testid=invite-link]")
            .await
            .filter(|v| v.contains("#/join/") && v != previous)
    })
    .await
}

/// Open WebSocket connections, from the relay's `/metrics`.
fn connections(port: u16) -> u64 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request =
        format!("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("linli_connections "))
        .and_then(|v| v.trim().parse().ok())
        .expect("linli_connections in /metrics")
}

/// The 我 screen, freshly mounted (the member list loads when it opens).
async fn open_profile(b: &Browser) {
    show_all(b).await;
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=member-list]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_phone_joins_and_is_cut_off_when_revoked() {
    let data = tempfile::tempdir().unwrap();
    let relay = Relay::start(data.path());
    let driver = Chromedriver::start();
    let admin = Browser::launch(&driver, "admin").await;
    let phone = Browser::launch(&driver, "phone").await;

    let first = create_community(&admin, &relay.url(), "兴东社区").await;
    wait_status(&admin, "synced").await;
    let invite = make_invite(&admin, "group_leader", &first).await;
    assert!(
        admin.exists("[data-testid=invite-qr] svg path").await,
        "the invite has a QR code"
    );
    admin.screenshot("access-01-invite").await;

    // The second phone opens the link: it joins with the invite, not the document id.
    assert!(!invite.contains(&first.rsplit('/').next().unwrap().to_string()));
    join(&phone, &invite).await;
    wait_status(&phone, "synced").await;
    // (The 我 screen with the QR code is long: back to the top before the next tab.)
    admin.js("window.scrollTo(0, 0);").await;
    record(&admin, "二组楼道灯坏了").await;
    show_all(&phone).await;
    wait_title(&phone, "二组楼道灯坏了", LONG).await;

    // The admin sees the new member as 组长 and revokes it.
    open_profile(&admin).await;
    let rows = eventually(LONG, "two members listed", || async {
        let rows = admin.text_of_all("[data-testid=member]").await;
        (rows.len() == 2).then_some(rows)
    })
    .await;
    assert!(
        rows.iter().any(|r| r.contains("组长")),
        "the invited member has the invite's role: {rows:?}"
    );
    admin.click("[data-testid=revoke]").await;
    wait_for(&admin, "[data-testid=revoked-badge]").await;
    admin.screenshot("access-02-revoked-in-list").await;

    // The revoked phone stops syncing and says why.
    wait_for(&phone, "[data-testid=revoked]").await;
    phone.screenshot("access-03-revoked-phone").await;
    // Only the admin's socket is left, and the phone does not come back, even
    // after a reload.
    eventually(LONG, "one connection left", || async {
        (connections(relay.port) == 1).then_some(())
    })
    .await;
    phone
        .client
        .refresh()
        .await
        .expect("reload the revoked phone");
    wait_for(&phone, "[data-testid=revoked]").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(connections(relay.port), 1, "the revoked phone reconnected");
    assert!(titles(&phone).await.is_empty(), "no community shown");

    admin.close().await;
    phone.close().await;
}
