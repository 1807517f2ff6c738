//! Finding the actor of every change in a sync message (`core::actors::authored`), however
//! its changes are packed: the actor binding judges each one before Automerge applies it.

use automerge::sync;
use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Automerge, Change, ROOT};

use crate::core::actors::authored;

#[test]
fn every_change_of_a_message_is_found_however_it_is_packed() {
    let mut doc = AutoCommit::new().with_actor(ActorId::from([1u8; 16]));
    doc.put(ROOT, "a", "1").unwrap();
    doc.commit();
    doc.put(ROOT, "b", "2").unwrap();
    doc.commit();
    let mut other = doc.fork().with_actor(ActorId::from([2u8; 16]));
    other.put(ROOT, "c", "3".repeat(1000)).unwrap(); // large: stored compressed
    other.commit();
    doc.merge(&mut other).unwrap();
    let expected: Vec<_> = doc
        .get_changes(&[])
        .iter()
        .map(|c| (c.hash(), c.actor_id().clone()))
        .collect();
    assert_eq!(expected.len(), 3);
    let message = |changes: Vec<Vec<u8>>| sync::Message {
        heads: Vec::new(),
        need: Vec::new(),
        have: Vec::new(),
        changes: changes.into(),
        flags: None,
        version: sync::MessageVersion::V1,
    };
    let chunks: Vec<Vec<u8>> = doc
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let compressed: Vec<Vec<u8>> = doc
        .get_changes(&[])
        .into_iter()
        .map(|mut c| c.bytes().to_vec())
        .collect();
    assert_ne!(compressed, chunks, "the large change is compressed");
    let joined = chunks.concat();
    // A chunk split across two entries: Automerge applies their concatenation.
    let (head, tail) = joined.split_at(5);

    let found = |changes| authored(&message(changes)).unwrap();
    assert_eq!(found(chunks.clone()), expected);
    assert_eq!(found(compressed), expected);
    assert_eq!(found(vec![joined.clone()]), expected);
    assert_eq!(found(vec![head.to_vec(), tail.to_vec()]), expected);
    let sorted = |mut v: Vec<(automerge::ChangeHash, ActorId)>| {
        v.sort();
        v
    };
    assert_eq!(sorted(found(vec![doc.save()])), sorted(expected.clone()));
    assert_eq!(
        sorted(found(vec![doc.save_after(&[])])),
        sorted(expected.clone())
    );
    assert!(found(Vec::new()).is_empty());
    let bundle = Automerge::load(&doc.save())
        .unwrap()
        .bundle(expected.iter().map(|(h, _)| *h))
        .unwrap();
    let in_bundle = found(vec![bundle.bytes().to_vec()]);
    assert_eq!(sorted(in_bundle), sorted(expected.clone()));

    // Anything that does not parse refuses the message; no panic on any prefix.
    for bad in [
        vec![0u8; 20],
        joined[..joined.len() - 1].to_vec(),
        [joined.as_slice(), &[0x85, 0x6f]].concat(),
        [&[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 9, 0][..]].concat(),
        [&[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1][..], &[0xff; 11]].concat(),
    ] {
        let refused = authored(&message(vec![bad])).unwrap_err();
        assert!(
            refused.starts_with("invalid Automerge sync message"),
            "{refused}"
        );
    }
    for end in 0..joined.len() {
        let _ = authored(&message(vec![joined[..end].to_vec()]));
    }
    assert!(
        Change::try_from(&joined[..]).is_err(),
        "three chunks are not one change"
    );
}
