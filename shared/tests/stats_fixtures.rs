//! The ledger (台账) checked against figures computed by hand.

mod common;

use std::collections::BTreeMap;

use common::*;
use linli_shared::domain::*;

fn concern(id: &str, category: Category, place: Option<&str>) -> NewConcern {
    NewConcern {
        id: id.into(),
        title: id.into(),
        category,
        place: place.map(Into::into),
        ..Default::default()
    }
}

/// Five concerns across two months, two areas and three levels (see the
/// comments for each one's story), and three visits.
fn fixture() -> automerge::AutoCommit {
    let mut d = sample_community();
    let doc = &mut d;
    // c1: 邻 level, claimed after 1 h, resolved after 5 h, satisfaction 5 → Closed.
    record_concern(
        doc,
        &ctx("ll1", T0),
        concern("c1", Category::Lighting, Some("hh1a")),
    )
    .unwrap();
    claim(doc, &ctx("ll1", T0 + HOUR), "c1").unwrap();
    resolve(doc, &ctx("ll1", T0 + 5 * HOUR), "c1", "换灯").unwrap();
    feedback(doc, &ctx("ll1", T0 + DAY), "c1", 5, "").unwrap();
    // c2: escalated to 组 after 1 h, claimed there after 3 h → Claimed.
    let t2 = T0 + DAY;
    record_concern(
        doc,
        &ctx("ll2", t2),
        concern("c2", Category::Parking, Some("nb2")),
    )
    .unwrap();
    escalate(doc, &ctx("ll2", t2 + HOUR), "c2", None, "需协调").unwrap();
    claim(doc, &ctx("gl1", t2 + 3 * HOUR), "c2").unwrap();
    // c3: no place; resolved on the spot after 30 min → Resolved.
    let t3 = T0 + 2 * DAY;
    record_concern(
        doc,
        &ctx("ll1", t3),
        concern("c3", Category::Lighting, None),
    )
    .unwrap();
    resolve(doc, &ctx("ll1", t3 + 30 * MINUTE), "c3", "修好").unwrap();
    // c4: raised in December; to 村 level, claimed after 2 days, resolved, rated 2
    // and reopened → Reopened (its rating no longer counts).
    let t4 = T0 + 30 * DAY;
    record_concern(
        doc,
        &ctx("ll2", t4),
        concern("c4", Category::Housing, Some("group1")),
    )
    .unwrap();
    escalate(
        doc,
        &ctx("ll2", t4 + HOUR),
        "c4",
        Some(Level::Committee),
        "资金",
    )
    .unwrap();
    claim(doc, &ctx("cm1", t4 + 2 * DAY), "c4").unwrap();
    resolve(doc, &ctx("cm1", t4 + 10 * DAY), "c4", "立项").unwrap();
    feedback(doc, &ctx("ll2", t4 + 11 * DAY), "c4", 2, "太慢").unwrap();
    reopen(doc, &ctx("ll2", t4 + 11 * DAY + 1), "c4", "没修好").unwrap();
    // c5: supported once; claimed after 2 h, resolved after 12 h, satisfaction 3.
    let t5 = T0 + 3 * DAY;
    record_concern(
        doc,
        &ctx("ll1", t5),
        concern("c5", Category::Lighting, Some("hh2b")),
    )
    .unwrap();
    support(doc, &ctx("ll2", t5 + 1), "c5", "hh2a").unwrap();
    claim(doc, &ctx("ll1", t5 + 2 * HOUR), "c5").unwrap();
    resolve(doc, &ctx("ll1", t5 + 12 * HOUR), "c5", "修好").unwrap();
    feedback(doc, &ctx("ll1", T0 + 4 * DAY), "c5", 3, "").unwrap();
    for (id, by) in [("v1", "ll1"), ("v2", "ll1"), ("v3", "ll2")] {
        log_visit(
            doc,
            &ctx(by, T0),
            NewVisit {
                id: id.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    d
}

fn counts(raised: usize, resolved: usize) -> Counts {
    Counts { raised, resolved }
}

#[test]
fn counts_by_level_category_area_and_month() {
    let l = community_ledger(&fixture()).unwrap();
    assert_eq!(l.total, counts(5, 3));
    let by_level: BTreeMap<_, _> = [
        (Level::Neighbour, counts(3, 3)),
        (Level::Group, counts(1, 0)),
        (Level::Committee, counts(1, 0)),
    ]
    .into();
    assert_eq!(l.by_level, by_level);
    let by_category: BTreeMap<_, _> = [
        (Category::Lighting, counts(3, 3)),
        (Category::Parking, counts(1, 0)),
        (Category::Housing, counts(1, 0)),
    ]
    .into();
    assert_eq!(l.by_category, by_category);
    let by_area: BTreeMap<_, _> = [
        (Some("area1".to_string()), counts(2, 1)),
        (Some("area2".to_string()), counts(2, 1)),
        (None, counts(1, 1)),
    ]
    .into();
    assert_eq!(l.by_area, by_area);
    let by_month: BTreeMap<_, _> = [
        ("2026-11".to_string(), counts(4, 3)),
        ("2026-12".to_string(), counts(1, 0)),
    ]
    .into();
    assert_eq!(l.by_month, by_month);
}

#[test]
fn medians_and_satisfaction() {
    let l = community_ledger(&fixture()).unwrap();
    // To claim: 30 min, 1 h, 2 h, 3 h, 2 d → 2 h.
    assert_eq!(l.median_ms_to_claim, Some(2 * HOUR));
    // To resolve (Resolved/Closed only): 30 min, 5 h, 12 h → 5 h.
    assert_eq!(l.median_ms_to_resolve, Some(5 * HOUR));
    // Closed with feedback: c1 (5) and c5 (3).
    assert_eq!(
        l.satisfaction,
        Satisfaction {
            count: 2,
            mean: Some(4.0),
            distribution: [0, 0, 1, 0, 1],
            by_residents: 0,
            residents_mean: None,
        }
    );
}

#[test]
fn per_member_activity() {
    let l = community_ledger(&fixture()).unwrap();
    let ll1 = MemberActivity {
        recorded: 3,
        claimed: 2,
        resolved: 3,
        feedback_collected: 2,
        visits: 2,
        ..Default::default()
    };
    let ll2 = MemberActivity {
        recorded: 2,
        escalated: 2,
        feedback_collected: 1,
        reopened: 1,
        supported: 1,
        visits: 1,
        ..Default::default()
    };
    let gl1 = MemberActivity {
        claimed: 1,
        ..Default::default()
    };
    let cm1 = MemberActivity {
        claimed: 1,
        resolved: 1,
        ..Default::default()
    };
    let expected: BTreeMap<MemberId, MemberActivity> = [
        ("ll1".into(), ll1),
        ("ll2".into(), ll2),
        ("gl1".into(), gl1),
        ("cm1".into(), cm1),
    ]
    .into();
    assert_eq!(l.members, expected);
}

#[test]
fn empty_ledger_and_median_rules() {
    let l = community_ledger(&sample_community()).unwrap();
    assert_eq!(l, Ledger::default());
    assert_eq!(median_ms(&mut []), None);
    assert_eq!(median_ms(&mut [4, 1, 3, 2]), Some(2));
    assert_eq!(median_ms(&mut [7]), Some(7));
    assert_eq!(
        median_ms(&mut [-50, 10, 20]),
        Some(10),
        "negative durations count as zero"
    );
    assert_eq!(median_ms(&mut [-50, -10]), Some(0));
}

#[test]
fn a_slice_of_concerns_gives_a_slice_ledger() {
    let doc = fixture();
    let december: Vec<Concern> = list_concerns(&doc)
        .unwrap()
        .into_iter()
        .filter(|c| month_key(c.raised_at) == "2026-12")
        .collect();
    let l = ledger(&december, &list_units(&doc).unwrap(), &[]);
    assert_eq!(l.total, counts(1, 0));
    assert_eq!(l.median_ms_to_claim, Some(2 * DAY));
    assert_eq!(l.median_ms_to_resolve, None);
}
