//! Readings of the processes under test taken on a thread of their own while a load runs, so
//! that they can be compared over the load generator's measured window, which is known only
//! once the run is over (`load_gen::Report::window`); and the median of runs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

type Samples<T> = Arc<Mutex<Vec<(Instant, T)>>>;

/// Takes a reading every `every` until dropped.
pub struct Sampler<T> {
    samples: Samples<T>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl<T: Clone + Send + 'static> Sampler<T> {
    pub fn start(every: Duration, mut read: impl FnMut() -> T + Send + 'static) -> Sampler<T> {
        let samples: Samples<T> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (samples, stop) = (samples.clone(), stop.clone());
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let value = read();
                    samples.lock().unwrap().push((Instant::now(), value));
                    n += 1;
                    let next = start + every * n;
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                }
            })
        };
        Sampler {
            samples,
            stop,
            thread: Some(thread),
        }
    }

    /// The first reading at or after `from`, the last at or before `until`, and the seconds
    /// between them; `None` unless two readings are in the window.
    pub fn window(&self, (from, until): (Instant, Instant)) -> Option<(T, T, f64)> {
        let samples = self.samples.lock().unwrap();
        let first = samples.iter().find(|(at, _)| *at >= from)?;
        let last = samples.iter().rev().find(|(at, _)| *at <= until)?;
        let secs = last.0.checked_duration_since(first.0)?.as_secs_f64();
        (secs > 0.0).then(|| (first.1.clone(), last.1.clone(), secs))
    }
}

impl<T> Drop for Sampler<T> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The median (the upper one of an even count); NaN if empty.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}
