//! A city's registry taking joins while members edit: the relay binary on a data directory
//! holding 300 communities × 120 members (`common/city.rs`, stored in `registry.sqlite`),
//! 20 rooms × 5 editors editing through it (an edit a second each, as `relay_bench`), once
//! alone and once while a thread joins new members through the API at `--joins` per second
//! (50; each join is one registry change). Compares the core's per-frame hold time
//! (`linli_frame_seconds`, the measured window only) and the editors' edit → peer latency;
//! alternates which goes first; medians of `--runs`.
//!
//! `--store postgres` puts the city in a database of a fresh throwaway PostgreSQL cluster per
//! run (`linli_testkit::postgres`) and starts the relay on it (`--database`, one node); the
//! table then has the cluster's CPU (postmaster and its processes) too.
//!
//! ```sh
//! cargo build --release -p linli-server --bin linli-relay --example registry_joins
//! target/release/examples/registry_joins --runs 3
//! target/release/examples/registry_joins --runs 3 --store postgres
//! ```

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/city.rs"]
mod city;

use linli_server::access::Access;
use linli_server::latency::{self, Histogram};
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;
use linli_testkit::load_gen::{self, Load, Phases};
use linli_testkit::relay::relay_binary;
use linli_testkit::{ApiClient, PgCluster, RelayBuilder, RelayProcess};

const COMMUNITIES: usize = 300;
const MEMBERS: usize = 120;

struct Options {
    runs: usize,
    secs: u64,
    joins: u64,
    postgres: bool,
}

fn options() -> Options {
    let mut o = Options {
        runs: 3,
        secs: 8,
        joins: 50,
        postgres: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value: u64 = pair.get(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        match pair[0].as_str() {
            "--store" => {
                o.postgres = match pair.get(1).map(String::as_str) {
                    Some("postgres") => true,
                    Some("data-dir") => false,
                    _ => panic!("--store data-dir|postgres"),
                }
            }
            "--runs" => o.runs = value.max(1) as usize,
            "--secs" => o.secs = value.max(1),
            "--joins" => o.joins = value.max(1),
            other => panic!("unknown option {other}"),
        }
    }
    o
}

fn doc_id(community: usize, doc: usize) -> DocumentId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(community as u64 + 1).to_le_bytes());
    bytes[8..].copy_from_slice(&(doc as u64).to_le_bytes());
    DocumentId::from_bytes(bytes)
}

/// A relay on a fresh data directory holding a city's registry, or on a fresh PostgreSQL
/// cluster's database holding it (returned too: it stops when dropped, after the relay).
fn city_relay(data: &std::path::Path, postgres: bool) -> (RelayProcess, Option<PgCluster>) {
    let pg = postgres.then(PgCluster::start);
    let url = pg.as_ref().map(|pg| pg.create_database("city"));
    // On a thread of its own: the `postgres` client must not block a tokio runtime's thread.
    std::thread::scope(|s| {
        s.spawn(|| {
            let access = match &url {
                Some(url) => Access::open_database(url),
                None => Access::open(data),
            }
            .expect("a registry");
            access
                .update(|r| city::build(r, COMMUNITIES, MEMBERS, 1, doc_id))
                .expect("a city");
        });
    });
    let mut relay = RelayBuilder::new(data)
        .binary(relay_binary())
        .unlimited_sockets_per_member();
    if let Some(url) = &url {
        relay = relay.args(&["--database", url]);
    }
    (relay.start(), pg)
}

/// Joins members at `per_sec` until `stop`, through invites of 100 phones; returns how many.
fn join_until(http: String, admin: String, per_sec: u64, stop: Arc<AtomicBool>) -> u64 {
    let api = ApiClient::new(&http);
    let every = Duration::from_secs_f64(1.0 / per_sec as f64);
    let (mut joined, mut token, mut left) = (0, String::new(), 0);
    let start = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        if left == 0 {
            token = api
                .invite(&admin, Role::NeighbourLeader, 1.0, Some(100))
                .ok()
                .token;
            left = 100;
        }
        api.join(&token).ok();
        left -= 1;
        joined += 1;
        let next = start + every * joined as u32;
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    joined
}

fn frame_latency(http: &str) -> Option<Histogram> {
    Histogram::parse(&ApiClient::new(http).metrics(), &latency::FRAME)
}

struct Run {
    frame_p99: f64,
    p50: f64,
    p99: f64,
    joins_per_sec: f64,
    cpu: f64,
    pg_cpu: f64,
}

