//! 吹哨: a resident's report becomes an unclaimed concern at its place, written as
//! [`RESIDENT`]; the resident's own verdict closes (or reopens) it and counts apart in the
//! 台账; the tracking view shows what happened without anyone's id or phone number.

mod common;

use common::*;
use linli_shared::domain::*;

fn report(id: &str, place: &str, text: &str) -> ResidentReport {
    ResidentReport {
        id: id.into(),
        place: place.into(),
        category: Category::Environment,
        text: text.into(),
        name: "王阿姨".into(),
        phone: "13812345678".into(),
        photo: None,
    }
}

fn raised(doc: &mut automerge::AutoCommit, id: &str, place: &str) {
    record_resident_report(doc, T0, report(id, place, "楼道灯坏了")).unwrap();
}

#[test]
fn a_report_is_an_unclaimed_concern_at_its_place_written_by_the_resident() {
    let mut doc = sample_community();
    let long = "三号楼后面的垃圾已经堆了一个星期没人清理，味道很大，晚上还有老鼠\n请尽快处理";
    record_resident_report(&mut doc, T0, report("r1", "nb1", long)).unwrap();
    let c = get_concern(&doc, "r1").unwrap();
    assert_eq!(c.raised_by, RESIDENT);
    assert!(is_resident(&c.raised_by));
    assert_eq!(c.status, ConcernStatus::Open);
    assert_eq!(c.level, Level::Neighbour);
    assert_eq!(c.place.as_deref(), Some("nb1"));
    assert_eq!(c.title.chars().count(), 30);
    assert!(c.title.ends_with('…'));
    assert_eq!(c.description, long);
    assert_eq!(c.reporter, Reporter::Resident("王阿姨 13812345678".into()));
    assert_eq!(c.timeline[0].by, RESIDENT);

    record_resident_report(&mut doc, T0, report("r2", "group1", "路灯不亮")).unwrap();
    let c = get_concern(&doc, "r2").unwrap();
    assert_eq!((c.level, c.title.as_str()), (Level::Group, "路灯不亮"));
    assert_eq!(c.description, "", "a short text is the title alone");

    let mut anonymous = report("r3", "nb2", "噪音");
    anonymous.name = " ".into();
    anonymous.phone = String::new();
    record_resident_report(&mut doc, T0, anonymous).unwrap();
    assert_eq!(get_concern(&doc, "r3").unwrap().reporter, Reporter::Unknown);
}

#[test]
fn a_report_goes_only_to_a_neighbourhood_or_group_and_says_something() {
    let mut doc = sample_community();
    for place in ["area1", "hh1a", "nowhere"] {
        let refused = record_resident_report(&mut doc, T0, report("x", place, "灯坏了"));
        assert!(refused.is_err(), "{place}");
    }
    let empty = record_resident_report(&mut doc, T0, report("x", "nb1", "  \n "));
    assert_eq!(empty, Err(DomainError::Empty(Field::Title)));
    let huge = "灯".repeat(MAX_DESCRIPTION_CHARS + 1);
    assert!(record_resident_report(&mut doc, T0, report("x", "nb1", &huge)).is_err());
    assert!(list_concerns(&doc).unwrap().is_empty(), "nothing written");
}

