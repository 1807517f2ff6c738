//! The app's files reach a phone compressed: the relay writes brotli and gzip
//! copies of `dist/` in the background and serves the encoding the browser accepts.

use std::fs;
use std::io::Read;
use std::time::{Duration, Instant};

use linli_testkit::RelayBuilder;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const WASM: &str = "linli-app-0123456789abcdef_bg.wasm";

/// GET with an Accept-Encoding; returns the Content-Encoding and the raw body.
async fn get(http_url: &str, path: &str, accept: &str) -> (Option<String>, Vec<u8>) {
    let host = http_url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(host).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: {accept}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("complete response");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let encoding = head.lines().find_map(|l| {
        l.strip_prefix("content-encoding:")
            .map(|v| v.trim().to_string())
    });
    (encoding, raw[split + 4..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_brotli_or_gzip_copies_of_the_app() {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let wasm: Vec<u8> = (0..300_000u32).map(|i| (i % 97) as u8).collect();
    fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>邻里</title>",
    )
    .unwrap();
    fs::write(dist.path().join(WASM), &wasm).unwrap();
    let relay = RelayBuilder::new(data.path()).serving(dist.path()).start();

    let start = Instant::now();
    let (encoding, body) = loop {
        let (encoding, body) = get(&relay.http_url, &format!("/{WASM}"), "br, gzip").await;
        if encoding.is_some() || start.elapsed() > Duration::from_secs(30) {
            break (encoding, body);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        encoding.as_deref(),
        Some("br"),
        "brotli preferred when accepted"
    );
    assert!(
        body.len() < wasm.len() / 10,
        "compressed: {} bytes",
        body.len()
    );
    let mut back = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut back)
        .unwrap();
    assert_eq!(back, wasm);

    let (encoding, body) = get(&relay.http_url, &format!("/{WASM}"), "gzip").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut back)
        .unwrap();
    assert_eq!(back, wasm);

    let (encoding, body) = get(&relay.http_url, &format!("/{WASM}"), "identity").await;
    assert_eq!(encoding, None, "no encoding for a client that accepts none");
    assert_eq!(body, wasm);
}

/// A relay started without the app (a wrong `--dist`, or the app not built yet) says so once,
/// plainly, rather than failing to compress files that are not there; sync and the API answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_without_the_app_says_so() {
    let data = tempfile::tempdir().unwrap();
    let missing = data.path().join("no-such-dist");
    let mut relay = RelayBuilder::new(data.path())
        .serving(&missing)
        .logging("warn")
        .start();
    let (_, body) = get(&relay.http_url, "/healthz", "identity").await;
    assert!(!body.is_empty(), "the relay answers without the app");
    assert!(relay.terminate(Duration::from_secs(10)), "the relay stops");
    let log = relay.final_output();
    assert!(
        log.contains("no app to serve") && log.contains("no-such-dist"),
        "the missing app is named: {log}"
    );
    assert!(
        !log.contains("could not write compressed copies"),
        "no compression failure for files that are not there: {log}"
    );
}
