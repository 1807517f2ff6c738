//! The app as a 邻长 meets it on day one (issue 16): an honest sync badge and an identity
//! that makes sense. The first open while online never says 离线; saving without signal
//! says 离线 with the number of changes waiting, and 已同步 once the relay has them; the
//! community's name is shown; the profile can be edited and the member list says the
//! same role; an invited 组长 is a 组长 in the profile too; a meeting shows each
//! attendee's real role. Screenshots go to tests/artifacts/members-*.png.

use linli_tests::steps::{
    create_community, fill_profile, join, make_invite, open_profile, record, wait_for,
    wait_offline_ready, wait_status, PAGE,
};
use linli_tests::{cdp, eventually, Browser, Chromedriver, Proxy, RelayProcess};
use serde_json::json;

/// Records every state the sync badge takes from the next page load on.
async fn watch_badge(b: &Browser) {
    let script = "window.__badge = [];
        new MutationObserver(() => {
          const e = document.querySelector('[data-testid=sync-status]');
          const s = e && e.dataset.status;
          if (s && window.__badge[window.__badge.length - 1] !== s) window.__badge.push(s);
        }).observe(document, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ['data-status']});";
    cdp::execute(
        &b.client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": script }),
    )
    .await;
}

async fn badge_history(b: &Browser) -> Vec<String> {
    let v = b.js("return window.__badge || [];").await;
    serde_json::from_value(v).unwrap_or_default()
}

async fn badge_text(b: &Browser) -> String {
    b.text_of_all("[data-testid=sync-status]").await.join("")
}