#[test]
fn the_residents_verdict_closes_or_reopens_and_counts_as_theirs() {
    let mut doc = sample_community();
    raised(&mut doc, "r1", "nb1");
    raised(&mut doc, "r2", "nb1");
    raised(&mut doc, "r3", "nb1");
    let before = rate_as_resident(&mut doc, T0 + HOUR, "r1", 5, "", "不满意");
    assert!(before.is_err(), "not resolved yet: {before:?}");
    for id in ["r1", "r2", "r3"] {
        claim(&mut doc, &ctx("ll1", T0 + HOUR), id).unwrap();
        resolve(&mut doc, &ctx("ll1", T0 + 2 * HOUR), id, "换了灯泡").unwrap();
    }
    rate_as_resident(&mut doc, T0 + DAY, "r1", 5, "谢谢", "不满意").unwrap();
    let r1 = get_concern(&doc, "r1").unwrap();
    assert_eq!(r1.status, ConcernStatus::Closed);
    assert_eq!(r1.feedback.as_ref().unwrap().by, RESIDENT);

    rate_as_resident(&mut doc, T0 + DAY, "r2", 1, "", "居民不满意").unwrap();
    let r2 = get_concern(&doc, "r2").unwrap();
    assert_eq!(r2.status, ConcernStatus::Reopened);
    assert_eq!(
        last_action(&doc, "r2"),
        ConcernEvent::Reopened {
            reason: "居民不满意".into()
        }
    );

    // A resident without a phone: the resolver records the verdict for them.
    feedback(&mut doc, &ctx("ll1", T0 + DAY), "r3", 3, "电话回访").unwrap();
    let ledger = community_ledger(&doc).unwrap();
    assert_eq!(ledger.satisfaction.count, 2, "r1 and r3 are closed");
    // An unhappy resident's verdict reopened r2, and counts among theirs.
    assert_eq!(ledger.satisfaction.by_residents, 2);
    assert_eq!(ledger.satisfaction.residents_mean, Some(3.0));
    assert_eq!(ledger.satisfaction.mean, Some(4.0));
    assert!(
        !ledger.members.contains_key(RESIDENT),
        "residents are not members"
    );
    assert_eq!(ledger.members["ll1"].resolved, 3);
}

#[test]
fn tracking_tells_what_happened_without_ids_or_phone_numbers() {
    let mut doc = sample_community();
    raised(&mut doc, "r1", "nb1");
    let t = tracking(&get_concern(&doc, "r1").unwrap());
    assert_eq!(t.status, TrackedStatus::Waiting(Level::Neighbour));
    assert_eq!(t.steps, vec![(T0, TrackedStep::Received)]);
    assert!(!t.may_rate);

    claim(&mut doc, &ctx("ll1", T0 + HOUR), "r1").unwrap();
    let c = get_concern(&doc, "r1").unwrap();
    assert_eq!(tracking(&c).status, TrackedStatus::InHand(Level::Neighbour));
    resolve(
        &mut doc,
        &ctx("ll1", T0 + 2 * HOUR),
        "r1",
        "王师傅已修好，有问题打13900001111",
    )
    .unwrap();
    let t = tracking(&get_concern(&doc, "r1").unwrap());
    assert_eq!(t.status, TrackedStatus::Resolved);
    assert!(t.may_rate);
    let shown = format!("{t:?}");
    assert!(!shown.contains("ll1") && !shown.contains("LL1"), "{shown}");
    assert!(!shown.contains("13900001111"), "{shown}");
    assert!(matches!(&t.steps[2].1, TrackedStep::Resolved(s) if s.starts_with("王师傅已修好")));
    assert_eq!(t.text, "楼道灯坏了", "the resident's own words, whole");

    rate_as_resident(&mut doc, T0 + DAY, "r1", 4, "", "不满意").unwrap();
    let t = tracking(&get_concern(&doc, "r1").unwrap());
    assert_eq!(t.status, TrackedStatus::Closed);
    assert!(!t.may_rate);
    assert_eq!(
        t.steps.last().unwrap().1,
        TrackedStep::Rated {
            stars: 4,
            by_resident: true
        }
    );

    // A member's own concern is never rated from a tracking page.
    record_concern(&mut doc, &ctx("ll1", T0), new_concern("m1", "井盖")).unwrap();
    claim(&mut doc, &ctx("ll1", T0), "m1").unwrap();
    resolve(&mut doc, &ctx("ll1", T0), "m1", "盖好了").unwrap();
    assert!(!tracking(&get_concern(&doc, "m1").unwrap()).may_rate);
}

fn leader(member: &str) -> Author<'_> {
    Author {
        member,
        role: Some(Role::NeighbourLeader),
        admin: false,
    }
}

