//! Records made by mistake are taken back, not erased: a concern withdrawn or
//! merged into another, a meeting withdrawn, a concern unlinked from an agenda
//! item. Withdrawn records leave lists, figures and exports, stay readable
//! from the record itself, and two phones converge.

mod common;

use common::*;
use linli_shared::domain::*;
use linli_shared::export::concern_table;

fn community_with(ids: &[&str]) -> automerge::AutoCommit {
    let mut doc = sample_community();
    for (i, id) in ids.iter().enumerate() {
        let at = T0 + i as i64 * MINUTE;
        record_concern(
            &mut doc,
            &ctx("ll1", at),
            new_concern(id, &format!("路灯{id}")),
        )
        .unwrap();
    }
    doc
}

fn listed(doc: &automerge::AutoCommit) -> Vec<String> {
    list_concerns(doc)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

#[test]
fn a_withdrawn_concern_leaves_the_list_but_keeps_who_when_why() {
    let mut doc = community_with(&["c1", "c2"]);
    assert_eq!(
        withdraw_concern(&mut doc, &ctx("ll1", T0 + HOUR), "c1", "  "),
        Err(DomainError::Empty(Field::WithdrawReason))
    );
    withdraw_concern(&mut doc, &ctx("ll1", T0 + HOUR), "c1", "记错了").unwrap();
    assert_eq!(listed(&doc), ["c2"]);
    let c = get_concern(&doc, "c1").unwrap();
    let w = c.withdrawn.clone().unwrap();
    assert_eq!(
        (w.by.as_str(), w.at, w.reason.as_str()),
        ("ll1", T0 + HOUR, "记错了")
    );
    assert_eq!(w.duplicate_of, None);
    assert_eq!(
        last_action(&doc, "c1"),
        ConcernEvent::Withdrawn {
            duplicate_of: None,
            reason: "记错了".into()
        }
    );
    assert_eq!(
        list_withdrawn_concerns(&doc).unwrap()[0].id,
        "c1",
        "still readable from the item"
    );
    // It takes no more commands, and cannot be withdrawn twice.
    let gone = Err(DomainError::Withdrawn {
        kind: RecordKind::Concern,
        id: "c1".into(),
    });
    assert_eq!(claim(&mut doc, &ctx("ll2", T0 + 2 * HOUR), "c1"), gone);
    assert_eq!(
        resolve(&mut doc, &ctx("ll1", T0 + 2 * HOUR), "c1", "修好了"),
        gone
    );
    assert_eq!(
        withdraw_concern(&mut doc, &ctx("ll1", T0 + 2 * HOUR), "c1", "again"),
        gone
    );
}

#[test]
fn only_the_recorder_or_a_committee_member_may_withdraw() {
    let mut doc = community_with(&["c1", "c2"]);
    assert_eq!(
        withdraw_concern(&mut doc, &ctx("ll2", T0 + HOUR), "c1", "不是我的"),
        Err(DomainError::NotRecorder {
            action: Action::Withdraw,
            recorded_by: "ll1".into()
        })
    );
    assert!(!may_withdraw(&doc, "al1", "ll1"), "a 片长 is not enough");
    assert!(may_withdraw(&doc, "cm1", "ll1"));
    withdraw_concern(&mut doc, &ctx("cm1", T0 + HOUR), "c1", "重复录入").unwrap();
    assert_eq!(listed(&doc), ["c2"]);
}

#[test]
fn a_duplicate_is_merged_into_the_other_concern() {
    let mut doc = community_with(&["c1", "c2", "c3"]);
    assert_eq!(
        merge_concern(&mut doc, &ctx("ll1", T0 + HOUR), "c2", "c2", ""),
        Err(DomainError::MergeIntoSelf("c2".into()))
    );
    assert!(matches!(
        merge_concern(&mut doc, &ctx("ll1", T0 + HOUR), "c2", "nope", ""),
        Err(DomainError::NotFound { .. })
    ));
    merge_concern(&mut doc, &ctx("ll1", T0 + HOUR), "c2", "c1", "").unwrap();
    let w = get_concern(&doc, "c2").unwrap().withdrawn.unwrap();
    assert_eq!(w.duplicate_of.as_deref(), Some("c1"));
    assert_eq!(listed(&doc), ["c3", "c1"]);
    // Nothing merges into a withdrawn concern.
    assert_eq!(
        merge_concern(&mut doc, &ctx("ll1", T0 + HOUR), "c3", "c2", ""),
        Err(DomainError::Withdrawn {
            kind: RecordKind::Concern,
            id: "c2".into()
        })
    );
}

#[test]
fn withdrawn_concerns_leave_the_figures_and_the_exports() {
    let mut doc = community_with(&["c1", "c2"]);
    resolve(&mut doc, &ctx("ll1", T0 + HOUR), "c1", "修好了").unwrap();
    feedback(&mut doc, &ctx("ll1", T0 + 2 * HOUR), "c1", 1, "不满意").unwrap();
    let before = community_ledger(&doc).unwrap();
    assert_eq!(before.total.raised, 2);
    assert_eq!(before.satisfaction.count, 1);
    assert!(before.median_ms_to_resolve.is_some());
    withdraw_concern(&mut doc, &ctx("ll1", T0 + 3 * HOUR), "c1", "记错了").unwrap();
    let after = community_ledger(&doc).unwrap();
    assert_eq!(after.total.raised, 1);
    assert_eq!(after.total.resolved, 0);
    assert_eq!(after.satisfaction.count, 0);
    assert_eq!(after.median_ms_to_resolve, None);
    assert_eq!(after.members["ll1"].recorded, 1);
    // Slices given the withdrawn concern anyway still leave it out.
    let all: Vec<Concern> = list_concerns(&doc)
        .unwrap()
        .into_iter()
        .chain(list_withdrawn_concerns(&doc).unwrap())
        .collect();
    assert_eq!(ledger(&all, &[], &[]).total.raised, 1);
    assert_eq!(raised_in(&all, &Period::all()).len(), 1);
    assert_eq!(
        activity_in(&all, &[], &[], &Period::all())["ll1"].resolved,
        0
    );
    let names = linli_shared::export::Names {
        members: &[],
        units: &[],
    };
    let refs: Vec<&Concern> = all.iter().collect();
    assert_eq!(concern_table(&refs, &names).rows.len(), 1);
    let json = linli_shared::export::georeport_v2(&refs, &names);
    assert!(json.contains("c2") && !json.contains("\"c1\""), "{json}");
}

#[test]
fn a_withdrawal_and_a_concurrent_claim_on_another_phone_converge() {
    let mut a = community_with(&["c1"]);
    let mut b = device(&mut a, 9);
    withdraw_concern(&mut a, &ctx("ll1", T0 + HOUR), "c1", "记错了").unwrap();
    claim(&mut b, &ctx("ll2", T0 + HOUR), "c1").unwrap();
    resolve(&mut b, &ctx("ll2", T0 + 2 * HOUR), "c1", "修好了").unwrap();
    sync_pair(&mut a, &mut b);
    for doc in [&a, &b] {
        let c = get_concern(doc, "c1").unwrap();
        assert!(c.is_withdrawn(), "the withdrawal stands");
        let kinds: Vec<EventKind> = c.timeline.iter().map(|e| e.action.kind()).collect();
        assert!(kinds.contains(&EventKind::Withdrawn));
        assert!(
            kinds.contains(&EventKind::Resolved),
            "the other phone's work is kept"
        );
        assert!(listed(doc).is_empty());
        assert_eq!(community_ledger(doc).unwrap().total.raised, 0);
    }
    assert_eq!(get_concern(&a, "c1"), get_concern(&b, "c1"));
}

#[test]
fn two_phones_withdrawing_at_once_agree_on_one_withdrawal() {
    let mut a = community_with(&["c1", "c2"]);
    let mut b = device(&mut a, 9);
    withdraw_concern(&mut a, &ctx("ll1", T0 + HOUR), "c2", "记错了").unwrap();
    merge_concern(&mut b, &ctx("cm1", T0 + HOUR), "c2", "c1", "重复").unwrap();
    sync_pair(&mut a, &mut b);
    let (ca, cb) = (
        get_concern(&a, "c2").unwrap(),
        get_concern(&b, "c2").unwrap(),
    );
    assert_eq!(ca, cb);
    assert!(ca.is_withdrawn());
    let withdrawals = ca
        .timeline
        .iter()
        .filter(|e| e.action.kind() == EventKind::Withdrawn)
        .count();
    assert_eq!(withdrawals, 2, "both are in the timeline");
    assert_eq!(listed(&a), ["c1"]);
}

fn new_ref(id: &str) -> NewMeetingRef {
    NewMeetingRef {
        id: id.into(),
        kind: MeetingKind::CourtyardCouncil,
        title: format!("议事会{id}"),
        starts_at: T0,
        place: String::new(),
    }
}

fn meeting_doc(id: &str) -> automerge::AutoCommit {
    let mut m = doc_with_actor(7);
    let new = NewMeeting {
        id: id.into(),
        community_id: "xd".into(),
        kind: MeetingKind::CourtyardCouncil,
        title: format!("议事会{id}"),
        starts_at: T0,
        place: String::new(),
        participants: vec![],
    };
    create_meeting(&mut m, &ctx("gl1", T0), new).unwrap();
    m
}

#[test]
fn a_withdrawn_meeting_leaves_the_list_and_its_follow_ups() {
    let mut doc = community_with(&["c1"]);
    index_meeting(&mut doc, &ctx("gl1", T0), new_ref("m1")).unwrap();
    index_meeting(&mut doc, &ctx("gl1", T0), new_ref("m2")).unwrap();
    index_concern(&mut doc, &ctx("gl1", T0), "m1", "c1").unwrap();
    let mut m1 = meeting_doc("m1");
    assert!(matches!(
        withdraw_meeting(&mut doc, &ctx("ll2", T0 + HOUR), "m1", "记错了"),
        Err(DomainError::NotRecorder { .. })
    ));
    let w = withdraw_meeting(&mut doc, &ctx("gl1", T0 + HOUR), "m1", "建重了").unwrap();
    mark_meeting_withdrawn(&mut m1, &w).unwrap();
    let ids: Vec<String> = list_meetings(&doc)
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, ["m2"]);
    assert!(meetings_for_concern(&doc, "c1").unwrap().is_empty());
    let kept = all_meetings(&doc).unwrap();
    assert_eq!(kept.len(), 2, "kept, not erased");
    let read = get_meeting(&m1).unwrap().withdrawn.unwrap();
    assert_eq!((read.by.as_str(), read.reason.as_str()), ("gl1", "建重了"));
    assert!(matches!(
        withdraw_meeting(&mut doc, &ctx("cm1", T0 + HOUR), "m1", "again"),
        Err(DomainError::Withdrawn {
            kind: RecordKind::Meeting,
            ..
        })
    ));
    // A committee member may withdraw someone else's meeting.
    withdraw_meeting(&mut doc, &ctx("cm1", T0 + HOUR), "m2", "测试").unwrap();
    assert!(list_meetings(&doc).unwrap().is_empty());
}

