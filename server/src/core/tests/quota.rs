//! Quotas: a change over a community's or a member's limit is refused before it is applied;
//! the sender is told why and keeps its socket; everything stored before stays.

use linli_shared::wire::client::Event;
use linli_shared::wire::quota::Quota;
use linli_shared::wire::DocumentId;

use super::*;

const OTHER_COMMUNITY: DocumentId = DocumentId::from_bytes([8; 16]);
const DOC_2: DocumentId = DocumentId::from_bytes([2; 16]);
const DOC_3: DocumentId = DocumentId::from_bytes([3; 16]);
const DOC_4: DocumentId = DocumentId::from_bytes([4; 16]);

/// `chars` characters deflate cannot shrink below half: hex of random bytes.
fn incompressible(chars: usize) -> String {
    let mut out = String::new();
    while out.len() < chars {
        out.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    out.truncate(chars);
    out
}

fn net_with(store: &MemoryStore, quotas: Quotas) -> Net<MemoryStore> {
    let config = RelayConfig {
        quotas,
        ..RelayConfig::default()
    };
    Net::new(Relay::new(
        PeerId::new("relay"),
        "store".into(),
        store.clone(),
        config,
    ))
}

fn quotas() -> Quotas {
    Quotas {
        bytes_per_community: 1024 * 1024,
        documents_per_community: 100,
        bytes_per_member_per_hour: 1024 * 1024,
    }
}

/// The `error` messages peer `index` got.
fn errors(net: &Net<MemoryStore>, index: usize) -> Vec<String> {
    let peer = &net.peers[index];
    peer.events
        .iter()
        .filter_map(|e| match e {
            Event::Error(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

fn stored(store: &MemoryStore, id: DocumentId, key: &str) -> Option<String> {
    let doc = document::Document::load(&store.get(&id)?).unwrap();
    doc.value(key)
}

fn join_other_community(net: &mut Net<MemoryStore>, name: &str) -> usize {
    let principal = Principal {
        member_id: name.into(),
        community: OTHER_COMMUNITY,
        role: None,
        admin: false,
    };
    net.join_with(name, Some(principal))
}

/// Asserts that peer `index` was told `quota` once, is still connected, and that `key` of `id`
/// was not stored.
fn refused(
    net: &Net<MemoryStore>,
    store: &MemoryStore,
    index: usize,
    quota: Quota,
    id: DocumentId,
    key: &str,
) {
    let errors = errors(net, index);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(Quota::of_error(&errors[0]), Some(quota), "{}", errors[0]);
    assert!(net.peers[index].closed.is_none(), "the socket stays open");
    assert_eq!(
        stored(store, id, key),
        None,
        "the refused change is not stored"
    );
}

#[test]
fn a_change_past_the_communitys_bytes_is_refused_and_nothing_stored_is_lost() {
    let store = MemoryStore::new();
    let mut net = net_with(
        &store,
        Quotas {
            bytes_per_community: 16 * 1024,
            ..quotas()
        },
    );
    let (a, b) = (net.join_as("a"), net.join_as("b"));
    let outsider = join_other_community(&mut net, "outsider");
    // More than half the limit, then as much again: the second does not fit.
    net.edit(a, "first", &incompressible(10_000));
    net.open(b, DOC);
    let used = net.relay.usage_of(&COMMUNITY);
    assert_eq!(used.documents, 1);
    assert_eq!(used.bytes, store.clone().stored_size(&DOC).unwrap());
    assert!(used.bytes > 8 * 1024, "{used:?}");

    net.edit(a, "big", &incompressible(10_000));
    refused(&net, &store, a, Quota::BytesStored, DOC, "big");
    assert_eq!(net.value(b, "big"), None, "nor forwarded");
    assert!(stored_value(&store, "first").is_some());
    assert_eq!(net.relay.usage_of(&COMMUNITY), used);
    // The sender's socket keeps syncing its other documents; another community is unaffected.
    edit_in(&mut net, a, DOC_2, "k", "fits");
    assert_eq!(stored(&store, DOC_2, "k").as_deref(), Some("fits"));
    edit_in(&mut net, outsider, DOC_3, "big", &incompressible(10_000));
    assert!(stored(&store, DOC_3, "big").is_some());
    assert!(errors(&net, outsider).is_empty());
}

#[test]
fn a_new_document_past_the_communitys_count_is_refused() {
    let store = MemoryStore::new();
    let mut net = net_with(
        &store,
        Quotas {
            documents_per_community: 2,
            ..quotas()
        },
    );
    let a = net.join_as("a");
    net.edit(a, "k", "1");
    edit_in(&mut net, a, DOC_2, "k", "2");
    assert_eq!(net.relay.usage_of(&COMMUNITY).documents, 2);
    edit_in(&mut net, a, DOC_3, "k", "3");
    refused(&net, &store, a, Quota::Documents, DOC_3, "k");
    assert!(store.get(&DOC_3).is_none());
    // The community's documents still take changes.
    net.edit(a, "k", "more");
    assert!(net.is_synced(a));
    assert_eq!(stored_value(&store, "k").as_deref(), Some("more"));
    assert_eq!(net.relay.usage_of(&COMMUNITY).documents, 2);
}

#[test]
fn a_member_past_its_bytes_per_hour_is_refused_and_its_community_is_not() {
    let store = MemoryStore::new();
    let mut net = net_with(
        &store,
        Quotas {
            bytes_per_member_per_hour: 8 * 1024,
            ..quotas()
        },
    );
    let (a, b) = (net.join_as("a"), net.join_as("b"));
    net.edit(a, "small", "1");
    edit_in(&mut net, a, DOC_2, "big", &incompressible(20_000));
    refused(&net, &store, a, Quota::MemberBytesPerHour, DOC_2, "big");
    // What the refused change would have cost is not taken: small changes still fit.
    net.edit(a, "small", "2");
    assert_eq!(stored_value(&store, "small").as_deref(), Some("2"));
    // Another member of the community has its own hour.
    edit_in(&mut net, b, DOC_3, "k", &incompressible(6_000));
    assert!(stored(&store, DOC_3, "k").is_some());
    assert!(errors(&net, b).is_empty());
}

#[test]
fn usage_is_counted_from_the_store_at_start() {
    let store = MemoryStore::new();
    let mut net = net_with(&store, quotas());
    let a = net.join_as("a");
    net.edit(a, "k", &incompressible(6_000));
    let stored_bytes = net.relay.usage_of(&COMMUNITY).bytes;
    drop(net);

    // Restarted: the registry says DOC (stored) and DOC_4 (never stored) are the community's.
    let usage = Usage::count(&mut store.clone(), [(COMMUNITY, DOC), (COMMUNITY, DOC_4)]).unwrap();
    assert_eq!(
        usage.of(&COMMUNITY),
        CommunityUsage {
            bytes: stored_bytes,
            documents: 1
        }
    );
    let limit = Quotas {
        bytes_per_community: stored_bytes + 1024,
        ..quotas()
    };
    let mut net = net_with(&store, limit);
    net.relay = std::mem::replace(&mut net.relay, memory_relay(&store)).with_usage(usage);
    let a = net.join_as("a");
    net.open(a, DOC);
    net.edit(a, "more", &incompressible(6_000));
    refused(&net, &store, a, Quota::BytesStored, DOC, "more");
}
