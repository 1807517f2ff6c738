//! Text of the concern workflow screens (我的 / 全部 / 记录 / 民情页 / 我的资料).
//! Templates use {0}, {1} … filled by `fill`.

use linli_shared::domain::{Category, ConcernStatus, Level, Role, UnitKind};

pub struct ConcernStrings {
    pub cat_public_facilities: &'static str,
    pub cat_lighting: &'static str,
    pub cat_housing: &'static str,
    pub cat_fire_safety: &'static str,
    pub cat_public_safety: &'static str,
    pub cat_parking: &'static str,
    pub cat_environment: &'static str,
    pub cat_neighbour_dispute: &'static str,
    pub cat_care: &'static str,
    pub cat_small_wish: &'static str,
    pub cat_policy: &'static str,
    pub cat_other: &'static str,
    pub level_neighbour: &'static str,
    pub level_group: &'static str,
    pub level_area: &'static str,
    pub level_committee: &'static str,
    pub level_town: &'static str,
    pub level_city: &'static str,
    pub role_neighbour_leader: &'static str,
    pub role_group_leader: &'static str,
    pub role_area_leader: &'static str,
    pub role_committee: &'static str,
    pub role_town: &'static str,
    pub mine_claimed: &'static str,
    pub mine_feedback: &'static str,
    pub mine_my_level: &'static str,
    pub mine_nothing: &'static str,
    pub overdue: &'static str,
    pub days_open: &'static str,
    pub search_placeholder: &'static str,
    pub any_status: &'static str,
    pub any_level: &'static str,
    pub any_category: &'static str,
    pub any_area: &'static str,
    pub show_more: &'static str,
    pub count_of: &'static str,
    pub record_title: &'static str,
    pub what_label: &'static str,
    pub what_placeholder: &'static str,
    pub details_label: &'static str,
    pub category_label: &'static str,
    pub place_label: &'static str,
    pub place_none: &'static str,
    pub reporter_label: &'static str,
    pub reporter_placeholder: &'static str,
    pub draft_kept: &'static str,
    pub back: &'static str,
    pub raised_by: &'static str,
    pub timeline: &'static str,
    pub claim: &'static str,
    /// On a concern another member claimed, when nothing else is offered: who has it (`{0}`).
    pub in_hand: &'static str,
    pub release: &'static str,
    pub escalate: &'static str,
    pub escalate_to: &'static str,
    pub reason_label: &'static str,
    pub resolve: &'static str,
    pub resolve_summary: &'static str,
    pub give_feedback: &'static str,
    pub satisfaction: &'static str,
    /// A star in the satisfaction rating, read out: "{0} 星".
    pub star_n: &'static str,
    pub comment_label: &'static str,
    pub reopen: &'static str,
    pub support: &'static str,
    pub supporters: crate::Plural,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub conflict: &'static str,
    pub conflict_keep: &'static str,
    pub conflict_contact: &'static str,
    pub not_found: &'static str,
    pub ev_recorded: &'static str,
    pub ev_claimed: &'static str,
    pub ev_released: &'static str,
    pub ev_escalated: &'static str,
    pub ev_resolved: &'static str,
    pub ev_feedback: crate::Plural,
    pub ev_reopened: &'static str,
    pub ev_supported: &'static str,
    pub someone: &'static str,
    pub me: &'static str,
    pub profile_title: &'static str,
    pub profile_prompt: &'static str,
    pub profile_intro: &'static str,
    pub name_label: &'static str,
    pub role_label: &'static str,
    pub unit_label: &'static str,
    pub save: &'static str,
    pub org_title: &'static str,
    pub org_add: &'static str,
    pub org_name_placeholder: &'static str,
    pub org_parent: &'static str,
    pub kind_area: &'static str,
    pub kind_group: &'static str,
    pub kind_neighbourhood: &'static str,
    pub kind_household: &'static str,
}

mod en;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

impl ConcernStrings {
    pub fn category(&self, c: Category) -> &'static str {
        match c {
            Category::PublicFacilities => self.cat_public_facilities,
            Category::Lighting => self.cat_lighting,
            Category::Housing => self.cat_housing,
            Category::FireSafety => self.cat_fire_safety,
            Category::PublicSafety => self.cat_public_safety,
            Category::Parking => self.cat_parking,
            Category::Environment => self.cat_environment,
            Category::NeighbourDispute => self.cat_neighbour_dispute,
            Category::CareForElderlyAndChildren => self.cat_care,
            Category::SmallWish => self.cat_small_wish,
            Category::Policy => self.cat_policy,
            Category::Other => self.cat_other,
        }
    }

    pub fn level(&self, l: Level) -> &'static str {
        match l {
            Level::Neighbour => self.level_neighbour,
            Level::Group => self.level_group,
            Level::Area => self.level_area,
            Level::Committee => self.level_committee,
            Level::Town => self.level_town,
            Level::City => self.level_city,
        }
    }

    pub fn role(&self, r: Role) -> &'static str {
        match r {
            Role::NeighbourLeader => self.role_neighbour_leader,
            Role::GroupLeader => self.role_group_leader,
            Role::AreaLeader => self.role_area_leader,
            Role::Committee => self.role_committee,
            Role::Town => self.role_town,
        }
    }

    pub fn unit_kind(&self, k: UnitKind) -> &'static str {
        match k {
            UnitKind::Area => self.kind_area,
            UnitKind::Group => self.kind_group,
            UnitKind::Neighbourhood => self.kind_neighbourhood,
            UnitKind::Household => self.kind_household,
        }
    }
}

/// The status names live with the core strings (the list shows them).
pub fn status(s: &super::Strings, status: ConcernStatus) -> &'static str {
    match status {
        ConcernStatus::Open => s.status_open,
        ConcernStatus::Claimed => s.status_claimed,
        ConcernStatus::Resolved => s.status_resolved,
        ConcernStatus::Closed => s.status_closed,
        ConcernStatus::Reopened => s.status_reopened,
    }
}

/// Fills `{0}`, `{1}` … in a template.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}
