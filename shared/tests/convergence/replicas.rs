//! The replicas: one community document and one meeting document each, all
//! forked from the same start, and the partial delivery of changes.

use automerge::AutoCommit;
use linli_shared::domain::*;

use super::act::{author_of, Expected};
use crate::common::*;
use crate::{PARTICIPANTS, REPLICAS};

pub struct Replica {
    pub community: AutoCommit,
    pub meeting: AutoCommit,
}

pub fn start() -> Vec<Replica> {
    let mut community = sample_community();
    let mut meeting = doc_with_actor(50);
    let m = new_meeting(&PARTICIPANTS);
    create_meeting(&mut meeting, &ctx("cm1", T0), m).unwrap();
    (0..REPLICAS)
        .map(|r| Replica {
            community: device(&mut community, 1 + r as u8),
            meeting: device(&mut meeting, 101 + r as u8),
        })
        .collect()
}

pub fn deliver(from: &mut AutoCommit, to: &mut AutoCommit, mask: u64) {
    let missing: Vec<_> = from
        .get_changes(&[])
        .into_iter()
        .filter(|c| to.get_change_by_hash(&c.hash()).is_none())
        .enumerate()
        .filter(|(i, _)| mask & (1 << (i % 64)) != 0)
        .map(|(_, c)| c)
        .collect();
    to.apply_changes(missing).unwrap();
}

/// The relay's view of a delivery: each change `to` lacks from `from`, applied one at a time
/// to a copy of `to` (which may hold changes concurrent with it), passes [`verify`] for the
/// member who made it.
pub fn judge_delivery(from: &mut AutoCommit, to: &mut AutoCommit, exp: &Expected) {
    let heads = to.get_heads();
    let mut judge = to.fork_at(&heads).unwrap();
    for c in from.get_changes(&[]) {
        if judge.get_change_by_hash(&c.hash()).is_some() {
            continue;
        }
        let hash = c.hash();
        let member = exp.authors.get(&hash).expect("a change made by a command");
        let before = judge.get_heads();
        judge.apply_changes([c]).unwrap();
        assert!(judge.get_heads().contains(&hash), "applied out of order");
        assert_eq!(
            verify(&judge, &before, &author_of(member)),
            Ok(()),
            "{member}'s change refused after a merge"
        );
    }
}
