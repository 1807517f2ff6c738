//! Start-up benchmark of the app (not part of the normal test run):
//!
//! ```sh
//! cargo test --release -p linli-tests --test app_start -- --ignored --nocapture
//! ```
//!
//! A community document at the scale of one real community (2,000 concerns with
//! their timelines) is built with the domain crate and imported into the relay.
//! Then, in headless Chromium at 390×844:
//! - first load: bytes transferred (as the browser counts them) to open the app
//!   and receive the community;
//! - cached start at 4× CPU throttle: from navigation to the 全部 list showing
//!   concerns (the app marks `linli:list-ready`), median of several reloads,
//!   against the same measurement for an empty community in the same run.
//!
//! `fresh_visit_on_a_slow_phone` (issue 14): a new user opens an invite on a phone that has
//! never seen the app, throttled as DevTools does — 1.6 Mbps down, 750 kbps up, 150 ms
//! added to every request, 4× CPU: from navigation to the 全部 list showing the community's
//! concern (joining lands on 我的: 全部 is tapped as soon as its tab shows), and the bytes
//! transferred by then; median of several fresh profiles. `LINLI_DIST=<dist>` measures
//! another build (before / after).

use linli_shared::wire::DocumentId;
use linli_tests::seeded::{community, import, invite_to, invites_to};
use linli_tests::steps::{wait_for, wait_status};
use linli_tests::{cdp, eventually, Browser, Chromedriver, RelayProcess};
use std::time::Duration;

const CONCERNS: usize = 2_000;
const RUNS: usize = 7;
const FRESH_RUNS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Opens the community on a fresh phone; returns bytes transferred for the first load.
async fn first_load(b: &Browser, base: &str, token: &str) -> (f64, f64) {
    b.goto(&format!("{base}/#/join/{token}")).await;
    wait_for(b, "[data-testid=tab-all]").await;
    wait_status(b, "synced").await;
    let v = b
        .js("const e = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
             return [e.reduce((s, r) => s + (r.transferSize || 0), 0),
                     e.reduce((s, r) => s + (r.decodedBodySize || 0), 0)];")
        .await;
    (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0))
}

/// The moment (ms from navigation) the list first showed concerns, once it has.
async fn list_ready_ms(b: &Browser) -> f64 {
    eventually(Duration::from_secs(120), "list ready", || async {
        b.js("const m = performance.getEntriesByName('linli:list-ready'); return m.length ? m[0].startTime : null;")
            .await
            .as_f64()
    })
    .await
}

/// The app's marks on the way to the list (`clock::mark`), in order: the wasm's `main`
/// running, the document engine (a wasm part, issue 14) asked for and ready (-1 for a build
/// without one), the document's bytes read from IndexedDB, the document loaded into Automerge,
/// the screens starting to read its concerns, done reading them, the list showing them.
const STAGES: [&str; 8] = [
    "linli:main",
    "linli:engine-fetch",
    "linli:engine-ready",
    "linli:doc-read",
    "linli:doc-loaded",
    "linli:concerns-reading",
    "linli:concerns-read",
    "linli:list-ready",
];

/// Reloads the 全部 screen with the CPU slowed 4×; ms from navigation to each of
/// [`STAGES`] (the last: the list).
async fn cached_start(b: &Browser, base: &str) -> Vec<f64> {
    b.goto(&format!("{base}/#/all")).await;
    cdp::throttle_cpu(&b.client, 4.0).await;
    // A real reload of the page (the hash alone would not reload it).
    b.client.refresh().await.expect("reload");
    list_ready_ms(b).await;
    let stages = b
        .js(&format!(
            "return {STAGES:?}.map(n => {{ const m = performance.getEntriesByName(n); return m.length ? m[0].startTime : -1; }});"
        ))
        .await;
    cdp::throttle_cpu(&b.client, 1.0).await;
    serde_json::from_value(stages).expect("stage marks")
}

