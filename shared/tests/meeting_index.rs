//! The community document's meeting index: phones find meetings created on
//! other phones, concurrent first meetings on two offline phones both survive,
//! and concern links and follow-ups are mirrored for the other screens.

mod common;

use common::*;
use linli_shared::domain::*;

fn new_ref(id: &str, title: &str, starts_at: i64) -> NewMeetingRef {
    NewMeetingRef {
        id: id.into(),
        kind: MeetingKind::CourtyardCouncil,
        title: title.into(),
        starts_at,
        place: "社区活动室".into(),
    }
}

fn follow_up(id: &str, owner: &str, due_at: Option<i64>, state: FollowUpState) -> FollowUp {
    FollowUp {
        id: id.into(),
        title: "修好路灯".into(),
        owner: owner.into(),
        due_at,
        item: None,
        state,
        created_by: "cm1".into(),
        created_at: T0,
        done_by: None,
        done_at: None,
        done_note: None,
    }
}

#[test]
fn meetings_are_listed_latest_first_and_duplicates_refused() {
    let mut doc = sample_community();
    index_meeting(&mut doc, &ctx("cm1", T0), new_ref("m1", "十一月议事会", T0)).unwrap();
    index_meeting(
        &mut doc,
        &ctx("cm1", T0),
        new_ref("m2", "十二月议事会", T0 + DAY),
    )
    .unwrap();
    let titles: Vec<String> = list_meetings(&doc)
        .unwrap()
        .into_iter()
        .map(|m| m.title)
        .collect();
    assert_eq!(titles, ["十二月议事会", "十一月议事会"]);
    assert!(matches!(
        index_meeting(&mut doc, &ctx("cm1", T0), new_ref("m1", "again", T0)),
        Err(DomainError::AlreadyExists { .. })
    ));
    assert_eq!(list_meetings(&doc).unwrap()[1].created_by, "cm1");
}

#[test]
fn first_meetings_created_on_two_offline_phones_both_survive() {
    let mut base = sample_community();
    let mut a = device(&mut base, 1);
    let mut b = device(&mut base, 2);
    // Neither phone has a `meetings` map yet: both create one concurrently.
    index_meeting(&mut a, &ctx("gl1", T0), new_ref("ma", "甲", T0)).unwrap();
    index_meeting(&mut b, &ctx("al1", T0), new_ref("mb", "乙", T0 + 1)).unwrap();
    sync_pair(&mut a, &mut b);
    let ids = |d: &automerge::AutoCommit| -> Vec<String> {
        list_meetings(d)
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect()
    };
    assert_eq!(ids(&a), ["mb", "ma"]);
    assert_eq!(ids(&a), ids(&b));
    // Later writes to either meeting still land and are read on both.
    index_concern(&mut a, &ctx("ll1", T0), "mb", "c1").unwrap();
    index_concern(&mut b, &ctx("ll2", T0), "ma", "c1").unwrap();
    sync_pair(&mut a, &mut b);
    assert_eq!(meetings_for_concern(&b, "c1").unwrap().len(), 2);
}

#[test]
fn concern_links_find_the_meetings_that_discussed_it() {
    let mut doc = sample_community();
    index_meeting(&mut doc, &ctx("cm1", T0), new_ref("m1", "一", T0)).unwrap();
    index_meeting(&mut doc, &ctx("cm1", T0), new_ref("m2", "二", T0 + DAY)).unwrap();
    index_concern(&mut doc, &ctx("cm1", T0), "m1", "c9").unwrap();
    let found: Vec<String> = meetings_for_concern(&doc, "c9")
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(found, ["m1"]);
    assert!(meetings_for_concern(&doc, "other").unwrap().is_empty());
    assert!(matches!(
        index_concern(&mut doc, &ctx("cm1", T0), "nope", "c9"),
        Err(DomainError::NotFound { .. })
    ));
}

#[test]
fn follow_ups_reach_their_owner_and_done_is_final() {
    let mut doc = sample_community();
    index_meeting(&mut doc, &ctx("cm1", T0), new_ref("m1", "一", T0)).unwrap();
    let later = follow_up("f1", "ll1", Some(T0 + 2 * DAY), FollowUpState::Open);
    let sooner = follow_up("f2", "ll1", Some(T0 + DAY), FollowUpState::Open);
    index_follow_up(&mut doc, "m1", &later).unwrap();
    index_follow_up(&mut doc, "m1", &sooner).unwrap();
    index_follow_up(
        &mut doc,
        "m1",
        &follow_up("f3", "gl1", None, FollowUpState::Open),
    )
    .unwrap();

    let mine = follow_ups_of(&doc, "ll1").unwrap();
    let ids: Vec<&str> = mine.iter().map(|(_, f)| f.id.as_str()).collect();
    assert_eq!(ids, ["f2", "f1"], "earliest deadline first, only mine");
    assert!(mine[0].1.is_overdue(T0 + DAY + 1));
    assert!(!mine[1].1.is_overdue(T0 + DAY + 1));

    let mut done = sooner.clone();
    done.state = FollowUpState::Done;
    index_follow_up(&mut doc, "m1", &done).unwrap();
    // A stale copy saying "open" does not reopen it.
    index_follow_up(&mut doc, "m1", &sooner).unwrap();
    let mine = follow_ups_of(&doc, "ll1").unwrap();
    assert_eq!(mine[1].1.id, "f2");
    assert_eq!(mine[1].1.state, FollowUpState::Done);
    assert!(!mine[1].1.is_overdue(T0 + 10 * DAY));
}
