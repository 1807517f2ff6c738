//! The rarely used screens are wasm parts of their own, loaded on first use (issue 14),
//! yet one online visit is enough for every screen to work offline. A phone opens the app
//! once online and records a concern: the page fetched no part of a screen it did not open;
//! the service worker caches every part in the background. Then the signal is gone and the phone's
//! HTTP cache evicted: after a reload the phone opens the concern's history, photos and
//! take-back and 记录's photo picker, records a meeting note (议事), opens the 台账 dashboard and exports
//! the ledger as CSV, opens the member admin on 我 and the report-link screen — all from the
//! service worker's cache. Parts that open that fast show no loading line (it would flash);
//! the line is there for a part that takes over a quarter second.
//!
//! A new version arrives while a page of the old one runs (the reload that first sees the
//! new version still runs the old one while the new is cached): that page, offline, still
//! opens its lazy screens; the next reload runs the new version, whose screens work too.

use linli_testkit::relay::app_dist;
use linli_testkit::RelayBuilder;
use linli_tests::downloads::{allow_downloads, wait_download};
use linli_tests::next_build::next_build;
use linli_tests::steps::{
    create_community, create_meeting, notes, open_concern, record, type_notes, wait_for,
    wait_offline_ready, wait_status, wait_title, PAGE,
};
use linli_tests::{cdp, eventually, Browser, Chromedriver, Proxy, RelayProcess};

