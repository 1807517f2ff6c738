//! Concurrent edits to one meeting made offline on different devices, then
//! merged: agenda reorders, note typing, removed items, votes and follow-ups.
//! Concerns are in `concurrent.rs`.

mod common;

use automerge::AutoCommit;
use common::*;
use linli_shared::domain::*;

fn meeting_devices() -> (AutoCommit, AutoCommit) {
    let mut base = doc_with_actor(10);
    let seat = |id: &str, role| Participant {
        id: id.into(),
        name: id.to_uppercase(),
        role,
    };
    let m = NewMeeting {
        id: "m1".into(),
        community_id: "xd".into(),
        kind: MeetingKind::CourtyardCouncil,
        title: "十一月小区议事会".into(),
        starts_at: T0 + 5 * DAY,
        place: "社区活动室".into(),
        participants: vec![
            seat("ll1", PartyRole::Representative),
            seat("pm", PartyRole::PropertyCompany),
            seat("cm1", PartyRole::Community),
        ],
    };
    create_meeting(&mut base, &ctx("cm1", T0), m).unwrap();
    for (i, title) in ["停车", "电梯", "飞线充电", "绿化"].iter().enumerate() {
        let item = NewAgendaItem {
            id: format!("i{i}"),
            title: title.to_string(),
            concerns: vec![],
        };
        add_agenda_item(&mut base, &ctx("cm1", T0 + i as i64), item).unwrap();
    }
    (device(&mut base, 11), device(&mut base, 12))
}

fn agenda_ids(doc: &AutoCommit) -> Vec<String> {
    get_meeting(doc)
        .unwrap()
        .agenda
        .into_iter()
        .map(|i| i.id)
        .collect()
}

#[test]
fn two_reorders_of_the_same_item_lose_and_duplicate_nothing() {
    let (mut a, mut b) = meeting_devices();
    move_agenda_item(&mut a, &ctx("cm1", T0 + DAY), "i3", 0).unwrap();
    move_agenda_item(&mut b, &ctx("ll1", T0 + DAY), "i3", 2).unwrap();
    assert_eq!(agenda_ids(&a), ["i3", "i0", "i1", "i2"]);
    assert_eq!(agenda_ids(&b), ["i0", "i1", "i3", "i2"]);
    sync_pair(&mut a, &mut b);
    let merged = agenda_ids(&a);
    assert_eq!(merged, agenda_ids(&b));
    let mut sorted = merged.clone();
    sorted.sort();
    assert_eq!(sorted, ["i0", "i1", "i2", "i3"]);
    assert!(
        merged == ["i3", "i0", "i1", "i2"] || merged == ["i0", "i1", "i3", "i2"],
        "{merged:?}"
    );
}

#[test]
fn reorders_of_different_items_both_apply_and_ties_renumber() {
    let (mut a, mut b) = meeting_devices();
    move_agenda_item(&mut a, &ctx("cm1", T0 + DAY), "i3", 0).unwrap();
    move_agenda_item(&mut b, &ctx("ll1", T0 + DAY), "i2", 0).unwrap();
    sync_pair(&mut a, &mut b);
    let merged = agenda_ids(&a);
    assert_eq!(merged, agenda_ids(&b));
    // Both moved to the front with the same key: tie broken by id.
    assert_eq!(merged, ["i2", "i3", "i0", "i1"]);
    // Moving between two equal keys renumbers and still lands where asked.
    move_agenda_item(&mut a, &ctx("cm1", T0 + DAY), "i0", 1).unwrap();
    assert_eq!(agenda_ids(&a), ["i2", "i0", "i3", "i1"]);
}

#[test]
fn concurrent_note_typing_merges_and_nothing_typed_is_lost() {
    let (mut a, mut b) = meeting_devices();
    edit_notes(&mut a, Notes::Item("i1"), 0, 0, "物业同意").unwrap();
    sync_pair(&mut a, &mut b);
    edit_notes(&mut a, Notes::Item("i1"), 0, 0, "【决】").unwrap();
    edit_notes(&mut b, Notes::Item("i1"), 4, 0, "下月加装").unwrap();
    set_notes(&mut b, Notes::Minutes, "到会 3 人").unwrap();
    set_notes(&mut a, Notes::Minutes, "纪要：").unwrap();
    sync_pair(&mut a, &mut b);
    let notes = read_notes(&a, Notes::Item("i1")).unwrap();
    assert_eq!(notes, "【决】物业同意下月加装");
    assert_eq!(notes, read_notes(&b, Notes::Item("i1")).unwrap());
    let minutes = read_notes(&a, Notes::Minutes).unwrap();
    assert!(
        minutes.contains("到会 3 人") && minutes.contains("纪要："),
        "{minutes}"
    );
    assert_eq!(get_meeting(&a).unwrap(), get_meeting(&b).unwrap());
    assert_eq!(
        edit_notes(&mut a, Notes::Item("i1"), 100, 0, "x"),
        Err(DomainError::OutOfRange {
            index: 100,
            len: notes.chars().count()
        })
    );
}

