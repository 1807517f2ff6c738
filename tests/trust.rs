//! Every button that writes is safe, and every refusal is shown in the user's
//! language, where the user sees it (issue 16), on one phone at 390×844:
//! a double tap (two clicks in one JS task) on 记录, 创建会议 and the concern
//! actions makes one record / one timeline event and no refusal; empty fields
//! (community name, concern, escalation reason, meeting title) are refused
//! beside the field, in Chinese, scrolled into view; feedback without stars is
//! refused and records nothing; no panic reaches the console.

use linli_tests::steps::{
    create_community, open_concern, set_profile, show_all, timeline, titles, wait_concern_status,
    wait_for, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess};

/// Clicks `css` twice without waiting in between (a quick double tap).
async fn double_tap(b: &Browser, css: &str) {
    b.scroll_to(css).await;
    let done = b
        .js(&format!(
            "const el = document.querySelector({css:?}); if (!el) return false;
             el.click(); el.click(); return true;"
        ))
        .await;
    assert_eq!(done, true, "{css} is on screen to tap");
}

/// The error shown beside `field`, once it lies within the viewport (the
/// form scrolls it there on the next frame; a person sees it without
/// scrolling). Fails if it never shows on screen.
async fn field_error(b: &Browser, field: &str) -> String {
    let css = format!("[data-testid=field-error][data-field='{field}']");
    eventually(
        PAGE,
        &format!("an error beside {field}, on screen"),
        || async {
            let v = b
                .js(&format!(
                    "const e = document.querySelector({css:?}); if (!e) return null;
                 const r = e.getBoundingClientRect();
                 return [e.textContent, r.top >= 0 && r.bottom <= window.innerHeight];"
                ))
                .await;
            let on_screen = v.get(1)?.as_bool()?;
            on_screen.then(|| v.get(0)?.as_str().map(String::from))?
        },
    )
    .await
}

/// A refusal the 邻长 can read: Chinese words, no English ones.
fn assert_chinese(what: &str, text: &str) {
    assert!(
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            && !text.chars().any(|c| c.is_ascii_alphabetic()),
        "{what}: {text:?} is not plain Chinese"
    );
}

async fn no_refusal(b: &Browser, after: &str) {
    let shown = b.text_of_all("[data-testid=refused]").await;
    assert!(shown.is_empty(), "after {after}: refused {shown:?}");
}

