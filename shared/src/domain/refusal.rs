//! What a refusal is about: closed vocabularies for the fields, records and
//! actions named in a [`DomainError`](crate::domain::DomainError), so the app
//! can translate every refusal (a string would let an untranslated one slip
//! through). `as_str` is the English word used by `Display`.

use crate::domain::kinds::string_enum;

string_enum! {
    /// A required text field (`DomainError::Empty`).
    pub enum Field {
        CommunityId => "community id",
        CommunityName => "community name",
        UnitId => "unit id",
        UnitName => "unit name",
        MemberId => "member id",
        MemberName => "member name",
        ConcernId => "concern id",
        Title => "title",
        ResolutionSummary => "resolution summary",
        ReopenReason => "reopen reason",
        EscalationReason => "escalation reason",
        Supporter => "supporter",
        Photo => "photo",
        PhotoId => "photo id",
        PhotoType => "photo type",
        MeetingId => "meeting id",
        MeetingTitle => "meeting title",
        ParticipantId => "participant id",
        AgendaItemId => "agenda item id",
        AgendaItemTitle => "agenda item title",
        Decision => "decision",
        FollowUpId => "follow-up id",
        FollowUpTitle => "follow-up title",
        FollowUpOwner => "follow-up owner",
        VisitId => "visit id",
        TaskId => "task id",
        TaskTitle => "task title",
        TaskOwner => "task owner",
        OrderId => "order id",
        OrderRequest => "order request",
        ExpenseId => "expense id",
        ExpensePurpose => "expense purpose",
        Description => "description",
        Reporter => "reporter",
        FeedbackComment => "feedback comment",
        MeetingPlace => "meeting place",
        OrderResident => "order resident",
        VisitNote => "visit note",
        WithdrawReason => "withdraw reason",
        MeetingNotes => "meeting notes",
    }
}

string_enum! {
    /// A kind of record (`DomainError::AlreadyExists` and `NotFound`).
    pub enum RecordKind {
        Unit => "unit",
        Member => "member",
        Concern => "concern",
        Meeting => "meeting",
        Participant => "participant",
        AgendaItem => "agenda item",
        FollowUp => "follow-up",
        ConcernLinks => "concern links",
        FollowUpLinks => "follow-up links",
        Visit => "visit",
        Task => "task",
        ServiceOrder => "service order",
        Expense => "expense",
    }
}

string_enum! {
    /// What the member tried to do (`IllegalTransition` and `NotClaimant`).
    pub enum Action {
        Claim => "claim",
        Escalate => "escalate",
        Resolve => "resolve",
        GiveFeedback => "give feedback on",
        Reopen => "reopen",
        Support => "support",
        Release => "release",
        Take => "take",
        Withdraw => "withdraw",
        Merge => "merge",
    }
}