/// A phone that never saw the app opens invite `token`, on a slow network and CPU; ms from
/// navigation to the list, and KB transferred by then (the page and the files it fetched,
/// not the service worker's background caching).
async fn fresh_visit(driver: &Chromedriver, base: &str, token: &str) -> (f64, f64) {
    let b = Browser::launch(driver, "fresh").await;
    cdp::throttle_network(&b.client, 150.0, 1.6e6, 750e3, true).await;
    cdp::throttle_cpu(&b.client, 4.0).await;
    // Joining lands on 我的; the list is one tap away, taken the moment the tab shows.
    cdp::on_new_document(
        &b.client,
        "new MutationObserver((_, seen) => {
           const tab = document.querySelector('[data-testid=tab-all]');
           if (tab) { seen.disconnect(); tab.click(); }
         }).observe(document, {childList: true, subtree: true});",
    )
    .await;
    b.goto(&format!("{base}/#/join/{token}")).await;
    let ms = list_ready_ms(&b).await;
    let main = b
        .js("const m = performance.getEntriesByName('linli:main'); return m.length ? m[0].startTime : -1;")
        .await
        .as_f64()
        .unwrap_or(-1.0);
    let api = b
        .js("return performance.getEntriesByType('resource').filter(r => r.name.includes('/api/'))
               .map(r => new URL(r.name).pathname.slice(0, 24) + ' ' + Math.round(r.startTime) + '-' + Math.round(r.responseEnd)).join(', ');")
        .await;
    eprintln!(
        "fresh visit: the wasm's main at {main:.0} ms, the list at {ms:.0} ms; API calls {api}"
    );
    let kb = b
        .js(&format!(
            "const e = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));
             return e.filter(r => r.responseEnd <= {ms}).reduce((s, r) => s + (r.transferSize || 0), 0) / 1024;"
        ))
        .await
        .as_f64()
        .unwrap_or(0.0);
    b.close().await;
    (ms, kb)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run on demand in release mode"]
async fn fresh_visit_on_a_slow_phone() {
    let data = tempfile::tempdir().unwrap();
    let id = DocumentId::from_bytes([5; 16]);
    import(data.path(), &id, &community(&id, 1));
    let relay = RelayProcess::serving_app(data.path());
    wait_for_brotli_copies().await;
    let driver = Chromedriver::start();
    let tokens = invites_to(&driver, &relay.http_url, &id, FRESH_RUNS).await;
    let mut runs = Vec::new();
    for token in &tokens {
        runs.push(fresh_visit(&driver, &relay.http_url, token).await);
    }
    eprintln!("runs (ms, KB): {runs:?}");
    let ms = median(runs.iter().map(|r| r.0).collect());
    let kb = median(runs.iter().map(|r| r.1).collect());
    println!("| dist | fresh visit to the list (median of {FRESH_RUNS}) | transferred by then |");
    println!("| --- | --- | --- |");
    println!(
        "| {} | {ms:.0} ms | {kb:.0} KB |",
        linli_testkit::relay::app_dist().display()
    );
}

/// The relay writes brotli copies of the app in the background: first loads are measured
/// as phones get them once that is done.
async fn wait_for_brotli_copies() {
    let dist = linli_testkit::relay::app_dist();
    eventually(
        Duration::from_secs(120),
        "brotli copies of every wasm part",
        || async {
            let names: Vec<String> = std::fs::read_dir(&dist)
                .ok()?
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names
                .iter()
                .filter(|n| n.ends_with(".wasm"))
                .all(|n| names.contains(&format!("{n}.br")))
                .then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run on demand in release mode"]
async fn app_start_with_a_community_of_2000_concerns() {
    let data = tempfile::tempdir().unwrap();
    let big = DocumentId::from_bytes([7; 16]);
    let small = DocumentId::from_bytes([9; 16]);
    let big_bytes = community(&big, CONCERNS);
    import(data.path(), &big, &big_bytes);
    import(data.path(), &small, &community(&small, 1));
    let relay = RelayProcess::serving_app(data.path());
    wait_for_brotli_copies().await;
    let driver = Chromedriver::start();

    let mut rows = Vec::new();
    for (label, id) in [("1 concern (baseline)", small), ("2,000 concerns", big)] {
        let token = invite_to(&driver, &relay.http_url, &id).await;
        let b = Browser::launch(&driver, "bench").await;
        let (transferred, decoded) = first_load(&b, &relay.http_url, &token).await;
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            runs.push(cached_start(&b, &relay.http_url).await);
        }
        eprintln!("{label}: runs {runs:?}");
        let stage_medians: Vec<f64> = (0..STAGES.len())
            .map(|i| median(runs.iter().map(|r| r[i]).collect()))
            .collect();
        println!("{label}, median ms from navigation to each mark:");
        for (name, ms) in STAGES.iter().zip(&stage_medians) {
            println!("  {name}: {ms:.0}");
        }
        rows.push((label, transferred, decoded, stage_medians[STAGES.len() - 1]));
        b.close().await;
    }
    println!(
        "community document: {} bytes saved ({CONCERNS} concerns)",
        big_bytes.len()
    );
    println!("| community | first load transferred | decoded | cached start to list, 4x CPU (median of {RUNS}) |");
    println!("| --- | --- | --- | --- |");
    for (label, t, d, ms) in &rows {
        println!(
            "| {label} | {:.0} KB | {:.0} KB | {ms:.0} ms |",
            t / 1024.0,
            d / 1024.0
        );
    }
    println!("ratio 2,000 / baseline: {:.2}", rows[1].3 / rows[0].3);
}
