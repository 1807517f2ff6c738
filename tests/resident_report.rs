//! 吹哨 (issue 17) end to end, at 360×640 in zh-CN: a 邻长 makes a report link for their 邻 and
//! prints its poster; a resident (another browser, not a member) opens the QR code's page,
//! writes what is wrong with a photo and follows it on the tracking page (待领办); the 邻长's
//! phone sees it arrive live in 待办 as a 居民反映, claims and resolves it; the tracking page
//! says 已办结 and takes the resident's 5 stars; the concern page says 居民自评 and the 台账
//! counts the rating as the resident's own. The service worker leaves the relay's resident
//! pages alone; a turned-off link takes no more reports; offline, the screen says that making
//! a link needs the network. Screenshots: tests/artifacts/resident-*.png.
//!
//! The resident pages are the relay's (`server/src/resident/`): `/r/<token>` is a form with
//! `textarea[name=text]`, `select[name=category]`, `input[name=name]`, `input[name=phone]` and
//! `input[type=file][name=photo]` (its script scales the photo to a JPEG, the submit button
//! disabled meanwhile), answering with a 303 to `/t/<tracking token>?new=1` (`&photo=0` if the
//! photo was left out); the tracking page has `[data-testid=status]`, and once it may be rated
//! a form with `input[type=radio][name=stars]` (1–5) and `textarea[name=comment]`; after the
//! rating it thanks the resident (谢谢您的评价).

use linli_shared::domain::Level;
use linli_tests::steps::{
    act, copy_link, create_community_as, join, set_value, wait_concern_status, wait_for,
    wait_offline_ready, wait_status, wait_text_containing, PAGE,
};
use linli_tests::{cdp, eventually, Browser, Chromedriver, Proxy, RelayProcess};
use serde_json::json;

const TITLE: &str = "5号楼楼道灯坏了";
const TEXT: &str = "5号楼楼道灯坏了\n晚上很黑，老人上下楼不方便";

/// A small phone (360×640) whose browser speaks zh-CN (`Accept-Language` too: the resident
/// pages are in the browser's language).
async fn small_phone(driver: &Chromedriver, name: &'static str) -> Browser {
    // Sized at launch: chromedriver puts its own phone size back on every navigation, undoing
    // a DevTools override.
    let b = Browser::launch_sized(driver, name, (360, 640)).await;
    let agent = b.js("return navigator.userAgent;").await;
    let agent = json!({ "userAgent": agent, "acceptLanguage": "zh-CN,zh;q=0.9" });
    cdp::execute(&b.client, "Emulation.setUserAgentOverride", agent).await;
    cdp::execute(
        &b.client,
        "Emulation.setLocaleOverride",
        json!({ "locale": "zh-CN" }),
    )
    .await;
    b
}

/// The value of the option of `select` whose label contains `label`.
async fn option_with(b: &Browser, select: &str, label: &str) -> String {
    eventually(PAGE, &format!("{select} offers {label}"), || async {
        b.js(&format!(
            "const o = [...document.querySelectorAll({:?})].find(o => o.textContent.includes({label:?}));
             return o ? o.value : null;",
            format!("{select} option")
        ))
        .await
        .as_str()
        .map(str::to_string)
    })
    .await
}

/// Adds a unit of `kind` named `name` under the unit whose path contains `parent`.
async fn add_unit(b: &Browser, kind: &str, name: &str, parent: Option<&str>) {
    set_value(b, "[data-testid=unit-kind]", kind).await;
    if let Some(parent) = parent {
        let id = option_with(b, "[data-testid=unit-parent]", parent).await;
        set_value(b, "[data-testid=unit-parent]", &id).await;
    }
    b.type_into("[data-testid=unit-name]", name).await;
    b.click("[data-testid=add-unit] button[type=submit]").await;
    wait_text_containing(b, "[data-testid=org-tree] li", name).await;
}

/// Joins with `invite` as 李邻长 of 5邻.
async fn join_as_neighbour_leader(b: &Browser, invite: &str) {
    join(b, invite).await;
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=profile-form]").await;
    b.type_into("#member-name", "李邻长").await;
    let unit = option_with(b, "#member-unit", "5邻").await;
    set_value(b, "#member-unit", &unit).await;
    b.click("[data-testid=save-profile]").await;
    wait_for(b, "[data-testid=my-profile]").await;
}

/// Picks a JPEG for the file input `css`, as a phone's camera gives one.
async fn attach_camera_photo(b: &Browser, css: &str) {
    let attached = b
        .client
        .execute_async(
            &format!(
                "const done = arguments[0];
                 const c = document.createElement('canvas'); c.width = 640; c.height = 480;
                 const g = c.getContext('2d'); g.fillStyle = '#556'; g.fillRect(0, 0, 640, 480);
                 g.fillStyle = '#fc3'; g.fillRect(280, 40, 80, 60);
                 c.toBlob(blob => {{
                   const t = new DataTransfer();
                   t.items.add(new File([blob], 'lamp.jpg', {{ type: 'image/jpeg' }}));
                   const input = document.querySelector({css:?});
                   input.files = t.files;
                   input.dispatchEvent(new Event('change', {{ bubbles: true }}));
                   done(input.files.length);
                 }}, 'image/jpeg', 0.8);"
            ),
            vec![],
        )
        .await
        .expect("attach a photo");
    assert_eq!(attached, json!(1), "the photo is chosen");
}