/// The 我 screen's member row of `name`: its role chip text.
async fn role_in_member_list(b: &Browser, name: &str) -> String {
    eventually(PAGE, &format!("{name} in the member list"), || async {
        let v = b
            .js(&format!(
                "for (const row of document.querySelectorAll('[data-testid=member]')) {{
                   if (row.querySelector('.member-name').textContent.trim() === {name:?}) {{
                     const r = row.querySelector('[data-testid=member-role]');
                     return r ? r.textContent.trim() : null; }} }}
                 return null;"
            ))
            .await;
        v.as_str().map(String::from)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_badge_and_the_identity_tell_the_truth() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let admin = Browser::launch(&driver, "admin").await;
    let phone = Browser::launch(&driver, "phone").await;

    // The community's name is shown once it exists.
    let first = create_community(&admin, &relay.http_url, "兴东社区").await;
    wait_status(&admin, "synced").await;
    admin.screenshot("members-00-created").await;
    eventually(PAGE, "the header names the community", || async {
        let name = admin.text_of_all("[data-testid=community-name]").await;
        (name == ["兴东社区"]).then_some(())
    })
    .await;

    // The first open while online: 连接中, then 已同步 — never 离线.
    watch_badge(&admin).await;
    admin.client.refresh().await.expect("reload the admin");
    wait_status(&admin, "synced").await;
    let seen = badge_history(&admin).await;
    assert!(!seen.is_empty(), "the badge was watched");
    assert!(
        !seen.iter().any(|s| s == "offline"),
        "an online phone said 离线 while opening: {seen:?}"
    );

    // The profile: saved, then edited; the member list says the same role. The creator,
    // whom the relay registered as 两委, is 两委 unless they pick another role (they were
    // 邻长 when they typed only their name).
    fill_profile(&admin, "王书记").await;
    assert_eq!(
        admin.text_of_all("[data-testid=my-role]").await,
        vec!["两委".to_string()]
    );
    admin.click("[data-testid=edit-profile]").await;
    wait_for(&admin, "[data-testid=profile-form]").await;
    assert_eq!(admin.value("#member-name").await.as_deref(), Some("王书记"));
    admin
        .js("document.querySelector('#member-name').value = '';")
        .await;
    admin.type_into("#member-name", "王片长").await;
    admin
        .js(
            "const s = document.querySelector('#member-role'); s.value = 'area_leader';
             s.dispatchEvent(new Event('change', {bubbles: true}));",
        )
        .await;
    admin.click("[data-testid=save-profile]").await;
    wait_for(&admin, "[data-testid=my-profile]").await;
    assert_eq!(
        admin.text_of_all("[data-testid=my-role]").await,
        vec!["片长".to_string()]
    );
    open_profile(&admin).await;
    assert_eq!(role_in_member_list(&admin, "王片长").await, "片长");
    admin.screenshot("members-01-profile-edited").await;

    // An invited 组长: 已加入 兴东社区, the community named, the role set by the invite.
    let invite = make_invite(&admin, "group_leader", 1, &first).await;
    join(&phone, &invite.replace(&relay.http_url, &link.url())).await;
    wait_for(&phone, "[data-testid=joined-banner]").await;
    let banner = phone.text_of_all("[data-testid=joined-banner] span").await;
    assert_eq!(banner, vec!["已加入兴东社区".to_string()]);
    assert_eq!(
        phone.text_of_all("[data-testid=community-name]").await,
        vec!["兴东社区".to_string()]
    );
    phone.screenshot("members-02-joined").await;
    phone.click("[data-testid=joined-dismiss]").await;
    phone.click("[data-testid=tab-profile]").await;
    wait_for(&phone, "[data-testid=profile-form]").await;
    assert_eq!(
        phone.value("#member-role").await.as_deref(),
        Some("group_leader")
    );
    assert!(phone.exists("[data-testid=role-from-invite]").await);
    phone.type_into("#member-name", "李组长").await;
    phone.click("[data-testid=save-profile]").await;
    wait_for(&phone, "[data-testid=my-profile]").await;
    assert_eq!(
        phone.text_of_all("[data-testid=my-role]").await,
        vec!["组长".to_string()]
    );
    open_profile(&admin).await;
    assert_eq!(role_in_member_list(&admin, "李组长").await, "组长");

    // No signal: 离线 with the changes waiting, then 已同步 when they reached the relay.
    wait_status(&phone, "synced").await;
    wait_offline_ready(&phone).await;
    link.go_offline();
    wait_status(&phone, "offline").await;
    record(&phone, "三组楼道堆物").await;
    record(&phone, "五组路灯不亮").await;
    let waiting = eventually(PAGE, "the badge counts the unsent changes", || async {
        let n: usize = phone
            .attr("[data-testid=sync-status]", "data-pending")
            .await?
            .parse()
            .ok()?;
        (n >= 2).then_some(n)
    })
    .await;
    assert_eq!(
        phone
            .attr("[data-testid=sync-status]", "data-status")
            .await
            .as_deref(),
        Some("offline")
    );
    let text = badge_text(&phone).await;
    assert!(
        text.contains("离线") && text.contains(&format!("{waiting} 条待发送")),
        "{text}"
    );
    phone.screenshot("members-03-offline-pending").await;
    // The count survives a reload without signal.
    phone.client.refresh().await.expect("reload offline");
    wait_for(&phone, "[data-testid=tab-all]").await;
    wait_status(&phone, "offline").await;
    let after = phone
        .attr("[data-testid=sync-status]", "data-pending")
        .await;
    assert_eq!(after, Some(waiting.to_string()), "the count after a reload");
    link.go_online();
    wait_status(&phone, "synced").await;
    assert_eq!(
        phone
            .attr("[data-testid=sync-status]", "data-pending")
            .await
            .as_deref(),
        Some("0")
    );
    assert_eq!(badge_text(&phone).await, "已同步");
    phone.screenshot("members-04-synced").await;

    // English says it plainly.
    phone
        .js(
            "const s = document.querySelector('select.lang'); s.value = 'en';
             s.dispatchEvent(new Event('change', {bubbles: true}));",
        )
        .await;
    eventually(PAGE, "the badge in English", || async {
        (badge_text(&phone).await == "Synced").then_some(())
    })
    .await;

    admin.close().await;
    phone.close().await;
}
