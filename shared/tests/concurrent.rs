//! Concurrent edits made offline on different devices, then merged: each case
//! has one defined outcome, the same on every replica whichever way it syncs.
//! This file holds the concerns; meetings are in `concurrent_meetings.rs`.

mod common;

use automerge::AutoCommit;
use common::*;
use linli_shared::domain::*;

/// A community with concern "c" recorded, and two devices holding it.
fn two_devices() -> (AutoCommit, AutoCommit) {
    let mut base = sample_community();
    record_concern(&mut base, &ctx("ll1", T0), new_concern("c", "排水沟堵塞")).unwrap();
    let a = device(&mut base, 1);
    let b = device(&mut base, 2);
    (a, b)
}

/// Merges both ways and checks both replicas read the same concern.
fn merged(a: &mut AutoCommit, b: &mut AutoCommit) -> Concern {
    sync_pair(a, b);
    let ca = get_concern(a, "c").unwrap();
    assert_eq!(ca, get_concern(b, "c").unwrap());
    ca
}

fn kinds(c: &Concern) -> Vec<EventKind> {
    let mut k: Vec<EventKind> = c.timeline.iter().map(|e| e.action.kind()).collect();
    k.sort();
    k
}

#[test]
fn two_offline_claims_leave_a_visible_conflict_and_the_earliest_claimant() {
    let (mut a, mut b) = two_devices();
    claim(&mut b, &ctx("gl1", T0 + 2 * MINUTE), "c").unwrap();
    claim(&mut a, &ctx("ll1", T0 + MINUTE), "c").unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!(c.status, ConcernStatus::Claimed);
    assert_eq!(
        c.claim,
        Some(Claim {
            by: "ll1".into(),
            at: T0 + MINUTE
        })
    );
    assert_eq!(
        c.contested_claims,
        vec![Claim {
            by: "gl1".into(),
            at: T0 + 2 * MINUTE
        }]
    );
    let claims: Vec<_> = c
        .timeline
        .iter()
        .filter(|e| e.action == ConcernEvent::Claimed)
        .collect();
    assert_eq!(claims.len(), 2, "both claims stay on the timeline");

    // The loser cannot act; the winner settles it by claiming again.
    assert_eq!(
        claim(&mut b, &ctx("gl1", T0 + HOUR), "c"),
        Err(DomainError::AlreadyClaimedBy("ll1".into()))
    );
    assert!(matches!(
        resolve(&mut b, &ctx("gl1", T0 + HOUR), "c", "x"),
        Err(DomainError::NotClaimant { .. })
    ));
    claim(&mut a, &ctx("ll1", T0 + HOUR), "c").unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!(c.claim.map(|c| c.by), Some("ll1".into()));
    assert!(c.contested_claims.is_empty());
}

#[test]
fn simultaneous_claims_tie_break_on_member_id_whatever_the_merge_order() {
    for a_first in [true, false] {
        let (mut a, mut b) = two_devices();
        claim(&mut a, &ctx("ll2", T0 + MINUTE), "c").unwrap();
        claim(&mut b, &ctx("gl1", T0 + MINUTE), "c").unwrap();
        if a_first {
            a.merge(&mut b).unwrap();
            b.merge(&mut a).unwrap();
        } else {
            b.merge(&mut a).unwrap();
            a.merge(&mut b).unwrap();
        }
        let c = merged(&mut a, &mut b);
        assert_eq!(c.claim.unwrap().by, "gl1");
        assert_eq!(c.contested_claims.len(), 1);
    }
}

#[test]
fn one_member_claiming_on_two_devices_is_not_a_contest() {
    let (mut a, mut b) = two_devices();
    claim(&mut a, &ctx("ll1", T0 + 2 * MINUTE), "c").unwrap();
    claim(&mut b, &ctx("ll1", T0 + MINUTE), "c").unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!(
        c.claim,
        Some(Claim {
            by: "ll1".into(),
            at: T0 + MINUTE
        })
    );
    assert!(c.contested_claims.is_empty());
}