/// The resident page's status text once it contains `want`, reloading as a person would.
async fn tracking_says(b: &Browser, want: &str) -> String {
    eventually(PAGE, &format!("the tracking page says {want}"), || async {
        b.client.refresh().await.ok()?;
        let status = b.text_of_all("[data-testid=status]").await.join("");
        status.contains(want).then_some(status)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_reports_by_qr_code_follows_it_and_rates_it() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let network = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();

    // The community's admin sets up the grid (一片 · 三组 · 5邻) and invites a 邻长.
    let admin = Browser::launch(&driver, "admin").await;
    let invite = create_community_as(&admin, &relay.http_url, "兴东社区", "王书记").await;
    admin.click("[data-testid=tab-profile]").await;
    wait_for(&admin, "[data-testid=add-unit]").await;
    add_unit(&admin, "area", "一片", None).await;
    add_unit(&admin, "group", "三组", Some("一片")).await;
    add_unit(&admin, "neighbourhood", "5邻", Some("三组")).await;
    wait_status(&admin, "synced").await;
    admin.close().await;

    let leader = small_phone(&driver, "leader").await;
    join_as_neighbour_leader(&leader, &invite.replace(&relay.http_url, &network.url())).await;
    wait_status(&leader, "synced").await;

    // 我 → 扫码反映二维码: a 邻长 is offered their 邻 only.
    leader.click("[data-testid=open-report-links]").await;
    wait_for(&leader, "[data-testid=make-report-link]").await;
    let offered = leader
        .js_strings("return [...document.querySelectorAll('#report-place option')].map(o => o.textContent);")
        .await;
    assert_eq!(
        offered,
        ["一片 · 三组 · 5邻"],
        "a 邻长 makes links for a 邻"
    );
    leader.screenshot("resident-01-report-links").await;
    leader.click("[data-testid=make-report-link-submit]").await;
    wait_for(&leader, "[data-testid=poster] [data-testid=report-qr] svg").await;
    let report_url = leader
        .attr("[data-testid=poster]", "data-url")
        .await
        .expect("the QR code's address");
    assert!(
        report_url.starts_with(&format!("{}/r/", network.url())),
        "{report_url}"
    );
    let poster = leader.text_of_all("[data-testid=poster]").await.join("");
    for part in ["扫码反映问题", "5邻", "邻长：李邻长", "只有本社区"] {
        assert!(poster.contains(part), "the poster says {part}: {poster}");
    }
    // The link can go to the building's WeChat group too: 复制链接 beside the poster.
    copy_link(&leader, "report", "#report-url", &report_url).await;
    leader.screenshot("resident-02-poster").await;
    cdp::emulate_media(&leader.client, "print").await;
    leader.screenshot("resident-03-poster-print").await;
    cdp::emulate_media(&leader.client, "").await;
    leader.click("[data-testid=close-poster]").await;
    wait_text_containing(&leader, "[data-testid=report-link-maker]", "李邻长").await;

    // The service worker leaves the relay's resident page alone, even on a member's phone.
    wait_offline_ready(&leader).await;
    leader.goto(&report_url).await;
    wait_for(&leader, "textarea[name=text]").await;
    assert!(
        !leader.exists("[data-testid=tab-profile]").await,
        "not the app shell"
    );
    leader.goto(&format!("{}/#/mine", network.url())).await;
    wait_for(&leader, "[data-testid=tab-mine][aria-current=page]").await;

    // A resident scans the code: writes, adds a photo, sends.
    let resident = small_phone(&driver, "resident").await;
    resident.goto(&report_url).await;
    let width = resident.js("return window.innerWidth;").await;
    assert_eq!(width.as_u64(), Some(360), "a 360 px wide phone");
    wait_for(&resident, "textarea[name=text]").await;
    resident.type_into("textarea[name=text]", TEXT).await;
    attach_camera_photo(&resident, "input[type=file][name=photo]").await;
    resident.type_into("input[name=name]", "张阿姨").await;
    resident.type_into("input[name=phone]", "13800001234").await;
    set_value(&resident, "select[name=category]", "lighting").await;
    // The page scales the photo first; its button waits for that.
    eventually(PAGE, "the photo is ready to send", || async {
        let ready = resident
            .js("const b = document.querySelector('form button[type=submit]'); return b && !b.disabled;")
            .await;
        ready.as_bool().unwrap_or(false).then_some(())
    })
    .await;
    resident.screenshot("resident-04-report-page").await;
    resident.click("form button[type=submit]").await;
    eventually(PAGE, "the tracking page", || async {
        let path = resident.js("return location.pathname;").await;
        path.as_str()
            .is_some_and(|p| p.starts_with("/t/"))
            .then_some(())
    })
    .await;
    let tracking_url = resident
        .client
        .current_url()
        .await
        .expect("url")
        .to_string();
    assert!(
        !tracking_url.contains("photo=0"),
        "the photo arrived: {tracking_url}"
    );
    tracking_says(&resident, "待领办").await;
    resident.screenshot("resident-05-tracking-waiting").await;

    // The 邻长's phone: live in 待办, unclaimed at the 邻, marked 居民反映.
    let row = "[data-testid=mine-level] [data-testid=concern]";
    wait_text_containing(&leader, &format!("{row} .concern-title"), TITLE).await;
    wait_for(&leader, &format!("{row} [data-testid=resident-badge]")).await;
    assert_eq!(
        leader
            .text_of_all(&format!("{row} [data-testid=photo-count]"))
            .await,
        ["1"]
    );
    leader.screenshot("resident-06-mine-queue").await;
    leader.click(&format!("{row} a")).await;
    wait_for(
        &leader,
        "[data-testid=concern-page] [data-testid=resident-badge]",
    )
    .await;
    assert_eq!(
        leader
            .attr(
                "[data-testid=concern-page] [data-testid=level]",
                "data-level"
            )
            .await
            .as_deref(),
        Some(Level::Neighbour.as_str())
    );
    let page = leader
        .text_of_all("[data-testid=concern-page]")
        .await
        .join("");
    assert!(page.contains("居民（扫码反映）"), "who raised it: {page}");
    assert!(!page.contains("某成员"), "never an unknown member: {page}");
    // Any member may set a resident's report aside (spam or a duplicate).
    let aside = leader
        .text_of_all("[data-testid=take-back] [data-testid=withdraw-open]")
        .await;
    assert!(aside.join("").contains("不予受理"), "{aside:?}");
    act(&leader, "claim", None).await;
    wait_concern_status(&leader, "claimed").await;
    act(&leader, "resolve", Some("已更换楼道灯")).await;
    wait_concern_status(&leader, "resolved").await;
    wait_status(&leader, "synced").await;

    // The resident sees it done and rates it.
    resident.goto(&tracking_url).await;
    tracking_says(&resident, "已办结").await;
    resident
        .js("document.querySelector('input[name=stars][value=\"5\"]').click();")
        .await;
    resident
        .type_into("textarea[name=comment]", "修得很快，谢谢")
        .await;
    resident.screenshot("resident-07-tracking-rate").await;
    resident.click("form button[type=submit]").await;
    wait_text_containing(&resident, "body", "谢谢您的评价").await;
    let status = resident.text_of_all("[data-testid=status]").await.join("");
    assert!(!status.contains("请您评价"), "rated once: {status}");
    resident.screenshot("resident-08-tracking-rated").await;

    // The 邻长's phone: closed, rated by the resident themselves; the history names them.
    wait_concern_status(&leader, "closed").await;
    wait_for(
        &leader,
        "[data-testid=timeline] [data-testid=feedback-by-resident]",
    )
    .await;
    leader.click("[data-testid=history-toggle]").await;
    wait_text_containing(&leader, "[data-testid=history-edit]", "居民（扫码反映）").await;
    leader.screenshot("resident-09-concern-rated").await;

    // 台账: one rating, the resident's own.
    leader.click("[data-testid=tab-ledger]").await;
    wait_for(
        &leader,
        "[data-testid=satisfaction-residents][data-count='1']",
    )
    .await;
    let own = leader
        .text_of_all("[data-testid=satisfaction-residents]")
        .await
        .join("");
    assert!(
        own.contains("居民自评 1 条") && own.contains("5.0"),
        "{own}"
    );
    leader.screenshot("resident-10-ledger").await;

    // Turned off (after a confirm step): the poster's page takes no more reports.
    leader.goto(&format!("{}/#/qr", network.url())).await;
    wait_for(&leader, "[data-testid=revoke-report-link]").await;
    leader.click("[data-testid=revoke-report-link]").await;
    wait_for(&leader, "[data-testid=revoke-report-link-confirm]").await;
    leader
        .click("[data-testid=confirm-revoke-report-link]")
        .await;
    wait_for(&leader, "[data-testid=no-report-links]").await;
    resident.goto(&report_url).await;
    eventually(PAGE, "a turned-off link's page has no form", || async {
        let v = resident
            .js("return document.readyState === 'complete' && !document.querySelector('textarea[name=text]');")
            .await;
        v.as_bool().unwrap_or(false).then_some(())
    })
    .await;
    resident.screenshot("resident-11-link-off").await;

    // No network: the screen says that making a link needs it.
    network.go_offline();
    wait_status(&leader, "offline").await;
    wait_for(&leader, "[data-testid=report-needs-network]").await;
    assert!(
        leader
            .exists("[data-testid=make-report-link-submit][disabled]")
            .await,
        "no making a link offline"
    );
    leader.screenshot("resident-12-offline").await;

    resident.close().await;
    leader.close().await;
}
