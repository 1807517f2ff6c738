//! The relay's check of a received change (`verify`): forgeries a modified client could write
//! are refused with the rule they break, the same acts by the right member pass, and an honest
//! offline phone's change passes after the judge merged concurrent changes.
//!
//! A modified client is played by running the domain's own commands with a context that lies
//! (a role the member does not hold, or another member's id), or by writing the registers
//! directly with automerge.

mod common;

/// Changes written on heads from before what they write into, in `verify/`.
#[path = "verify/backdated.rs"]
mod backdated;
/// Deleting, hiding or overwriting what others wrote, in `verify/`.
#[path = "verify/erasure.rs"]
mod erasure;
/// The commands the randomized test does not run, in `verify/`.
#[path = "verify/honest.rs"]
mod honest;
/// The meeting cases and the cost measurement, in `verify/`.
#[path = "verify/meetings.rs"]
mod meetings;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjType, ReadDoc, ROOT};
use common::*;
use linli_shared::domain::*;

fn author(member: &str) -> Author<'_> {
    Author {
        member,
        role: role_of(member),
        admin: false,
    }
}

/// What `write` adds to a copy of `doc`, as the relay judges it for `member`.
fn judged(
    doc: &mut AutoCommit,
    member: &str,
    write: impl FnOnce(&mut AutoCommit),
) -> Result<(), Rule> {
    let mut phone = doc.fork();
    let before = phone.get_heads();
    write(&mut phone);
    phone.get_heads();
    verify(&phone, &before, &author(member))
}

fn posing(ctx_member: &str, as_role: Role) -> Ctx {
    ctx(ctx_member, T0 + HOUR).with_role(Some(as_role))
}

fn concern_obj(doc: &AutoCommit, id: &str) -> automerge::ObjId {
    let (_, concerns) = doc.get(ROOT, "concerns").unwrap().unwrap();
    doc.get(&concerns, id).unwrap().unwrap().1
}

fn community_with_concern() -> AutoCommit {
    let mut doc = sample_community();
    record_concern(&mut doc, &ctx("ll1", T0), new_concern("c", "路灯坏了")).unwrap();
    doc
}

#[test]
fn a_neighbour_leader_adding_a_member_is_refused_a_committee_member_is_not() {
    let mut doc = sample_community();
    let m = NewMember {
        id: "ll9".into(),
        name: "新".into(),
        role: Role::NeighbourLeader,
        unit: None,
    };
    let add = |who: &str| {
        let m = m.clone();
        let cx = posing(who, Role::Committee);
        move |d: &mut AutoCommit| add_member(d, &cx, m).unwrap()
    };
    assert_eq!(judged(&mut doc, "ll1", add("ll1")), Err(Rule::ManagersOnly));
    assert_eq!(judged(&mut doc, "cm1", add("cm1")), Ok(()));
    // Its own record, in its own role, a member may fix; not in another role.
    let own = |role| {
        move |d: &mut AutoCommit| {
            let m = NewMember {
                id: "ll1".into(),
                name: "王芳".into(),
                role,
                unit: None,
            };
            update_member(d, &posing("ll1", Role::Committee), m).unwrap()
        }
    };
    assert_eq!(judged(&mut doc, "ll1", own(Role::NeighbourLeader)), Ok(()));
    assert_eq!(
        judged(&mut doc, "ll1", own(Role::Committee)),
        Err(Rule::OwnRoleOnly)
    );
    let unit = |d: &mut AutoCommit| {
        let u = OrgUnit {
            id: "nb9".into(),
            kind: UnitKind::Neighbourhood,
            name: "邻".into(),
            parent: Some("group1".into()),
        };
        add_unit(d, &posing("ll1", Role::Committee), u).unwrap()
    };
    assert_eq!(judged(&mut doc, "ll1", unit), Err(Rule::ManagersOnly));
    let fund = |d: &mut AutoCommit| {
        set_fund_allocation(d, &posing("ll1", Role::Committee), "ll1", 99_900).unwrap()
    };
    assert_eq!(judged(&mut doc, "ll1", fund), Err(Rule::ManagersOnly));
    assert_eq!(
        judged(&mut doc, "cm1", |d| set_fund_allocation(
            d,
            &ctx("cm1", T0),
            "ll1",
            20_000
        )
        .unwrap()),
        Ok(())
    );
}

