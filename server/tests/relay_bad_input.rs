//! Hostile or broken frames over a real socket: the sender gets an `error` and a close with a
//! reason; everyone else carries on; the stored document is intact.

use automerge::transaction::Transactable;
use automerge::ROOT;
use futures_util::{SinkExt, StreamExt};
use linli_shared::wire::{Message, PeerId, PeerMetadata, SyncClient};
use linli_testkit::native_client::{new_doc_id, opened, NativeClient, TIMEOUT};
use linli_testkit::{RelayBuilder, RelayProcess};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message as Ws;

const MAX_FRAME: usize = 4096;

/// Joins with a raw socket, sends `bad`, and returns (the error message, the close reason).
async fn send_bad_frame(url: &str, bad: Ws) -> (String, String) {
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let join = SyncClient::new(PeerId::new("hostile"), PeerMetadata::default()).join();
    socket.send(Ws::Binary(join.into())).await.unwrap();
    socket.send(bad).await.unwrap();
    let (mut error, mut reason) = (None, None);
    let read_all = async {
        while let Some(Ok(message)) = socket.next().await {
            match message {
                Ws::Binary(frame) => {
                    if let Ok(Message::Error { message, .. }) = Message::decode(&frame) {
                        error = Some(message);
                    }
                }
                Ws::Close(Some(close)) => {
                    assert_eq!(close.code, CloseCode::Policy);
                    reason = Some(close.reason.to_string());
                }
                _ => {}
            }
        }
    };
    tokio::time::timeout(TIMEOUT, read_all)
        .await
        .expect("the relay closes the socket");
    (
        error.expect("an error message"),
        reason.expect("a close frame with a reason"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_frames_close_only_their_socket() {
    let data = tempfile::tempdir().unwrap();
    let max = MAX_FRAME.to_string();
    let relay = RelayBuilder::new(data.path())
        .args(&["--max-frame-bytes", &max])
        .start();
    let url = relay.sync_url();
    let doc = new_doc_id();
    let mut good = NativeClient::new("good");
    good.connect(&url).await;
    good.edit(doc, |d| d.put(ROOT, "k", "1").map(drop).unwrap())
        .await;
    good.wait_until("stored", |c| c.is_synced(doc)).await;

    let cases = [
        (Ws::Binary(vec![0xff, 0x00, 0x13].into()), "malformed CBOR"),
        (
            Ws::Binary(vec![0u8; MAX_FRAME + 1].into()),
            "exceeds the limit",
        ),
        (Ws::Text("{\"type\":\"sync\"}".into()), "text frames"),
    ];
    for (bad, expected) in cases {
        let (error, reason) = send_bad_frame(&url, bad).await;
        assert!(error.contains(expected), "{error}");
        assert!(reason.contains(expected), "{reason}");
    }

    good.edit(doc, |d| d.put(ROOT, "k", "2").map(drop).unwrap())
        .await;
    good.wait_until("still syncing", |c| c.is_synced(doc)).await;
    relay.kill();

    let relay = RelayProcess::start(data.path());
    opened(
        "reader",
        &relay.sync_url(),
        doc,
        "the intact document",
        |c| c.string(doc, "k").as_deref() == Some("2"),
    )
    .await;
}
