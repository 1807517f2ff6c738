//! Harness for the end-to-end tests: the real relay binary, chromedriver with
//! headless Chromium (one profile per simulated phone), and a TCP proxy that
//! can cut one phone off from the relay.

mod browser;
pub mod cdp;
pub mod downloads; // 台账 (issue 7)
pub mod flows;
pub mod meeting_phone;
pub mod photos; // concern photos (issue 5)
mod proxy;
mod relay;
pub mod relay_api;
pub mod seeded; // communities with many concerns (app_start, list_position)
mod small_disk; // community access (issue 4)

pub use browser::{Browser, Chromedriver};
pub use proxy::Proxy;
pub use relay::{dist_dir, relay_binary, Relay};
pub use small_disk::SmallDisk;

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The workspace root (the tests crate sits one level below it).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A TCP port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port on loopback")
}

/// Polls `check` until it returns `Some`, or fails after `timeout` with `what`.
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

/// Where tests leave screenshots and logs for people to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = workspace_root().join("tests").join("artifacts");
    std::fs::create_dir_all(&dir).expect("create tests/artifacts");
    dir
}
