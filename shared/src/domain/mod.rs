//! The 三长制 workflow as pure functions over Automerge documents.
//!
//! Layout (see `docs/design/documents.md`): one *community document* holds the
//! org tree, members, concerns, visits, monthly tasks and micro-fund spending;
//! each meeting is its own *meeting document*. Every command takes the document,
//! a [`Ctx`] (who acts, and when — this crate has no clock) and its arguments,
//! validates against the current (merged) state, and writes only what changed.
//! Illegal commands return a [`DomainError`] and leave the document untouched.

mod concern;
mod error;
mod escalation;
mod kinds;
mod lifecycle;
mod org;
mod store;
mod timeline;

pub use concern::{
    get_concern, list_concerns, record_concern, Claim, Concern, ConcernId, Feedback, NewConcern,
    Reporter, Resolution,
};
pub use error::DomainError;
pub use escalation::escalate;
pub use kinds::{Category, ConcernStatus, Level, Role, UnitKind};
pub use lifecycle::{claim, feedback, release, reopen, resolve, support};
pub use org::{
    add_member, add_unit, area_of, community, get_unit, init_community, list_members, list_units,
    Community, Member, NewMember, OrgUnit, UnitId, COMMUNITY_SCHEMA,
};
pub use timeline::{ConcernEvent, EventKind, TimelineEvent};

/// A member's id (an opaque string made by the caller).
pub type MemberId = String;

/// Who acts, and when (milliseconds since the Unix epoch, from the caller's clock).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ctx {
    pub actor: MemberId,
    pub now_ms: i64,
}

impl Ctx {
    /// A context for `actor` at `now_ms`.
    pub fn new(actor: impl Into<MemberId>, now_ms: i64) -> Ctx {
        Ctx {
            actor: actor.into(),
            now_ms,
        }
    }

    pub(crate) fn event(&self, action: ConcernEvent) -> TimelineEvent {
        TimelineEvent {
            at: self.now_ms,
            by: self.actor.clone(),
            action,
        }
    }
}
