//! The community document's root and its org tree 片 → 组 → 邻 → 户, and members.

use crate::domain::refusal::{Field, RecordKind};
use automerge::{AutoCommit, ReadDoc, ROOT};
use autosurgeon::{hydrate_prop, reconcile_prop, Hydrate, Reconcile};

use crate::domain::authority::{require, Act};
use crate::domain::store::{
    child_obj, get_opt, map_objects, non_empty, put_map, root_map, MapView,
};
use crate::domain::{Ctx, DomainError, MemberId, Role, UnitKind};

/// Version of the community document layout written by this crate.
pub const COMMUNITY_SCHEMA: i64 = 1;

/// Top-level collections of a community document, each a map keyed by record id.
pub(crate) const UNITS: &str = "units";
pub(crate) const MEMBERS: &str = "members";
pub(crate) const CONCERNS: &str = "concerns";
pub(crate) const VISITS: &str = "visits";
pub(crate) const TASKS: &str = "tasks";
pub(crate) const FUND_ALLOCATIONS: &str = "fund_allocations";
pub(crate) const FUND_EXPENSES: &str = "fund_expenses";

const COLLECTIONS: [&str; 7] = [
    UNITS,
    MEMBERS,
    CONCERNS,
    VISITS,
    TASKS,
    FUND_ALLOCATIONS,
    FUND_EXPENSES,
];

/// Id of an org unit (片, 组, 邻 or 户).
pub type UnitId = String;

/// Creates the community in an empty document.
///
/// Call this once, on the device that creates the community, and share the
/// document from there. Two devices initialising the same document concurrently
/// would create competing collection maps (automerge keeps one), so the other
/// devices must receive the community by sync instead.
pub fn init_community(
    doc: &mut AutoCommit,
    community_id: &str,
    name: &str,
) -> Result<(), DomainError> {
    non_empty(community_id, Field::CommunityId)?;
    non_empty(name, Field::CommunityName)?;
    if let Some(existing) = community_id_of(doc)? {
        return Err(DomainError::AlreadyInitialized(existing));
    }
    use automerge::transaction::Transactable;
    doc.put(ROOT, "schema", COMMUNITY_SCHEMA)?;
    doc.put(ROOT, "community_id", community_id)?;
    doc.put(ROOT, "name", name)?;
    for key in COLLECTIONS {
        put_map(doc, &ROOT, key)?;
    }
    Ok(())
}

fn community_id_of(doc: &AutoCommit) -> Result<Option<String>, DomainError> {
    get_opt(doc, &ROOT, "community_id")
}

/// The community's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Community {
    pub id: String,
    pub name: String,
}

/// Reads the community's id and name.
pub fn community_info(doc: &AutoCommit) -> Result<Community, DomainError> {
    let id = community_id_of(doc)?.ok_or(DomainError::NotInitialized)?;
    let name: String = hydrate_prop(doc, ROOT, "name")?;
    Ok(Community { id, name })
}

/// A node of the org tree.
#[derive(Clone, Debug, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct OrgUnit {
    pub id: UnitId,
    pub kind: UnitKind,
    pub name: String,
    /// The unit above (None only for a 片).
    #[autosurgeon(missing = "Default::default")]
    pub parent: Option<UnitId>,
}

/// Adds a 片, 组, 邻 or household to the org tree; the parent must be of the kind
/// directly above.
pub fn add_unit(doc: &mut AutoCommit, ctx: &Ctx, unit: OrgUnit) -> Result<(), DomainError> {
    require(ctx, Act::EditOrgTree)?;
    non_empty(&unit.id, Field::UnitId)?;
    non_empty(&unit.name, Field::UnitName)?;
    let units = root_map(doc, UNITS)?;
    if child_obj(doc, &units, unit.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Unit,
            id: unit.id,
        });
    }
    let wrong_parent = || DomainError::WrongParent {
        child: unit.kind,
        expected: unit.kind.parent_kind(),
    };
    match (unit.kind.parent_kind(), &unit.parent) {
        (None, None) => {}
        (Some(expected), Some(parent)) => {
            if get_unit(doc, parent)?.kind != expected {
                return Err(wrong_parent());
            }
        }
        _ => return Err(wrong_parent()),
    }
    reconcile_prop(doc, &units, unit.id.as_str(), &unit)?;
    Ok(())
}

/// One org unit.
pub fn get_unit(doc: &AutoCommit, id: &str) -> Result<OrgUnit, DomainError> {
    let units = root_map(doc, UNITS)?;
    get_opt::<OrgUnit>(doc, &units, id)?.ok_or_else(|| DomainError::NotFound {
        kind: RecordKind::Unit,
        id: id.to_string(),
    })
}

/// All org units, sorted by id (one `map_range` pass per unit: a community
/// has ~2,000 of them).
pub fn list_units(doc: &AutoCommit) -> Result<Vec<OrgUnit>, DomainError> {
    let units = root_map(doc, UNITS)?;
    map_objects(doc, &units)
        .into_iter()
        .map(|(id, obj)| {
            let v = MapView::read(doc, &obj);
            Ok(OrgUnit {
                id,
                kind: v.parsed("kind", UnitKind::parse)?,
                name: v.str("name")?,
                parent: v.opt_str("parent")?,
            })
        })
        .collect()
}