/// Keeps every console error and uncaught exception (a Rust panic) from now on.
async fn watch_console(b: &Browser) {
    b.js("window.__errors = [];
          const original = console.error;
          console.error = function (...a) { window.__errors.push(a.map(String).join(' ')); return original.apply(this, a); };
          window.addEventListener('error', e => window.__errors.push(String(e.message)));")
        .await;
}

async fn console_errors(b: &Browser) -> Vec<String> {
    let v = b.js("return window.__errors || null;").await;
    let list = v.as_array().expect("the console watch is installed");
    list.iter()
        .filter_map(|e| e.as_str().map(String::from))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_is_safe_and_every_refusal_is_readable() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "trust").await;

    // An empty community name is refused where it is typed.
    a.goto(&relay.http_url).await;
    wait_for(&a, "[data-testid=create-community]").await;
    a.click("[data-testid=create-community] button[type=submit]")
        .await;
    let why = field_error(&a, "community name").await;
    assert_chinese("empty community name", &why);
    a.screenshot("trust-empty-community-name").await;

    create_community(&a, &relay.http_url, "信任社区").await;
    set_profile(&a, "王邻长", "neighbour_leader").await;
    watch_console(&a).await;

    // 记录 with nothing written: the error is beside the field, on screen.
    a.click("[data-testid=tab-record]").await;
    wait_for(&a, "[data-testid=new-concern]").await;
    a.click("[data-testid=new-concern] button[type=submit]")
        .await;
    let why = field_error(&a, "title").await;
    assert_chinese("empty concern", &why);
    a.screenshot("trust-empty-title").await;

    // A double tap on 记录 records once.
    a.type_into("#concern-title", "楼道灯坏了").await;
    double_tap(&a, "[data-testid=new-concern] button[type=submit]").await;
    show_all(&a).await;
    eventually(PAGE, "the concern is listed", || async {
        (!titles(&a).await.is_empty()).then_some(())
    })
    .await;
    open_concern(&a, "楼道灯坏了").await;
    show_all(&a).await;
    assert_eq!(titles(&a).await, ["楼道灯坏了"], "one concern, not two");

    // Claim, double-tapped: one claim, no refusal.
    open_concern(&a, "楼道灯坏了").await;
    double_tap(&a, "[data-testid=actions] [data-testid=claim]").await;
    wait_concern_status(&a, "claimed").await;
    no_refusal(&a, "a double tap on claim").await;
    assert_eq!(timeline(&a).await, ["recorded", "claimed"]);

    // Escalate with no reason: refused beside the reason, in Chinese.
    a.click("[data-testid=actions] [data-testid=escalate]")
        .await;
    wait_for(&a, "#action-text").await;
    a.click("[data-testid=confirm]").await;
    let why = field_error(&a, "escalation reason").await;
    assert_chinese("empty escalation reason", &why);
    a.screenshot("trust-empty-escalation-reason").await;
    a.type_into("#action-text", "需要更换灯具").await;
    double_tap(&a, "[data-testid=confirm]").await;
    eventually(PAGE, "escalated once", || async {
        (timeline(&a).await == ["recorded", "claimed", "escalated"]).then_some(())
    })
    .await;
    no_refusal(&a, "a double tap on escalate").await;

    // Claim at the new level, resolve with a double tap: one resolution.
    a.click("[data-testid=actions] [data-testid=claim]").await;
    wait_concern_status(&a, "claimed").await;
    a.click("[data-testid=actions] [data-testid=resolve]").await;
    wait_for(&a, "#action-text").await;
    a.type_into("#action-text", "已更换灯泡").await;
    double_tap(&a, "[data-testid=confirm]").await;
    wait_concern_status(&a, "resolved").await;
    no_refusal(&a, "a double tap on resolve").await;
    let resolved = ["recorded", "claimed", "escalated", "claimed", "resolved"];
    assert_eq!(timeline(&a).await, resolved);

    // Feedback without stars is refused and records nothing.
    a.click("[data-testid=actions] [data-testid=feedback]")
        .await;
    wait_for(&a, "#action-text").await;
    a.type_into("#action-text", "满意").await;
    a.click("[data-testid=confirm]").await;
    let why = field_error(&a, "satisfaction").await;
    assert_chinese("feedback without stars", &why);
    a.screenshot("trust-feedback-without-stars").await;
    assert_eq!(timeline(&a).await, resolved, "nothing recorded");
    assert_eq!(
        a.attr(
            "[data-testid=concern-page] [data-testid=status]",
            "data-status"
        )
        .await
        .as_deref(),
        Some("resolved")
    );
    a.click("[data-testid=stars] [data-star='4']").await;
    a.click("[data-testid=confirm]").await;
    wait_concern_status(&a, "closed").await;

    // 创建会议: an empty title is refused beside it; a double tap makes one meeting.
    a.click("[data-testid=tab-meetings]").await;
    a.click("[data-testid=new-meeting-open]").await;
    wait_for(&a, "#meeting-title").await;
    a.click("[data-testid=create-meeting]").await;
    let why = field_error(&a, "meeting title").await;
    assert_chinese("empty meeting title", &why);
    a.type_into("#meeting-title", "楼道照明议事会").await;
    double_tap(&a, "[data-testid=create-meeting]").await;
    wait_for(&a, "[data-testid=meeting-page]").await;
    a.click("[data-testid=tab-meetings]").await;
    wait_for(&a, "[data-testid=meeting]").await;
    let meetings = a.text_of_all("[data-testid=meeting] .meeting-title").await;
    assert_eq!(meetings, ["楼道照明议事会"], "one meeting, not two");
    a.screenshot("trust-one-meeting").await;

    // The app still answers, and nothing panicked on the way.
    show_all(&a).await;
    assert_eq!(titles(&a).await, ["楼道灯坏了"]);
    let errors = console_errors(&a).await;
    assert!(
        !errors.iter().any(|e| e.contains("panicked")
            || e.contains("already borrowed")
            || e.contains("disposed")),
        "console errors: {errors:#?}"
    );
    a.close().await;
}
