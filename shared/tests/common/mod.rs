//! Fixtures shared by the integration tests.
#![allow(dead_code)]

use automerge::{ActorId, AutoCommit};
use linli_shared::domain::*;

/// 2026-11-02T00:00:00+08:00, a Monday.
pub const T0: i64 = 1_793_548_800_000;
pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// A context for `actor`, holding the role its id names in the sample community (`ll…` 邻长,
/// `gl…` 组长, `al…` 片长, `cm…` 两委, `town…` 镇/街道; anything else has no role).
pub fn ctx(actor: &str, at: i64) -> Ctx {
    Ctx::new(actor, at).with_role(role_of(actor))
}

/// The role a fixture member's id names.
pub fn role_of(actor: &str) -> Option<Role> {
    [
        ("ll", Role::NeighbourLeader),
        ("gl", Role::GroupLeader),
        ("al", Role::AreaLeader),
        ("cm", Role::Committee),
        ("town", Role::Town),
    ]
    .into_iter()
    .find(|(prefix, _)| actor.starts_with(prefix))
    .map(|(_, role)| role)
}

/// A document with a fixed actor id, so that runs are reproducible.
pub fn doc_with_actor(n: u8) -> AutoCommit {
    AutoCommit::new().with_actor(ActorId::from(vec![n; 16]))
}

/// A copy of `doc` as another device (actor `n`).
pub fn device(doc: &mut AutoCommit, n: u8) -> AutoCommit {
    doc.fork().with_actor(ActorId::from(vec![n; 16]))
}

/// Both ways.
pub fn sync_pair(a: &mut AutoCommit, b: &mut AutoCommit) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
}

/// A community with two 片, each with one 组, one 邻 and two households, and
/// members: ll1/ll2 (邻长), gl1 (组长), al1 (片长), cm1 (两委).
pub fn sample_community() -> AutoCommit {
    let mut doc = doc_with_actor(0);
    init_community(&mut doc, "xd", "兴东社区").unwrap();
    let admin = ctx("cm1", T0 - DAY);
    for a in ["1", "2"] {
        let unit = |id: String, kind, name: &str, parent: Option<String>| OrgUnit {
            id,
            kind,
            name: name.to_string(),
            parent,
        };
        add_unit(
            &mut doc,
            &admin,
            unit(format!("area{a}"), UnitKind::Area, "片", None),
        )
        .unwrap();
        add_unit(
            &mut doc,
            &admin,
            unit(
                format!("group{a}"),
                UnitKind::Group,
                "组",
                Some(format!("area{a}")),
            ),
        )
        .unwrap();
        add_unit(
            &mut doc,
            &admin,
            unit(
                format!("nb{a}"),
                UnitKind::Neighbourhood,
                "邻",
                Some(format!("group{a}")),
            ),
        )
        .unwrap();
        for h in ["a", "b"] {
            add_unit(
                &mut doc,
                &admin,
                unit(
                    format!("hh{a}{h}"),
                    UnitKind::Household,
                    "户",
                    Some(format!("nb{a}")),
                ),
            )
            .unwrap();
        }
    }
    for (id, role, unit) in [
        ("ll1", Role::NeighbourLeader, "nb1"),
        ("ll2", Role::NeighbourLeader, "nb2"),
        ("gl1", Role::GroupLeader, "group1"),
        ("al1", Role::AreaLeader, "area1"),
        ("cm1", Role::Committee, "area1"),
    ] {
        let m = NewMember {
            id: id.into(),
            name: id.to_uppercase(),
            role,
            unit: Some(unit.into()),
        };
        add_member(&mut doc, &admin, m).unwrap();
    }
    doc
}

/// Meeting "m" of community "xd", a 议事会 at T0, with these members as participants.
pub fn new_meeting(participants: &[&str]) -> NewMeeting {
    NewMeeting {
        id: "m".into(),
        community_id: "xd".into(),
        kind: MeetingKind::CourtyardCouncil,
        title: "议事会".into(),
        starts_at: T0,
        place: "活动室".into(),
        participants: participants
            .iter()
            .map(|id| Participant {
                id: id.to_string(),
                name: id.to_string(),
                role: PartyRole::Community,
            })
            .collect(),
    }
}

/// The meeting index's entry for meeting `id` (a 会 at T0).
pub fn meeting_ref(id: &str) -> NewMeetingRef {
    NewMeetingRef {
        id: id.into(),
        kind: MeetingKind::Other,
        title: "会".into(),
        starts_at: T0,
        place: String::new(),
    }
}

pub fn new_concern(id: &str, title: &str) -> NewConcern {
    NewConcern {
        id: id.into(),
        title: title.into(),
        ..Default::default()
    }
}

/// The last timeline event's action.
pub fn last_action(doc: &AutoCommit, id: &str) -> ConcernEvent {
    get_concern(doc, id)
        .unwrap()
        .timeline
        .last()
        .unwrap()
        .action
        .clone()
}