#[test]
fn a_meeting_withdrawn_on_one_phone_is_gone_on_the_other() {
    let mut a = community_with(&[]);
    index_meeting(&mut a, &ctx("gl1", T0), new_ref("m1")).unwrap();
    let mut b = device(&mut a, 9);
    withdraw_meeting(&mut a, &ctx("gl1", T0 + HOUR), "m1", "记错了").unwrap();
    index_concern(&mut b, &ctx("ll2", T0 + HOUR), "m1", "x").unwrap();
    sync_pair(&mut a, &mut b);
    assert!(list_meetings(&a).unwrap().is_empty());
    assert!(list_meetings(&b).unwrap().is_empty());
}

#[test]
fn a_concern_linked_by_mistake_is_unlinked() {
    let mut m = meeting_doc("m1");
    let item = NewAgendaItem {
        id: "i1".into(),
        title: "路灯".into(),
        concerns: vec!["c1".into(), "c2".into()],
    };
    add_agenda_item(&mut m, &ctx("ll1", T0), item).unwrap();
    unlink_concern(&mut m, &ctx("ll1", T0 + 1), "i1", "c2").unwrap();
    assert_eq!(get_meeting(&m).unwrap().agenda[0].concerns, ["c1"]);
    assert!(matches!(
        unlink_concern(&mut m, &ctx("ll1", T0 + 1), "i1", "c2"),
        Err(DomainError::NotFound { .. })
    ));
    let mut doc = community_with(&["c1", "c2"]);
    index_meeting(&mut doc, &ctx("gl1", T0), new_ref("m1")).unwrap();
    index_concern(&mut doc, &ctx("ll1", T0), "m1", "c2").unwrap();
    unindex_concern(&mut doc, &ctx("ll1", T0 + 1), "m1", "c2").unwrap();
    assert!(meetings_for_concern(&doc, "c2").unwrap().is_empty());
}

#[test]
fn an_unlink_and_a_concurrent_relink_keep_the_link() {
    let mut a = meeting_doc("m1");
    let item = NewAgendaItem {
        id: "i1".into(),
        title: "路灯".into(),
        concerns: vec!["c1".into()],
    };
    add_agenda_item(&mut a, &ctx("ll1", T0), item).unwrap();
    let mut b = device(&mut a, 8);
    unlink_concern(&mut a, &ctx("ll1", T0 + 1), "i1", "c1").unwrap();
    link_concern(&mut b, &ctx("ll2", T0 + 1), "i1", "c1").unwrap();
    sync_pair(&mut a, &mut b);
    assert_eq!(get_meeting(&a).unwrap().agenda[0].concerns, ["c1"]);
    assert_eq!(get_meeting(&a).unwrap(), get_meeting(&b).unwrap());
}
