use std::sync::atomic::{AtomicU16, AtomicU8, Ordering};
use std::sync::Arc;
use tokio::io::{copy_bidirectional, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A loopback TCP proxy in front of the relay: one per simulated phone, so a
/// test can cut that phone off ("no signal"), put a lying network in the way (a
/// captive portal, a broken gateway) and bring the relay back.
pub struct Proxy {
    pub port: u16,
    mode: Arc<AtomicU8>,
    target: Arc<AtomicU16>,
    cut: watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start(target_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("proxy addr").port();
        let mode = Arc::new(AtomicU8::new(Mode::Online as u8));
        let (cut, cut_rx) = watch::channel(0u64);
        let flag = mode.clone();
        let target = Arc::new(AtomicU16::new(target_port));
        let target_now = target.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                let canned = match flag.load(Ordering::SeqCst) {
                    m if m == Mode::Offline as u8 => {
                        drop(inbound); // refused: like a phone with no signal
                        continue;
                    }
                    m if m == Mode::CaptivePortal as u8 => Some(CAPTIVE_PORTAL),
                    m if m == Mode::BadGateway as u8 => Some(BAD_GATEWAY),
                    _ => None,
                };
                if let Some(answer) = canned {
                    tokio::spawn(answer_every_request(inbound, answer));
                    continue;
                }
                let target_port = target_now.load(Ordering::SeqCst);
                let mut cut_rx = cut_rx.clone();
                // Only cuts after this connection was made concern it.
                cut_rx.borrow_and_update();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", target_port)).await
                    else {
                        return;
                    };
                    tokio::select! {
                        _ = copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = cut_rx.changed() => {}
                    }
                });
            }
        });
        Proxy {
            port,
            mode,
            target,
            cut,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Drops every open connection and refuses new ones.
    pub fn go_offline(&self) {
        self.switch(Mode::Offline);
    }

    /// Sends new connections to the relay on `port` from now on (one relay replaced by
    /// another, as when a new version is deployed); open ones are dropped.
    pub fn retarget(&self, port: u16) {
        self.target.store(port, Ordering::SeqCst);
        self.switch(Mode::Online);
    }

    pub fn go_online(&self) {
        self.mode.store(Mode::Online as u8, Ordering::SeqCst);
    }

    /// Drops every open connection; new ones get a WiFi login page, `200 OK`, for
    /// every request.
    pub fn act_as_captive_portal(&self) {
        self.switch(Mode::CaptivePortal);
    }

    /// Drops every open connection; new ones get `502 Bad Gateway` for every request.
    pub fn act_as_bad_gateway(&self) {
        self.switch(Mode::BadGateway);
    }

    fn switch(&self, mode: Mode) {
        self.mode.store(mode as u8, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone, Copy)]
enum Mode {
    Online,
    Offline,
    CaptivePortal,
    BadGateway,
}

/// What a hotel or village WiFi shows before its login: a page of its own, `200 OK`.
const CAPTIVE_PORTAL: (&str, &str) = (
    "200 OK",
    "<html><body><h1>Free WiFi: log in</h1></body></html>",
);
const BAD_GATEWAY: (&str, &str) = (
    "502 Bad Gateway",
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
);

/// Reads one request head and answers it with the canned page, as a lying network would.
async fn answer_every_request(mut inbound: TcpStream, (status, body): (&str, &str)) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match inbound.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncache-control: no-store\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = inbound.write_all(answer.as_bytes()).await;
    let _ = inbound.shutdown().await;
}
