//! The concern's closed loop on one device: legal paths and typed refusals.

mod common;

use automerge::AutoCommit;
use common::*;
use linli_shared::domain::*;
use linli_shared::domain::{Action, Field, RecordKind, UnitKind};

#[test]
fn record_then_list_newest_first_with_all_fields() {
    let mut doc = sample_community();
    let c1 = NewConcern {
        id: "c1".into(),
        title: "井盖松动".into(),
        description: "3栋门口".into(),
        category: Category::PublicFacilities,
        place: Some("nb1".into()),
        reporter: Reporter::Household("hh1a".into()),
        level: None,
        due_at: Some(T0 + 7 * DAY),
        photos: Vec::new(),
    };
    assert_eq!(record_concern(&mut doc, &ctx("ll1", T0), c1).unwrap(), "c1");
    let c2 = NewConcern {
        reporter: Reporter::Resident("路过的老人".into()),
        ..new_concern("c2", "路灯坏了")
    };
    record_concern(&mut doc, &ctx("ll2", T0 + HOUR), c2).unwrap();

    let list = list_concerns(&doc).unwrap();
    assert_eq!(
        list.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["c2", "c1"]
    );
    let c1 = &list[1];
    assert_eq!(c1.title, "井盖松动");
    assert_eq!(c1.description, "3栋门口");
    assert_eq!(c1.category, Category::PublicFacilities);
    assert_eq!(c1.place.as_deref(), Some("nb1"));
    assert_eq!(c1.reporter, Reporter::Household("hh1a".into()));
    assert_eq!((c1.raised_at, c1.raised_by.as_str()), (T0, "ll1"));
    assert_eq!(
        (c1.level, c1.status),
        (Level::Neighbour, ConcernStatus::Open)
    );
    assert_eq!(c1.due_at, Some(T0 + 7 * DAY));
    assert_eq!(
        c1.timeline,
        vec![TimelineEvent {
            at: T0,
            by: "ll1".into(),
            action: ConcernEvent::Recorded
        }]
    );
    assert_eq!(list[0].reporter, Reporter::Resident("路过的老人".into()));
    assert_eq!(list[0].category, Category::Other);
}

#[test]
fn full_loop_claim_escalate_resolve_feedback() {
    let mut doc = sample_community();
    record_concern(&mut doc, &ctx("ll1", T0), new_concern("c", "加装电梯")).unwrap();
    claim(&mut doc, &ctx("ll1", T0 + MINUTE), "c").unwrap();
    let c = get_concern(&doc, "c").unwrap();
    assert_eq!(c.status, ConcernStatus::Claimed);
    assert_eq!(
        c.claim,
        Some(Claim {
            by: "ll1".into(),
            at: T0 + MINUTE
        })
    );

    assert_eq!(
        escalate(&mut doc, &ctx("ll1", T0 + HOUR), "c", None, "需要组里协调").unwrap(),
        Level::Group
    );
    let c = get_concern(&doc, "c").unwrap();
    assert_eq!(
        (c.level, c.status, c.claim.clone()),
        (Level::Group, ConcernStatus::Open, None)
    );
    let to = escalate(
        &mut doc,
        &ctx("gl1", T0 + 2 * HOUR),
        "c",
        Some(Level::Committee),
        "资金",
    )
    .unwrap();
    assert_eq!(to, Level::Committee);

    claim(&mut doc, &ctx("cm1", T0 + DAY), "c").unwrap();
    resolve(&mut doc, &ctx("cm1", T0 + 3 * DAY), "c", "已立项").unwrap();
    let c = get_concern(&doc, "c").unwrap();
    assert_eq!(c.status, ConcernStatus::Resolved);
    assert_eq!(c.claim, None);
    let r = c.resolution.unwrap();
    assert_eq!(
        (r.by.as_str(), r.at, r.summary.as_str(), r.level),
        ("cm1", T0 + 3 * DAY, "已立项", Level::Committee)
    );

    feedback(&mut doc, &ctx("ll1", T0 + 4 * DAY), "c", 5, "满意").unwrap();
    let c = get_concern(&doc, "c").unwrap();
    assert_eq!(c.status, ConcernStatus::Closed);
    assert_eq!(
        c.feedback
            .as_ref()
            .map(|f| (f.satisfaction, f.comment.as_str())),
        Some((5, "满意"))
    );
    let kinds: Vec<EventKind> = c.timeline.iter().map(|e| e.action.kind()).collect();
    use EventKind::*;
    assert_eq!(
        kinds,
        [Recorded, Claimed, Escalated, Escalated, Claimed, Resolved, Feedback]
    );
    assert_eq!(
        c.timeline[3].action,
        ConcernEvent::Escalated {
            from: Level::Group,
            to: Level::Committee,
            reason: "资金".into()
        }
    );
    assert_eq!(c.timeline[3].by, "gl1");
}

