//! Refusals (a command's `DomainError`) in the user's language. The native test
//! in `tests/i18n_strings.rs` checks that every refusal has a message in every
//! language. Messages name what the user sees
//! (a field's label, a record's name), never an id.

mod en;
mod zh_hans;
mod zh_hant;

use linli_shared::domain::{Action, DomainError, Field, RecordKind, Rule, UnitKind};

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

/// One language's refusal text. Templates use {0} and {1}.
pub struct RefusalStrings {
    pub field: fn(Field) -> &'static str,
    pub record: fn(RecordKind) -> &'static str,
    pub action: fn(Action) -> &'static str,
    pub unit: fn(UnitKind) -> &'static str,
    /// Why a member's role or standing does not allow an act (also shown beside what the
    /// app disables).
    pub rule: fn(Rule) -> &'static str,
    pub not_initialized: &'static str,
    pub already_initialized: &'static str,
    pub no_meeting: &'static str,
    /// {0}: the field.
    pub empty: &'static str,
    /// {0}: the record.
    pub already_exists: &'static str,
    /// {0}: the record.
    pub not_found: &'static str,
    /// {0}: the action.
    pub illegal_transition: &'static str,
    /// {0}: the action.
    pub not_claimant: &'static str,
    pub already_claimed: &'static str,
    pub not_higher: &'static str,
    pub at_top_level: &'static str,
    pub satisfaction_out_of_range: &'static str,
    pub already_supporting: &'static str,
    pub not_participant: &'static str,
    pub already_decided: &'static str,
    pub already_done: &'static str,
    pub out_of_range: &'static str,
    pub non_positive_amount: &'static str,
    /// {0}: the unit, {1}: the unit it must sit under.
    pub wrong_parent: &'static str,
    /// {0}: the unit that sits at the top.
    pub top_unit: &'static str,
    /// {0}: the field, {1}: its limit in characters.
    pub too_long: &'static str,
    /// {0}: the record.
    pub withdrawn: &'static str,
    /// {0}: the action.
    pub not_recorder: &'static str,
    pub merge_into_self: &'static str,
    pub malformed: &'static str,
}

/// The message for a refusal (every variant, by an exhaustive match).
pub fn message(s: &RefusalStrings, e: &DomainError) -> String {
    match e {
        DomainError::NotInitialized => s.not_initialized.to_string(),
        DomainError::AlreadyInitialized(_) => s.already_initialized.to_string(),
        DomainError::NoMeeting => s.no_meeting.to_string(),
        DomainError::Empty(f) => fill(s.empty, &[(s.field)(*f)]),
        DomainError::AlreadyExists { kind, .. } => fill(s.already_exists, &[(s.record)(*kind)]),
        DomainError::NotFound { kind, .. } => fill(s.not_found, &[(s.record)(*kind)]),
        DomainError::IllegalTransition { action, .. } => {
            fill(s.illegal_transition, &[(s.action)(*action)])
        }
        DomainError::NotClaimant { action, .. } => fill(s.not_claimant, &[(s.action)(*action)]),
        DomainError::AlreadyClaimedBy(_) => s.already_claimed.to_string(),
        DomainError::NotHigher { .. } => s.not_higher.to_string(),
        DomainError::AtTopLevel => s.at_top_level.to_string(),
        DomainError::SatisfactionOutOfRange(_) => s.satisfaction_out_of_range.to_string(),
        DomainError::AlreadySupporting(_) => s.already_supporting.to_string(),
        DomainError::NotParticipant(_) => s.not_participant.to_string(),
        DomainError::AlreadyDecided(_) => s.already_decided.to_string(),
        DomainError::AlreadyDone(_) => s.already_done.to_string(),
        DomainError::OutOfRange { .. } => s.out_of_range.to_string(),
        DomainError::NonPositiveAmount(_) => s.non_positive_amount.to_string(),
        DomainError::WrongParent {
            child,
            expected: Some(parent),
        } => fill(s.wrong_parent, &[(s.unit)(*child), (s.unit)(*parent)]),
        DomainError::WrongParent {
            child,
            expected: None,
        } => fill(s.top_unit, &[(s.unit)(*child)]),
        DomainError::TooLong { field, max } => {
            fill(s.too_long, &[(s.field)(*field), &max.to_string()])
        }
        DomainError::Withdrawn { kind, .. } => fill(s.withdrawn, &[(s.record)(*kind)]),
        DomainError::NotRecorder { action, .. } => fill(s.not_recorder, &[(s.action)(*action)]),
        DomainError::MergeIntoSelf(_) => s.merge_into_self.to_string(),
        DomainError::NotAllowed { rule } => (s.rule)(*rule).to_string(),
        DomainError::Malformed(_) => s.malformed.to_string(),
    }
}

/// Replaces {0}, {1}… with the words.
fn fill(template: &str, words: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, w) in words.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), w);
    }
    out
}
