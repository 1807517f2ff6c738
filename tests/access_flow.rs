//! Community access in the real app (issue 4/5, 16): the admin makes a 组长 invite
//! on the 我 screen (link + QR code, 复制链接), a second phone opens the link and joins,
//! the admin revokes it (after confirming), and the second phone stops syncing and says
//! so; the used link does not let it back in, a fresh one does, without a reload. Then
//! (issue 11) the admin lists the open invites and cancels one (after confirming), sees who
//! invited each member, and makes the phone an admin: the phone gets the admin screens.

use linli_tests::steps::{
    copy_link, create_community, join, make_invite, open_profile, record, show_all, titles,
    wait_for, wait_status, wait_title, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess};
use std::time::Duration;

/// Open WebSocket connections, from the relay's `/metrics`.
fn connections(relay: &RelayProcess) -> u64 {
    relay.api().metric("linli_connections") as u64
}

/// How many times the page asked the relay for a sync ticket (resource timing).
async fn sync_ticket_requests(b: &Browser) -> u64 {
    b.js("return performance.getEntriesByType('resource').filter(r => r.name.endsWith('/api/sync-ticket')).length;")
        .await
        .as_u64()
        .unwrap_or(u64::MAX)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_phone_joins_and_is_cut_off_when_revoked() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let admin = Browser::launch(&driver, "admin").await;
    let phone = Browser::launch(&driver, "phone").await;

    let first = create_community(&admin, &relay.http_url, "兴东社区").await;
    wait_status(&admin, "synced").await;
    let invite = make_invite(&admin, "group_leader", 1, &first).await;
    assert!(
        admin.exists("[data-testid=invite-qr] svg path").await,
        "the invite has a QR code"
    );
    // 复制链接: to the clipboard, or (refused there) the link is selected for a long press.
    copy_link(&admin, "invite", "#invite-link", &invite).await;
    admin.screenshot("access-01-invite").await;

    // The second phone opens the link: it joins with the invite, not the document id.
    assert!(!invite.contains(&first.rsplit('/').next().unwrap().to_string()));
    join(&phone, &invite).await;
    wait_status(&phone, "synced").await;
    // Both phones opened their first socket with the ticket their join or registration
    // answer carried: no round trip to ask for one first.
    for b in [&admin, &phone] {
        assert_eq!(sync_ticket_requests(b).await, 0, "asked for a sync ticket");
    }
    // (The 我 screen with the QR code is long: back to the top before the next tab.)
    admin.js("window.scrollTo(0, 0);").await;
    record(&admin, "二组楼道灯坏了").await;
    show_all(&phone).await;
    wait_title(&phone, "二组楼道灯坏了", PAGE).await;

    // The admin sees the new member as 组长 and revokes it.
    open_profile(&admin).await;
    let rows = eventually(PAGE, "two members listed", || async {
        let rows = admin.text_of_all("[data-testid=member]").await;
        (rows.len() == 2).then_some(rows)
    })
    .await;
    assert!(
        rows.iter().any(|r| r.contains("组长")),
        "the invited member has the invite's role: {rows:?}"
    );
    // 撤销 asks first: one tap revokes nobody.
    admin.click("[data-testid=revoke]").await;
    wait_for(&admin, "[data-testid=revoke-confirm]").await;
    admin.screenshot("members-05-revoke-confirm").await;
    assert!(!admin.exists("[data-testid=revoked-badge]").await);
    admin.click("[data-testid=cancel-revoke]").await;
    wait_for(&admin, "[data-testid=revoke]").await;
    assert_eq!(
        admin.text_of_all("[data-testid=member]").await.len(),
        2,
        "cancelled: nobody revoked"
    );
    admin.click("[data-testid=revoke]").await;
    admin.click("[data-testid=confirm-revoke]").await;
    // Revoked members fold away under 已撤销 (N).
    wait_for(&admin, "[data-testid=revoked-toggle]").await;
    assert_eq!(
        admin.text_of_all("[data-testid=revoked-toggle]").await,
        vec!["▸ 已撤销（1）".to_string()]
    );
    assert!(!admin.exists("[data-testid=revoked-badge]").await, "folded");
    admin.click("[data-testid=revoked-toggle]").await;
    wait_for(
        &admin,
        "[data-testid=revoked-members] [data-testid=revoked-badge]",
    )
    .await;
    admin.screenshot("access-02-revoked-in-list").await;

    // The revoked phone stops syncing and says why.
    wait_for(&phone, "[data-testid=revoked]").await;
    phone.screenshot("access-03-revoked-phone").await;
    // Only the admin's socket is left, and the phone does not come back, even
    // after a reload.
    eventually(PAGE, "one connection left", || async {
        (connections(&relay) == 1).then_some(())
    })
    .await;
    phone
        .client
        .refresh()
        .await
        .expect("reload the revoked phone");
    wait_for(&phone, "[data-testid=revoked]").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(connections(&relay), 1, "the revoked phone reconnected");
    assert!(titles(&phone).await.is_empty(), "no community shown");

    // The link it came in with is used up: the relay refuses it.
    phone.goto(&invite).await;
    wait_for(&phone, "[data-testid=join-refused]").await;
    assert_eq!(connections(&relay), 1, "the used invite let the phone back");
    // A fresh invite opened in the running page joins at once, without a reload.
    admin.js("window.scrollTo(0, 0);").await;
    let fresh = make_invite(&admin, "neighbour_leader", 1, &invite).await;
    phone.js("window.__same_page = true;").await;
    let hash = fresh.split_once('#').map(|(_, h)| h).unwrap().to_string();
    phone.js(&format!("location.hash = {hash:?};")).await;
    wait_for(&phone, "[data-testid=joined-banner]").await;
    wait_status(&phone, "synced").await;
    assert_eq!(
        phone.js("return window.__same_page === true;").await,
        serde_json::Value::Bool(true),
        "joined without a reload"
    );
    show_all(&phone).await;
    wait_title(&phone, "二组楼道灯坏了", PAGE).await;
    phone.screenshot("members-06-rejoined").await;

    open_invites_are_cancelled_and_the_phone_made_an_admin(&relay, &admin, &phone, &fresh).await;
    admin.close().await;
    phone.close().await;
}

