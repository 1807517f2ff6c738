//! One WebSocket connection, generic over the socket's `Sink`/`Stream` halves so tests can
//! drive it with channels.

use std::time::{Duration, Instant};

use axum::extract::ws::{close_code, CloseFrame, Message};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio::sync::mpsc;

use super::hub::{HubHandle, Outbound, OUTBOX_CAPACITY};
use super::rate_limit::{RateLimit, TokenBucket};
use crate::core::Principal;

/// How long a closed peer has to acknowledge the close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Longest close reason a WebSocket close frame can carry.
const MAX_CLOSE_REASON: usize = 123;

/// How a connection is policed.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionOptions {
    /// Frames beyond this rate wait (the socket is not read meanwhile).
    pub rate: RateLimit,
    /// A ping is sent this often; a peer silent for three intervals is dropped (phones that
    /// vanish without closing their sockets).
    pub keepalive: Duration,
}

impl Default for ConnectionOptions {
    fn default() -> Self {
        ConnectionOptions {
            rate: RateLimit::default(),
            keepalive: Duration::from_secs(30),
        }
    }
}

/// Pumps frames between one socket of `principal` and the hub until either side ends the
/// connection.
pub async fn serve_socket<W, R, E>(
    mut sink: W,
    mut stream: R,
    hub: HubHandle,
    options: ConnectionOptions,
    principal: Option<Principal>,
) where
    W: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, E>> + Unpin,
{
    let (outbox, mut outgoing) = mpsc::channel(OUTBOX_CAPACITY);
    let Some(conn) = hub.open(principal, outbox).await else {
        return;
    };
    let mut bucket = TokenBucket::new(options.rate, Instant::now());
    let mut heard_at = Instant::now();
    let mut ping = tokio::time::interval(options.keepalive);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            incoming = stream.next() => {
                heard_at = Instant::now();
                match incoming {
                Some(Ok(Message::Binary(frame))) => {
                    let wait = bucket.take(Instant::now());
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                    hub.frame(conn, frame.to_vec()).await;
                }
                Some(Ok(Message::Text(_))) => {
                    hub.reject(conn, "text frames are not part of the protocol").await;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                }
            },
            _ = ping.tick() => {
                if heard_at.elapsed() > options.keepalive * 3 {
                    tracing::info!(conn, "dropping a connection that stopped answering pings");
                    break;
                }
                if sink.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            },
            outbound = outgoing.recv() => match outbound {
                Some(Outbound::Frame(frame)) => {
                    if sink.send(Message::Binary(frame.into())).await.is_err() {
                        break;
                    }
                }
                Some(Outbound::Close(reason)) => {
                    let frame = CloseFrame {
                        code: close_code::POLICY,
                        reason: truncate(&reason).into(),
                    };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    // Finish the closing handshake: dropping a socket with unread input makes
                    // the kernel reset it, and the peer could lose the error before reading it.
                    let drain = async { while let Some(Ok(_)) = stream.next().await {} };
                    let _ = tokio::time::timeout(CLOSE_GRACE, drain).await;
                    break;
                }
                None => break, // the hub dropped this connection
            },
        }
    }
    hub.closed(conn).await;
}

fn truncate(reason: &str) -> &str {
    let mut end = reason.len().min(MAX_CLOSE_REASON);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}
