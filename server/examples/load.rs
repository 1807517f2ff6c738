//! Load generator: rooms × editors editing through a running relay; prints delivery latency.
//!
//! ```sh
//! cargo run --release -p linli-server --example load -- ws://127.0.0.1:8080/sync 20 5 100 10
//! #                                                       url                 rooms editors ms secs
//! ```
//! Works against any automerge-repo relay (ours, or `tests/js/js_relay.mjs`); ours wants a
//! member credential in the URL, `ws://127.0.0.1:8080/sync?token=<credential>` (from
//! `POST /api/join` or `POST /api/communities`, see server/README.md), which it accepts only
//! when started with `--allow-credential-in-url` (every socket of a run shares the URL). Each editor
//! writes its send time into its own key of its room's document every `ms`; every other
//! editor of the room records how long that took to arrive. One second of warm-up (rooms
//! being created) is not counted. `examples/relay_bench.rs` runs both relays side by side.

use std::time::Duration;

use linli_testkit::load_gen::{self, Load, Phases};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "ws://127.0.0.1:8080/sync".into());
    let arg = |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let load = Load {
        rooms: arg(2, 20) as usize,
        editors: arg(3, 5) as usize,
        every: Duration::from_millis(arg(4, 100)),
        warmup: Duration::from_secs(1),
        measure: Duration::from_secs(arg(5, 10)),
        phases: Phases::Spread,
    };
    let report = load_gen::run(&url, &load).await;
    println!("{}", report.summary(&load));
}
