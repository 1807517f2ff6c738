use super::*;
use ciborium::Value;

fn doc() -> DocumentId {
    DocumentId::from_bytes([7; 16])
}

fn cbor(entries: Vec<(&str, Value)>) -> Vec<u8> {
    let map = Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (Value::Text(k.into()), v))
            .collect(),
    );
    let mut out = Vec::new();
    ciborium::into_writer(&map, &mut out).unwrap();
    out
}

fn all_messages() -> Vec<Message> {
    let a = PeerId::new("peer-a");
    let b = PeerId::new("relay");
    vec![
        Message::Join {
            sender_id: a.clone(),
            peer_metadata: PeerMetadata {
                storage_id: Some("s1".into()),
                is_ephemeral: Some(false),
            },
            supported_protocol_versions: vec![PROTOCOL_VERSION.into()],
        },
        Message::Peer {
            sender_id: b.clone(),
            target_id: a.clone(),
            peer_metadata: PeerMetadata::default(),
            selected_protocol_version: PROTOCOL_VERSION.into(),
        },
        Message::Error {
            sender_id: Some(b.clone()),
            target_id: Some(a.clone()),
            message: "bad".into(),
        },
        Message::Sync {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc(),
            data: vec![0x42, 1, 2],
        },
        Message::Request {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc(),
            data: vec![0x42],
        },
        Message::DocUnavailable {
            sender_id: b.clone(),
            target_id: a.clone(),
            document_id: doc(),
        },
        Message::Ephemeral {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc(),
            session_id: "sess".into(),
            count: 3,
            data: vec![0xa0],
        },
        Message::RemoteHeadsChanged {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc(),
            new_heads: [(
                "s1".to_string(),
                StorageHeads {
                    heads: vec!["h".into()],
                    timestamp: 1_700_000_000_000,
                },
            )]
            .into(),
        },
        Message::RemoteSubscriptionChange {
            sender_id: a,
            target_id: b,
            add: vec!["s1".into()],
            remove: vec![],
        },
    ]
}

#[test]
fn every_message_type_round_trips() {
    for m in all_messages() {
        assert_eq!(
            Message::decode(&m.encode()).unwrap(),
            m,
            "{}",
            m.type_name()
        );
    }
}

#[test]
fn data_is_written_as_a_cbor_byte_string() {
    let m = &all_messages()[3];
    let value: Value = ciborium::from_reader(m.encode().as_slice()).unwrap();
    let map = value.as_map().unwrap();
    let data = map
        .iter()
        .find(|(k, _)| k.as_text() == Some("data"))
        .map(|(_, v)| v)
        .unwrap();
    assert_eq!(data, &Value::Bytes(vec![0x42, 1, 2]));
    let doc_id = map
        .iter()
        .find(|(k, _)| k.as_text() == Some("documentId"))
        .map(|(_, v)| v)
        .unwrap();
    assert_eq!(doc_id, &Value::Text(doc().to_string()));
}

#[test]
fn reads_a_join_as_cbor_x_writes_it() {
    // cbor-x writes `undefined` (0xf7) for an unset storageId; written here as null (0xf6),
    // then patched, since ciborium::Value cannot express undefined.
    let undefined = Value::Null;
    let mut bytes = cbor(vec![
        ("type", Value::Text("join".into())),
        ("senderId", Value::Text("peer-x".into())),
        (
            "peerMetadata",
            Value::Map(vec![
                (Value::Text("storageId".into()), undefined),
                (Value::Text("isEphemeral".into()), Value::Bool(true)),
            ]),
        ),
        (
            "supportedProtocolVersions",
            Value::Array(vec![Value::Text("1".into())]),
        ),
    ]);
    let null_at = bytes.iter().position(|b| *b == 0xf6).unwrap();
    bytes[null_at] = 0xf7;
    assert_eq!(
        Message::decode(&bytes).unwrap(),
        Message::Join {
            sender_id: PeerId::new("peer-x"),
            peer_metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: Some(true)
            },
            supported_protocol_versions: vec!["1".into()],
        }
    );
}

#[test]
fn reads_numbers_that_cbor_x_wrote_as_floats() {
    let bytes = cbor(vec![
        ("type", Value::Text("ephemeral".into())),
        ("senderId", Value::Text("a".into())),
        ("targetId", Value::Text("b".into())),
        ("documentId", Value::Text(doc().to_string())),
        ("sessionId", Value::Text("s".into())),
        ("count", Value::Float(5_000_000_000.0)),
        ("data", Value::Bytes(vec![1])),
        ("unknownField", Value::Integer(1.into())),
    ]);
    match Message::decode(&bytes).unwrap() {
        Message::Ephemeral { count, .. } => assert_eq!(count, 5_000_000_000),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rejects_unknown_types_and_missing_fields() {
    let unknown = cbor(vec![("type", Value::Text("gossip".into()))]);
    assert_eq!(
        Message::decode(&unknown),
        Err(DecodeError::UnknownType("gossip".into()))
    );
    let no_doc = cbor(vec![
        ("type", Value::Text("sync".into())),
        ("senderId", Value::Text("a".into())),
        ("targetId", Value::Text("b".into())),
        ("data", Value::Bytes(vec![1])),
    ]);
    assert_eq!(
        Message::decode(&no_doc),
        Err(DecodeError::MissingField {
            message_type: "sync".into(),
            field: "documentId"
        })
    );
    let bad_doc = cbor(vec![
        ("type", Value::Text("doc-unavailable".into())),
        ("senderId", Value::Text("a".into())),
        ("targetId", Value::Text("b".into())),
        ("documentId", Value::Text("not-an-id".into())),
    ]);
    assert!(matches!(
        Message::decode(&bad_doc),
        Err(DecodeError::InvalidDocumentId(_))
    ));
}

#[test]
fn malformed_cbor_is_an_error_not_a_panic() {
    let inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff],
        vec![0xa1],       // map missing its entry
        vec![0x83, 1, 2], // an array, not a map
        vec![0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // 2^64 byte string
        vec![0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // 2^64 entry map
        std::iter::repeat_n(0x81, 10_000).collect(), // deep nesting
    ];
    for input in inputs {
        assert!(matches!(Message::decode(&input), Err(DecodeError::Cbor(_))));
    }
    // Truncations of a valid message never panic.
    let full = all_messages()[6].encode();
    for len in 0..full.len() {
        assert!(Message::decode(&full[..len]).is_err());
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = Message::decode(&bytes);
        }

        #[test]
        fn decoding_corrupted_messages_never_panics(
            which in 0usize..9,
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = all_messages()[which].encode();
            for (at, value) in flips {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
            let _ = Message::decode(&bytes);
        }
    }
}
