//! The simulated community: the org tree and members of 兴东社区, each
//! member acting on their own device, and one concern's life of commands.

use automerge::{ActorId, AutoCommit};
use linli_shared::domain::*;

use super::{HOUR, T0};

/// The member's own device (one actor per member).
fn actor(member: &str) -> ActorId {
    ActorId::from(member.as_bytes())
}

/// Runs a command as `member` on their device and commits it as one change.
fn on_device<T>(doc: &mut AutoCommit, member: &str, f: impl FnOnce(&mut AutoCommit) -> T) -> T {
    if SKIP_COMMIT.with(|s| s.get()) {
        return f(doc);
    }
    doc.set_actor(actor(member));
    let out = f(doc);
    doc.commit();
    out
}

pub struct Org {
    pub neighbour_leaders: Vec<String>,
    pub group_leaders: Vec<String>,
    pub area_leaders: Vec<String>,
    pub committee: Vec<String>,
    pub households: Vec<String>,
}

pub fn build_org(doc: &mut AutoCommit) -> Org {
    init_community(doc, "xingdong", "兴东社区").unwrap();
    let admin = Ctx::new("cm0", T0).with_role(Some(Role::Committee));
    let mut org = Org {
        neighbour_leaders: vec![],
        group_leaders: vec![],
        area_leaders: vec![],
        committee: vec![],
        households: vec![],
    };
    let unit = |id: String, kind, parent: Option<String>| OrgUnit {
        id: id.clone(),
        kind,
        name: id,
        parent,
    };
    let member = |doc: &mut AutoCommit, id: String, role, unit: String| {
        let m = NewMember {
            id: id.clone(),
            name: format!("成员{id}"),
            role,
            unit: Some(unit),
        };
        add_member(doc, &admin, m).unwrap();
        id
    };
    let mut nb = 0usize;
    for a in 0..5 {
        let area = format!("area{a}");
        add_unit(doc, &admin, unit(area.clone(), UnitKind::Area, None)).unwrap();
        org.area_leaders.push(member(
            doc,
            format!("al{a}"),
            Role::AreaLeader,
            area.clone(),
        ));
        org.group_leaders.push(member(
            doc,
            format!("gl{a}"),
            Role::GroupLeader,
            area.clone(),
        ));
        org.committee
            .push(member(doc, format!("cm{a}"), Role::Committee, area.clone()));
        for g in 0..2 {
            let group = format!("g{a}{g}");
            add_unit(
                doc,
                &admin,
                unit(group.clone(), UnitKind::Group, Some(area.clone())),
            )
            .unwrap();
            let per_group = if a * 2 + g < 3 { 14 } else { 13 }; // 133 邻 in all
            for _ in 0..per_group {
                let n = format!("nb{nb}");
                add_unit(
                    doc,
                    &admin,
                    unit(n.clone(), UnitKind::Neighbourhood, Some(group.clone())),
                )
                .unwrap();
                org.neighbour_leaders.push(member(
                    doc,
                    format!("ll{nb}"),
                    Role::NeighbourLeader,
                    n.clone(),
                ));
                for h in 0..13 + usize::from(nb.is_multiple_of(3)) {
                    let id = format!("h{nb}-{h}");
                    add_unit(
                        doc,
                        &admin,
                        unit(id.clone(), UnitKind::Household, Some(n.clone())),
                    )
                    .unwrap();
                    org.households.push(id);
                }
                nb += 1;
            }
        }
    }
    org.committee
        .push(member(doc, "town0".into(), Role::Town, "area0".into()));
    org.committee
        .push(member(doc, "town1".into(), Role::Town, "area0".into()));
    doc.commit();
    org
}

/// One concern's life: record, 2 supports, claim, escalate, claim, resolve,
/// feedback (8 events); every other one is then reopened, claimed, resolved
/// and rated again (12 events): 10 on average.
pub fn concern_life(doc: &mut AutoCommit, org: &Org, i: usize) {
    let ll = &org.neighbour_leaders[i % org.neighbour_leaders.len()];
    let gl = &org.group_leaders[i % org.group_leaders.len()];
    let household = &org.households[(i * 7) % org.households.len()];
    let at = |h: i64| T0 + (i as i64) * 4 * HOUR + h * HOUR;
    // As on the phones, each acts with the role of their member record.
    let ll_at = |h: i64| Ctx::new(ll.as_str(), at(h)).with_role(Some(Role::NeighbourLeader));
    let gl_at = |h: i64| Ctx::new(gl.as_str(), at(h)).with_role(Some(Role::GroupLeader));
    let id = format!("concern-{i:05}-8f3a2c71");
    let category = Category::ALL[i % Category::ALL.len()];
    let c = NewConcern {
        id: id.clone(),
        title: "楼道灯不亮，晚上老人上下楼不安全".into(),
        description: "3栋2单元，已经坏了一周".into(),
        category,
        place: Some(household.clone()),
        reporter: Reporter::Household(household.clone()),
        level: None,
        due_at: Some(at(72)),
        photos: Vec::new(),
    };
    on_device(doc, ll, |d| record_concern(d, &ll_at(0), c)).unwrap();
    for (k, s) in [1usize, 2].into_iter().enumerate() {
        let supporter = &org.households[(i * 7 + s) % org.households.len()];
        on_device(doc, ll, |d| {
            support(d, &ll_at(k as i64 + 1), &id, supporter)
        })
        .unwrap();
    }
    on_device(doc, ll, |d| claim(d, &ll_at(3), &id)).unwrap();
    on_device(doc, ll, |d| {
        escalate(d, &ll_at(4), &id, None, "需要组长协调物业")
    })
    .unwrap();
    on_device(doc, gl, |d| claim(d, &gl_at(5), &id)).unwrap();
    on_device(doc, gl, |d| resolve(d, &gl_at(20), &id, "物业已更换灯具")).unwrap();
    on_device(doc, ll, |d| feedback(d, &ll_at(30), &id, 4, "")).unwrap();
    if i.is_multiple_of(2) {
        on_device(doc, ll, |d| reopen(d, &ll_at(40), &id, "又坏了")).unwrap();
        on_device(doc, gl, |d| claim(d, &gl_at(41), &id)).unwrap();
        on_device(doc, gl, |d| resolve(d, &gl_at(50), &id, "换了线路")).unwrap();
        on_device(doc, ll, |d| feedback(d, &ll_at(60), &id, 5, "满意")).unwrap();
    }
}

pub fn concern_life_in_one_change(doc: &mut AutoCommit, org: &Org, i: usize) {
    SKIP_COMMIT.with(|s| s.set(true));
    concern_life(doc, org, i);
}

thread_local! {
    static SKIP_COMMIT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}
