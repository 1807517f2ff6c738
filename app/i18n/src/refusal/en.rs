use super::RefusalStrings;
use linli_shared::domain::{Action, Field, RecordKind, Rule, UnitKind};

fn field(f: Field) -> &'static str {
    match f {
        Field::CommunityId => "the community number",
        Field::CommunityName => "the community name",
        Field::UnitId => "the unit number",
        Field::UnitName => "the name",
        Field::MemberId => "the member number",
        Field::MemberName => "the name",
        Field::ConcernId => "the concern number",
        Field::Title => "what the concern is",
        Field::ResolutionSummary => "how it was resolved",
        Field::ReopenReason => "why it needs more work",
        Field::EscalationReason => "why it is escalated",
        Field::Supporter => "the supporter",
        Field::Photo => "the photo",
        Field::PhotoId => "the photo number",
        Field::PhotoType => "the photo format",
        Field::MeetingId => "the meeting number",
        Field::MeetingTitle => "the meeting topic",
        Field::ParticipantId => "the participant",
        Field::AgendaItemId => "the agenda item number",
        Field::AgendaItemTitle => "the agenda item",
        Field::Decision => "the decision",
        Field::FollowUpId => "the follow-up number",
        Field::FollowUpTitle => "the follow-up",
        Field::FollowUpOwner => "who is responsible",
        Field::VisitId => "the visit number",
        Field::TaskId => "the task number",
        Field::TaskTitle => "the task",
        Field::TaskOwner => "who is responsible",
        Field::OrderId => "the service order number",
        Field::OrderRequest => "what is needed",
        Field::ExpenseId => "the expense number",
        Field::ExpensePurpose => "what the money was for",
        Field::Description => "the details",
        Field::Reporter => "the reporter",
        Field::FeedbackComment => "the feedback comment",
        Field::MeetingPlace => "the meeting place",
        Field::OrderResident => "the resident's name",
        Field::VisitNote => "the visit note",
        Field::WithdrawReason => "why it is deleted",
        Field::MeetingNotes => "the meeting notes",
    }
}

fn record(k: RecordKind) -> &'static str {
    match k {
        RecordKind::Unit => "unit",
        RecordKind::Member => "member",
        RecordKind::Concern => "concern",
        RecordKind::Meeting => "meeting",
        RecordKind::Participant => "participant",
        RecordKind::AgendaItem => "agenda item",
        RecordKind::FollowUp => "follow-up",
        RecordKind::ConcernLinks => "linked concern",
        RecordKind::FollowUpLinks => "linked follow-up",
        RecordKind::Visit => "visit",
        RecordKind::Task => "task",
        RecordKind::ServiceOrder => "service order",
        RecordKind::Expense => "expense",
    }
}

fn action(a: Action) -> &'static str {
    match a {
        Action::Claim => "be claimed",
        Action::Escalate => "be escalated",
        Action::Resolve => "be resolved",
        Action::GiveFeedback => "get feedback",
        Action::Reopen => "be reopened",
        Action::Support => "be supported",
        Action::Release => "be released",
        Action::Take => "be taken",
        Action::Withdraw => "be deleted",
        Action::Merge => "be merged",
    }
}

fn unit(u: UnitKind) -> &'static str {
    match u {
        UnitKind::Area => "area",
        UnitKind::Group => "group",
        UnitKind::Neighbourhood => "neighbourhood",
        UnitKind::Household => "household",
    }
}

fn rule(r: Rule) -> &'static str {
    match r {
        Rule::AboveOwnLevel => "This concern has gone up to a level above yours: someone at that level claims and handles it.",
        Rule::BeyondReach => "You can send a concern up to the village or community committee; the committee sends it further.",
        Rule::NotRaiserOrResolver => "The resident's verdict is recorded by whoever recorded or resolved the concern, or by committee or town staff.",
        Rule::ManagersOnly => "The org tree, members and micro-funds are kept by committee or town staff, or a community admin.",
        Rule::OwnRoleOnly => "You can only use the role you were invited with; ask the committee or an admin to change it.",
        Rule::ConvenorsOnly => "Meetings are convened by group leaders, area leaders or the committee; ask your group leader.",
        Rule::NotConvenor => "A meeting's decisions are recorded by whoever convened it, or by committee or town staff.",
        Rule::NotTheAuthor => "You can record only in your own name, not on someone else's behalf.",
        Rule::NotClaimant => "Someone else has claimed this concern: only they can carry it on.",
        Rule::NotRecorder => "A record is withdrawn by whoever recorded it, or by committee or town staff.",
    }
}

pub static EN: RefusalStrings = RefusalStrings {
    field,
    record,
    action,
    unit,
    rule,
    not_initialized: "The community has not reached this phone yet. Please try again shortly.",
    already_initialized: "This community has already been set up.",
    no_meeting: "The meeting has not reached this phone yet. Please try again shortly.",
    empty: "Please fill in {0}.",
    already_exists: "This {0} is already recorded.",
    not_found: "This {0} cannot be found (it may not have synced yet).",
    illegal_transition: "This concern cannot {0} now (someone may have just handled it).",
    not_claimant: "This concern can only {0} by the person who claimed it.",
    already_claimed: "You have already claimed this concern.",
    not_higher: "A concern can only be escalated to a higher level.",
    at_top_level: "This concern is already at the highest level.",
    satisfaction_out_of_range: "Please choose a satisfaction score (1 to 5 stars) first.",
    already_supporting: "You already support this concern.",
    not_participant: "You are not a participant of this meeting.",
    already_decided: "This agenda item is already decided.",
    already_done: "This follow-up is already done.",
    out_of_range: "That position is out of date. Please refresh and try again.",
    non_positive_amount: "The amount must be more than 0.",
    wrong_parent: "A {0} must sit under a {1}.",
    top_unit: "A {0} is the top level and cannot sit under another unit.",
    too_long: "{0} is too long: at most {1} characters.",
    withdrawn: "This {0} was deleted as recorded by mistake and takes no more changes.",
    not_recorder:
        "It can only {0} by the person who recorded it, or by a committee or town member.",
    merge_into_self: "A concern cannot be merged into itself. Choose another one.",
    malformed: "This data cannot be read. Please update the app and try again.",
};
