//! The representative's closed loop on two phones at 390×844, one of them
//! offline part of the time: record → claim → escalate → claim → resolve →
//! feedback → reopen; both phones end with the same timeline. Then two
//! offline claims of one concern meet: both phones show the conflict banner,
//! and the claimant who stands settles it. Screenshots of every screen go to
//! tests/artifacts/.

use linli_tests::steps::{
    act, concern_status, create_community, join, make_invite, open_concern, record, set_profile,
    show_all, timeline, wait_concern_status, wait_for, wait_status, wait_title, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, Proxy, RelayProcess};

const LOOP: [&str; 7] = [
    "recorded",
    "claimed",
    "escalated",
    "claimed",
    "resolved",
    "feedback",
    "reopened",
];

async fn same_timeline(a: &Browser, b: &Browser, want: &[&str]) {
    for p in [a, b] {
        eventually(PAGE, &format!("{} timeline {want:?}", p.name), || async {
            (timeline(p).await == want).then_some(())
        })
        .await;
    }
}

fn scroll_y(v: serde_json::Value) -> i64 {
    v.as_f64().expect("scrollY") as i64
}

/// The 我 screen is taller than the phone: scrolled down, then 记录 opens at its top, and
/// going back shows 我 where it was; tapping the tab one is on goes to the top. (Scrolled
/// by 120 px: 我 is shorter when it comes back, without the new invite's link and QR code.)
async fn each_screen_keeps_its_own_scroll_offset(a: &Browser) {
    let down = scroll_y(
        a.js("window.scrollTo(0, 120); return window.scrollY;")
            .await,
    );
    assert_eq!(down, 120, "the 我 screen scrolls");
    a.click("[data-testid=tab-record]").await;
    wait_for(a, "[data-testid=new-concern]").await;
    eventually(PAGE, "记录 opens at its top", || async {
        (scroll_y(a.js("return window.scrollY;").await) == 0).then_some(())
    })
    .await;
    a.js("history.back();").await;
    wait_for(a, "[data-testid=my-profile]").await;
    eventually(PAGE, "back on 我, where it was", || async {
        let y = scroll_y(a.js("return window.scrollY;").await);
        ((y - down).abs() <= 2).then_some(())
    })
    .await;
    a.click("[data-testid=tab-profile]").await;
    eventually(
        PAGE,
        "tapping the tab of the screen one is on goes to its top",
        || async { (scroll_y(a.js("return window.scrollY;").await) == 0).then_some(()) },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_loop_across_two_phones_and_a_contested_claim() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let a_link = Proxy::start(relay.port()).await;
    let b_link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await; // 王邻长
    let b = Browser::launch(&driver, "B").await; // 李组长

    let first = create_community(&a, &a_link.url(), "兴东社区").await;
    // B joins as 组长: the invite sets the role.
    let invite = make_invite(&a, "group_leader", 1, &first).await;
    set_profile(&a, "王邻长", "neighbour_leader").await;
    a.screenshot("loop-01-profile").await;
    each_screen_keeps_its_own_scroll_offset(&a).await;
    join(&b, &invite.replace(&a_link.url(), &b_link.url())).await;
    set_profile(&b, "李组长", "group_leader").await;

    // 邻长 records it, takes it on, and finds it needs the 组.
    record(&a, "七组楼道灯坏了").await;
    a.screenshot("loop-02-all").await;
    open_concern(&a, "七组楼道灯坏了").await;
    act(&a, "claim", None).await;
    wait_concern_status(&a, "claimed").await;
    act(&a, "escalate", Some("需要更换灯具，邻里解决不了")).await;
    wait_concern_status(&a, "open").await;
    wait_status(&a, "synced").await;
    a.screenshot("loop-03-concern-escalated").await;

    // It reached the 组长's level: it is in B's 我的 list.
    b.click("[data-testid=tab-mine]").await;
    eventually(PAGE, "B sees it at the group level", || async {
        let t = b
            .text_of_all("[data-testid=mine-level] [data-testid=concern] .concern-title")
            .await;
        t.contains(&"七组楼道灯坏了".to_string()).then_some(())
    })
    .await;
    b.screenshot("loop-04-mine").await;
    assert!(
        !b.exists("[data-testid=mine-level] [data-testid=overdue]")
            .await,
        "just escalated: within the 组's three days"
    );
    // Four days later (B's clock moved on) nobody has taken it: marked overdue in the queue.
    b.js("const real = Date.now; window.__realNow = real; Date.now = () => real() + 4 * 86400000;")
        .await;
    b.click("[data-testid=tab-all]").await;
    b.click("[data-testid=tab-mine]").await;
    eventually(PAGE, "B's queue marks it overdue", || async {
        b.exists("[data-testid=mine-level] [data-testid=concern] [data-testid=overdue]")
            .await
            .then_some(())
    })
    .await;
    b.screenshot("loop-04b-mine-overdue").await;
    b.js("Date.now = window.__realNow;").await;

    // B has no signal: claims and resolves offline.
    open_concern(&b, "七组楼道灯坏了").await;
    b_link.go_offline();
    wait_status(&b, "offline").await;
    act(&b, "claim", None).await;
    wait_concern_status(&b, "claimed").await;
    act(&b, "resolve", Some("已更换灯泡")).await;
    wait_concern_status(&b, "resolved").await;
    b.screenshot("loop-05-resolved-offline").await;
    assert_eq!(
        concern_status(&a).await.as_deref(),
        Some("open"),
        "A cannot see B's offline work yet"
    );

    // Back online: A sees it resolved, records the resident's verdict, reopens.
    b_link.go_online();
    wait_status(&b, "synced").await;
    wait_concern_status(&a, "resolved").await;
    act(&a, "feedback", Some("灯还是时亮时不亮")).await;
    wait_concern_status(&a, "closed").await;
    act(&a, "reopen", Some("居民反映仍不稳定")).await;
    wait_concern_status(&a, "reopened").await;
    same_timeline(&a, &b, &LOOP).await;
    wait_concern_status(&b, "reopened").await;
    a.screenshot("loop-06-timeline").await;

    // Both phones offline claim the same new concern.
    record(&a, "五组门口车辆乱停").await;
    open_concern(&a, "五组门口车辆乱停").await;
    open_concern(&b, "五组门口车辆乱停").await;
    wait_status(&a, "synced").await;
    wait_status(&b, "synced").await;
    a_link.go_offline();
    b_link.go_offline();
    wait_status(&a, "offline").await;
    wait_status(&b, "offline").await;
    act(&a, "claim", None).await;
    act(&b, "claim", None).await;
    wait_concern_status(&a, "claimed").await;
    wait_concern_status(&b, "claimed").await;
    a_link.go_online();
    b_link.go_online();
    wait_for(&a, "[data-testid=conflict-banner]").await;
    wait_for(&b, "[data-testid=conflict-banner]").await;
    a.screenshot("loop-07-conflict-a").await;
    b.screenshot("loop-07-conflict-b").await;

    // Exactly one phone holds it and may settle it; then the banner goes away on both.
    let holder = if a.exists("[data-testid=settle-claim]").await {
        &a
    } else {
        &b
    };
    let other = if std::ptr::eq(holder, &a) { &b } else { &a };
    assert!(
        !other.exists("[data-testid=settle-claim]").await,
        "only the standing claimant may settle"
    );
    holder.click("[data-testid=settle-claim]").await;
    for p in [&a, &b] {
        eventually(PAGE, &format!("{} banner cleared", p.name), || async {
            (!p.exists("[data-testid=conflict-banner]").await).then_some(())
        })
        .await;
    }
    show_all(&a).await;
    wait_title(&a, "五组门口车辆乱停", PAGE).await;
    a.screenshot("loop-08-all-after").await;

    a.close().await;
    b.close().await;
}
