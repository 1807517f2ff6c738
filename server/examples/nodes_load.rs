//! The load benchmark (`linli_testkit::load_gen`, as `examples/load.rs` and `relay_bench`:
//! rooms × editors, each editor writing its send time into its room's document) against the
//! relay in three setups side by side (issue 13):
//! - `embedded`: one node on its data directory (the default store);
//! - `pg1`: one node on a PostgreSQL database (`--database`);
//! - `pg2`: two nodes on one database, each room's editors alternating between them (editor
//!   k of room r on node (r + k) % 2), so that most deliveries cross nodes: the stored change
//!   reaches the other node through `NOTIFY` and its read of the new changes.
//!
//! Every (size, run) starts each setup fresh — a fresh data directory; a fresh throwaway
//! PostgreSQL cluster (`linli_testkit::postgres`: fsync on, in the system temp dir like the
//! data directory) — in rotating order (a b c, b c a, c a b, …). Prints a line per run and a
//! Markdown table of medians: edit → peer p50/p99; the same for the deliveries whose sender
//! and receiver were on different nodes; deliveries/s; relay CPU (the nodes' sum) and
//! PostgreSQL CPU (the postmaster and its processes) over the measured window; the others'
//! CPU, everything else the machine was busy with meanwhile (`/proc/stat` less the nodes,
//! PostgreSQL and this generator: another program on the shared cores shows here) and the
//! time the hypervisor stole from this machine's CPUs; the relay's frame hold p99 over the
//! window (`linli_frame_seconds`, the highest of the nodes); the stores (one commit or fsync
//! each) per second over the window, the nodes' sum, and how long one took at the median
//! (`linli_store_seconds`, the highest of the nodes); the 1-minute load average.
//!
//! ```sh
//! cargo build --release -p linli-server --bin linli-relay --example nodes_load
//! ulimit -n 20000
//! target/release/examples/nodes_load --runs 3 --secs 8 --ladder 20x5,200x5
//! ```
//! Options: `--runs N` (3), `--secs N` measured (8, after 2 s of warm-up), `--every MS`
//! between one editor's edits (1000), `--ladder RxE,…` (20x5,200x5), `--setups
//! embedded,pg1,pg2` (all three), `--baseline PATH`: every setup also with another relay
//! binary (an older build), in the same rotation, named `<setup>@base` in the table.

#[path = "common/measure.rs"]
mod measure;

use std::time::{Duration, Instant};

use linli_server::latency::{self, Histogram};
use linli_testkit::load_gen::{self, Load, Phases};
use linli_testkit::relay::proc_stats::{
    cpu_secs, cpu_secs_with_children, load_average, machine_cpu_secs,
};
use linli_testkit::relay::relay_binary;
use linli_testkit::{ApiClient, PgCluster, RelayBuilder, RelayProcess};
use measure::{median, Sampler};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Setup {
    Embedded,
    OneNode,
    TwoNodes,
}

impl Setup {
    fn name(self) -> &'static str {
        match self {
            Setup::Embedded => "embedded",
            Setup::OneNode => "pg1",
            Setup::TwoNodes => "pg2",
        }
    }

    fn parse(name: &str) -> Setup {
        [Setup::Embedded, Setup::OneNode, Setup::TwoNodes]
            .into_iter()
            .find(|s| s.name() == name)
            .unwrap_or_else(|| panic!("--setups: embedded, pg1, pg2; not {name:?}"))
    }
}

struct Options {
    runs: usize,
    secs: u64,
    every: u64,
    ladder: Vec<(usize, usize)>,
    setups: Vec<Setup>,
    baseline: Option<String>,
}

/// A setup run with a relay binary: this build's, or the baseline's.
#[derive(Clone, Copy)]
struct Variant {
    setup: Setup,
    baseline: bool,
}

impl Variant {
    fn name(self) -> String {
        match self.baseline {
            true => format!("{}@base", self.setup.name()),
            false => self.setup.name().to_string(),
        }
    }
}

