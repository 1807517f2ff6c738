//! Our relay against the reference JS relay (automerge-repo 2.5.6 on node) under the same
//! native load, in one run: a ladder of rooms × editors, then memory with idle sockets.
//!
//! ```sh
//! cargo build --release -p linli-server --bin linli-relay --example relay_bench
//! ulimit -n 20000
//! target/release/examples/relay_bench --runs 3 --secs 10 --ladder 20x5,100x5,200x5 --idle 10000
//! ```
//! Options: `--ours <linli-relay binary>` (default: next to this example), `--js <script>`
//! (default `tests/js/js_relay.mjs`), `--every <ms between edits per editor>` (100),
//! `--idle-per-doc <N>` (idle sockets sharing one document, 100 like a community's phones;
//! 1 gives each socket a document of its own),
//! `--only ours|js`, `--data-in <dir>` (where our relay's data directory is made; default
//! the system temp dir; `/dev/shm` takes fsync out of the figures, for diagnosis),
//! `--phases spread|lockstep` (spread: rooms' edits staggered over the period like
//! independent phones, the default; lockstep: editor k of every room edits at the same
//! instant, bursts of `rooms` edits). Every (step, run) starts both relays fresh and alternates which goes
//! first. Prints one line per run and a Markdown table of medians, with ours/JS ratios of
//! medians and the 1-minute load average seen during the runs.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use linli_server::latency::{self, Histogram};
use linli_testkit::load_gen::{self, Load, Phases};
use linli_testkit::relay::proc_stats::load_average;
use linli_testkit::relay::{relay_binary, JsRelay};
use linli_testkit::{ApiClient, RelayBuilder, RelayProcess};

struct Options {
    ours: PathBuf,
    js: PathBuf,
    runs: usize,
    secs: u64,
    every: u64,
    ladder: Vec<(usize, usize)>,
    idle: usize,
    idle_per_doc: usize,
    only: Option<String>,
    data_in: Option<PathBuf>,
    phases: Phases,
}

fn options() -> Options {
    let mut o = Options {
        ours: relay_binary(),
        js: PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/js/js_relay.mjs"
        )),
        runs: 3,
        secs: 10,
        every: 100,
        ladder: vec![(20, 5), (100, 5), (200, 5)],
        idle: 0,
        idle_per_doc: 100,
        only: None,
        data_in: None,
        phases: Phases::Spread,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--ours" => o.ours = value.into(),
            "--js" => o.js = value.into(),
            "--runs" => o.runs = value.parse().expect("--runs N"),
            "--secs" => o.secs = value.parse().expect("--secs N"),
            "--every" => o.every = value.parse().expect("--every MS"),
            "--idle" => o.idle = value.parse().expect("--idle N"),
            "--idle-per-doc" => o.idle_per_doc = value.parse().expect("--idle-per-doc N"),
            "--only" => o.only = Some(value),
            "--data-in" => o.data_in = Some(value.into()),
            "--phases" => {
                o.phases = match value.as_str() {
                    "spread" => Phases::Spread,
                    "lockstep" => Phases::Lockstep,
                    _ => panic!("--phases spread|lockstep"),
                }
            }
            "--ladder" => {
                o.ladder = value
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        let (r, e) = s.split_once('x').expect("--ladder RxE,RxE");
                        (r.parse().expect("rooms"), e.parse().expect("editors"))
                    })
                    .collect()
            }
            other => panic!("unknown option {other}"),
        }
    }
    o
}

#[derive(Default, Clone, Copy)]
struct Run {
    p50: f64,
    p99: f64,
    per_sec: f64,
    delivered: f64,
    cpu: f64,
    load: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}

/// A relay under test: ours (with a fresh data directory and one registered community whose
/// admin every load client is) or the JS reference.
enum Started {
    Ours { relay: RelayProcess, url: String },
    Js(JsRelay),
}

impl Started {
    fn name(&self) -> &'static str {
        match self {
            Started::Ours { .. } => "linli-relay",
            Started::Js(_) => "js-relay",
        }
    }

    /// The WebSocket URL clients connect to.
    fn url(&self) -> &str {
        match self {
            Started::Ours { url, .. } => url,
            Started::Js(js) => &js.url,
        }
    }

    /// Ours only: its HTTP address (for `/metrics`).
    fn http_url(&self) -> Option<String> {
        match self {
            Started::Ours { relay, .. } => Some(relay.http_url.clone()),
            Started::Js(_) => None,
        }
    }

    fn rss_mib(&self) -> f64 {
        match self {
            Started::Ours { relay, .. } => relay.rss_mib(),
            Started::Js(js) => js.rss_mib(),
        }
    }

    fn cpu_secs(&self) -> f64 {
        match self {
            Started::Ours { relay, .. } => relay.cpu_secs(),
            Started::Js(js) => js.cpu_secs(),
        }
    }
}

fn start(name: &str, o: &Options) -> Started {
    match name {
        "ours" => {
            let relay = RelayBuilder::temporary(o.data_in.as_deref())
                .binary(&o.ours)
                .unlimited_sockets_per_member()
                .start();
            let url = relay.sync_url();
            Started::Ours { relay, url }
        }
        _ => Started::Js(JsRelay::start(&o.js)),
    }
}