#[test]
fn resolve_beats_a_concurrent_escalation_which_stays_on_the_record() {
    let (mut a, mut b) = two_devices();
    escalate(&mut a, &ctx("ll1", T0 + HOUR), "c", None, "邻里解决不了").unwrap();
    resolve(&mut b, &ctx("ll2", T0 + HOUR), "c", "顺手疏通了").unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!(c.status, ConcernStatus::Resolved);
    assert_eq!(c.level, Level::Group, "the escalation's level stands");
    assert_eq!(
        c.resolution.as_ref().map(|r| r.level),
        Some(Level::Neighbour),
        "resolved where it was"
    );
    use EventKind::*;
    assert_eq!(kinds(&c), [Recorded, Escalated, Resolved]);
    // The loop goes on from the merged state.
    feedback(&mut a, &ctx("ll1", T0 + DAY), "c", 4, "").unwrap();
    assert_eq!(merged(&mut a, &mut b).status, ConcernStatus::Closed);
}

#[test]
fn a_claim_beats_a_concurrent_escalation_at_the_higher_level() {
    let (mut a, mut b) = two_devices();
    claim(&mut a, &ctx("ll2", T0 + HOUR), "c").unwrap();
    escalate(
        &mut b,
        &ctx("ll1", T0 + HOUR),
        "c",
        Some(Level::Area),
        "大事",
    )
    .unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!((c.status, c.level), (ConcernStatus::Claimed, Level::Area));
    assert_eq!(c.claim.unwrap().by, "ll2");
}

#[test]
fn concurrent_escalations_keep_the_highest_level() {
    let (mut a, mut b) = two_devices();
    escalate(&mut a, &ctx("cm1", T0 + HOUR), "c", Some(Level::Town), "a").unwrap();
    escalate(&mut b, &ctx("ll2", T0 + HOUR), "c", None, "b").unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!((c.status, c.level), (ConcernStatus::Open, Level::Town));
}

#[test]
fn reopen_beats_a_concurrent_feedback_and_both_are_recorded() {
    let (mut a, mut b) = two_devices();
    resolve(&mut a, &ctx("ll1", T0 + HOUR), "c", "疏通").unwrap();
    sync_pair(&mut a, &mut b);
    feedback(&mut a, &ctx("ll1", T0 + DAY), "c", 5, "好").unwrap();
    reopen(&mut b, &ctx("cm1", T0 + DAY), "c", "隔壁又堵了").unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!(c.status, ConcernStatus::Reopened);
    use EventKind::*;
    assert_eq!(kinds(&c), [Recorded, Resolved, Feedback, Reopened]);
}

#[test]
fn release_and_another_claim_leave_the_new_claimant() {
    let (mut a, mut b) = two_devices();
    claim(&mut a, &ctx("ll1", T0 + MINUTE), "c").unwrap();
    sync_pair(&mut a, &mut b);
    release(&mut a, &ctx("ll1", T0 + HOUR), "c").unwrap();
    // b still sees ll1's claim: gl1 cannot claim, but ll1's other device can resolve.
    assert!(claim(&mut b, &ctx("gl1", T0 + HOUR), "c").is_err());
    resolve(
        &mut b,
        &ctx("ll1", T0 + HOUR),
        "c",
        "done on the other phone",
    )
    .unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!((c.status, c.claim), (ConcernStatus::Resolved, None));
}

#[test]
fn supports_from_several_devices_all_count() {
    let (mut a, mut b) = two_devices();
    support(&mut a, &ctx("ll1", T0 + 1), "c", "hh1a").unwrap();
    support(&mut b, &ctx("ll2", T0 + 2), "c", "hh1b").unwrap();
    support(&mut b, &ctx("ll2", T0 + 3), "c", "hh1a").unwrap();
    let c = merged(&mut a, &mut b);
    assert_eq!(c.supporters.keys().collect::<Vec<_>>(), ["hh1a", "hh1b"]);
    assert_eq!(
        c.timeline
            .iter()
            .filter(|e| e.action == ConcernEvent::Supported)
            .count(),
        3
    );
}

#[test]
fn concerns_recorded_on_different_devices_all_arrive() {
    let (mut a, mut b) = two_devices();
    record_concern(&mut a, &ctx("ll1", T0 + 1), new_concern("a1", "x")).unwrap();
    record_concern(&mut b, &ctx("ll2", T0 + 2), new_concern("b1", "y")).unwrap();
    sync_pair(&mut a, &mut b);
    let ids: Vec<String> = list_concerns(&a)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["b1", "a1", "c"]);
    assert_eq!(list_concerns(&a).unwrap(), list_concerns(&b).unwrap());
}
