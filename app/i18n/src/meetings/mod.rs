//! Text of the 议事 (meetings) screens, in every locale. Templates use {0},
//! {1} … filled by `crate::i18n::concern::fill`. One file per locale.

mod en;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

use linli_shared::domain::{MeetingKind, PartyRole, VoteChoice};

pub struct MeetingStrings {
    pub tab: &'static str,
    pub title: &'static str,
    pub empty: &'static str,
    pub new_meeting: &'static str,
    pub kind_label: &'static str,
    pub title_label: &'static str,
    pub title_placeholder: &'static str,
    pub time_label: &'static str,
    pub place_label: &'static str,
    pub place_placeholder: &'static str,
    pub participants_label: &'static str,
    pub my_role_label: &'static str,
    pub create: &'static str,
    pub cancel: &'static str,
    pub title_required: &'static str,
    pub kind_courtyard_council: &'static str,
    pub kind_weekly_briefing: &'static str,
    pub kind_monthly_analysis: &'static str,
    pub kind_open_dialogue: &'static str,
    pub kind_household_gathering: &'static str,
    pub kind_evening_talk: &'static str,
    pub kind_five_party_joint: &'static str,
    pub kind_other: &'static str,
    pub role_managing_unit: &'static str,
    pub role_property_company: &'static str,
    pub role_community: &'static str,
    pub role_representative: &'static str,
    pub role_owner: &'static str,
    pub role_other: &'static str,
    pub loading_meeting: &'static str,
    pub back: &'static str,
    pub section_agenda: &'static str,
    pub section_attendance: &'static str,
    pub section_follow_ups: &'static str,
    pub present_now: &'static str,
    pub editing_now: &'static str,
    pub me: &'static str,
    pub check_in: &'static str,
    pub checked_in: &'static str,
    pub add_guest: &'static str,
    pub guest_name_label: &'static str,
    pub guest_add: &'static str,
    pub agenda_empty: &'static str,
    pub add_item: &'static str,
    pub item_title_label: &'static str,
    pub item_title_placeholder: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub remove_item: &'static str,
    pub confirm_remove: &'static str,
    pub link_concern: &'static str,
    pub link_none: &'static str,
    pub linked_concerns: &'static str,
    pub notes_label: &'static str,
    pub notes_placeholder: &'static str,
    pub general_notes_label: &'static str,
    pub decision_label: &'static str,
    pub decision_placeholder: &'static str,
    pub record_decision: &'static str,
    pub no_decision: &'static str,
    pub vote_for: &'static str,
    pub vote_against: &'static str,
    pub vote_abstain: &'static str,
    pub tally: &'static str,
    pub vote_need_check_in: &'static str,
    pub item_closed: &'static str,
    pub follow_up_label: &'static str,
    pub follow_up_placeholder: &'static str,
    pub owner_label: &'static str,
    pub due_label: &'static str,
    pub from_item: &'static str,
    pub no_item: &'static str,
    pub add_follow_up: &'static str,
    pub follow_ups_empty: &'static str,
    pub mark_done: &'static str,
    pub done: &'static str,
    pub overdue: &'static str,
    pub due_prefix: &'static str,
    pub no_due: &'static str,
    pub my_follow_ups: &'static str,
    pub my_follow_ups_empty: &'static str,
    pub minutes_title: &'static str,
    pub view_minutes: &'static str,
    pub view_live: &'static str,
    pub print: &'static str,
    pub attendance: &'static str,
    pub items: &'static str,
    pub discussed_in: &'static str,
    pub votes_count: &'static str,
    pub profile_first: &'static str,
    /// After a label: 「：」 in Chinese, ": " in English.
    pub colon: &'static str,
}

impl MeetingStrings {
    pub fn kind(&self, k: MeetingKind) -> &'static str {
        match k {
            MeetingKind::CourtyardCouncil => self.kind_courtyard_council,
            MeetingKind::WeeklyBriefing => self.kind_weekly_briefing,
            MeetingKind::MonthlyAnalysis => self.kind_monthly_analysis,
            MeetingKind::OpenDialogue => self.kind_open_dialogue,
            MeetingKind::HouseholdGathering => self.kind_household_gathering,
            MeetingKind::EveningTalk => self.kind_evening_talk,
            MeetingKind::FivePartyJoint => self.kind_five_party_joint,
            MeetingKind::Other => self.kind_other,
        }
    }

    pub fn role(&self, r: PartyRole) -> &'static str {
        match r {
            PartyRole::ManagingUnit => self.role_managing_unit,
            PartyRole::PropertyCompany => self.role_property_company,
            PartyRole::Community => self.role_community,
            PartyRole::Representative => self.role_representative,
            PartyRole::Owner => self.role_owner,
            PartyRole::Other => self.role_other,
        }
    }

    pub fn vote(&self, v: VoteChoice) -> &'static str {
        match v {
            VoteChoice::For => self.vote_for,
            VoteChoice::Against => self.vote_against,
            VoteChoice::Abstain => self.vote_abstain,
        }
    }
}