async fn one_run(o: &Options, with_joins: bool) -> Run {
    let data = tempfile::tempdir().expect("a data directory");
    let (relay, pg) = city_relay(data.path(), o.postgres);
    let pg_cpu = || pg.as_ref().map_or(f64::NAN, PgCluster::cpu_secs);
    let admin = relay.community().admin;
    let load = Load {
        rooms: 20,
        editors: 5,
        every: Duration::from_millis(1000),
        warmup: Duration::from_secs(2),
        measure: Duration::from_secs(o.secs),
        phases: Phases::Spread,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let joined = Arc::new(AtomicU64::new(0));
    let joiner = with_joins.then(|| {
        let (http, stop, joined, per_sec) = (
            relay.http_url.clone(),
            stop.clone(),
            joined.clone(),
            o.joins,
        );
        std::thread::spawn(move || {
            joined.store(join_until(http, admin, per_sec, stop), Ordering::Relaxed)
        })
    });
    let http = relay.http_url.clone();
    let at_start = {
        let http = http.clone();
        async move {
            tokio::time::sleep(load.warmup).await;
            tokio::task::spawn_blocking(move || frame_latency(&http))
                .await
                .ok()
                .flatten()
        }
    };
    let (cpu0, pg0, t0) = (relay.cpu_secs(), pg_cpu(), Instant::now());
    let url = relay.sync_url();
    let (report, start) = tokio::join!(load_gen::run(&url, &load), at_start);
    let elapsed = t0.elapsed().as_secs_f64();
    let cpu = (relay.cpu_secs() - cpu0) / elapsed;
    let pg_cpu = (pg_cpu() - pg0) / elapsed;
    tokio::time::sleep(Duration::from_millis(600)).await; // the hub publishes every 0.5 s
    let end = tokio::task::spawn_blocking(move || frame_latency(&http))
        .await
        .ok()
        .flatten();
    stop.store(true, Ordering::Relaxed);
    if let Some(j) = joiner {
        let _ = j.join();
    }
    let frame_p99 = match (start, end) {
        (Some(s), Some(e)) => e.since(&s).quantile_ms(0.99).unwrap_or(f64::NAN),
        _ => f64::NAN,
    };
    let run = Run {
        frame_p99,
        p50: report.percentile_ms(0.5),
        p99: report.percentile_ms(0.99),
        joins_per_sec: joined.load(Ordering::Relaxed) as f64 / elapsed,
        cpu,
        pg_cpu,
    };
    println!(
        "  {:<6} {}; frame hold p99 {:.2} ms; joins {:.1}/s; relay CPU {:.0}%; PostgreSQL CPU {:.0}%",
        if with_joins { "joins" } else { "alone" },
        report.summary(&load),
        run.frame_p99,
        run.joins_per_sec,
        cpu * 100.0,
        pg_cpu * 100.0
    );
    drop(relay); // before its database
    drop(pg);
    run
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let o = options();
    let store = ["the data directory", "PostgreSQL"][usize::from(o.postgres)];
    println!(
        "city registry {COMMUNITIES} × {MEMBERS} in {store}; 20 rooms × 5 editors; joins {} per second",
        o.joins
    );
    let (mut alone, mut joins) = (Vec::new(), Vec::new());
    for run in 0..o.runs {
        for k in 0..2 {
            let with_joins = (k + run) % 2 == 1;
            let r = one_run(&o, with_joins).await;
            if with_joins {
                joins.push(r)
            } else {
                alone.push(r)
            }
        }
    }
    let med = |runs: &[Run], f: fn(&Run) -> f64| median(runs.iter().map(f).collect());
    println!("\n| case | frame hold p99 ms | edit→peer p50 ms | p99 ms | joins/s | relay CPU | PostgreSQL CPU |");
    println!("|---|---|---|---|---|---|---|");
    for (name, runs) in [("alone", &alone), ("joins", &joins)] {
        println!(
            "| {name} | {:.2} | {:.1} | {:.1} | {:.1} | {:.0}% | {:.0}% |",
            med(runs, |r| r.frame_p99),
            med(runs, |r| r.p50),
            med(runs, |r| r.p99),
            med(runs, |r| r.joins_per_sec),
            100.0 * med(runs, |r| r.cpu),
            100.0 * med(runs, |r| r.pg_cpu)
        );
    }
    println!(
        "\njoins / alone: frame hold p99 {:.2}, edit p99 {:.2}",
        med(&joins, |r| r.frame_p99) / med(&alone, |r| r.frame_p99),
        med(&joins, |r| r.p99) / med(&alone, |r| r.p99)
    );
}
