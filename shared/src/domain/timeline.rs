//! A concern's timeline: an append-only list of dated, attributed events.
//! Concurrent appends all survive (automerge orders them deterministically).

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ReadDoc};

use crate::domain::codec::encode_event;
use crate::domain::kinds::string_enum;
use crate::domain::store::child_obj;
use crate::domain::{DomainError, Level, MemberId};

/// One step in a concern's life, with who did it and when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimelineEvent {
    /// Milliseconds since the Unix epoch, on the acting device's clock.
    pub at: i64,
    pub by: MemberId,
    pub action: ConcernEvent,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ConcernEvent {
    Recorded,
    Claimed,
    Released,
    Escalated {
        from: Level,
        to: Level,
        reason: String,
    },
    Resolved {
        summary: String,
    },
    Feedback {
        satisfaction: u8,
        comment: String,
    },
    Reopened {
        reason: String,
    },
    Supported,
    /// Taken back: recorded by mistake, or a duplicate of `duplicate_of`
    /// (see `withdraw.rs`).
    Withdrawn {
        duplicate_of: Option<String>,
        reason: String,
    },
}

string_enum! {
    /// The stored tag of a [`ConcernEvent`].
    pub enum EventKind {
        Recorded => "recorded",
        Claimed => "claimed",
        Released => "released",
        Escalated => "escalated",
        Resolved => "resolved",
        Feedback => "feedback",
        Reopened => "reopened",
        Supported => "supported",
        Withdrawn => "withdrawn",
    }
}

impl ConcernEvent {
    /// The stored tag.
    pub fn kind(&self) -> EventKind {
        match self {
            ConcernEvent::Recorded => EventKind::Recorded,
            ConcernEvent::Claimed => EventKind::Claimed,
            ConcernEvent::Released => EventKind::Released,
            ConcernEvent::Escalated { .. } => EventKind::Escalated,
            ConcernEvent::Resolved { .. } => EventKind::Resolved,
            ConcernEvent::Feedback { .. } => EventKind::Feedback,
            ConcernEvent::Reopened { .. } => EventKind::Reopened,
            ConcernEvent::Supported => EventKind::Supported,
            ConcernEvent::Withdrawn { .. } => EventKind::Withdrawn,
        }
    }
}

/// Appends `event` to the timeline list of the concern at `concern`, as one
/// encoded string (see `codec.rs`).
pub(crate) fn append_event(
    doc: &mut AutoCommit,
    concern: &ObjId,
    event: &TimelineEvent,
) -> Result<(), DomainError> {
    let list = child_obj(doc, concern, "timeline")?
        .ok_or_else(|| DomainError::Malformed("concern without timeline".into()))?;
    let len = doc.length(&list);
    doc.insert(&list, len, encode_event(event))?;
    Ok(())
}