fn options() -> Options {
    let mut o = Options {
        runs: 3,
        secs: 8,
        every: 1000,
        ladder: vec![(20, 5), (200, 5)],
        setups: vec![Setup::Embedded, Setup::OneNode, Setup::TwoNodes],
        baseline: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--runs" => o.runs = value.parse().expect("--runs N"),
            "--secs" => o.secs = value.parse().expect("--secs N"),
            "--every" => o.every = value.parse().expect("--every MS"),
            "--setups" => o.setups = value.split(',').map(Setup::parse).collect(),
            "--baseline" => o.baseline = Some(value),
            "--ladder" => {
                o.ladder = value
                    .split(',')
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

/// A setup's processes, started fresh; the nodes are killed before the cluster stops.
struct Started {
    nodes: Vec<RelayProcess>,
    pg: Option<PgCluster>,
    /// Per node, its sync URL with the credential of the one community's admin.
    urls: Vec<String>,
}

fn start(setup: Setup, binary: &str) -> Started {
    let builder = RelayBuilder::temporary(None)
        .binary(binary)
        .unlimited_sockets_per_member();
    let (pg, builder, count) = match setup {
        Setup::Embedded => (None, builder, 1),
        Setup::OneNode | Setup::TwoNodes => {
            let pg = PgCluster::start();
            let url = pg.create_database("linli");
            let count = if setup == Setup::TwoNodes { 2 } else { 1 };
            (Some(pg), builder.args(&["--database", &url]), count)
        }
    };
    let nodes: Vec<RelayProcess> = (0..count).map(|_| builder.start()).collect();
    let admin = nodes[0].community().admin;
    let urls = nodes.iter().map(|n| n.sync_url_with(&admin)).collect();
    Started { nodes, pg, urls }
}

/// What the sampler reads: CPU seconds so far of the nodes (summed), of PostgreSQL, of this
/// load generator and of the whole machine (busy; stolen by the hypervisor), and each node's
/// frame hold and store histograms.
#[derive(Clone)]
struct Reading {
    relay: f64,
    pg: f64,
    generator: f64,
    machine: (f64, f64),
    held: Vec<Option<Histogram>>,
    stored: Vec<Option<Histogram>>,
}

fn sampler(started: &Started) -> Sampler<Reading> {
    let pids: Vec<u32> = started.nodes.iter().map(|n| n.pid()).collect();
    let postmaster = started.pg.as_ref().and_then(|pg| pg.postmaster_pid());
    let apis: Vec<ApiClient> = started
        .nodes
        .iter()
        .map(|n| ApiClient::new(&n.http_url))
        .collect();
    Sampler::start(Duration::from_millis(250), move || {
        let metrics: Vec<String> = apis.iter().map(|api| api.metrics()).collect();
        let read = |metric| {
            metrics
                .iter()
                .map(|m| Histogram::parse(m, metric))
                .collect()
        };
        Reading {
            relay: pids.iter().map(|&pid| cpu_secs(pid)).sum(),
            pg: postmaster.map_or(f64::NAN, cpu_secs_with_children),
            generator: cpu_secs(std::process::id()),
            machine: machine_cpu_secs(),
            held: read(&latency::FRAME),
            stored: read(&latency::STORE),
        }
    })
}

#[derive(Clone, Copy)]
struct Run {
    p50: f64,
    p99: f64,
    cross_p50: f64,
    cross_p99: f64,
    per_sec: f64,
    delivered: f64,
    relay_cpu: f64,
    pg_cpu: f64,
    /// Everything else busy on the machine (another program, kernel threads), in cores.
    others: f64,
    stolen: f64,
    held_p99: f64,
    stores_per_sec: f64,
    store_p50: f64,
    load: f64,
}

async fn one_run(variant: Variant, binary: &str, load: &Load) -> Run {
    let setup = variant.setup;
    let started = start(setup, binary);
    let sampler = sampler(&started);
    let report = load_gen::run_across(&started.urls, load).await;
    // The relay publishes its histogram every 0.5 s: the window's last frames are in the
    // reading after it.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let window = report.window(load).expect("the run started");
    let (from, until, secs) = sampler
        .window((window.0, window.1 + Duration::from_millis(600)))
        .expect("readings over the window");
    let held = windows(&from.held, &until.held);
    let stored = windows(&from.stored, &until.stored);
    // The highest of the nodes.
    let highest = |histograms: &[Histogram], q| {
        histograms
            .iter()
            .filter(|h| h.count() > 0)
            // Beyond the histogram's last bound (1 s): infinite here, "> 1000" in the table.
            .map(|h| h.quantile_ms(q).unwrap_or(f64::INFINITY))
            .fold(f64::NAN, f64::max)
    };
    let run = Run {
        p50: report.percentile_ms(0.5),
        p99: report.percentile_ms(0.99),
        cross_p50: report.cross_node_percentile_ms(0.5),
        cross_p99: report.cross_node_percentile_ms(0.99),
        per_sec: report.deliveries_per_sec(),
        delivered: report.delivered_fraction(load.editors),
        relay_cpu: (until.relay - from.relay) / secs,
        pg_cpu: (until.pg - from.pg) / secs,
        others: ((until.machine.0 - from.machine.0)
            - (until.relay - from.relay)
            - (until.pg - from.pg).max(0.0)
            - (until.generator - from.generator))
            / secs,
        stolen: (until.machine.1 - from.machine.1) / secs,
        held_p99: highest(&held, 0.99),
        stores_per_sec: stored.iter().map(|h| h.count() as f64).sum::<f64>() / secs,
        store_p50: highest(&stored, 0.5),
        load: load_average(),
    };
    println!(
        "  {:<12} {}; relay CPU {}, PostgreSQL CPU {}, others {}, stolen {}, held p99 {} ms, {:.0} stores/s taking {} ms (p50), load avg {:.1}",
        variant.name(),
        report.summary(load),
        fig(run.relay_cpu, "%"),
        fig(run.pg_cpu, "%"),
        fig(run.others, "%"),
        fig(run.stolen, "%"),
        fig(run.held_p99, "ms"),
        run.stores_per_sec,
        fig(run.store_p50, "ms"),
        run.load
    );
    run
}

/// Each node's histogram over a window, from the readings at its two ends (nodes that
/// published none are left out).
fn windows(from: &[Option<Histogram>], until: &[Option<Histogram>]) -> Vec<Histogram> {
    from.iter()
        .zip(until)
        .filter_map(|(a, b)| Some(b.as_ref()?.since(a.as_ref()?)))
        .collect()
}

/// A figure, or a dash where a setup has none (no cross-node deliveries, no PostgreSQL).
fn fig(v: f64, unit: &str) -> String {
    match unit {
        _ if v.is_nan() => "–".into(),
        _ if v.is_infinite() => "> 1000".into(),
        "%" => format!("{:.0}%", v * 100.0),
        _ => format!("{v:.1}"),
    }
}

#[tokio::main]
async fn main() {
    let o = options();
    let this_build = relay_binary().to_string_lossy().into_owned();
    // Each setup with this build, then (with --baseline) with the other.
    let mut variants = Vec::new();
    for &setup in &o.setups {
        for baseline in [false, true] {
            if !baseline || o.baseline.is_some() {
                variants.push(Variant { setup, baseline });
            }
        }
    }
    let started_at = Instant::now();
    let mut table = Vec::new();
    for &(rooms, editors) in &o.ladder {
        let load = Load {
            rooms,
            editors,
            every: Duration::from_millis(o.every),
            warmup: Duration::from_secs(2),
            measure: Duration::from_secs(o.secs),
            phases: Phases::Spread,
        };
        println!(
            "{rooms} rooms x {editors} editors, an edit every {} ms each:",
            o.every
        );
        let mut runs: Vec<Vec<Run>> = vec![Vec::new(); variants.len()];
        for run in 0..o.runs {
            for k in 0..variants.len() {
                let i = (k + run) % variants.len(); // rotate who goes first
                let binary = match variants[i].baseline {
                    true => o.baseline.as_deref().expect("a baseline"),
                    false => this_build.as_str(),
                };
                runs[i].push(one_run(variants[i], binary, &load).await);
            }
        }
        for (i, variant) in variants.iter().enumerate() {
            let med = |f: fn(&Run) -> f64| median(runs[i].iter().map(f).collect());
            table.push(format!(
                "| {rooms}×{editors} | {} | {} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {:.0} | {} | {:.1} |",
                variant.name(),
                fig(med(|r| r.p50), "ms"),
                fig(med(|r| r.p99), "ms"),
                fig(med(|r| r.cross_p50), "ms"),
                fig(med(|r| r.cross_p99), "ms"),
                med(|r| r.per_sec),
                fig(med(|r| r.delivered), "%"),
                fig(med(|r| r.relay_cpu), "%"),
                fig(med(|r| r.pg_cpu), "%"),
                fig(med(|r| r.others), "%"),
                fig(med(|r| r.stolen), "%"),
                fig(med(|r| r.held_p99), "ms"),
                med(|r| r.stores_per_sec),
                fig(med(|r| r.store_p50), "ms"),
                med(|r| r.load)
            ));
        }
    }
    println!(
        "\nmedians of {} runs, {:.0} s in all:\n",
        o.runs,
        started_at.elapsed().as_secs_f64()
    );
    println!("| rooms×editors | setup | p50 ms | p99 ms | cross-node p50 ms | cross-node p99 ms | deliveries/s | delivered | relay CPU | PostgreSQL CPU | others' CPU | stolen | held p99 ms | stores/s | store p50 ms | load avg |");
    println!(
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for line in table {
        println!("{line}");
    }
}