#[test]
fn resolving_a_concern_someone_else_claimed_is_refused_the_claimant_may() {
    let mut doc = community_with_concern();
    claim(&mut doc, &ctx("gl1", T0 + 1), "c").unwrap();
    let forged = |d: &mut AutoCommit| {
        let obj = concern_obj(d, "c");
        d.put(&obj, "status", "resolved").unwrap();
        d.put(&obj, "resolution", "ll1\u{1f}5\u{1f}neighbour\u{1f}done")
            .unwrap();
    };
    assert_eq!(judged(&mut doc, "ll1", forged), Err(Rule::NotClaimant));
    let by_claimant = |d: &mut AutoCommit| resolve(d, &ctx("gl1", T0 + 2), "c", "换灯").unwrap();
    assert_eq!(judged(&mut doc, "gl1", by_claimant), Ok(()));
    // Claiming it over, in one's own name or another's.
    let reclaim = |who: &'static str| {
        move |d: &mut AutoCommit| {
            let obj = concern_obj(d, "c");
            d.put(&obj, "status", format!("claimed\u{1f}{who}\u{1f}1"))
                .unwrap();
        }
    };
    assert_eq!(
        judged(&mut doc, "ll1", reclaim("ll1")),
        Err(Rule::NotClaimant)
    );
    assert_eq!(
        judged(&mut doc, "gl1", reclaim("ll1")),
        Err(Rule::NotTheAuthor)
    );
}

#[test]
fn records_and_events_in_another_members_name_are_refused() {
    let mut doc = community_with_concern();
    let record = |who: &str| {
        let cx = ctx(who, T0 + 1);
        move |d: &mut AutoCommit| {
            record_concern(d, &cx, new_concern("c2", "漏水")).unwrap();
        }
    };
    assert_eq!(
        judged(&mut doc, "ll1", record("ll2")),
        Err(Rule::NotTheAuthor)
    );
    assert_eq!(judged(&mut doc, "ll1", record("ll1")), Ok(()));
    let event = |d: &mut AutoCommit| {
        let obj = concern_obj(d, "c");
        let (_, timeline) = d.get(&obj, "timeline").unwrap().unwrap();
        let n = d.length(&timeline);
        d.insert(&timeline, n, format!("supported\u{1f}{T0}\u{1f}ll2"))
            .unwrap();
    };
    assert_eq!(judged(&mut doc, "ll1", event), Err(Rule::NotTheAuthor));
    let supported = |d: &mut AutoCommit| support(d, &ctx("ll2", T0 + 2), "c", "ll2").unwrap();
    assert_eq!(judged(&mut doc, "ll2", supported), Ok(()));
    // A new concern in one's own name whose first event names someone else.
    let first_event = |d: &mut AutoCommit| {
        let (_, concerns) = d.get(ROOT, "concerns").unwrap().unwrap();
        let obj = d.put_object(&concerns, "c3", ObjType::Map).unwrap();
        d.put(&obj, "raised_by", "ll1").unwrap();
        let timeline = d.put_object(&obj, "timeline", ObjType::List).unwrap();
        d.insert(&timeline, 0, format!("recorded\u{1f}{T0}\u{1f}ll2"))
            .unwrap();
    };
    assert_eq!(
        judged(&mut doc, "ll1", first_event),
        Err(Rule::NotTheAuthor)
    );
    let take_over = |d: &mut AutoCommit| {
        let obj = concern_obj(d, "c");
        d.put(&obj, "raised_by", "ll2").unwrap();
    };
    assert_eq!(judged(&mut doc, "ll2", take_over), Err(Rule::NotTheAuthor));
}

