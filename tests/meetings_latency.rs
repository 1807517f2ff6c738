//! Benchmark (ignored; run on demand, release mode): keystroke on phone A →
//! visible in phone B's notes box, through the local relay, for many
//! keystrokes. A stamps each key at `keydown`; B stamps the animation frame in
//! which its box first holds that many characters (so rendering is included).
//! Both stamps are `performance.timeOrigin + performance.now()` on one machine.
//!
//! ```sh
//! LINLI_DIST=/tmp/meetings-dist LINLI_RELAY_BIN=target/release/linli-relay \
//!   cargo test --release -p linli-tests --test meetings_latency -- --ignored --nocapture
//! ```
//! `LINLI_KEYSTROKES` (default 300) and `LINLI_KEY_GAP_MS` (default 120) tune it;
//! `LINLI_CPU_THROTTLE=4` slows both phones' CPU 4× (a cheap Android phone).

use linli_tests::cdp::throttle_cpu;
use linli_tests::steps::*;
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess};
use std::time::Duration;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run on demand in release mode (see the file's docs)"]
async fn keystroke_to_remote_screen_latency() {
    let keystrokes = env_or("LINLI_KEYSTROKES", 300) as usize;
    let gap = Duration::from_millis(env_or("LINLI_KEY_GAP_MS", 120));
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await;
    let b = Browser::launch(&driver, "B").await;
    let invite = create_community_as(&a, &relay.http_url, "兴东社区", "王主任").await;
    join_as(&b, &invite, "李物业").await;
    // A cheap phone's CPU: LINLI_CPU_THROTTLE=4 slows both pages 4× (as Lighthouse does).
    if let Some(rate) = std::env::var("LINLI_CPU_THROTTLE")
        .ok()
        .and_then(|r| r.parse().ok())
    {
        throttle_cpu(&a.client, rate).await;
        throttle_cpu(&b.client, rate).await;
    }
    create_meeting(&a, "延迟测试", "议程一").await;
    open_meeting_from_list(&b, "延迟测试").await;

    // B: the frame time at which its box first reached each length.
    b.js(&format!(
        "window.__seen = [];
         const box = document.querySelector({ITEM_NOTES:?});
         const tick = () => {{
           const n = box.value.length, t = performance.timeOrigin + performance.now();
           while (window.__seen.length < n) window.__seen.push(t);
           requestAnimationFrame(tick);
         }};
         requestAnimationFrame(tick);"
    ))
    .await;
    // A: the time of every keydown in its box.
    a.js(&format!(
        "window.__keys = [];
         document.querySelector({ITEM_NOTES:?}).addEventListener('keydown',
           () => window.__keys.push(performance.timeOrigin + performance.now()), true);"
    ))
    .await;

    let letters: Vec<char> = ('a'..='z').collect();
    for i in 0..keystrokes {
        type_notes(&a, &letters[i % letters.len()].to_string()).await;
        tokio::time::sleep(gap).await;
    }
    eventually(PAGE, "B shows every keystroke", || async {
        (notes(&b).await.len() >= keystrokes).then_some(())
    })
    .await;

    let keys: Vec<f64> = serde_json::from_value(a.js("return window.__keys;").await).unwrap();
    let seen: Vec<f64> = serde_json::from_value(b.js("return window.__seen;").await).unwrap();
    assert_eq!(keys.len(), keystrokes, "A saw one keydown per keystroke");
    let mut latencies: Vec<f64> = keys.iter().zip(&seen).map(|(k, s)| s - k).collect();
    latencies.sort_by(f64::total_cmp);
    let (p50, p90, p99) = (
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
    );
    println!(
        "keystroke A → visible on B: n={} p50={p50:.1} ms p90={p90:.1} ms p99={p99:.1} ms max={:.1} ms",
        latencies.len(),
        latencies[latencies.len() - 1]
    );
    a.close().await;
    b.close().await;
}
