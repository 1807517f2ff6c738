//! The 三长制 workflow as pure functions over Automerge documents.
//!
//! Layout (see `docs/design/documents.md`): one *community document* holds the
//! org tree, members, concerns, visits, monthly tasks and micro-fund spending;
//! each meeting is its own *meeting document*. Every command takes the document,
//! a [`Ctx`] (who acts, and when — this crate has no clock) and its arguments,
//! validates against the current (merged) state, and writes only what changed.
//! Illegal commands return a [`DomainError`] and leave the document untouched.

mod agenda;
mod authority;
mod calendar;
mod codec;
mod command;
mod concern;
mod concern_photos;
mod deadline;
mod error;
mod escalation;
mod follow_up;
mod fund;
mod history;
mod kinds;
mod lifecycle;
mod limits;
mod meeting;
mod meeting_index;
mod org;
mod photo;
mod position;
mod refusal;
mod resident;
mod service_orders;
mod stats;
mod store;
mod tasks;
mod timeline;
mod typing;
mod view;
mod visits;
mod vote;
mod withdraw;

pub use agenda::{
    add_agenda_item, link_concern, move_agenda_item, remove_agenda_item, unlink_concern,
    AgendaItem, AgendaItemId, NewAgendaItem,
};
pub use authority::{
    level_of, may, member_actor, member_of_actor, verify, verify_in_place, Act, Author, Rule,
};
pub use calendar::{china_date, china_ms_of_day, month_key, Period, CHINA_UTC_OFFSET_MS, DAY_MS};
pub use command::Command;
pub use concern::{
    get_concern, list_concerns, list_concerns_and_withdrawn, list_withdrawn_concerns,
    record_concern, Claim, Concern, ConcernId, Feedback, NewConcern, Reporter, Resolution,
};
pub use concern_photos::add_photo;
pub use deadline::time_limit;
pub use error::DomainError;
pub use escalation::escalate;
pub use follow_up::{add_follow_up, complete_follow_up, FollowUp, FollowUpState, NewFollowUp};
pub use fund::{
    fund_account, record_expense, set_fund_allocation, Expense, FundAccount, NewExpense,
};
pub use history::{
    commit_at, concern_history, edits_since, fold_runs, meeting_history, notes_authors, Edit, Part,
    Written,
};
pub use kinds::{Category, ConcernStatus, Level, Role, UnitKind};
pub use lifecycle::{claim, feedback, release, reopen, resolve, support};
pub use limits::{
    MAX_DESCRIPTION_CHARS, MAX_MEETING_NOTES_CHARS, MAX_NOTE_CHARS, MAX_PLACE_CHARS,
    MAX_REPORTER_CHARS, MAX_TITLE_CHARS,
};
pub use meeting::{
    add_participant, create_meeting, edit_notes, get_meeting, read_notes, set_notes, Meeting,
    MeetingId, MeetingKind, NewMeeting, Notes, Participant, PartyRole, MEETING_SCHEMA,
};
pub use meeting_index::{
    all_meetings, follow_ups_of, index_concern, index_follow_up, index_meeting, list_meetings,
    meetings_for_concern, unindex_concern, FollowUpRef, MeetingRef, NewMeetingRef,
};
pub use org::{
    add_member, add_unit, area_of, community_info, get_unit, init_community, list_members,
    list_units, update_member, Community, Member, NewMember, OrgUnit, UnitId, COMMUNITY_SCHEMA,
};
pub use photo::{
    create_photo, fit_within, read_photo, NewPhoto, Photo, MAX_PHOTOS, MAX_PHOTO_BYTES, PHOTO_KIND,
    PHOTO_SCHEMA,
};
pub use position::key_between;
pub use refusal::{Action, Field, RecordKind};
pub use resident::{
    is_resident, rate_as_resident, record_resident_report, resident_actor, title_of, tracking,
    ResidentReport, TrackedStatus, TrackedStep, Tracking, RESIDENT, UNHAPPY_AT_MOST,
};
pub use stats::{
    community_ledger, ledger, median_ms, Counts, Ledger, MemberActivity, Satisfaction,
};
// Committee view (issue 7).
pub use service_orders::{
    complete_order, list_orders, place_order, take_order, NewOrder, ServiceOrder,
};
pub use stats::{
    activity_in, counts_by_group, group_of, overdue_by_level, period_ledger, raised_in,
    PeriodActivity,
};
pub use tasks::{add_task, complete_task, list_tasks, MonthlyTask, NewTask};
pub use timeline::{ConcernEvent, EventKind, TimelineEvent};
pub use typing::{apply_typed, diff_utf16, map_caret, notes_text, Splice, Typed};
pub use view::CommunityView;
pub use visits::{list_visits, log_visit, NewVisit, Visit};
pub use vote::{decide, tally, vote, Decision, VoteChoice, VoteTally};
pub use withdraw::{
    mark_meeting_withdrawn, may_withdraw, merge_concern, withdraw_concern, withdraw_meeting,
    Withdrawal,
};

/// A member's id (an opaque string made by the caller).
pub type MemberId = String;

/// Who acts, and when (milliseconds since the Unix epoch, from the caller's clock), with the
/// role and admin standing the caller knows the actor by (its membership): the rules of
/// `authority.rs` judge by them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ctx {
    pub actor: MemberId,
    pub now_ms: i64,
    /// None: not known (treated as the lowest role).
    pub role: Option<Role>,
    pub admin: bool,
}

impl Ctx {
    /// A context for `actor` at `now_ms`, with no role and no admin standing.
    pub fn new(actor: impl Into<MemberId>, now_ms: i64) -> Ctx {
        Ctx {
            actor: actor.into(),
            now_ms,
            role: None,
            admin: false,
        }
    }

    /// The same context for an actor holding `role`.
    pub fn with_role(self, role: Option<Role>) -> Ctx {
        Ctx { role, ..self }
    }

    /// The same context for an actor who is (or is not) a community admin.
    pub fn with_admin(self, admin: bool) -> Ctx {
        Ctx { admin, ..self }
    }

    pub(crate) fn event(&self, action: ConcernEvent) -> TimelineEvent {
        TimelineEvent {
            at: self.now_ms,
            by: self.actor.clone(),
            action,
        }
    }
}
