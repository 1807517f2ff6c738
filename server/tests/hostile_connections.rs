//! Thousands of TCP connections that never finish a request header — idle ones and slowloris
//! ones that trickle a byte a second — are closed by the relay's header deadline (its default,
//! 20 s), while `/healthz` keeps answering quickly.

use std::time::{Duration, Instant};

use linli_server::serve::raise_open_file_limit;
use linli_testkit::raw_http::until_closed;
use linli_testkit::RelayProcess;
use tokio::net::TcpStream;

const IDLE: usize = 2000;
const SLOW: usize = 2000;
/// Every connection must be closed this long after it was opened.
const CLOSED_WITHIN: Duration = Duration::from_secs(30);

async fn healthz_ms(http_url: &str) -> f64 {
    let started = Instant::now();
    let answer = linli_testkit::raw_http::get(http_url, "/healthz").await;
    assert_eq!(answer.status, 200);
    started.elapsed().as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_header_connections_are_closed_and_healthz_stays_quick() {
    let files = raise_open_file_limit().expect("raising the open-file limit");
    assert!(
        files as usize > IDLE + SLOW + 500,
        "this test needs {} open files; the hard limit is {files}",
        IDLE + SLOW + 500
    );
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let host = relay.http_url.strip_prefix("http://").unwrap().to_string();

    let opened = Instant::now();
    let mut closed = tokio::task::JoinSet::new();
    for i in 0..IDLE + SLOW {
        let tcp = TcpStream::connect(&host).await.expect("connecting");
        closed.spawn(until_closed(tcp, i >= IDLE));
    }
    println!(
        "{IDLE} idle + {SLOW} slow-header connections opened in {:.1} s",
        opened.elapsed().as_secs_f64()
    );

    let mut latencies = Vec::new();
    for _ in 0..5 {
        latencies.push(healthz_ms(&relay.http_url).await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    latencies.sort_by(f64::total_cmp);
    println!("/healthz with them open: {latencies:.1?} ms");
    assert!(
        latencies[2] < 100.0,
        "median /healthz {:.1} ms",
        latencies[2]
    );

    let all_closed = tokio::time::timeout(CLOSED_WITHIN + Duration::from_secs(5), async {
        let mut last = opened;
        while let Some(at) = closed.join_next().await {
            last = last.max(at.unwrap());
        }
        last
    })
    .await
    .expect("the relay kept connections that never sent a request header");
    let took = all_closed - opened;
    println!(
        "all {} closed {:.1} s after the first was opened",
        IDLE + SLOW,
        took.as_secs_f64()
    );
    assert!(took <= CLOSED_WITHIN, "took {took:?}");
    // And the relay still serves.
    assert!(healthz_ms(&relay.http_url).await < 1000.0);
}
