//! The browser tests' library, built on the test kit (`linli-testkit`: the relay process,
//! the access API client, polling and timeouts): chromedriver with headless Chromium (one
//! profile per simulated phone), a TCP proxy that can cut one phone off from the relay, the
//! steps a person takes in the app (find / act / check), and what some tests need besides.

mod browser;
pub mod cdp;
pub mod downloads; // 台账 (issue 7)
pub mod next_build; // an update of the app (issue 14)
pub mod photos; // concern photos (issue 5)
mod proxy;
pub mod seeded; // communities with many concerns (app_start, list_position)
pub mod steps;

pub use browser::{Browser, Chromedriver};
pub use linli_testkit::relay::workspace_root;
pub use linli_testkit::small_disk::SmallDisk;
pub use linli_testkit::{eventually, RelayProcess};
pub use proxy::Proxy;

use std::path::PathBuf;

/// A TCP port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port on loopback")
}

/// Where tests leave screenshots and logs for people to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = workspace_root().join("tests").join("artifacts");
    std::fs::create_dir_all(&dir).expect("create tests/artifacts");
    dir
}
