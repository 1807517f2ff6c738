//! The core thread's timings, exported on `/metrics` as Prometheus histograms:
//! - [`FRAME`], `linli_frame_seconds`: how long the relay holds a frame, from the socket task
//!   handing it to the core thread until the answers it caused are queued to their sockets
//!   (waiting in the queue, applying, storing with the batch's fsync or commit, generating
//!   sync messages). `examples/relay_bench.rs` reads it back to tell the relay's share of the
//!   edit → other-client latency from the load generator's.
//! - [`STORE`], `linli_store_seconds`: each group commit that stored changes (`core::batch`),
//!   from the start of its store to its answers made (the file store's fsync, PostgreSQL's
//!   commit included). Its count is the number of such stores (commits) so far;
//!   `examples/nodes_load.rs` reads both. A resident's report, stored on its own as it
//!   arrives (`core::local_edit`), is not in it.

use std::time::Duration;

/// Upper bounds of the buckets, in seconds (a last bucket, `+Inf`, takes the rest).
pub const BOUNDS: [f64; 16] = [
    0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1,
    0.25, 1.0,
];

/// A histogram's name and what it measures, as `/metrics` says them.
pub struct Metric {
    pub name: &'static str,
    pub help: &'static str,
}

pub const FRAME: Metric = Metric {
    name: "linli_frame_seconds",
    help:
        "Time from a frame reaching the core thread to its answers being queued (storage included).",
};

pub const STORE: Metric = Metric {
    name: "linli_store_seconds",
    help: "Time the core thread took to store one batch of changes and make its answers (fsync or commit included); the count is the number of stores.",
};

/// A histogram of durations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Histogram {
    /// Per bucket, not cumulative; the last is `+Inf`.
    counts: [u64; BOUNDS.len() + 1],
    sum_seconds: f64,
}

impl Histogram {
    pub fn observe(&mut self, took: Duration) {
        let s = took.as_secs_f64();
        let bucket = BOUNDS.iter().position(|b| s <= *b).unwrap_or(BOUNDS.len());
        self.counts[bucket] += 1;
        self.sum_seconds += s;
    }

    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The Prometheus text exposition of the histogram as `metric`.
    pub fn render(&self, metric: &Metric) -> String {
        let Metric { name, help } = metric;
        let mut out = format!("# HELP {name} {help}\n# TYPE {name} histogram\n");
        let mut cumulative = 0;
        for (i, count) in self.counts.iter().enumerate() {
            cumulative += count;
            let le = BOUNDS.get(i).map_or("+Inf".to_string(), |b| b.to_string());
            out.push_str(&format!("{name}_bucket{{le=\"{le}\"}} {cumulative}\n"));
        }
        out.push_str(&format!("{name}_sum {}\n", self.sum_seconds));
        out.push_str(&format!("{name}_count {cumulative}\n"));
        out
    }

    /// Reads `metric` back from a `/metrics` body; `None` if it is not there.
    pub fn parse(metrics: &str, metric: &Metric) -> Option<Histogram> {
        let name = metric.name;
        let (bucket, sum) = (format!("{name}_bucket{{le=\""), format!("{name}_sum "));
        let mut h = Histogram::default();
        let mut cumulative = Vec::new();
        for line in metrics.lines() {
            if let Some(rest) = line.strip_prefix(&bucket) {
                let (_, value) = rest.split_once("\"} ")?;
                cumulative.push(value.trim().parse::<u64>().ok()?);
            } else if let Some(value) = line.strip_prefix(&sum) {
                h.sum_seconds = value.trim().parse().ok()?;
            }
        }
        if cumulative.len() != h.counts.len() {
            return None;
        }
        let mut previous = 0;
        for (count, c) in h.counts.iter_mut().zip(cumulative) {
            *count = c.checked_sub(previous)?;
            previous = c;
        }
        Some(h)
    }

    /// What was observed after `earlier` (a reading of the same relay).
    pub fn since(&self, earlier: &Histogram) -> Histogram {
        let mut h = self.clone();
        for (count, before) in h.counts.iter_mut().zip(earlier.counts) {
            *count = count.saturating_sub(before);
        }
        h.sum_seconds -= earlier.sum_seconds;
        h
    }

    /// The `q` quantile in milliseconds, interpolated linearly inside its bucket (as
    /// Prometheus' `histogram_quantile` does); `None` without observations or in `+Inf`.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = q * total as f64;
        let mut below = 0u64;
        for (i, count) in self.counts.iter().enumerate() {
            if *count > 0 && (below + count) as f64 >= rank {
                let upper = *BOUNDS.get(i)?;
                let lower = if i == 0 { 0.0 } else { BOUNDS[i - 1] };
                let within = (rank - below as f64) / *count as f64;
                return Some((lower + (upper - lower) * within) * 1000.0);
            }
            below += count;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: f64) -> Duration {
        Duration::from_secs_f64(n / 1000.0)
    }

    #[test]
    fn renders_cumulative_buckets_and_reads_them_back() {
        let mut h = Histogram::default();
        for t in [0.1, 0.9, 0.9, 4.0, 2000.0] {
            h.observe(ms(t));
        }
        let text = h.render(&FRAME);
        assert!(text.contains("# TYPE linli_frame_seconds histogram"));
        assert!(text.contains("linli_frame_seconds_bucket{le=\"0.00025\"} 1\n"));
        assert!(text.contains("linli_frame_seconds_bucket{le=\"0.001\"} 3\n"));
        assert!(text.contains("linli_frame_seconds_bucket{le=\"0.005\"} 4\n"));
        assert!(text.contains("linli_frame_seconds_bucket{le=\"1\"} 4\n"));
        assert!(text.contains("linli_frame_seconds_bucket{le=\"+Inf\"} 5\n"));
        assert!(text.contains("linli_frame_seconds_count 5\n"));
        let back = Histogram::parse(&format!("linli_connections 3\n{text}"), &FRAME).unwrap();
        assert_eq!(back.count(), 5);
        assert_eq!(back.counts, h.counts);
        assert!((back.sum_seconds - h.sum_seconds).abs() < 1e-9);
        assert_eq!(Histogram::parse("linli_connections 3\n", &FRAME), None);
        assert_eq!(
            Histogram::parse(&text, &STORE),
            None,
            "read by its own name"
        );
    }

    #[test]
    fn quantiles_interpolate_within_the_bucket_and_since_subtracts() {
        let mut earlier = Histogram::default();
        for _ in 0..100 {
            earlier.observe(ms(50.0)); // (30, 50] ms
        }
        let mut later = earlier.clone();
        for _ in 0..100 {
            later.observe(ms(1.5)); // (1, 2] ms
        }
        let window = later.since(&earlier);
        assert_eq!(window.count(), 100);
        assert!((window.quantile_ms(0.5).unwrap() - 1.5).abs() < 1e-9);
        assert!((window.quantile_ms(1.0).unwrap() - 2.0).abs() < 1e-9);
        assert!((later.quantile_ms(0.99).unwrap() - 49.6).abs() < 1e-9);
        assert_eq!(Histogram::default().quantile_ms(0.5), None);
        let mut slow = Histogram::default();
        slow.observe(Duration::from_secs(5));
        assert_eq!(slow.quantile_ms(0.5), None, "beyond the last bound");
    }
}
