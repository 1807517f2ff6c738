//! The relay's own writes (`local_edit.rs`, residents' reports): stored before any peer hears
//! of them, held to the community's quotas (refused, nothing is kept), and documents loaded
//! only for them or for a read leave memory afterwards.

use std::io;

use super::*;

const NEW_DOC: DocumentId = DocumentId::from_bytes([5; 16]);

fn put(key: &'static str, value: String) -> Edit {
    Box::new(move |doc: &mut AutoCommit| {
        doc.put(ROOT, key, value).unwrap();
    })
}

fn net_with(store: &MemoryStore, quotas: Quotas) -> Net<MemoryStore> {
    let config = RelayConfig {
        quotas,
        ..RelayConfig::default()
    };
    let relay = Relay::new(PeerId::new("relay"), "store".into(), store.clone(), config);
    Net::new(relay)
}

impl<S: Storage, A: Authorize> Net<S, A> {
    /// Delivers the relay's outputs and everything they cause.
    fn settle(&mut self, outputs: Vec<Output>) {
        let mut queue: Vec<(ConnId, Vec<u8>)> = Vec::new();
        for output in outputs {
            queue.extend(self.deliver(output));
        }
        for (conn, frame) in queue {
            let index = self.peers.iter().position(|p| p.conn == conn).unwrap();
            self.send(index, vec![frame]);
        }
    }
}

#[test]
fn a_relay_edit_is_stored_before_the_documents_peers_get_it() {
    let store = MemoryStore::new();
    let mut net = net_with(&store, Quotas::default());
    let phone = net.join_as("phone");
    net.edit(phone, "by", "phone");
    assert!(net.is_synced(phone));
    let (stored, outputs) =
        net.relay
            .edit_document(DOC, COMMUNITY, false, put("by", "resident".into()));
    stored.unwrap();
    assert_eq!(
        stored_value(&store, "by").as_deref(),
        Some("resident"),
        "stored first"
    );
    assert_eq!(
        net.value(phone, "by").as_deref(),
        Some("phone"),
        "not sent yet"
    );
    net.settle(outputs);
    assert_eq!(net.value(phone, "by").as_deref(), Some("resident"));
    assert!(net.is_synced(phone));
}

#[test]
fn a_document_is_created_only_when_asked_and_leaves_memory_after() {
    let store = MemoryStore::new();
    let mut net = net_with(&store, Quotas::default());
    let (missing, _) = net
        .relay
        .edit_document(NEW_DOC, COMMUNITY, false, put("k", "v".into()));
    assert_eq!(missing.unwrap_err().kind(), io::ErrorKind::NotFound);
    assert!(store.get(&NEW_DOC).is_none());
    let (made, outputs) = net
        .relay
        .edit_document(NEW_DOC, COMMUNITY, true, put("k", "v".into()));
    made.unwrap();
    assert!(outputs.is_empty(), "nobody syncs it");
    assert!(store.get(&NEW_DOC).is_some());
    let (value, read) = std::sync::mpsc::channel();
    let reading: Edit = Box::new(move |doc: &mut AutoCommit| {
        let v = doc
            .get(ROOT, "k")
            .unwrap()
            .map(|(v, _)| v.into_string().unwrap());
        value.send(v).unwrap();
    });
    net.relay.read_document(NEW_DOC, reading).unwrap();
    assert_eq!(read.recv().unwrap().as_deref(), Some("v"));
    assert_eq!(
        net.relay.stats().documents_in_memory,
        0,
        "loaded for the edit only"
    );
}

#[test]
fn an_edit_past_the_communitys_quota_is_refused_and_nothing_is_kept() {
    let store = MemoryStore::new();
    let quotas = Quotas {
        bytes_per_community: 4 * 1024,
        ..Quotas::default()
    };
    let mut net = net_with(&store, quotas);
    let phone = net.join_as("phone");
    net.edit(phone, "by", "phone");
    let big: String = (0..3000)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    let mut refused = 0;
    for round in 0..4 {
        let big = format!("{round}{big}{}", uuid::Uuid::new_v4());
        let (result, outputs) = net
            .relay
            .edit_document(DOC, COMMUNITY, false, put("big", big));
        net.settle(outputs);
        if let Err(e) = result {
            assert_eq!(e.kind(), io::ErrorKind::QuotaExceeded, "{e}");
            refused += 1;
        }
    }
    assert!(refused >= 1, "4 × 3 KB pass a 4 KB quota");
    assert_eq!(net.relay.stats().quota_refusals, refused);
    // What was refused is nowhere: not stored, not in memory, not on the phone.
    let stored = store.get(&DOC).unwrap();
    let in_store = document::Document::load(&stored).unwrap().value("big");
    assert_eq!(in_store, net.value(phone, "big"));
    assert!(net.is_synced(phone));
    net.edit(phone, "after", "phone");
    assert_eq!(stored_value(&store, "after").as_deref(), Some("phone"));
}
