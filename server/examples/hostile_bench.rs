//! The relay under hostile load, for comparing builds: peak memory under presence floods at
//! stalled readers, how long idle and slow-header connections stay open, and `/healthz`
//! latency while they are open. Bounded for relays without the limits: a relay whose
//! resident memory passes `--kill-mib` (1536) is killed and reported as such, and
//! connections still open after `--close-wait` seconds (45) are reported as not closed.
//!
//! ```sh
//! cargo build --release -p linli-server --bin linli-relay --example hostile_bench
//! target/release/examples/hostile_bench --runs 3 [--ours <linli-relay binary>]
//! ```
//! `--only flood|connections` runs only those cases. Prints one line per run and case, then a
//! Markdown table of medians.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use linli_server::serve::raise_open_file_limit;
use linli_shared::wire::{DocumentId, Message};
use linli_testkit::native_client::{stalled_readers, stored_document, NativeClient};
use linli_testkit::raw_http;
use linli_testkit::relay::proc_stats::{load_average, status_mib};
use linli_testkit::relay::relay_binary;
use linli_testkit::{RelayBuilder, RelayProcess};
use tokio::net::TcpStream;

const IDLE: usize = 2000;
const SLOW: usize = 2000;
/// A flood gives up after this long.
const FLOOD_CAP: Duration = Duration::from_secs(120);
/// Memory is still watched this long after the flooder stopped (the relay may still be
/// fanning out what it took in).
const SETTLE: Duration = Duration::from_secs(3);

struct Options {
    ours: PathBuf,
    runs: usize,
    kill_mib: f64,
    close_wait: u64,
    /// `flood` or `connections`: run only those cases.
    only: Option<String>,
}

fn options() -> Options {
    let mut o = Options {
        ours: relay_binary(),
        runs: 3,
        kill_mib: 1536.0,
        close_wait: 45,
        only: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--ours" => o.ours = value.into(),
            "--runs" => o.runs = value.parse().expect("--runs N"),
            "--kill-mib" => o.kill_mib = value.parse().expect("--kill-mib MIB"),
            "--close-wait" => o.close_wait = value.parse().expect("--close-wait SECS"),
            "--only" => o.only = Some(value),
            other => panic!("unknown option {other}"),
        }
    }
    o
}