#[test]
fn escalation_beyond_reach_and_claims_above_level_are_refused() {
    let mut doc = community_with_concern();
    let escalate_to = |who: &str| {
        let cx = posing(who, Role::Town);
        move |d: &mut AutoCommit| {
            escalate(d, &cx, "c", Some(Level::Town), "资金不足").unwrap();
        }
    };
    assert_eq!(
        judged(&mut doc, "ll1", escalate_to("ll1")),
        Err(Rule::BeyondReach)
    );
    assert_eq!(judged(&mut doc, "cm1", escalate_to("cm1")), Ok(()));
    escalate(&mut doc, &ctx("gl1", T0 + 1), "c", Some(Level::Area), "r").unwrap();
    let claim_as = |who: &str| {
        let cx = posing(who, Role::Town);
        move |d: &mut AutoCommit| claim(d, &cx, "c").unwrap()
    };
    assert_eq!(
        judged(&mut doc, "ll1", claim_as("ll1")),
        Err(Rule::AboveOwnLevel)
    );
    assert_eq!(judged(&mut doc, "al1", claim_as("al1")), Ok(()));
    // The resident's verdict, by a stranger to the concern.
    resolve(&mut doc, &ctx("cm1", T0 + 2), "c", "修好").unwrap();
    let verdict = |who: &str| {
        let cx = posing(who, Role::Committee);
        move |d: &mut AutoCommit| feedback(d, &cx, "c", 5, "").unwrap()
    };
    assert_eq!(
        judged(&mut doc, "ll2", verdict("ll2")),
        Err(Rule::NotRaiserOrResolver)
    );
    assert_eq!(judged(&mut doc, "ll1", verdict("ll1")), Ok(()));
}

#[test]
fn withdrawing_someone_elses_concern_is_refused_the_committee_may() {
    let mut doc = community_with_concern();
    let forged = |d: &mut AutoCommit| {
        let obj = concern_obj(d, "c");
        d.put(&obj, "withdrawn", "ll2\u{1f}5\u{1f}\u{1f}记错了")
            .unwrap();
    };
    assert_eq!(judged(&mut doc, "ll2", forged), Err(Rule::NotRecorder));
    let by = |who: &str| {
        let cx = ctx(who, T0 + 1);
        move |d: &mut AutoCommit| withdraw_concern(d, &cx, "c", "记错了").unwrap()
    };
    assert_eq!(judged(&mut doc, "cm1", by("cm1")), Ok(()));
    assert_eq!(judged(&mut doc, "ll1", by("ll1")), Ok(()));
}

/// The relay holds `judge`; `phone` was offline and made `write`. Its changes, delivered, pass
/// `verify` for `member` although the judge merged concurrent changes meanwhile.
fn delivered(
    judge: &mut AutoCommit,
    phone: &mut AutoCommit,
    member: &str,
    write: impl FnOnce(&mut AutoCommit),
) -> Result<(), Rule> {
    let seen: Vec<ChangeHash> = phone.get_heads();
    write(phone);
    let before = judge.get_heads();
    judge.apply_changes(phone.get_changes(&seen)).unwrap();
    verify(judge, &before, &author(member))
}

#[test]
fn honest_offline_phones_pass_after_concurrent_changes() {
    let mut relay = community_with_concern();
    let mut a = device(&mut relay, 11);
    let mut b = device(&mut relay, 12);
    let mut c = device(&mut relay, 13);
    // Three phones, offline: ll1 claims, ll2 resolves on the spot, gl1 sends it up to 组.
    let claimed = delivered(&mut relay, &mut a, "ll1", |d| {
        claim(d, &ctx("ll1", T0 + 1), "c").unwrap()
    });
    assert_eq!(claimed, Ok(()));
    let resolved = delivered(&mut relay, &mut b, "ll2", |d| {
        resolve(d, &ctx("ll2", T0 + 2), "c", "顺手修了").unwrap()
    });
    assert_eq!(
        resolved,
        Ok(()),
        "judged against what ll2 saw, not the claim"
    );
    let up = delivered(&mut relay, &mut c, "gl1", |d| {
        escalate(d, &ctx("gl1", T0 + 3), "c", Some(Level::Group), "r").unwrap();
    });
    assert_eq!(up, Ok(()));
    // Back online, ll1 finds it resolved by ll2 and reopens it, as its raiser.
    a.merge(&mut relay).unwrap();
    let status = get_concern(&a, "c").unwrap().status;
    assert!(status.is_done(), "{status:?}");
    let reopened = delivered(&mut relay, &mut a, "ll1", |d| {
        reopen(d, &ctx("ll1", T0 + 4), "c", "又坏了").unwrap()
    });
    assert_eq!(reopened, Ok(()));
    // A verdict forged after catching up is still judged: gl1 neither raised nor resolved it.
    c.merge(&mut relay).unwrap();
    let forged = delivered(&mut relay, &mut c, "gl1", |d| {
        let obj = concern_obj(d, "c");
        d.put(&obj, "status", "closed").unwrap();
    });
    assert_eq!(forged, Err(Rule::NotRaiserOrResolver));
}