#[test]
fn resolve_on_the_spot_release_reopen_and_support() {
    let mut doc = sample_community();
    record_concern(&mut doc, &ctx("ll1", T0), new_concern("c", "楼道灯不亮")).unwrap();
    resolve(&mut doc, &ctx("ll1", T0 + MINUTE), "c", "换了灯泡").unwrap();
    reopen(&mut doc, &ctx("ll1", T0 + DAY), "c", "又坏了").unwrap();
    let c = get_concern(&doc, "c").unwrap();
    assert_eq!(c.status, ConcernStatus::Reopened);
    claim(&mut doc, &ctx("ll2", T0 + DAY + 1), "c").unwrap();
    release(&mut doc, &ctx("ll2", T0 + DAY + 2), "c").unwrap();
    assert_eq!(get_concern(&doc, "c").unwrap().status, ConcernStatus::Open);
    support(&mut doc, &ctx("ll1", T0 + DAY + 3), "c", "hh1b").unwrap();
    support(&mut doc, &ctx("ll2", T0 + DAY + 4), "c", "ll2").unwrap();
    let c = get_concern(&doc, "c").unwrap();
    assert_eq!(
        c.supporters.into_iter().collect::<Vec<_>>(),
        [("hh1b".into(), T0 + DAY + 3), ("ll2".into(), T0 + DAY + 4)]
    );
    assert_eq!(last_action(&doc, "c"), ConcernEvent::Supported);
}

/// Runs `f` and checks it fails with `expected` and changes nothing.
fn refused(
    doc: &mut AutoCommit,
    expected: DomainError,
    f: impl FnOnce(&mut AutoCommit) -> Result<(), DomainError>,
) {
    let before = list_concerns(doc).unwrap();
    let heads = doc.get_heads();
    assert_eq!(f(doc), Err(expected));
    assert_eq!(
        doc.get_heads(),
        heads,
        "a refused command wrote to the document"
    );
    assert_eq!(list_concerns(doc).unwrap(), before);
}

#[test]
fn illegal_commands_return_typed_errors_and_write_nothing() {
    let mut doc = sample_community();
    let t = ctx("ll1", T0);
    record_concern(&mut doc, &t, new_concern("c", "飞线充电")).unwrap();
    let missing = || DomainError::NotFound {
        kind: RecordKind::Concern,
        id: "nope".into(),
    };
    refused(&mut doc, missing(), |d| claim(d, &t, "nope"));
    refused(
        &mut doc,
        DomainError::AlreadyExists {
            kind: RecordKind::Concern,
            id: "c".into(),
        },
        |d| record_concern(d, &t, new_concern("c", "again")).map(drop),
    );
    refused(&mut doc, DomainError::Empty(Field::Title), |d| {
        record_concern(d, &t, new_concern("d", " ")).map(drop)
    });
    refused(
        &mut doc,
        DomainError::NotFound {
            kind: RecordKind::Unit,
            id: "mars".into(),
        },
        |d| {
            let c = NewConcern {
                place: Some("mars".into()),
                ..new_concern("d", "x")
            };
            record_concern(d, &t, c).map(drop)
        },
    );
    let open = ConcernStatus::Open;
    refused(
        &mut doc,
        DomainError::IllegalTransition {
            action: Action::Release,
            status: open,
        },
        |d| release(d, &t, "c"),
    );
    refused(
        &mut doc,
        DomainError::IllegalTransition {
            action: Action::Reopen,
            status: open,
        },
        |d| reopen(d, &t, "c", "r"),
    );
    refused(
        &mut doc,
        DomainError::IllegalTransition {
            action: Action::GiveFeedback,
            status: open,
        },
        |d| feedback(d, &t, "c", 3, ""),
    );
    refused(&mut doc, DomainError::Empty(Field::EscalationReason), |d| {
        escalate(d, &t, "c", None, "").map(drop)
    });
    refused(
        &mut doc,
        DomainError::NotHigher {
            from: Level::Neighbour,
            to: Level::Neighbour,
        },
        |d| escalate(d, &t, "c", Some(Level::Neighbour), "why").map(drop),
    );

    claim(&mut doc, &t, "c").unwrap();
    let other = ctx("ll2", T0 + 1);
    refused(&mut doc, DomainError::AlreadyClaimedBy("ll1".into()), |d| {
        claim(d, &other, "c")
    });
    refused(&mut doc, DomainError::AlreadyClaimedBy("ll1".into()), |d| {
        claim(d, &t, "c")
    });
    let not_claimant = |action| DomainError::NotClaimant {
        action,
        claimant: "ll1".into(),
    };
    refused(&mut doc, not_claimant(Action::Release), |d| {
        release(d, &other, "c")
    });
    refused(&mut doc, not_claimant(Action::Resolve), |d| {
        resolve(d, &other, "c", "done")
    });
    refused(&mut doc, not_claimant(Action::Escalate), |d| {
        escalate(d, &other, "c", None, "r").map(drop)
    });

    let beyond = DomainError::NotAllowed {
        rule: Rule::BeyondReach,
    };
    refused(&mut doc, beyond, |d| {
        escalate(d, &t, "c", Some(Level::Town), "r").map(drop)
    });
    escalate(&mut doc, &t, "c", Some(Level::Committee), "两委").unwrap();
    let above = DomainError::NotAllowed {
        rule: Rule::AboveOwnLevel,
    };
    refused(&mut doc, above.clone(), |d| claim(d, &t, "c"));
    refused(&mut doc, above, |d| resolve(d, &t, "c", "done"));
    let town = ctx("town1", T0 + 2);
    escalate(&mut doc, &town, "c", Some(Level::City), "最难").unwrap();
    refused(&mut doc, DomainError::AtTopLevel, |d| {
        escalate(d, &town, "c", None, "r").map(drop)
    });
    resolve(&mut doc, &town, "c", "done").unwrap();
    let resolved = ConcernStatus::Resolved;
    refused(
        &mut doc,
        DomainError::IllegalTransition {
            action: Action::Claim,
            status: resolved,
        },
        |d| claim(d, &t, "c"),
    );
    refused(
        &mut doc,
        DomainError::IllegalTransition {
            action: Action::Resolve,
            status: resolved,
        },
        |d| resolve(d, &t, "c", "again"),
    );
    refused(&mut doc, DomainError::SatisfactionOutOfRange(0), |d| {
        feedback(d, &t, "c", 0, "")
    });
    refused(&mut doc, DomainError::SatisfactionOutOfRange(6), |d| {
        feedback(d, &t, "c", 6, "")
    });
    let not_raiser = DomainError::NotAllowed {
        rule: Rule::NotRaiserOrResolver,
    };
    refused(&mut doc, not_raiser, |d| feedback(d, &other, "c", 2, ""));
    feedback(&mut doc, &t, "c", 2, "慢").unwrap();
    let closed = ConcernStatus::Closed;
    refused(
        &mut doc,
        DomainError::IllegalTransition {
            action: Action::Support,
            status: closed,
        },
        |d| support(d, &t, "c", "hh1a"),
    );
    refused(
        &mut doc,
        DomainError::IllegalTransition {
            action: Action::Escalate,
            status: closed,
        },
        |d| escalate(d, &t, "c", None, "r").map(drop),
    );
    reopen(&mut doc, &t, "c", "不满意").unwrap();
    support(&mut doc, &t, "c", "hh1a").unwrap();
    refused(
        &mut doc,
        DomainError::AlreadySupporting("hh1a".into()),
        |d| support(d, &t, "c", "hh1a"),
    );
}

