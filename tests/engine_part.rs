//! The document engine is a wasm part of its own (issue 14): a phone that joins shows the
//! community's list from what the relay reads from its copy (`GET /api/view`) and fetches the
//! engine only after. A claim tapped while the engine is still on its way waits for it, and a
//! double tap claims once. An engine that cannot be fetched (the signal gone right after
//! joining) is said in the user's language and asked for again until it comes. A later start
//! lists what the phone last showed before its engine is there.
//!
//! The engine's fetch is held in the page (a wrapper around `fetch`, installed before the app
//! runs) until the test lets it go, so "before" and "while" are not a race.

use linli_shared::wire::DocumentId;
use linli_tests::seeded::{community, import, invites_to, title};
use linli_tests::steps::{
    create_community, find, open_concern, record, wait_concern_status, wait_for,
    wait_offline_ready, wait_status, wait_text_containing, wait_title, PAGE,
};
use linli_tests::{cdp, eventually, Browser, Chromedriver, RelayProcess};
use std::time::Duration;

/// Holds every request for the engine part until `window.releaseEngine()`; notes when the
/// first was asked for (`performance.now()`).
const HOLD_ENGINE: &str = "
    const realFetch = window.fetch.bind(window);
    const released = new Promise((go) => { window.releaseEngine = go; });
    window.engineAskedAt = null;
    window.fetch = (input, init) => {
        const url = String((input && input.url) || input);
        if (!url.includes('split_engine')) return realFetch(input, init);
        if (window.engineAskedAt === null) window.engineAskedAt = performance.now();
        return released.then(() => realFetch(input, init));
    };";

/// Joining lands on 我的: the list is one tap away, taken the moment the tab shows (as
/// `app_start`'s fresh visit does).
const TAP_ALL_AT_ONCE: &str = "
    new MutationObserver((_, seen) => {
        const tab = document.querySelector('[data-testid=tab-all]');
        if (tab) { seen.disconnect(); tab.click(); }
    }).observe(document, {childList: true, subtree: true});";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_joining_phone_lists_before_its_engine_and_a_tap_meanwhile_counts_once() {
    let data = tempfile::tempdir().unwrap();
    let id = DocumentId::from_bytes([3; 16]);
    // Concern 1 is open (the even ones are resolved).
    import(data.path(), &id, &community(&id, 3));
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let mut tokens = invites_to(&driver, &relay.http_url, &id, 2).await;
    let token = tokens.remove(0);
    let phone = Browser::launch(&driver, "joining").await;
    cdp::on_new_document(&phone.client, HOLD_ENGINE).await;
    cdp::on_new_document(&phone.client, TAP_ALL_AT_ONCE).await;

    phone
        .goto(&format!("{}/#/join/{token}", relay.http_url))
        .await;
    let open_one = title(1);
    for i in 0..3 {
        wait_title(&phone, &title(i), PAGE).await;
    }
    let list_ready = phone
        .js("const m = performance.getEntriesByName('linli:list-ready'); return m.length ? m[0].startTime : null;")
        .await
        .as_f64()
        .expect("the list showed the relay's view");
    let asked = eventually(PAGE, "the engine asked for after the list", || async {
        phone.js("return window.engineAskedAt;").await.as_f64()
    })
    .await;
    assert!(
        asked > list_ready,
        "the engine was asked for at {asked:.0} ms, before the list at {list_ready:.0} ms"
    );
    let engine_loaded = "return performance.getEntriesByType('resource').some(r => r.name.includes('split_engine'));";
    assert_eq!(phone.js(engine_loaded).await.as_bool(), Some(false));

    // A double tap on 领办 while the engine is held: the button is busy, nothing is written.
    open_concern(&phone, &open_one).await;
    wait_for(&phone, "[data-testid=actions] [data-testid=claim]").await;
    phone
        .js("const b = document.querySelector('[data-testid=actions] [data-testid=claim]'); b.click(); b.click();")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        find::concern_status(&phone).await.as_deref(),
        Some("open"),
        "nothing is written before the engine is here"
    );
    assert_eq!(
        phone
            .js("return document.querySelector('[data-testid=actions] [data-testid=claim]').disabled;")
            .await
            .as_bool(),
        Some(true),
        "the tapped button waits, busy"
    );

    phone.js("window.releaseEngine();").await;
    wait_concern_status(&phone, "claimed").await;
    wait_status(&phone, "synced").await;
    assert_eq!(phone.js(engine_loaded).await.as_bool(), Some(true));
    let claims = |kinds: Vec<String>| kinds.iter().filter(|k| *k == "claimed").count();
    assert_eq!(claims(find::timeline(&phone).await), 1, "one claim");

    // The relay holds it, once: a second phone that joins sees it claimed by one claim.
    let token = tokens.remove(0);
    let other = Browser::launch(&driver, "second").await;
    other
        .goto(&format!("{}/#/join/{token}", relay.http_url))
        .await;
    wait_for(&other, "[data-testid=tab-all]").await;
    open_concern(&other, &open_one).await;
    wait_concern_status(&other, "claimed").await;
    wait_status(&other, "synced").await;
    assert_eq!(
        claims(find::timeline(&other).await),
        1,
        "one claim on the relay"
    );
    other.close().await;
    phone.close().await;
}

