//! The typed errors every command returns. Display is English; the app
//! translates by variant.

use crate::domain::{Action, ConcernStatus, Field, Level, RecordKind, Rule, UnitKind};

/// Why a command was refused or a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The document has no community in it yet (call `init_community` once, on the
    /// device that creates the community; the others receive it by sync).
    #[error("the document does not hold a community")]
    NotInitialized,
    /// `init_community` was called on a document that already holds one.
    #[error("the document already holds community {0}")]
    AlreadyInitialized(String),
    /// The document does not hold a meeting (call `create_meeting` first).
    #[error("the document does not hold a meeting")]
    NoMeeting,
    /// A required text field was empty.
    #[error("{0} must not be empty")]
    Empty(Field),
    /// A text field is longer than its limit (see `domain::limits`), in characters.
    #[error("{field} is longer than {max} characters")]
    TooLong { field: Field, max: usize },
    /// A record with this id already exists.
    #[error("a {kind} with id {id} already exists")]
    AlreadyExists { kind: RecordKind, id: String },
    /// No record with this id.
    #[error("no {kind} with id {id}")]
    NotFound { kind: RecordKind, id: String },
    /// The concern is not in a status that allows this command.
    #[error("cannot {action} a concern that is {status}")]
    IllegalTransition {
        action: Action,
        status: ConcernStatus,
    },
    /// Only the current claimant may do this.
    #[error("only the claimant ({claimant}) may {action} this concern")]
    NotClaimant { action: Action, claimant: String },
    /// The concern is already claimed by this member.
    #[error("already claimed by {0}")]
    AlreadyClaimedBy(String),
    /// Escalation must go to a higher level.
    #[error("cannot escalate from {from} to {to}: the target must be higher")]
    NotHigher { from: Level, to: Level },
    /// Nothing is above the city level.
    #[error("the concern is already at the top level (市)")]
    AtTopLevel,
    /// Satisfaction is a score from 1 to 5.
    #[error("satisfaction must be 1 to 5, got {0}")]
    SatisfactionOutOfRange(u8),
    /// A member already supports this concern.
    #[error("{0} already supports this concern")]
    AlreadySupporting(String),
    /// The acting member is not a participant of the meeting.
    #[error("{0} is not a participant of this meeting")]
    NotParticipant(String),
    /// A decided agenda item no longer takes votes or a new decision.
    #[error("agenda item {0} is already decided")]
    AlreadyDecided(String),
    /// The follow-up action is already done.
    #[error("follow-up {0} is already done")]
    AlreadyDone(String),
    /// A position is outside the list or text it refers to.
    #[error("position {index} is out of range (length {len})")]
    OutOfRange { index: usize, len: usize },
    /// An amount of money must be positive.
    #[error("amount must be positive, got {0} fen")]
    NonPositiveAmount(i64),
    /// A parent org unit has the wrong kind for the child.
    #[error("a {child} must sit under {}", expected.map_or("nothing".into(), |k| format!("a {k}")))]
    WrongParent {
        child: UnitKind,
        /// None: the child sits at the top, under nothing.
        expected: Option<UnitKind>,
    },
    /// The record was withdrawn (删除（记错了）or merged into another): it no
    /// longer takes commands. `kind` is a concern or a meeting.
    #[error("{kind} {id} was withdrawn")]
    Withdrawn { kind: RecordKind, id: String },
    /// Only the member who recorded it, or a committee (两委) or town member,
    /// may withdraw a record (see `withdraw.rs`).
    #[error("only {recorded_by} or a committee member may {action} it")]
    NotRecorder { action: Action, recorded_by: String },
    /// A concern cannot be merged into itself.
    #[error("cannot merge concern {0} into itself")]
    MergeIntoSelf(String),
    /// The acting member's role or standing does not allow this (see `authority.rs`).
    #[error("not allowed: {rule}")]
    NotAllowed { rule: Rule },
    /// The document holds data this version cannot read.
    #[error("document data is malformed: {0}")]
    Malformed(String),
}

impl From<automerge::AutomergeError> for DomainError {
    fn from(e: automerge::AutomergeError) -> Self {
        DomainError::Malformed(e.to_string())
    }
}

impl From<autosurgeon::HydrateError> for DomainError {
    fn from(e: autosurgeon::HydrateError) -> Self {
        DomainError::Malformed(e.to_string())
    }
}

impl From<autosurgeon::ReconcileError> for DomainError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        DomainError::Malformed(e.to_string())
    }
}
