//! One WebSocket connection, generic over the socket's `Sink`/`Stream` halves so tests can
//! drive it with channels.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::hub::HubHandle;
use super::outbox::{outbox, Outbound, OutboxBudget, OutboxReader};
use super::rate_limit::{RateLimit, TokenBucket};
use crate::core::Principal;
use axum::extract::ws::{close_code, CloseFrame, Message};
use futures_util::{Sink, SinkExt, Stream, StreamExt};

/// How long a closed peer has to acknowledge the close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Longest close reason a WebSocket close frame can carry.
const MAX_CLOSE_REASON: usize = 123;

/// How a connection is policed.
#[derive(Debug, Clone)]
pub struct ConnectionOptions {
    /// Frames beyond this rate wait (the socket is not read meanwhile).
    pub rate: RateLimit,
    /// A ping is sent this often; a peer silent for three intervals is dropped (phones that
    /// vanish without closing their sockets).
    pub keepalive: Duration,
    /// Longest a socket may take to accept one frame; a peer that does not read is dropped.
    pub write_timeout: Duration,
    /// The byte budget of outgoing queues, shared by every connection of the relay.
    pub outbox: Arc<OutboxBudget>,
}

impl Default for ConnectionOptions {
    fn default() -> Self {
        ConnectionOptions {
            rate: RateLimit::default(),
            keepalive: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            outbox: OutboxBudget::new(Default::default()),
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
    let (outbox, outgoing) = outbox(options.outbox.clone());
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
                let ping = Message::Ping(Vec::new().into());
                if !write(&mut sink, ping, &outgoing, options.write_timeout).await {
                    break;
                }
            },
            outbound = outgoing.recv() => match outbound {
                Some(Outbound::Frame(frame)) => {
                    let len = frame.len();
                    let sent = write(&mut sink, Message::Binary(frame.into()), &outgoing, options.write_timeout).await;
                    outgoing.written(len);
                    if !sent {
                        tracing::info!(conn, "dropping a connection that does not take its frames");
                        break;
                    }
                }
                Some(Outbound::Close(reason)) => {
                    let frame = CloseFrame {
                        code: close_code::POLICY,
                        reason: truncate(&reason).into(),
                    };
                    let close = Message::Close(Some(frame));
                    let _ = tokio::time::timeout(CLOSE_GRACE, sink.send(close)).await;
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

/// Sends one message within `timeout`, unless the hub cuts the peer off meanwhile. False if
/// the socket failed, timed out or was cut off.
async fn write<W: Sink<Message> + Unpin>(
    sink: &mut W,
    message: Message,
    outgoing: &OutboxReader,
    timeout: Duration,
) -> bool {
    if outgoing.is_cut_off() {
        return false;
    }
    tokio::select! {
        sent = tokio::time::timeout(timeout, sink.send(message)) => matches!(sent, Ok(Ok(()))),
        _ = outgoing.cut_off() => false,
    }
}

fn truncate(reason: &str) -> &str {
    let mut end = reason.len().min(MAX_CLOSE_REASON);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}