/// Fails every request for the engine part while `window.engineBlocked` (as a phone that lost
/// its signal right after joining, before the service worker cached the part).
const BLOCK_ENGINE: &str = "
    const realFetch = window.fetch.bind(window);
    window.engineBlocked = true;
    window.engineFailures = 0;
    window.fetch = (input, init) => {
        const url = String((input && input.url) || input);
        if (url.includes('split_engine') && window.engineBlocked) {
            window.engineFailures += 1;
            return Promise.reject(new TypeError('Failed to fetch'));
        }
        return realFetch(input, init);
    };";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engine_that_cannot_be_fetched_is_said_and_asked_for_again() {
    let data = tempfile::tempdir().unwrap();
    let id = DocumentId::from_bytes([4; 16]);
    import(data.path(), &id, &community(&id, 2));
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let token = invites_to(&driver, &relay.http_url, &id, 1).await.remove(0);
    let phone = Browser::launch(&driver, "blocked").await;
    cdp::on_new_document(&phone.client, BLOCK_ENGINE).await;
    cdp::on_new_document(&phone.client, TAP_ALL_AT_ONCE).await;
    phone
        .goto(&format!("{}/#/join/{token}", relay.http_url))
        .await;
    // The list shows from the relay's view; the banner says what is missing, in Chinese.
    wait_title(&phone, &title(1), PAGE).await;
    wait_text_containing(&phone, "[data-testid=storage-error]", "需要联网打开一次").await;
    let failures = || async { phone.js("return window.engineFailures;").await.as_u64() };
    let first = failures().await.unwrap_or(0);
    eventually(PAGE, "the engine asked for again", || async {
        (failures().await? > first).then_some(())
    })
    .await;
    assert_ne!(find::status(&phone).await.as_deref(), Some("synced"));

    phone.js("window.engineBlocked = false;").await;
    wait_status(&phone, "synced").await;
    eventually(PAGE, "the banner gone", || async {
        phone
            .js("return document.querySelector('[data-testid=storage-error]') === null;")
            .await
            .as_bool()
            .filter(|gone| *gone)
    })
    .await;
    wait_title(&phone, &title(1), PAGE).await;
    phone.close().await;
}

/// A later start lists what the phone last showed (kept beside the document) before its
/// engine is there, and the engine's reading of the stored document takes over: a concern
/// recorded just before the reload (not in that snapshot yet) shows once the engine has come.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_start_lists_the_last_view_before_its_engine() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let phone = Browser::launch(&driver, "again").await;
    create_community(&phone, &relay.http_url, "兴东社区").await;
    record(&phone, "路灯坏了").await;
    wait_status(&phone, "synced").await;
    wait_offline_ready(&phone).await;
    // The snapshot is written a moment after the last change.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    record(&phone, "楼道堆物").await;

    cdp::on_new_document(&phone.client, HOLD_ENGINE).await;
    phone.goto(&format!("{}/#/all", relay.http_url)).await;
    phone.client.refresh().await.expect("reload");
    wait_title(&phone, "路灯坏了", PAGE).await;
    let engine_loaded = "return performance.getEntriesByType('resource').some(r => r.name.includes('split_engine'));";
    assert_eq!(phone.js(engine_loaded).await.as_bool(), Some(false));
    assert!(phone
        .js("return window.engineAskedAt;")
        .await
        .as_f64()
        .is_some());

    phone.js("window.releaseEngine();").await;
    wait_title(&phone, "楼道堆物", PAGE).await;
    wait_title(&phone, "路灯坏了", PAGE).await;
    phone.close().await;
}