#[test]
fn any_member_sets_a_residents_report_aside_and_it_stays_on_record() {
    let mut doc = sample_community();
    raised(&mut doc, "r1", "nb1");
    raised(&mut doc, "r2", "nb1");
    // The relay's judge agrees with the command (else the phone's change is refused).
    let before = doc.get_heads();
    merge_concern(&mut doc, &ctx("ll1", T0 + HOUR), "r2", "r1", "重复").unwrap();
    assert_eq!(verify(&doc, &before, &leader("ll1")), Ok(()));
    let before = doc.get_heads();
    withdraw_concern(&mut doc, &ctx("ll2", T0 + HOUR), "r1", "广告").unwrap();
    assert_eq!(verify(&doc, &before, &leader("ll2")), Ok(()));
    let r1 = get_concern(&doc, "r1").unwrap();
    assert_eq!(r1.withdrawn.as_ref().unwrap().by, "ll2");
    assert_eq!(tracking(&r1).status, TrackedStatus::SetAside);
    let r2 = tracking(&get_concern(&doc, "r2").unwrap());
    let set_aside = TrackedStep::SetAside { duplicate: true };
    assert_eq!(r2.steps.last().unwrap().1, set_aside);
    // A member's own record stays the recorder's (or a manager's) to withdraw, and the judge
    // refuses a phone that writes it anyway as someone the relay knows as a 邻长.
    record_concern(&mut doc, &ctx("ll1", T0), new_concern("m1", "井盖")).unwrap();
    assert!(withdraw_concern(&mut doc, &ctx("ll2", T0 + HOUR), "m1", "广告").is_err());
    let before = doc.get_heads();
    withdraw_concern(&mut doc, &ctx("cm1", T0 + HOUR), "m1", "广告").unwrap();
    assert_eq!(
        verify(&doc, &before, &leader("cm1")),
        Err(Rule::NotRecorder)
    );
    // Someone outside the community's members may not.
    assert!(!may_withdraw(&doc, "stranger", RESIDENT));
}

#[test]
fn a_phone_claiming_a_residents_report_passes_the_relays_judge() {
    let mut doc = sample_community();
    raised(&mut doc, "r1", "nb1");
    let before = doc.get_heads();
    claim(&mut doc, &ctx("ll1", T0 + HOUR), "r1").unwrap();
    let author = Author {
        member: "ll1",
        role: Some(Role::NeighbourLeader),
        admin: false,
    };
    assert_eq!(verify(&doc, &before, &author), Ok(()));
    // Nobody but the resident gives the resident's verdict in their name.
    resolve(&mut doc, &ctx("ll1", T0 + HOUR), "r1", "修好了").unwrap();
    let before = doc.get_heads();
    feedback(&mut doc, &ctx("ll1", T0 + DAY), "r1", 5, "").unwrap();
    assert_eq!(
        verify(&doc, &before, &author),
        Ok(()),
        "the resolver may record it"
    );
    assert_ne!(
        get_concern(&doc, "r1").unwrap().feedback.unwrap().by,
        RESIDENT
    );
}

#[test]
fn the_ledger_export_names_the_resident_and_whose_verdict_it_is() {
    use linli_shared::export::{concern_table, Cell, Names};
    let mut doc = sample_community();
    raised(&mut doc, "r1", "nb1");
    raised(&mut doc, "r2", "nb1");
    for id in ["r1", "r2"] {
        claim(&mut doc, &ctx("ll1", T0 + HOUR), id).unwrap();
        resolve(&mut doc, &ctx("ll1", T0 + HOUR), id, "修好了").unwrap();
    }
    rate_as_resident(&mut doc, T0 + DAY, "r1", 4, "", "不满意").unwrap();
    feedback(&mut doc, &ctx("ll1", T0 + DAY), "r2", 5, "电话回访").unwrap();
    let concerns = list_concerns(&doc).unwrap();
    let refs: Vec<&Concern> = concerns.iter().collect();
    let names = Names {
        members: &[],
        units: &[],
    };
    let table = concern_table(&refs, &names);
    let column = |name: &str| table.headers.iter().position(|h| *h == name).unwrap();
    let cell = |row: usize, name: &str| match &table.rows[row][column(name)] {
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => n.to_string(),
    };
    let by_id = |id: &str| {
        table
            .rows
            .iter()
            .position(|r| r[0] == Cell::text(id))
            .unwrap()
    };
    assert_eq!(cell(by_id("r1"), "记录人"), "居民（扫码反映）");
    assert_eq!(cell(by_id("r1"), "评价来源"), "居民自评");
    assert_eq!(cell(by_id("r2"), "评价来源"), "代录");
}
