//! Benchmark (ignored; run on demand): how long the lazy parts (issue 14) take to open
//! from the service worker's cache, the first time after the app starts and again later:
//! tapping the 台账 tab to the dashboard's first card on screen; tapping a concern in 全部
//! to its photos section (the photos part); tapping 修改记录 to its first row (the
//! history part). The time is taken in the page: `performance.now()` just before the tap
//! and in the first animation frame showing the result, so rendering is included.
//!
//! ```sh
//! cargo test -p linli-tests --test ledger_open -- --ignored --nocapture
//! ```
//! `LINLI_CONCERNS` (default 10) concerns are recorded first; `LINLI_CPU_THROTTLE=4`
//! slows the page's CPU 4× (a cheap Android phone).

use linli_tests::cdp::throttle_cpu;
use linli_tests::steps::{create_community, record, wait_for, wait_status, PAGE};
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess};

/// Taps `tap`; returns ms until `shown` is on screen.
async fn tap_until(b: &Browser, tap: &str, shown: &str) -> f64 {
    b.js(&format!(
        "window.__tapMs = null;
         const t0 = performance.now();
         const tick = () => {{
           const e = document.querySelector({shown:?});
           if (e && e.getBoundingClientRect().height > 0) {{
             window.__tapMs = performance.now() - t0;
           }} else {{
             requestAnimationFrame(tick);
           }}
         }};
         document.querySelector({tap:?}).click();
         requestAnimationFrame(tick);"
    ))
    .await;
    eventually(PAGE, &format!("{shown} on screen"), || async {
        b.js("return window.__tapMs;").await.as_f64()
    })
    .await
}

/// Taps the 台账 tab; returns ms until `[data-testid=dashboard]` is on screen.
async fn tap_to_dashboard(b: &Browser) -> f64 {
    tap_until(b, "[data-testid=tab-ledger]", "[data-testid=dashboard]").await
}

/// From 全部, taps the first concern; returns ms until its photos section (a lazy part)
/// is on screen, then ms from tapping 修改记录 until its first row (another) is.
async fn tap_concern_then_history(b: &Browser) -> (f64, f64) {
    b.click("[data-testid=tab-all]").await;
    wait_for(b, "[data-testid=concern] a").await;
    let photos = tap_until(b, "[data-testid=concern] a", "[data-testid=concern-photos]").await;
    let history = tap_until(
        b,
        "[data-testid=history-toggle]",
        "[data-testid=history-edit]",
    )
    .await;
    (photos, history)
}

/// `performance.now()` (ms since the page started loading) if `css` is on screen.
async fn visible_at(b: &Browser, css: &str) -> Option<f64> {
    b.js(&format!(
        "const e = document.querySelector({css:?});
         return e && e.getBoundingClientRect().height > 0 ? performance.now() : null;"
    ))
    .await
    .as_f64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run on demand (see the file's docs)"]
async fn tap_ledger_tab_to_first_card() {
    let concerns: usize = std::env::var("LINLI_CONCERNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "ledger-open").await;
    create_community(&a, &relay.http_url, "兴东社区").await;
    for i in 0..concerns {
        record(&a, &format!("事项 {i}")).await;
    }
    wait_status(&a, "synced").await;
    // A fresh start on 我的, as when the app is opened in the morning.
    a.goto(&format!("{}/#/", relay.http_url)).await;
    a.client.refresh().await.expect("reload"); // a new page: no part loaded yet
    wait_for(&a, "[data-testid=tab-ledger]").await;
    wait_status(&a, "synced").await;
    if let Some(rate) = std::env::var("LINLI_CPU_THROTTLE")
        .ok()
        .and_then(|r| r.parse().ok())
    {
        throttle_cpu(&a.client, rate).await;
    }
    let first = tap_to_dashboard(&a).await;
    a.click("[data-testid=tab-mine]").await;
    wait_for(&a, "[data-testid=tab-mine][aria-current=page]").await;
    let again = tap_to_dashboard(&a).await;
    println!(
        "tap 台账 → dashboard card: first {first:.0} ms, again {again:.0} ms ({concerns} concerns)"
    );
    let (photos, history) = tap_concern_then_history(&a).await;
    let (photos_again, history_again) = tap_concern_then_history(&a).await;
    println!(
        "tap a concern → its photos: first {photos:.0} ms, again {photos_again:.0} ms; \
         tap 修改记录 → its first row: first {history:.0} ms, again {history_again:.0} ms"
    );
    // Opening the app on 台账 directly (a bookmark) against opening it on 我的:
    // page start → screen shown, polled from the test (so within a poll).
    for (hash, css) in [
        ("#/", "[data-testid=tab-mine][aria-current=page]"),
        ("#/ledger", "[data-testid=dashboard]"),
    ] {
        a.goto(&format!("{}/{hash}", relay.http_url)).await;
        let ms = eventually(PAGE, css, || visible_at(&a, css)).await;
        println!("load {hash} → {css} on screen: {ms:.0} ms after navigation start");
    }
    a.close().await;
}