#[test]
fn uninitialised_documents_and_org_rules() {
    let mut empty = AutoCommit::new();
    assert_eq!(list_concerns(&empty), Err(DomainError::NotInitialized));
    assert_eq!(
        record_concern(&mut empty, &ctx("a", 0), new_concern("c", "t")),
        Err(DomainError::NotInitialized)
    );
    let mut doc = sample_community();
    assert_eq!(
        init_community(&mut doc, "x", "y"),
        Err(DomainError::AlreadyInitialized("xd".into()))
    );
    assert_eq!(
        community_info(&doc).unwrap(),
        Community {
            id: "xd".into(),
            name: "兴东社区".into()
        }
    );
    let bad = OrgUnit {
        id: "g9".into(),
        kind: UnitKind::Group,
        name: "组".into(),
        parent: Some("nb1".into()),
    };
    assert_eq!(
        add_unit(&mut doc, &ctx("cm1", T0), bad),
        Err(DomainError::WrongParent {
            child: UnitKind::Group,
            expected: Some(UnitKind::Area)
        })
    );
    let orphan = OrgUnit {
        id: "g9".into(),
        kind: UnitKind::Group,
        name: "组".into(),
        parent: None,
    };
    assert!(matches!(
        add_unit(&mut doc, &ctx("cm1", T0), orphan),
        Err(DomainError::WrongParent { .. })
    ));
    let units = list_units(&doc).unwrap();
    assert_eq!(area_of(&units, "hh2b").as_deref(), Some("area2"));
    assert_eq!(area_of(&units, "area1").as_deref(), Some("area1"));
    assert_eq!(area_of(&units, "nope"), None);
    assert_eq!(list_members(&doc).unwrap().len(), 5);
}

#[test]
fn documents_survive_save_and_load() {
    let mut doc = sample_community();
    record_concern(&mut doc, &ctx("ll1", T0), new_concern("c", "高空抛物")).unwrap();
    claim(&mut doc, &ctx("ll1", T0 + 1), "c").unwrap();
    let loaded = AutoCommit::load(&doc.save()).unwrap();
    assert_eq!(
        list_concerns(&loaded).unwrap(),
        list_concerns(&doc).unwrap()
    );
}