/// The 我 screen's open invites: a used-up invite is gone, a meeting invite is listed with its
/// phones, cancelled only after confirming, and then admits nobody; the rejoined member shows
/// who invited it and is made an admin, which its phone learns when it next connects.
async fn open_invites_are_cancelled_and_the_phone_made_an_admin(
    relay: &RelayProcess,
    admin: &Browser,
    phone: &Browser,
    previous: &str,
) {
    admin.js("window.scrollTo(0, 0);").await;
    let meeting = make_invite(admin, "neighbour_leader", 3, previous).await;
    let token = meeting.rsplit('/').next().unwrap().to_string();
    // The meeting invite's row (by its text: 3 phones, none joined yet).
    let id = eventually(PAGE, "the meeting invite listed", || async {
        let id = admin
            .js(
                "const row = [...document.querySelectorAll('[data-testid=open-invite]')]
                   .find(r => r.textContent.includes('已加入 0/3 部手机'));
                 return row ? row.dataset.invite : null;",
            )
            .await;
        id.as_str().map(str::to_string)
    })
    .await;
    assert!(
        token.starts_with(&format!("{id}.")),
        "the row is this invite"
    );
    let listed = admin.text_of_all("[data-testid=open-invite]").await;
    for row in &listed {
        assert!(!row.contains(&token), "never the link itself: {row}");
        assert!(
            !row.contains("已加入 1/1"),
            "a used-up invite is not open: {listed:?}"
        );
    }
    let row = format!("[data-testid=open-invite][data-invite='{id}']");
    assert!(admin.text_of_all(&row).await[0].contains("邻长"));
    admin.scroll_to(&row).await;
    admin
        .click(&format!("{row} [data-testid=cancel-invite]"))
        .await;
    wait_for(admin, "[data-testid=cancel-invite-confirm]").await;
    admin.screenshot("access-04-cancel-invite-confirm").await;
    admin.click("[data-testid=keep-invite]").await;
    wait_for(admin, &format!("{row} [data-testid=cancel-invite]")).await;
    admin
        .click(&format!("{row} [data-testid=cancel-invite]"))
        .await;
    admin
        .click(&format!("{row} [data-testid=confirm-cancel-invite]"))
        .await;
    eventually(PAGE, "the cancelled invite gone from the list", || async {
        (!admin.exists(&row).await).then_some(())
    })
    .await;
    let refused = relay.join(&token);
    assert_eq!(
        refused.status, 403,
        "a cancelled invite admits nobody: {}",
        refused.text
    );

    // Who invited whom, and a second admin.
    open_profile(admin).await;
    let rows = eventually(PAGE, "the rejoined member listed", || async {
        let rows = admin
            .text_of_all("[data-testid=member][data-revoked=false]")
            .await;
        (rows.len() == 2).then_some(rows)
    })
    .await;
    assert!(
        rows.iter().any(|r| r.contains("邀请人：")),
        "the rejoined member shows who invited it: {rows:?}"
    );
    admin.scroll_to("[data-testid=admin-change]").await;
    admin.click("[data-testid=admin-change]").await;
    wait_for(admin, "[data-testid=admin-change-confirm]").await;
    admin.click("[data-testid=confirm-admin-change]").await;
    eventually(PAGE, "two admins listed", || async {
        let rows = admin
            .text_of_all("[data-testid=member][data-revoked=false]")
            .await;
        (rows.iter().filter(|r| r.contains("管理员")).count() == 2).then_some(())
    })
    .await;
    admin.screenshot("access-05-second-admin").await;
    // The phone learns it on its next connection and shows the admin's screens.
    phone.client.refresh().await.expect("reload the phone");
    wait_status(phone, "synced").await;
    open_profile(phone).await;
    wait_for(phone, "[data-testid=invite-form]").await;
    phone.screenshot("access-06-phone-is-admin").await;
}
