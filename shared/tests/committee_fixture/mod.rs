//! The committee-view fixture (issue 7): four concerns over November and
//! December, two visits and one meeting, shared by `committee_view.rs` and
//! `committee_view_exports.rs`.

use crate::common::*;
use linli_shared::domain::*;

/// 2026-12-01T00:00:00+08:00.
pub const DEC1: i64 = T0 + 29 * DAY;

fn new(id: &str, title: &str, place: Option<&str>, due: Option<i64>) -> NewConcern {
    NewConcern {
        id: id.into(),
        title: title.into(),
        category: Category::Lighting,
        place: place.map(Into::into),
        due_at: due,
        ..Default::default()
    }
}

/// Four concerns over November and December (stories in the comments), two
/// visits and one meeting.
pub fn fixture() -> automerge::AutoCommit {
    let mut d = sample_community();
    let doc = &mut d;
    // k1: Nov 2, due Nov 5, claimed by ll1 Nov 2 +1 h, resolved Dec 3 (late).
    record_concern(
        doc,
        &ctx("ll1", T0),
        new(
            "k1",
            "路灯坏了 13812345678",
            Some("hh1a"),
            Some(T0 + 3 * DAY),
        ),
    )
    .unwrap();
    claim(doc, &ctx("ll1", T0 + HOUR), "k1").unwrap();
    resolve(
        doc,
        &ctx("ll1", DEC1 + 2 * DAY),
        "k1",
        "换灯, 已通知 13812345678",
    )
    .unwrap();
    // k2: Nov 10, due Nov 12, escalated to 组 Nov 10 +1 h, never claimed: overdue at 组.
    record_concern(
        doc,
        &ctx("ll2", T0 + 8 * DAY),
        new("k2", "=车乱停", Some("nb2"), Some(T0 + 10 * DAY)),
    )
    .unwrap();
    escalate(doc, &ctx("ll2", T0 + 8 * DAY + HOUR), "k2", None, "需协调").unwrap();
    // k3: Dec 2, due Dec 20: open, not overdue on Dec 10.
    record_concern(
        doc,
        &ctx("ll1", DEC1 + DAY),
        new("k3", "楼道堆物", None, Some(DEC1 + 19 * DAY)),
    )
    .unwrap();
    // k4: Dec 4, due Dec 5, open at 邻: overdue on Dec 10.
    record_concern(
        doc,
        &ctx("ll2", DEC1 + 3 * DAY),
        new("k4", "井盖松动", Some("hh2a"), Some(DEC1 + 4 * DAY)),
    )
    .unwrap();
    for (id, by, at) in [("v1", "ll1", T0 + DAY), ("v2", "ll1", DEC1 + DAY)] {
        log_visit(
            doc,
            &ctx(by, at),
            NewVisit {
                id: id.into(),
                note: "走访".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    index_meeting(
        doc,
        &ctx("cm1", DEC1),
        NewMeetingRef {
            id: "m1".into(),
            kind: MeetingKind::WeeklyBriefing,
            title: "民情碰头会".into(),
            starts_at: DEC1 + 5 * DAY,
            place: "社区".into(),
        },
    )
    .unwrap();
    d
}
