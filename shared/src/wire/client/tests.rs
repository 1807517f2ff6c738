use super::*;
use automerge::transaction::Transactable;
use automerge::ReadDoc;

const RELAY: &str = "relay";

fn id() -> DocumentId {
    DocumentId::from_bytes([9; 16])
}

/// The relay side of one document, speaking plain Automerge sync.
struct OneDocRelay {
    doc: AutoCommit,
    state: sync::State,
}

impl OneDocRelay {
    fn new(doc: AutoCommit) -> Self {
        OneDocRelay {
            doc,
            state: sync::State::new(),
        }
    }

    fn peer_frame(client: &SyncClient) -> Vec<u8> {
        Message::Peer {
            sender_id: PeerId::new(RELAY),
            target_id: client.peer_id().clone(),
            peer_metadata: PeerMetadata::default(),
            selected_protocol_version: PROTOCOL_VERSION.into(),
        }
        .encode()
    }

    /// Applies a client frame and returns the relay's answer, if any.
    fn handle(&mut self, frame: &[u8]) -> Option<Vec<u8>> {
        let (sender, data) = match Message::decode(frame).unwrap() {
            Message::Sync {
                sender_id, data, ..
            }
            | Message::Request {
                sender_id, data, ..
            } => (sender_id, data),
            other => panic!("unexpected {other:?}"),
        };
        let message = sync::Message::decode(&data).unwrap();
        self.doc
            .sync()
            .receive_sync_message(&mut self.state, message)
            .unwrap();
        let reply = self.doc.sync().generate_sync_message(&mut self.state)?;
        Some(
            Message::Sync {
                sender_id: PeerId::new(RELAY),
                target_id: sender,
                document_id: id(),
                data: reply.encode(),
            }
            .encode(),
        )
    }
}

/// Exchanges frames until both sides are quiet; returns the client's events.
fn pump(
    client: &mut SyncClient,
    relay: &mut OneDocRelay,
    docs: &mut HashMap<DocumentId, AutoCommit>,
    mut to_relay: Vec<Vec<u8>>,
) -> Vec<Event> {
    let mut events = Vec::new();
    for _ in 0..20 {
        let replies: Vec<Vec<u8>> = to_relay.iter().filter_map(|f| relay.handle(f)).collect();
        if replies.is_empty() {
            return events;
        }
        to_relay.clear();
        for reply in replies {
            let out = client.handle_frame(&reply, docs);
            to_relay.extend(out.frames);
            events.extend(out.events);
        }
    }
    panic!("sync did not settle");
}

fn connected_client(docs: &mut HashMap<DocumentId, AutoCommit>) -> SyncClient {
    let mut client = SyncClient::new(PeerId::new("client"), PeerMetadata::default());
    let out = client.handle_frame(&OneDocRelay::peer_frame(&client), docs);
    assert_eq!(
        out.events,
        vec![Event::Connected {
            server_peer: PeerId::new(RELAY)
        }]
    );
    client
}

fn doc_with(key: &str, value: &str) -> AutoCommit {
    let mut doc = AutoCommit::new();
    doc.put(automerge::ROOT, key, value).unwrap();
    doc
}