const CONCERN: &str = "三组路口井盖松动";
const NOTE: &str = "议定：下周一前修好井盖";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_lazy_screen_works_offline_after_one_online_visit() {
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let network = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let phone = Browser::launch(&driver, "lazy").await;

    create_community(&phone, &network.url(), "兴东社区").await;
    record(&phone, CONCERN).await;
    wait_status(&phone, "synced").await;
    // Creating the community visited 我 (its invite: the admin part) and 记录 (its photo
    // picker: the photos part), nothing else lazy.
    let fetched = lazy_parts_the_page_fetched(&phone).await;
    for unvisited in [
        "split_ledger",
        "split_meetings",
        "split_report_links",
        "split_history",
    ] {
        let by_page = fetched.iter().any(|f| f.contains(unvisited));
        assert!(
            !by_page,
            "{unvisited} fetched by the page before use: {fetched:?}"
        );
    }
    assert!(
        fetched.iter().any(|f| f.contains("split_photos")),
        "记录's photo picker is a part of its own: {fetched:?}"
    );
    wait_offline_ready(&phone).await;
    let parts = every_lazy_part_is_cached(&phone).await;
    assert!(parts >= 6, "the shell lists its lazy parts ({parts})");

    // From the reload on, how each part's loading line looked the moment it appeared.
    cdp::on_new_document(&phone.client, WATCH_LOADING_LINES).await;
    network.go_offline();
    cdp::clear_http_cache(&phone.client).await;
    phone.client.refresh().await.expect("reload");
    wait_title(&phone, CONCERN, PAGE).await;
    wait_status(&phone, "offline").await;

    // The concern's page: its photos and, opened, its history (who recorded it).
    open_concern(&phone, CONCERN).await;
    wait_for(
        &phone,
        "[data-testid=concern-photos] [data-testid=add-photo-input]",
    )
    .await;
    phone.click("[data-testid=history-toggle]").await;
    wait_for(&phone, "[data-testid=history-edit][data-parts=recorded]").await;
    let fetched = lazy_parts_the_page_fetched(&phone).await;
    assert!(
        fetched.iter().any(|f| f.contains("split_history")),
        "the history is read by a part of its own, fetched when opened: {fetched:?}"
    );
    // 记录: the photo picker beside the form.
    phone.click("[data-testid=tab-record]").await;
    wait_for(
        &phone,
        "[data-testid=new-concern] [data-testid=photo-input]",
    )
    .await;

    // 议事: a meeting made offline, and a note in it.
    create_meeting(&phone, "三组议事会", "井盖维修").await;
    type_notes(&phone, NOTE).await;
    eventually(PAGE, "the note in the meeting", || async {
        notes(&phone).await.contains(NOTE).then_some(())
    })
    .await;
    phone.screenshot("lazy-01-meeting-offline").await;
    // 待发送 counts things done: the meeting once, whatever was typed in it, beside the
    // community document's own changes (the meeting's index entry).
    eventually(PAGE, "the meeting counted as waiting", || async {
        let n: usize = phone
            .attr("[data-testid=sync-status]", "data-pending")
            .await?
            .parse()
            .ok()?;
        (n >= 2).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let pending: usize = phone
        .attr("[data-testid=sync-status]", "data-pending")
        .await
        .and_then(|n| n.parse().ok())
        .expect("a pending count");
    assert!(
        pending <= 4,
        "a meeting typed in offline counts once, not per keystroke: {pending} waiting"
    );

    // 台账: the dashboard, then the ledger as CSV.
    phone.click("[data-testid=tab-ledger]").await;
    wait_for(&phone, "[data-testid=dashboard]").await;
    allow_downloads(&phone, downloads.path()).await;
    phone.click("[data-testid=ledger-export]").await;
    wait_for(&phone, "[data-testid=export]").await;
    phone.click("[data-testid=csv-ledger]").await;
    let csv = std::fs::read_to_string(wait_download(downloads.path(), ".csv").await).unwrap();
    assert!(csv.contains(CONCERN), "the CSV holds the concern: {csv}");
    phone.screenshot("lazy-02-ledger-offline").await;

    // 我: the admin's invite section and org tree; the report-link screen.
    phone.click("[data-testid=tab-profile]").await;
    wait_for(&phone, "[data-testid=invite-section]").await;
    wait_for(&phone, "[data-testid=org-tree]").await;
    phone.goto(&format!("{}/#/qr", network.url())).await;
    wait_for(&phone, "[data-testid=report-links]").await;
    phone.screenshot("lazy-03-report-links-offline").await;
    let failed = phone
        .js("return document.querySelectorAll('[data-testid=part-failed]').length;")
        .await;
    assert_eq!(failed.as_u64(), Some(0), "no part failed to load");
    loading_lines_show_only_when_slow(&phone).await;

    network.go_online();
    wait_status(&phone, "synced").await;
    phone.close().await;
}

/// Records `visibility` of every part-loading line as it is added to the page.
const WATCH_LOADING_LINES: &str = "window.linliLoadingLines = [];
  new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      const lines = n.matches('[data-testid=part-loading]') ? [n] : n.querySelectorAll('[data-testid=part-loading]');
      for (const l of lines) window.linliLoadingLines.push(getComputedStyle(l).visibility);
    }
  }).observe(document, {childList: true, subtree: true});";