#[test]
fn notes_typed_into_an_item_removed_concurrently_are_kept() {
    let (mut a, mut b) = meeting_devices();
    remove_agenda_item(&mut a, &ctx("cm1", T0 + DAY), "i2").unwrap();
    edit_notes(&mut b, Notes::Item("i2"), 0, 0, "充电桩选址").unwrap();
    sync_pair(&mut a, &mut b);
    assert_eq!(agenda_ids(&a), ["i0", "i1", "i3"]);
    assert_eq!(read_notes(&a, Notes::Item("i2")).unwrap(), "充电桩选址");
}

#[test]
fn votes_from_every_device_count_once_per_participant() {
    let (mut a, mut b) = meeting_devices();
    vote(&mut a, &ctx("ll1", T0 + DAY), "i1", VoteChoice::For).unwrap();
    vote(&mut b, &ctx("pm", T0 + DAY), "i1", VoteChoice::Against).unwrap();
    vote(&mut b, &ctx("cm1", T0 + DAY), "i1", VoteChoice::Abstain).unwrap();
    vote(&mut b, &ctx("cm1", T0 + DAY + 1), "i1", VoteChoice::For).unwrap();
    assert_eq!(
        vote(&mut a, &ctx("stranger", T0), "i1", VoteChoice::For),
        Err(DomainError::NotParticipant("stranger".into()))
    );
    decide(
        &mut a,
        &ctx("cm1", T0 + DAY + 2),
        "i1",
        "通过：下月加装电梯",
    )
    .unwrap();
    sync_pair(&mut a, &mut b);
    let m = get_meeting(&a).unwrap();
    let item = m.agenda.iter().find(|i| i.id == "i1").unwrap();
    assert_eq!(
        tally(item),
        VoteTally {
            in_favour: 2,
            against: 1,
            abstain: 0
        }
    );
    assert_eq!(
        item.decision.as_ref().map(|d| d.text.as_str()),
        Some("通过：下月加装电梯")
    );
    assert_eq!(
        vote(&mut b, &ctx("pm", T0 + 2 * DAY), "i1", VoteChoice::For),
        Err(DomainError::AlreadyDecided("i1".into()))
    );
    assert_eq!(
        decide(&mut b, &ctx("pm", T0 + 2 * DAY), "i1", "x"),
        Err(DomainError::AlreadyDecided("i1".into()))
    );
}

#[test]
fn follow_ups_added_on_two_devices_and_completed() {
    let (mut a, mut b) = meeting_devices();
    let fu = |id: &str, owner: &str| NewFollowUp {
        id: id.into(),
        title: format!("{id} action"),
        owner: owner.into(),
        due_at: Some(T0 + 10 * DAY),
        item: Some("i1".into()),
    };
    add_follow_up(&mut a, &ctx("cm1", T0 + DAY), fu("f1", "pm")).unwrap();
    add_follow_up(&mut b, &ctx("cm1", T0 + DAY), fu("f2", "ll1")).unwrap();
    sync_pair(&mut a, &mut b);
    complete_follow_up(&mut b, &ctx("pm", T0 + 3 * DAY), "f1", "已报价").unwrap();
    assert_eq!(
        complete_follow_up(&mut b, &ctx("pm", T0 + 3 * DAY), "f1", ""),
        Err(DomainError::AlreadyDone("f1".into()))
    );
    sync_pair(&mut a, &mut b);
    let m = get_meeting(&a).unwrap();
    assert_eq!(m.follow_ups.len(), 2);
    let f1 = &m.follow_ups[0];
    assert_eq!(
        (f1.state, f1.done_by.as_deref(), f1.done_note.as_deref()),
        (FollowUpState::Done, Some("pm"), Some("已报价"))
    );
    assert!(!f1.is_overdue(T0 + 20 * DAY));
    assert!(m.follow_ups[1].is_overdue(T0 + 20 * DAY));
    assert!(!m.follow_ups[1].is_overdue(T0 + 2 * DAY));
}