#[test]
fn join_frame_offers_protocol_version_1() {
    let client = SyncClient::new(PeerId::new("c"), PeerMetadata::default());
    match Message::decode(&client.join()).unwrap() {
        Message::Join {
            sender_id,
            supported_protocol_versions,
            ..
        } => {
            assert_eq!(sender_id, PeerId::new("c"));
            assert_eq!(supported_protocol_versions, vec!["1".to_string()]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn opened_documents_sync_once_connected_and_report_synced_after_the_relay_answers() {
    let mut docs = HashMap::new();
    docs.insert(id(), doc_with("title", "街道会议"));
    let mut client = SyncClient::new(PeerId::new("client"), PeerMetadata::default());
    assert!(client.open(id(), docs.get_mut(&id()).unwrap()).is_empty());
    assert!(!client.is_synced(id(), docs.get_mut(&id()).unwrap()));

    let mut relay = OneDocRelay::new(AutoCommit::new());
    let out = client.handle_frame(&OneDocRelay::peer_frame(&client), &mut docs);
    assert_eq!(out.frames.len(), 1);
    assert!(matches!(
        Message::decode(&out.frames[0]).unwrap(),
        Message::Sync { .. }
    ));
    pump(&mut client, &mut relay, &mut docs, out.frames);

    assert_eq!(
        relay.doc.get_heads(),
        docs.get_mut(&id()).unwrap().get_heads()
    );
    assert!(client.is_synced(id(), docs.get_mut(&id()).unwrap()));

    // A local edit is not synced until the relay has answered.
    let doc = docs.get_mut(&id()).unwrap();
    doc.put(automerge::ROOT, "title", "楼长会议").unwrap();
    let frames = client.local_change(id(), doc);
    assert!(!client.is_synced(id(), doc));
    pump(&mut client, &mut relay, &mut docs, frames);
    assert!(client.is_synced(id(), docs.get_mut(&id()).unwrap()));
    let (value, _) = relay.doc.get(automerge::ROOT, "title").unwrap().unwrap();
    assert_eq!(value.into_string().unwrap(), "楼长会议");
}

#[test]
fn an_empty_document_is_requested_and_arrives() {
    let mut docs = HashMap::new();
    let mut client = connected_client(&mut docs);
    let mut relay = OneDocRelay::new(doc_with("k", "v"));
    let frames = client.open(id(), docs.doc_mut(&id()));
    assert!(matches!(
        Message::decode(&frames[0]).unwrap(),
        Message::Request { .. }
    ));
    let events = pump(&mut client, &mut relay, &mut docs, frames);
    assert!(events.contains(&Event::DocChanged(id())));
    let (value, _) = docs[&id()].get(automerge::ROOT, "k").unwrap().unwrap();
    assert_eq!(value.into_string().unwrap(), "v");
    assert!(client.is_synced(id(), docs.get_mut(&id()).unwrap()));
}

#[test]
fn doc_unavailable_is_reported_for_opened_documents_only() {
    let mut docs = HashMap::new();
    let mut client = connected_client(&mut docs);
    let unavailable = |doc: DocumentId| {
        Message::DocUnavailable {
            sender_id: PeerId::new(RELAY),
            target_id: PeerId::new("client"),
            document_id: doc,
        }
        .encode()
    };
    let other = DocumentId::from_bytes([1; 16]);
    assert!(client
        .handle_frame(&unavailable(other), &mut docs)
        .events
        .is_empty());
    client.open(id(), docs.doc_mut(&id()));
    assert_eq!(
        client.handle_frame(&unavailable(id()), &mut docs).events,
        vec![Event::Unavailable(id())]
    );
    // Opening again retries the request.
    assert_eq!(client.open(id(), docs.doc_mut(&id())).len(), 1);
}

#[test]
fn reset_resends_everything_after_reconnect() {
    let mut docs = HashMap::new();
    docs.insert(id(), doc_with("a", "1"));
    let mut client = connected_client(&mut docs);
    let mut relay = OneDocRelay::new(AutoCommit::new());
    let frames = client.open(id(), docs.doc_mut(&id()));
    pump(&mut client, &mut relay, &mut docs, frames);
    assert!(client.is_synced(id(), docs.doc_mut(&id())));

    // The connection drops; an offline edit; the relay lost its per-connection state.
    client.reset();
    assert!(!client.is_synced(id(), docs.doc_mut(&id())));
    let doc = docs.doc_mut(&id());
    doc.put(automerge::ROOT, "b", "2").unwrap();
    assert!(
        client.local_change(id(), doc).is_empty(),
        "not connected yet"
    );
    relay.state = sync::State::new();

    let out = client.handle_frame(&OneDocRelay::peer_frame(&client), &mut docs);
    pump(&mut client, &mut relay, &mut docs, out.frames);
    assert!(relay.doc.get(automerge::ROOT, "b").unwrap().is_some());
    assert!(client.is_synced(id(), docs.doc_mut(&id())));
}

#[test]
fn invalid_frames_become_error_events() {
    let mut docs = HashMap::new();
    let mut client = connected_client(&mut docs);
    client.open(id(), docs.doc_mut(&id()));
    let out = client.handle_frame(&[0xff, 0x00], &mut docs);
    assert!(matches!(out.events[..], [Event::Error(_)]));
    let bad_sync = Message::Sync {
        sender_id: PeerId::new(RELAY),
        target_id: PeerId::new("client"),
        document_id: id(),
        data: vec![1, 2, 3],
    }
    .encode();
    let out = client.handle_frame(&bad_sync, &mut docs);
    assert!(matches!(out.events[..], [Event::Error(_)]));
}

#[test]
fn restart_sends_again_what_the_relay_refused_without_answering() {
    let mut docs = HashMap::new();
    docs.insert(id(), doc_with("a", "1"));
    let mut client = connected_client(&mut docs);
    let mut relay = OneDocRelay::new(AutoCommit::new());
    let frames = client.open(id(), docs.doc_mut(&id()));
    pump(&mut client, &mut relay, &mut docs, frames);

    // An edit whose frame the relay refuses (a quota): nothing applied, nothing answered.
    let doc = docs.doc_mut(&id());
    doc.put(automerge::ROOT, "b", "2").unwrap();
    let refused = client.local_change(id(), doc);
    assert_eq!(refused.len(), 1, "the edit goes out once");
    // Asked again on the same connection, the client thinks the edit is on its way.
    let again = client.local_change(id(), docs.doc_mut(&id()));
    pump(&mut client, &mut relay, &mut docs, again);
    assert!(relay.doc.get(automerge::ROOT, "b").unwrap().is_none());
    assert!(!client.is_synced(id(), docs.doc_mut(&id())));

    // Restarted, on the same connection (the relay keeps its state): the edit arrives.
    client.restart(id());
    let frames = client.open(id(), docs.doc_mut(&id()));
    pump(&mut client, &mut relay, &mut docs, frames);
    assert!(relay.doc.get(automerge::ROOT, "b").unwrap().is_some());
    assert!(client.is_synced(id(), docs.doc_mut(&id())));
}
