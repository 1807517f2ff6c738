//! Members' sync latency while the resident pages (吹哨) are flooded: rooms × editors edit
//! through the relay (as `relay_bench`) once alone and once while `--flooders` threads post
//! reports to one report link, open its tracking page and its form as fast as the relay
//! answers, all from one address (the limits refuse most of it). Alternates which goes first.
//!
//! ```sh
//! cargo build --release -p linli-server --bin linli-relay --example resident_flood
//! target/release/examples/resident_flood --runs 3
//! ```
//! Prints each run, then a Markdown table of medians and the flooded/alone ratio.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use linli_shared::api::report_page_path;
use linli_testkit::load_gen::{self, Load, Phases};
use linli_testkit::relay::relay_binary;
use linli_testkit::resident::{open_page, post_report, NEIGHBOURHOOD};
use linli_testkit::{RelayBuilder, RelayProcess};

struct Options {
    runs: usize,
    secs: u64,
    flooders: usize,
    rooms: usize,
}

fn options() -> Options {
    let mut o = Options {
        runs: 3,
        secs: 8,
        flooders: 4,
        rooms: 20,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        match pair[0].as_str() {
            "--runs" => o.runs = value.max(1),
            "--secs" => o.secs = (value as u64).max(1),
            "--flooders" => o.flooders = value.max(1),
            "--rooms" => o.rooms = value.max(1),
            other => panic!("unknown option {other}"),
        }
    }
    o
}

/// A relay with a community, its org tree and a report link; the link's token and a tracking
/// page of one accepted report.
async fn prepared() -> (RelayProcess, String, String) {
    let relay = RelayBuilder::temporary(None)
        .binary(relay_binary())
        .unlimited_sockets_per_member()
        .start();
    let (community, _) = relay.community_with_org_tree().await;
    let link = relay
        .api()
        .make_report_link(&community.admin, NEIGHBOURHOOD)
        .ok();
    let first = post_report(&relay.http_url, &link.token, &[("text", "路灯坏了")], None);
    let tracking = first.location.expect("a tracking page");
    (relay, link.token, tracking)
}

/// Floods until `stop`; returns how many requests were answered.
fn flood(http: String, token: String, tracking: String, stop: Arc<AtomicBool>) -> u64 {
    let mut answered = 0;
    let form = report_page_path(&token);
    while !stop.load(Ordering::Relaxed) {
        let text = format!("刷屏 {answered}");
        post_report(&http, &token, &[("text", &text)], None);
        open_page(&http, &tracking);
        open_page(&http, &form);
        answered += 3;
    }
    answered
}

struct Run {
    p50: f64,
    p99: f64,
    requests_per_sec: f64,
    cpu: f64,
}

async fn one_run(o: &Options, flooded: bool) -> Run {
    let (relay, token, tracking) = prepared().await;
    let load = Load {
        rooms: o.rooms,
        editors: 5,
        every: Duration::from_millis(1000),
        warmup: Duration::from_secs(2),
        measure: Duration::from_secs(o.secs),
        phases: Phases::Spread,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicU64::new(0));
    let mut threads = Vec::new();
    if flooded {
        for _ in 0..o.flooders {
            let (http, token, tracking) = (relay.http_url.clone(), token.clone(), tracking.clone());
            let (stop, answered) = (stop.clone(), answered.clone());
            threads.push(std::thread::spawn(move || {
                answered.fetch_add(flood(http, token, tracking, stop), Ordering::Relaxed);
            }));
        }
    }
    let (cpu0, t0) = (relay.cpu_secs(), Instant::now());
    let report = load_gen::run(&relay.sync_url(), &load).await;
    let elapsed = t0.elapsed().as_secs_f64();
    let cpu = (relay.cpu_secs() - cpu0) / elapsed;
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let run = Run {
        p50: report.percentile_ms(0.5),
        p99: report.percentile_ms(0.99),
        requests_per_sec: answered.load(Ordering::Relaxed) as f64 / elapsed,
        cpu,
    };
    println!(
        "  {:<8} {}, relay CPU {:.0}%, resident-page requests answered {:.0}/s",
        if flooded { "flooded" } else { "alone" },
        report.summary(&load),
        cpu * 100.0,
        run.requests_per_sec
    );
    run
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let o = options();
    println!(
        "{} rooms x 5 editors, an edit a second each; flood: {} threads from one address",
        o.rooms, o.flooders
    );
    let (mut alone, mut flooded) = (Vec::new(), Vec::new());
    for run in 0..o.runs {
        for k in 0..2 {
            let with_flood = (k + run) % 2 == 1;
            let r = one_run(&o, with_flood).await;
            if with_flood {
                flooded.push(r)
            } else {
                alone.push(r)
            }
        }
    }
    let med = |runs: &[Run], f: fn(&Run) -> f64| median(runs.iter().map(f).collect());
    println!("\n| case | p50 ms | p99 ms | relay CPU | resident-page requests/s |");
    println!("|---|---|---|---|---|");
    for (name, runs) in [("alone", &alone), ("flooded", &flooded)] {
        println!(
            "| {name} | {:.1} | {:.1} | {:.0}% | {:.0} |",
            med(runs, |r| r.p50),
            med(runs, |r| r.p99),
            100.0 * med(runs, |r| r.cpu),
            med(runs, |r| r.requests_per_sec)
        );
    }
    println!(
        "\nflooded / alone: p50 {:.2}, p99 {:.2}",
        med(&flooded, |r| r.p50) / med(&alone, |r| r.p50),
        med(&flooded, |r| r.p99) / med(&alone, |r| r.p99)
    );
}