/// The 片 a unit belongs to (the unit itself if it is a 片). Unknown ids give None.
pub fn area_of(units: &[OrgUnit], unit: &str) -> Option<UnitId> {
    let mut current = units.iter().find(|u| u.id == unit)?;
    for _ in 0..8 {
        if current.kind == UnitKind::Area {
            return Some(current.id.clone());
        }
        let parent = current.parent.as_deref()?;
        current = units.iter().find(|u| u.id == parent)?;
    }
    None
}

/// A person using the app: a 邻长, 组长, 片长, committee or town staff member.
#[derive(Clone, Debug, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    /// The org unit the member leads or belongs to (a 邻 for a 邻长 …).
    #[autosurgeon(missing = "Default::default")]
    pub unit: Option<UnitId>,
    pub joined_at: i64,
    pub added_by: MemberId,
}

/// What the caller gives to add a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMember {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    pub unit: Option<UnitId>,
}

/// Adds a member to the community.
pub fn add_member(doc: &mut AutoCommit, ctx: &Ctx, m: NewMember) -> Result<(), DomainError> {
    require(
        ctx,
        Act::EditMember {
            member: &m.id,
            role: m.role,
        },
    )?;
    non_empty(&m.id, Field::MemberId)?;
    non_empty(&m.name, Field::MemberName)?;
    let members = root_map(doc, MEMBERS)?;
    if child_obj(doc, &members, m.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Member,
            id: m.id,
        });
    }
    if let Some(unit) = &m.unit {
        get_unit(doc, unit)?;
    }
    let member = Member {
        id: m.id,
        name: m.name,
        role: m.role,
        unit: m.unit,
        joined_at: ctx.now_ms,
        added_by: ctx.actor.clone(),
    };
    reconcile_prop(doc, &members, member.id.as_str(), &member)?;
    Ok(())
}

/// Changes a member's name, role and unit (a member editing their details); when they
/// joined and who added them stay.
pub fn update_member(doc: &mut AutoCommit, ctx: &Ctx, m: NewMember) -> Result<(), DomainError> {
    require(
        ctx,
        Act::EditMember {
            member: &m.id,
            role: m.role,
        },
    )?;
    non_empty(&m.name, Field::MemberName)?;
    let members = root_map(doc, MEMBERS)?;
    if child_obj(doc, &members, m.id.as_str())?.is_none() {
        return Err(DomainError::NotFound {
            kind: RecordKind::Member,
            id: m.id,
        });
    }
    if let Some(unit) = &m.unit {
        get_unit(doc, unit)?;
    }
    let old: Member = hydrate_prop(doc, &members, m.id.as_str())?;
    let member = Member {
        name: m.name,
        role: m.role,
        unit: m.unit,
        ..old
    };
    reconcile_prop(doc, &members, member.id.as_str(), &member)?;
    Ok(())
}

/// All members, sorted by id.
pub fn list_members(doc: &AutoCommit) -> Result<Vec<Member>, DomainError> {
    let members = root_map(doc, MEMBERS)?;
    let mut out = Vec::new();
    for key in doc.keys(&members) {
        out.push(hydrate_prop(doc, &members, key.as_str())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_edits_their_details_and_keeps_when_they_joined() {
        let mut doc = AutoCommit::new();
        init_community(&mut doc, "c1", "兴东社区").unwrap();
        let me = NewMember {
            id: "m1".into(),
            name: "王".into(),
            role: Role::NeighbourLeader,
            unit: None,
        };
        let own = Ctx::new("m1", 5).with_role(Some(Role::NeighbourLeader));
        add_member(&mut doc, &own, me.clone()).unwrap();
        let renamed = NewMember {
            name: "王芳".into(),
            ..me.clone()
        };
        update_member(&mut doc, &own, renamed.clone()).unwrap();
        let promoted = NewMember {
            role: Role::GroupLeader,
            ..renamed
        };
        assert_eq!(
            update_member(&mut doc, &own, promoted.clone()),
            Err(DomainError::NotAllowed {
                rule: crate::domain::Rule::OwnRoleOnly
            }),
            "a member does not promote itself"
        );
        let committee = Ctx::new("c1", 6).with_role(Some(Role::Committee));
        update_member(&mut doc, &committee, promoted).unwrap();
        let m = &list_members(&doc).unwrap()[0];
        assert_eq!(
            (m.name.as_str(), m.role, m.joined_at),
            ("王芳", Role::GroupLeader, 5)
        );
        let nobody = NewMember {
            id: "m2".into(),
            ..me.clone()
        };
        assert!(matches!(
            update_member(&mut doc, &committee, nobody),
            Err(DomainError::NotFound { .. })
        ));
        let unnamed = NewMember {
            name: String::new(),
            ..me
        };
        assert_eq!(
            update_member(&mut doc, &own, unnamed),
            Err(DomainError::Empty(Field::MemberName))
        );
    }
}