/// Our relay's `linli_frame_seconds` histogram, read once `after` has passed.
async fn frame_latency_after(relay: &Started, after: Duration) -> Option<Histogram> {
    let http = relay.http_url()?;
    tokio::time::sleep(after).await;
    tokio::task::spawn_blocking(move || {
        let metrics = ApiClient::new(&http).metrics();
        Histogram::parse(&metrics, &latency::FRAME)
    })
    .await
    .ok()?
}

async fn one_run(relay: &Started, load: &Load) -> Run {
    let (cpu0, t0) = (relay.cpu_secs(), Instant::now());
    // The relay's own share, over the measured window (after the warm-up).
    let (report, at_start) = tokio::join!(
        load_gen::run(relay.url(), load),
        frame_latency_after(relay, load.warmup)
    );
    let cpu = (relay.cpu_secs() - cpu0) / t0.elapsed().as_secs_f64();
    // `/metrics` shows what the relay published last (every 0.5 s): read the end once the
    // frames of the run's last moments are in it.
    let end = frame_latency_after(relay, Duration::from_millis(600)).await;
    let held = match (at_start, end) {
        (Some(start), Some(end)) => {
            let window = end.since(&start);
            let q = |p| {
                window
                    .quantile_ms(p)
                    .map_or("-".into(), |v| format!("{v:.1}"))
            };
            format!(", held by the relay p50 {} ms p99 {} ms", q(0.5), q(0.99))
        }
        _ => String::new(),
    };
    println!(
        "  {:<11} {}, relay CPU {:.0}%, load avg {:.1}{held}",
        relay.name(),
        report.summary(load),
        cpu * 100.0,
        load_average()
    );
    Run {
        p50: report.percentile_ms(0.5),
        p99: report.percentile_ms(0.99),
        per_sec: report.deliveries_per_sec(),
        delivered: report.delivered_fraction(load.editors),
        cpu,
        load: load_average(),
    }
}

#[tokio::main]
async fn main() {
    let o = options();
    let relays: Vec<&str> = match o.only.as_deref() {
        Some("ours") => vec!["ours"],
        Some("js") => vec!["js"],
        _ => vec!["ours", "js"],
    };
    let mut table = Vec::new();
    for &(rooms, editors) in &o.ladder {
        let load = Load {
            rooms,
            editors,
            every: Duration::from_millis(o.every),
            warmup: Duration::from_secs(2),
            measure: Duration::from_secs(o.secs),
            phases: o.phases,
        };
        println!(
            "{rooms} rooms x {editors} editors, an edit every {} ms per editor, phases {:?}:",
            o.every, o.phases
        );
        let mut runs: Vec<Vec<Run>> = vec![Vec::new(); relays.len()];
        for run in 0..o.runs {
            for k in 0..relays.len() {
                let i = (k + run) % relays.len(); // alternate who goes first
                let relay = start(relays[i], &o);
                runs[i].push(one_run(&relay, &load).await);
            }
        }
        let med = |i: usize, f: fn(&Run) -> f64| median(runs[i].iter().map(f).collect());
        for (i, name) in relays.iter().enumerate() {
            table.push(format!(
                "| {rooms}×{editors} | {name} | {:.1} | {:.1} | {:.0} | {:.0}% | {:.0}% | {:.1} |",
                med(i, |r| r.p50),
                med(i, |r| r.p99),
                med(i, |r| r.per_sec),
                100.0 * med(i, |r| r.delivered),
                100.0 * med(i, |r| r.cpu),
                med(i, |r| r.load)
            ));
        }
        if relays.len() == 2 {
            table.push(format!(
                "| {rooms}×{editors} | ours/JS | {:.2} | {:.2} | {:.2} | | | |",
                med(0, |r| r.p50) / med(1, |r| r.p50),
                med(0, |r| r.p99) / med(1, |r| r.p99),
                med(0, |r| r.per_sec) / med(1, |r| r.per_sec)
            ));
        }
    }
    if o.idle > 0 {
        for name in &relays {
            let mut rss = Vec::new();
            for _ in 0..o.runs {
                let relay = start(name, &o);
                let before = relay.rss_mib();
                let mut at_peak = 0.0;
                let hold = async {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                    at_peak = relay.rss_mib();
                };
                let ok = load_gen::idle_sockets(relay.url(), o.idle, o.idle_per_doc, hold).await;
                println!("  {:<11} {ok}/{} idle sockets synced ({} per doc): RSS {before:.0} MiB before, {at_peak:.0} MiB with them, load avg {:.1}", relay.name(), o.idle, o.idle_per_doc, load_average());
                rss.push(at_peak);
            }
            table.push(format!(
                "| {} idle sockets, {} per doc | {name} | RSS {:.0} MiB (median of {}) | | | | | |",
                o.idle,
                o.idle_per_doc,
                median(rss),
                o.runs
            ));
        }
    }
    println!("\n| rooms×editors | relay | p50 ms | p99 ms | deliveries/s | delivered | relay CPU | load avg |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for line in table {
        println!("{line}");
    }
}
