//! A bounded load run in CI: 10 rooms × 3 editors (an edit every 200 ms each) editing through the real relay binary for a
//! few seconds, with the same load generator as `examples/relay_bench.rs`. Asserts that edits
//! are delivered to the other editors of their room, and a generous latency bound that only catches stalls (a debug build; CI shares
//! its cores; the figures that matter are in BENCHMARKS.md, from release builds).

use std::time::Duration;

use linli_testkit::load_gen::{self, Load, Phases};
use linli_testkit::RelayProcess;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_rooms_of_three_editors_get_each_others_edits_quickly() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let load = Load {
        rooms: 10,
        editors: 3,
        every: Duration::from_millis(200),
        warmup: Duration::from_secs(1),
        measure: Duration::from_secs(3),
        phases: Phases::Spread,
    };
    let report = load_gen::run(&relay.sync_url(), &load).await;
    let summary = report.summary(&load);
    eprintln!("{summary}");
    assert_eq!(report.failed_editors, 0, "{summary}");
    // 30 editors × 5 edits/s × 3 s, each to 2 others: about 900 deliveries. An editor only
    // counts values it sees; under a backlog later values overwrite earlier ones unseen.
    assert!(report.delivered_fraction(load.editors) > 0.5, "{summary}");
    assert!(report.percentile_ms(0.5) < 2000.0, "{summary}");
    assert!(report.percentile_ms(0.99) < 4000.0, "{summary}");
}
