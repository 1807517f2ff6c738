//! Timing for the benchmark: wall-clock and on-CPU time of a step, and the
//! medians printed for each measured step.

use std::time::{Duration, Instant};

/// Wall-clock and on-CPU time of one measured step. The machine is shared with
/// other builds, so wall time includes waiting for a core; the thread's CPU time
/// (from /proc/thread-self/schedstat, Linux) does not.
#[derive(Clone, Copy, Default)]
pub struct Span {
    pub wall: Duration,
    pub cpu: Duration,
}

impl std::ops::Add for Span {
    type Output = Span;
    fn add(self, o: Span) -> Span {
        Span {
            wall: self.wall + o.wall,
            cpu: self.cpu + o.cpu,
        }
    }
}

fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

pub struct Stopwatch {
    wall: Instant,
    cpu: Duration,
}

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch {
            cpu: thread_cpu(),
            wall: Instant::now(),
        }
    }

    pub fn elapsed(&self) -> Span {
        let wall = self.wall.elapsed();
        Span {
            wall,
            cpu: thread_cpu().saturating_sub(self.cpu),
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// "median wall / median CPU"; CPU only for steps long enough for the
/// scheduler's accounting (it advances at context switches and ticks).
pub fn summary(v: Vec<Span>) -> String {
    let wall = median(v.iter().map(|s| s.wall).collect());
    let cpu = median(v.iter().map(|s| s.cpu).collect());
    if wall < Duration::from_millis(5) {
        ms(wall)
    } else {
        format!("{} wall / {} cpu", ms(wall), ms(cpu))
    }
}