#[test]
fn several_commands_in_one_change_are_judged_as_their_sequence() {
    let mut doc = community_with_concern();
    // 即知即办 in one change: recorded, resolved on the spot and the verdict given.
    let on_the_spot = |d: &mut AutoCommit| {
        let cx = ctx("ll1", T0 + 1);
        record_concern(d, &cx, new_concern("c2", "井盖松了")).unwrap();
        resolve(d, &cx, "c2", "拧紧").unwrap();
        feedback(d, &cx, "c2", 5, "").unwrap();
    };
    assert_eq!(judged(&mut doc, "ll1", on_the_spot), Ok(()));
    // ll2 resolves ll1's concern and reopens it, as its resolver, in one change.
    let resolver = |d: &mut AutoCommit| {
        let cx = ctx("ll2", T0 + 1);
        resolve(d, &cx, "c", "修了").unwrap();
        reopen(d, &cx, "c", "没修好").unwrap();
    };
    assert_eq!(judged(&mut doc, "ll2", resolver), Ok(()));
    // At 组 level now: a 邻长 may neither close it with a resolution of its own making nor
    // take it back down to 邻.
    escalate(&mut doc, &ctx("gl1", T0 + 2), "c", Some(Level::Group), "r").unwrap();
    let close = |d: &mut AutoCommit| {
        let obj = concern_obj(d, "c");
        d.put(&obj, "resolution", "ll2\u{1f}5\u{1f}group\u{1f}done")
            .unwrap();
        d.put(&obj, "status", "closed").unwrap();
    };
    assert_eq!(judged(&mut doc, "ll2", close), Err(Rule::AboveOwnLevel));
    let down = |d: &mut AutoCommit| {
        let obj = concern_obj(d, "c");
        d.put(&obj, "level", "neighbour").unwrap();
    };
    assert_eq!(judged(&mut doc, "ll2", down), Err(Rule::AboveOwnLevel));
    assert_eq!(judged(&mut doc, "cm1", down), Err(Rule::AboveOwnLevel));
}

#[test]
fn records_are_never_erased() {
    let mut doc = community_with_concern();
    let wipe = |key: &'static str| {
        move |d: &mut AutoCommit| {
            d.put_object(ROOT, key, ObjType::Map).unwrap();
        }
    };
    assert_eq!(
        judged(&mut doc, "cm1", wipe("concerns")),
        Err(Rule::NotRecorder)
    );
    assert_eq!(
        judged(&mut doc, "cm1", wipe("members")),
        Err(Rule::NotRecorder)
    );
    let delete = |d: &mut AutoCommit| {
        let (_, concerns) = d.get(ROOT, "concerns").unwrap().unwrap();
        d.delete(&concerns, "c").unwrap();
    };
    assert_eq!(judged(&mut doc, "ll1", delete), Err(Rule::NotRecorder));
    let new_timeline = |d: &mut AutoCommit| {
        let obj = concern_obj(d, "c");
        d.put_object(&obj, "timeline", ObjType::List).unwrap();
    };
    assert_eq!(
        judged(&mut doc, "ll1", new_timeline),
        Err(Rule::NotRecorder)
    );
    // A participant's new seat replaces the old one.
    let mut meeting = meetings::meeting_by("gl1");
    let seat = |d: &mut AutoCommit| {
        let p = Participant {
            id: "ll1".into(),
            name: "ll1".into(),
            role: PartyRole::Owner,
        };
        add_participant(d, p).unwrap()
    };
    assert_eq!(judged(&mut meeting, "ll1", seat), Ok(()));
}