/// A part opened from the cache (~40-90 ms) shows no loading line, which would flash as a
/// flicker; one that takes over a quarter second shows it.
async fn loading_lines_show_only_when_slow(phone: &Browser) {
    let seen = phone.js("return window.linliLoadingLines;").await;
    let seen: Vec<&str> = seen
        .as_array()
        .expect("the loading lines were noted")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        !seen.is_empty(),
        "the parts showed a loading line meanwhile"
    );
    assert!(
        seen.iter().all(|v| *v == "hidden"),
        "a loading line is hidden as it appears: {seen:?}"
    );
    let slow = phone
        .js_async_true(
            "const done = arguments[0];
             const line = document.createElement('p');
             line.className = 'muted part-loading';
             document.body.append(line);
             setTimeout(() => { done(getComputedStyle(line).visibility === 'visible'); line.remove(); }, 400);",
        )
        .await;
    assert!(
        slow.is_some(),
        "a part still loading after 400 ms shows its line"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_the_old_version_opens_its_lazy_screens_after_an_update() {
    let data = tempfile::tempdir().unwrap();
    let next = next_build(&app_dist());
    let old = RelayProcess::serving_app(data.path());
    let network = Proxy::start(old.port()).await;
    let driver = Chromedriver::start();
    let phone = Browser::launch(&driver, "update").await;
    create_community(&phone, &network.url(), "兴东社区").await;
    record(&phone, CONCERN).await;
    wait_status(&phone, "synced").await;
    wait_offline_ready(&phone).await;
    every_lazy_part_is_cached(&phone).await;

    // The next build is deployed on the same data.
    old.kill();
    let new = RelayBuilder::new(data.path()).serving(next.path()).start();
    network.retarget(new.port());
    phone.client.refresh().await.expect("reload");
    wait_title(&phone, CONCERN, PAGE).await;
    assert!(
        !runs_next_build(&phone).await,
        "the old version answers while the new one is cached"
    );
    eventually(
        PAGE,
        "the new version adopted by the service worker",
        || {
            phone.js_async_true(
                "const done = arguments[0];
             caches.match('/').then(r => r.text()).then(t => done(t.includes('linli-app-next-')))
               .catch(() => done(false));",
            )
        },
    )
    .await;
    // Old files are pruned in the same task, right after the new shell is stored.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // Offline, with the HTTP cache gone: the old page's 台账 and 议事 come from the cache.
    network.go_offline();
    cdp::clear_http_cache(&phone.client).await;
    phone.click("[data-testid=tab-ledger]").await;
    wait_for(&phone, "[data-testid=dashboard]").await;
    create_meeting(&phone, "三组议事会", "井盖维修").await;
    type_notes(&phone, NOTE).await;
    let failed = phone
        .js("return document.querySelectorAll('[data-testid=part-failed]').length;")
        .await;
    assert_eq!(
        failed.as_u64(),
        Some(0),
        "no part of the old version failed to load"
    );
    phone.screenshot("lazy-04-old-version-after-update").await;

    // Online again, the next reload runs the new version, lazy screens and all.
    network.go_online();
    phone.client.refresh().await.expect("reload");
    // The reload stays on the meeting: the new version's 议事 part shows it.
    eventually(PAGE, "the meeting's note, in the new version", || async {
        notes(&phone).await.contains(NOTE).then_some(())
    })
    .await;
    assert!(
        runs_next_build(&phone).await,
        "the reload runs the new version"
    );
    phone.click("[data-testid=tab-ledger]").await;
    wait_for(&phone, "[data-testid=dashboard]").await;
    wait_status(&phone, "synced").await;
    phone.close().await;
}

/// Whether the running page is the next build ([`next_build`]'s names in its shell).
async fn runs_next_build(phone: &Browser) -> bool {
    let v = phone
        .js("return [...document.querySelectorAll('link[rel=linli-lazy]')].some(l => l.href.includes('linli-app-next-'));")
        .await;
    v.as_bool().expect("a boolean")
}

/// The lazy parts (`-lazy-` in their names) among the page's own fetches.
async fn lazy_parts_the_page_fetched(phone: &Browser) -> Vec<String> {
    let v = phone
        .js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('-lazy-'));")
        .await;
    serde_json::from_value(v).unwrap_or_default()
}

/// Waits until every part the shell lists (`<link rel="linli-lazy">`) is in the service
/// worker's cache; returns how many there are.
async fn every_lazy_part_is_cached(phone: &Browser) -> usize {
    eventually(PAGE, "every lazy part cached", || async {
        let v = phone
            .js_async(
                "const done = arguments[0];
                 const parts = [...document.querySelectorAll('link[rel=linli-lazy]')].map(l => new URL(l.href).pathname);
                 Promise.all(parts.map(p => caches.match(p)))
                   .then(found => done(found.every(Boolean) ? parts.length : null))
                   .catch(() => done(null));",
            )
            .await?;
        v.as_u64().map(|n| n as usize)
    })
    .await
}