/// Polls the relay's memory every 50 ms, killing it past `kill_mib`. Returns the peak seen
/// and whether it killed the relay, once `stop` is set.
fn watch_memory(pid: u32, kill_mib: f64, stop: Arc<AtomicBool>) -> (f64, bool) {
    let (mut peak, mut killed) = (0.0f64, false);
    while !stop.load(Ordering::Relaxed) {
        let hwm = status_mib(pid, "VmHWM:");
        if hwm.is_finite() {
            peak = peak.max(hwm);
        }
        if !killed && status_mib(pid, "VmRSS:") > kill_mib {
            // SAFETY: kill(2) on our own child's pid.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (peak, killed)
}

/// Sends `frames` presence frames of `bytes` each, reconnecting when the relay closes the
/// socket; stops early if the relay cannot be reached. Counts what was sent in `sent`.
async fn flood(url: String, doc: DocumentId, frames: usize, bytes: usize, sent: Arc<AtomicUsize>) {
    let payload = vec![0x5a; bytes];
    let mut refused = 0;
    let mut flooder = NativeClient::new("flooder");
    while sent.load(Ordering::Relaxed) < frames && refused < 100 {
        if !flooder.try_connect(&url).await {
            refused += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        flooder.open(doc).await;
        while sent.load(Ordering::Relaxed) < frames {
            let frame = Message::Ephemeral {
                sender_id: flooder.client.peer_id().clone(),
                target_id: flooder.client.server_peer().unwrap().clone(),
                document_id: doc,
                session_id: "flood".into(),
                count: sent.load(Ordering::Relaxed) as u64,
                data: payload.clone(),
            }
            .encode();
            if !flooder.try_send(vec![frame]).await {
                break;
            }
            sent.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Our relay (`--ours`) with a fresh data directory. One member owns every socket here, so
/// the per-member socket cap is lifted.
fn ours(o: &Options) -> RelayProcess {
    RelayBuilder::temporary(None)
        .binary(&o.ours)
        .unlimited_sockets_per_member()
        .start()
}

struct FloodRun {
    peak_mib: f64,
    killed: bool,
    sent: usize,
    secs: f64,
}

async fn flood_run(o: &Options, stalled: usize, frames: usize, bytes: usize) -> FloodRun {
    let relay = ours(o);
    let url = relay.sync_url();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (pid, kill, stop) = (relay.pid(), o.kill_mib, stop.clone());
        std::thread::spawn(move || watch_memory(pid, kill, stop))
    };
    let (_owner, doc) = stored_document(&url).await;
    let readers = stalled_readers(&url, doc, stalled).await;
    let started = Instant::now();
    let sent = Arc::new(AtomicUsize::new(0));
    let flooding = tokio::spawn(flood(url.clone(), doc, frames, bytes, sent.clone()));
    // Timed out, or the flooder failed mid-handshake as the relay died: `sent` says how far.
    let _ = tokio::time::timeout(FLOOD_CAP, flooding).await;
    let sent = sent.load(Ordering::Relaxed);
    let secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(SETTLE).await;
    stop.store(true, Ordering::Relaxed);
    let (peak_mib, killed) = watcher.join().unwrap();
    drop(readers);
    FloodRun {
        peak_mib,
        killed,
        sent,
        secs,
    }
}

struct ConnectionsRun {
    /// Seconds from the first connection until the last was closed, or None.
    closed_secs: Option<f64>,
    closed: usize,
    p50_ms: f64,
    p99_ms: f64,
}

async fn connections_run(o: &Options) -> ConnectionsRun {
    let relay = ours(o);
    let http = relay.http_url.clone();
    let host = http.strip_prefix("http://").unwrap().to_string();
    let opened = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..IDLE + SLOW {
        let tcp = TcpStream::connect(&host).await.expect("connecting");
        tasks.spawn(raw_http::until_closed(tcp, i >= IDLE));
    }
    let mut latencies = Vec::new();
    for _ in 0..100 {
        let started = Instant::now();
        let answer = raw_http::get(&http, "/healthz").await;
        assert_eq!(answer.status, 200);
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    latencies.sort_by(f64::total_cmp);
    let closed = Arc::new(Mutex::new((0usize, opened)));
    let counting = closed.clone();
    let all = tokio::time::timeout(Duration::from_secs(o.close_wait), async move {
        while let Some(at) = tasks.join_next().await {
            let mut c = counting.lock().unwrap();
            c.0 += 1;
            c.1 = c.1.max(at.unwrap());
        }
    })
    .await;
    let (count, last) = *closed.lock().unwrap();
    ConnectionsRun {
        closed_secs: all.is_ok().then(|| (last - opened).as_secs_f64()),
        closed: count,
        p50_ms: latencies[latencies.len() / 2],
        p99_ms: latencies[latencies.len() * 99 / 100],
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let o = options();
    // As before, a relay that cannot raise it shows as refused connections below.
    let _ = raise_open_file_limit();
    println!("relay {}", o.ours.display());
    let cases = [
        ("10 stalled + 150 × 1 MB presence", 10, 150, 1024 * 1024),
        (
            "50 stalled + 30 × 8 MiB presence",
            50,
            30,
            8 * 1024 * 1024 - 1024,
        ),
    ];
    let mut rows = Vec::new();
    let mut loads = Vec::new();
    let run_floods = o.only.as_deref() != Some("connections");
    for (name, stalled, frames, bytes) in cases.into_iter().filter(|_| run_floods) {
        let mut runs = Vec::new();
        for run in 1..=o.runs {
            let r = flood_run(&o, stalled, frames, bytes).await;
            loads.push(load_average());
            println!(
                "{name}, run {run}: peak RSS {:.0} MiB{}, {} of {frames} sent in {:.1} s",
                r.peak_mib,
                if r.killed { " (killed)" } else { "" },
                r.sent,
                r.secs
            );
            runs.push(r);
        }
        let killed = runs.iter().filter(|r| r.killed).count();
        let peak = median(runs.iter().map(|r| r.peak_mib).collect());
        let note = if killed > 0 {
            format!(
                " (killed past {:.0} MiB in {killed} of {} runs)",
                o.kill_mib, o.runs
            )
        } else {
            String::new()
        };
        rows.push((format!("{name}: peak RSS"), format!("{peak:.0} MiB{note}")));
    }
    if o.only.as_deref() != Some("flood") {
        connections(&o, &mut rows, &mut loads).await;
    }
    println!("\n| measure (median of {} runs) | value |", o.runs);
    println!("|---|---|");
    for (measure, value) in rows {
        println!("| {measure} | {value} |");
    }
    println!("\n1-minute load average during the runs: {loads:.1?}");
}

async fn connections(o: &Options, rows: &mut Vec<(String, String)>, loads: &mut Vec<f64>) {
    let mut runs = Vec::new();
    for run in 1..=o.runs {
        let r = connections_run(o).await;
        loads.push(load_average());
        let closed = match r.closed_secs {
            Some(s) => format!("all closed after {s:.1} s"),
            None => format!(
                "{} of {} closed after {} s",
                r.closed,
                IDLE + SLOW,
                o.close_wait
            ),
        };
        println!(
            "{IDLE} idle + {SLOW} slow-header, run {run}: {closed}; /healthz p50 {:.1} ms, p99 {:.1} ms",
            r.p50_ms, r.p99_ms
        );
        runs.push(r);
    }
    let closed = if runs.iter().all(|r| r.closed_secs.is_some()) {
        let secs = median(runs.iter().filter_map(|r| r.closed_secs).collect());
        format!("{secs:.1} s")
    } else {
        let closed = median(runs.iter().map(|r| r.closed as f64).collect());
        format!("not closed after {} s ({closed:.0} closed)", o.close_wait)
    };
    rows.push((
        format!("{IDLE} idle + {SLOW} slow-header: all closed"),
        closed,
    ));
    let p50 = median(runs.iter().map(|r| r.p50_ms).collect());
    let p99 = median(runs.iter().map(|r| r.p99_ms).collect());
    rows.push((
        "/healthz with them open, p50 / p99".into(),
        format!("{p50:.1} / {p99:.1} ms"),
    ));
}
