//! A concern's timeline: an append-only list of dated, attributed events.
//! Concurrent appends all survive (automerge orders them deterministically).

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};

use crate::domain::kinds::string_enum;
use crate::domain::store::{child_obj, MapView};
use crate::domain::{DomainError, Level, MemberId};

/// One step in a concern's life, with who did it and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEvent {
    /// Milliseconds since the Unix epoch, on the acting device's clock.
    pub at: i64,
    pub by: MemberId,
    pub action: ConcernEvent,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
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
        }
    }
}

/// Reads a stored event: a small map with only the fields its kind needs
/// (k: kind, t: at, b: by, x: text, from/to: levels, s: satisfaction).
pub(crate) fn read_event(doc: &AutoCommit, obj: &ObjId) -> Result<TimelineEvent, DomainError> {
    let e = MapView::read(doc, obj);
    let kind = e.parsed("k", EventKind::parse)?;
    let text = e.opt_str("x")?.unwrap_or_default();
    let action = match kind {
        EventKind::Recorded => ConcernEvent::Recorded,
        EventKind::Claimed => ConcernEvent::Claimed,
        EventKind::Released => ConcernEvent::Released,
        EventKind::Escalated => ConcernEvent::Escalated {
            from: e.parsed("from", Level::parse)?,
            to: e.parsed("to", Level::parse)?,
            reason: text,
        },
        EventKind::Resolved => ConcernEvent::Resolved { summary: text },
        EventKind::Feedback => ConcernEvent::Feedback {
            satisfaction: u8::try_from(e.int("s")?)
                .map_err(|_| DomainError::Malformed("satisfaction out of range".into()))?,
            comment: text,
        },
        EventKind::Reopened => ConcernEvent::Reopened { reason: text },
        EventKind::Supported => ConcernEvent::Supported,
    };
    Ok(TimelineEvent {
        at: e.int("t")?,
        by: e.str("b")?,
        action,
    })
}

/// Appends `event` to the timeline list of the concern at `concern`.
pub(crate) fn append_event(
    doc: &mut AutoCommit,
    concern: &ObjId,
    event: &TimelineEvent,
) -> Result<(), DomainError> {
    let list = child_obj(doc, concern, "timeline")?
        .ok_or_else(|| DomainError::Malformed("concern without timeline".into()))?;
    let len = doc.length(&list);
    let e = doc.insert_object(&list, len, ObjType::Map)?;
    doc.put(&e, "k", event.action.kind().as_str())?;
    doc.put(&e, "t", event.at)?;
    doc.put(&e, "b", event.by.as_str())?;
    match &event.action {
        ConcernEvent::Escalated { from, to, reason } => {
            doc.put(&e, "from", from.as_str())?;
            doc.put(&e, "to", to.as_str())?;
            doc.put(&e, "x", reason.as_str())?;
        }
        ConcernEvent::Resolved { summary: text } | ConcernEvent::Reopened { reason: text } => {
            doc.put(&e, "x", text.as_str())?;
        }
        ConcernEvent::Feedback {
            satisfaction,
            comment,
        } => {
            doc.put(&e, "s", i64::from(*satisfaction))?;
            if !comment.is_empty() {
                doc.put(&e, "x", comment.as_str())?;
            }
        }
        ConcernEvent::Recorded
        | ConcernEvent::Claimed
        | ConcernEvent::Released
        | ConcernEvent::Supported => {}
    }
    Ok(())
}
