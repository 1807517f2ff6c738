//! A phone whose storage is full: the write of a new concern to IndexedDB
//! fails. The app says so plainly, keeps the concern on screen, still sends it
//! to the relay (another phone receives it), and saves it once space returns.

use linli_tests::flows::{create_community, join, record, show_all, wait_status, wait_title, LONG};
use linli_tests::{cdp, eventually, Browser, Chromedriver, Relay};
use serde_json::json;

async fn storage_usage(b: &Browser) -> f64 {
    b.client
        .execute_async(
            "const done = arguments[0]; navigator.storage.estimate().then(e => done(e.usage));",
            vec![],
        )
        .await
        .expect("storage estimate")
        .as_f64()
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_phone_says_so_and_loses_nothing() {
    let data = tempfile::tempdir().unwrap();
    let relay = Relay::start(data.path());
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await;
    let invite = create_community(&a, &relay.url(), "兴东社区").await;
    wait_status(&a, "synced").await;

    // Leave the origin almost no room, then record a long concern.
    let origin = relay.url();
    let used = storage_usage(&a).await;
    cdp::execute(
        &a.client,
        "Storage.overrideQuotaForOrigin",
        json!({ "origin": origin, "quotaSize": used + 2048.0 }),
    )
    .await;
    let long = "井盖松动，".repeat(20_000);
    a.click("[data-testid=tab-record]").await;
    linli_tests::flows::wait_for(&a, "#concern-details").await;
    a.js(&format!(
        "const d = document.querySelector('#concern-details'); d.value = {long:?};
         d.dispatchEvent(new Event('input', {{bubbles: true}}));"
    ))
    .await;
    record(&a, "三组路口井盖松动").await;

    // A clear message, and the concern is still there.
    let text = eventually(LONG, "storage error banner", || async {
        let t = a.text_of_all("[data-testid=storage-error]").await;
        t.into_iter().next()
    })
    .await;
    assert!(
        text.contains("存储空间已满"),
        "says the phone is full: {text}"
    );
    wait_title(&a, "三组路口井盖松动", LONG).await;
    a.screenshot("storage-full").await;

    // Not lost: the relay has it, and another phone receives it.
    wait_status(&a, "synced").await;
    let b = Browser::launch(&driver, "B").await;
    join(&b, &invite).await;
    show_all(&b).await;
    wait_title(&b, "三组路口井盖松动", LONG).await;

    // Space comes back: the retry saves it and the banner goes away.
    cdp::execute(
        &a.client,
        "Storage.overrideQuotaForOrigin",
        json!({ "origin": origin }),
    )
    .await;
    eventually(LONG, "banner cleared after the retry", || async {
        (!a.exists("[data-testid=storage-error]").await).then_some(())
    })
    .await;

    a.close().await;
    b.close().await;
}
