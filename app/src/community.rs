//! The community document as the concern screens see it: one memo, derived
//! from the document's revision, shared by every screen through context.

use crate::session::use_session;
use automerge::AutoCommit;
use leptos::prelude::*;
use linli_shared::domain::{self, Concern, Member, OrgUnit};
use linli_shared::sort;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommunityView {
    pub name: String,
    /// Newest first, withdrawn ones left out (every list and figure uses these).
    pub concerns: Vec<Concern>,
    /// Withdrawn concerns, still shown on their own page.
    pub withdrawn: Vec<Concern>,
    pub members: Vec<Member>,
    pub units: Vec<OrgUnit>,
    pub me: String,
}

impl CommunityView {
    fn read(d: &AutoCommit, me: String) -> CommunityView {
        crate::clock::mark("linli:concerns-reading");
        let (concerns, withdrawn) = domain::list_concerns_and_withdrawn(d).unwrap_or_default();
        if !concerns.is_empty() {
            crate::clock::mark("linli:concerns-read");
        }
        CommunityView {
            name: domain::community_info(d)
                .map(|c| c.name)
                .unwrap_or_default(),
            concerns,
            withdrawn,
            members: domain::list_members(d).unwrap_or_default(),
            units: domain::list_units(d).unwrap_or_default(),
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
            .filter(|u| u.kind != domain::UnitKind::Household)
            .map(|u| (u.id.clone(), self.place_path(&u.id)))
            .collect();
        sort::sort_by(&mut v, |a, b| a.1.cmp(&b.1));
        v
    }

    /// The 片 a unit belongs to (itself, if it is one).
    pub fn area_of(&self, unit: &str) -> Option<String> {
        domain::area_of(&self.units, unit)
    }

    /// A concern by id, withdrawn ones included.
    pub fn concern(&self, id: &str) -> Option<&Concern> {
        self.concerns
            .iter()
            .chain(&self.withdrawn)
            .find(|c| c.id == id)
    }
}

pub use linli_shared::domain::level_of;

#[derive(Clone, Copy)]
pub struct Community(pub Memo<CommunityView>);

/// Creates the memo; call once, in the signed-in shell.
pub fn provide_community() -> Community {
    let session = use_session();
    let memo = session.community_memo(move |d| CommunityView::read(d, session.me()));
    let c = Community(memo);
    provide_context(c);
    c
}

pub fn use_community() -> Community {
    expect_context::<Community>()
}
