//! The community document as the concern screens see it: plain data, read in one pass.
//!
//! The app reads it from its own copy of the document; the relay reads the same from its copy
//! for a phone that has just joined (`GET /api/view`), so the list shows before the phone's
//! document engine has loaded (issue 14). Both use [`CommunityView::read`]: the same document
//! gives the same view.

use super::{
    area_of, community_info, list_concerns_and_withdrawn, list_members, list_units, Concern,
    Member, MemberId, OrgUnit, UnitKind,
};
use crate::sort;
use automerge::AutoCommit;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunityView {
    pub name: String,
    /// Newest first, withdrawn ones left out (every list and figure uses these).
    pub concerns: Vec<Concern>,
    /// Withdrawn concerns, still shown on their own page.
    pub withdrawn: Vec<Concern>,
    pub members: Vec<Member>,
    pub units: Vec<OrgUnit>,
    /// Whose view this is.
    pub me: MemberId,
}

impl CommunityView {
    /// Reads `doc` (a community document) for member `me`; empty if it is none.
    pub fn read(doc: &AutoCommit, me: MemberId) -> CommunityView {
        let (concerns, withdrawn) = list_concerns_and_withdrawn(doc).unwrap_or_default();
        CommunityView {
            name: community_info(doc).map(|c| c.name).unwrap_or_default(),
            concerns,
            withdrawn,
            members: list_members(doc).unwrap_or_default(),
            units: list_units(doc).unwrap_or_default(),
            me,
        }
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    pub fn my_record(&self) -> Option<&Member> {
        self.member(&self.me)
    }

    pub fn unit(&self, id: &str) -> Option<&OrgUnit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// "一片 · 三组 · 5邻": the unit and its ancestors, outermost first.
    pub fn place_path(&self, id: &str) -> String {
        let mut names = Vec::new();
        let mut cursor = self.unit(id);
        while let Some(u) = cursor {
            names.push(u.name.clone());
            cursor = u.parent.as_deref().and_then(|p| self.unit(p));
        }
        names.reverse();
        names.join(" · ")
    }

    /// Where a concern can be placed or a member can belong: every 片, 组 and
    /// 邻 (not households) as (id, "一片 · 三组 · 5邻"), sorted by that path.
    pub fn places(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .units
            .iter()
            .filter(|u| u.kind != UnitKind::Household)
            .map(|u| (u.id.clone(), self.place_path(&u.id)))
            .collect();
        sort::sort_by(&mut v, |a, b| a.1.cmp(&b.1));
        v
    }

    /// The 片 a unit belongs to (itself, if it is one).
    pub fn area_of(&self, unit: &str) -> Option<String> {
        area_of(&self.units, unit)
    }

    /// A concern by id, withdrawn ones included.
    pub fn concern(&self, id: &str) -> Option<&Concern> {
        self.concerns
            .iter()
            .chain(&self.withdrawn)
            .find(|c| c.id == id)
    }
}
