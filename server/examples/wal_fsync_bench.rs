//! What one durable append to the write-ahead log costs: `AppendLog::append` (write +
//! fdatasync) of one batch-sized record, to a log that grows the file (no reserve) and to one
//! that overwrites zeros it keeps in reserve (the WAL's `RESERVE`).
//!
//! ```text
//! cargo build --release -p linli-server --example wal_fsync_bench
//! target/release/examples/wal_fsync_bench [--dir DIR] [--runs 5] [--appends 300] [--bytes 4096]
//!     [--busy-disk]
//! ```
//!
//! Each run opens fresh logs of both kinds in `DIR` (default: the system temp dir, so the
//! disk the relay's data would be on), alternating which goes first, and times every append.
//! Prints each run's median and p99 and, at the end, the medians over runs and their ratio.
//! `--busy-disk` keeps another thread writing 64 MiB files with fdatasync in the same
//! directory meanwhile (what a checkpoint, a backup or another service does to the disk).

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use linli_server::storage::append_log::AppendLog;
use linli_server::storage::wal::RESERVE;

struct Options {
    dir: Option<PathBuf>,
    runs: usize,
    appends: usize,
    bytes: usize,
    busy_disk: bool,
}

fn options() -> Options {
    let mut o = Options {
        dir: None,
        runs: 5,
        appends: 300,
        bytes: 4096,
        busy_disk: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--busy-disk" {
            o.busy_disk = true;
            continue;
        }
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--dir" => o.dir = Some(value.into()),
            "--runs" => o.runs = value.parse().expect("--runs N"),
            "--appends" => o.appends = value.parse().expect("--appends N"),
            "--bytes" => o.bytes = value.parse().expect("--bytes N"),
            _ => panic!("unknown option {flag}"),
        }
    }
    o
}

/// Milliseconds of each append, sorted.
fn time_appends(o: &Options, reserve: u64) -> Vec<f64> {
    let dir = match &o.dir {
        Some(d) => tempfile::tempdir_in(d),
        None => tempfile::tempdir(),
    }
    .expect("temp dir");
    let (mut log, _) = AppendLog::open(&dir.path().join("log"), reserve).expect("open");
    let payload: Vec<u8> = (0..o.bytes).map(|i| (i * 7 + 1) as u8).collect();
    let mut times: Vec<f64> = (0..o.appends)
        .map(|_| {
            let start = Instant::now();
            log.append(std::slice::from_ref(&payload)).expect("append");
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

/// Writes 64 MiB files with fdatasync in `dir` until `stop` is set.
fn busy_disk(dir: PathBuf, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let path = dir.join("busy");
        let block = vec![1u8; 1 << 20];
        while !stop.load(Ordering::Relaxed) {
            let mut file = std::fs::File::create(&path).expect("busy file");
            for _ in 0..64 {
                file.write_all(&block).expect("busy write");
            }
            file.sync_data().expect("busy sync");
        }
        let _ = std::fs::remove_file(&path);
    })
}

fn at(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    at(&v, 0.5)
}

fn main() {
    let o = options();
    let kinds = [("grows the file", 0), ("overwrites its reserve", RESERVE)];
    let mut results: Vec<(Vec<f64>, Vec<f64>)> = vec![(vec![], vec![]); kinds.len()];
    let stop = Arc::new(AtomicBool::new(false));
    let busy = o.busy_disk.then(|| {
        let dir = o.dir.clone().unwrap_or_else(std::env::temp_dir);
        busy_disk(dir, stop.clone())
    });
    for run in 0..o.runs {
        let order: Vec<usize> = if run % 2 == 0 { vec![0, 1] } else { vec![1, 0] };
        for k in order {
            let times = time_appends(&o, kinds[k].1);
            let (p50, p99) = (at(&times, 0.5), at(&times, 0.99));
            println!(
                "run {} {:<24} p50 {p50:.3} ms  p99 {p99:.3} ms",
                run + 1,
                kinds[k].0
            );
            results[k].0.push(p50);
            results[k].1.push(p99);
        }
    }
    stop.store(true, Ordering::Relaxed);
    if let Some(busy) = busy {
        busy.join().expect("busy thread");
    }
    let summary: Vec<(f64, f64)> = results
        .into_iter()
        .map(|(p50, p99)| (median(p50), median(p99)))
        .collect();
    for (k, (p50, p99)) in summary.iter().enumerate() {
        println!(
            "median of {} runs, {} appends of {} bytes{}, {:<24} p50 {p50:.3} ms  p99 {p99:.3} ms",
            o.runs,
            o.appends,
            o.bytes,
            if o.busy_disk { ", busy disk" } else { "" },
            kinds[k].0
        );
    }
    println!(
        "reserve / grow: p50 {:.2}x  p99 {:.2}x",
        summary[1].0 / summary[0].0,
        summary[1].1 / summary[0].1
    );
}
