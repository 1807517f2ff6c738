//! Polling until something holds, and the one set of timeouts every test waits with.

use std::future::Future;
use std::time::{Duration, Instant};

/// How long a test waits before it gives up. Generous: the machine may be loaded (CI shares
/// its cores); none of these is a latency bound (those are stated in the tests).
pub mod timeouts {
    use std::time::Duration;

    /// A native peer waiting for the relay (a handshake, a sync, an acknowledgement).
    pub const NATIVE: Duration = Duration::from_secs(20);
    /// A phone (headless Chromium) waiting for something to show.
    pub const PAGE: Duration = Duration::from_secs(40);
}

/// Polls `check` every 50 ms until it returns `Some`, or fails after `timeout` with `what`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if start.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
