//! A minimal HTTP/1.1 GET, enough to check status, headers and body; and a request whose
//! header never ends.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Response {
    pub status: u16,
    /// Lower-case header names.
    pub headers: HashMap<String, String>,
    pub body: String,
}

pub async fn get(http_url: &str, path: &str) -> Response {
    let host = http_url.strip_prefix("http://").expect("an http:// URL");
    let mut stream = TcpStream::connect(host).await.expect("connecting");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Waits until the relay closes `tcp` (end of stream or error); `slow` connections send
/// one more header byte every second meanwhile. Returns when it was closed.
pub async fn until_closed(mut tcp: TcpStream, slow: bool) -> Instant {
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
