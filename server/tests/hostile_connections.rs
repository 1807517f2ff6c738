//! Thousands of TCP connections that never finish a request header — idle ones and slowloris
//! ones that trickle a byte a second — are closed by the relay's header deadline (its default,
//! 20 s), while `/healthz` keeps answering quickly.

mod support;

use std::time::{Duration, Instant};

use support::relay_process::RelayProcess;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const IDLE: usize = 2000;
const SLOW: usize = 2000;
/// Every connection must be closed this long after it was opened.
const CLOSED_WITHIN: Duration = Duration::from_secs(30);

/// This test's own open-file limit, raised to the hard limit (the relay raises its own).
fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        limit.rlim_cur = limit.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
    }
    limit.rlim_cur
}

/// Waits until the relay closes `tcp` (end of stream or error); `slow` connections send
/// one more header byte every second meanwhile. Returns when it was closed.
async fn until_closed(mut tcp: TcpStream, slow: bool) -> Instant {
    if slow {
        let _ = tcp.write_all(b"GET /healthz HTTP/1.1\r\nX-Slow: ").await;
    }
    let mut buf = [0u8; 256];
    loop {
        tokio::select! {
            read = tcp.read(&mut buf) => match read {
                Ok(0) | Err(_) => return Instant::now(),
                Ok(_) => {} // a 408 or similar; the close follows
            },
            _ = tokio::time::sleep(Duration::from_secs(1)), if slow => {
                if tcp.write_all(b"a").await.is_err() {
                    return Instant::now();
                }
            }
        }
    }
}

async fn healthz_ms(http_url: &str) -> f64 {
    let started = Instant::now();
    let answer = support::http_get::get(http_url, "/healthz").await;
    assert_eq!(answer.status, 200);
    started.elapsed().as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_header_connections_are_closed_and_healthz_stays_quick() {
    let files = raise_open_file_limit();
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
