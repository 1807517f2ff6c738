//! A concern's timeline: an append-only list of dated, attributed events.
//! Concurrent appends all survive (automerge orders them deterministically).

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};
use autosurgeon::Hydrate;

use crate::domain::kinds::string_enum;
use crate::domain::store::child_obj;
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

/// Stored form: a small map with only the fields the kind needs.
#[derive(Hydrate)]
pub(crate) struct StoredEvent {
    k: EventKind,
    t: i64,
    b: String,
    #[autosurgeon(missing = "Default::default")]
    x: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    from: Option<Level>,
    #[autosurgeon(missing = "Default::default")]
    to: Option<Level>,
    #[autosurgeon(missing = "Default::default")]
    s: Option<i64>,
}

impl StoredEvent {
    pub(crate) fn into_event(self) -> Result<TimelineEvent, DomainError> {
        let missing =
            |field: &str| DomainError::Malformed(format!("{} event without {field}", self.k));
        let text = self.x.clone().unwrap_or_default();
        let action = match self.k {
            EventKind::Recorded => ConcernEvent::Recorded,
            EventKind::Claimed => ConcernEvent::Claimed,
            EventKind::Released => ConcernEvent::Released,
            EventKind::Escalated => ConcernEvent::Escalated {
                from: self.from.ok_or_else(|| missing("from"))?,
                to: self.to.ok_or_else(|| missing("to"))?,
                reason: text,
            },
            EventKind::Resolved => ConcernEvent::Resolved { summary: text },
            EventKind::Feedback => ConcernEvent::Feedback {
                satisfaction: self
                    .s
                    .and_then(|s| u8::try_from(s).ok())
                    .ok_or_else(|| missing("satisfaction"))?,
                comment: text,
            },
            EventKind::Reopened => ConcernEvent::Reopened { reason: text },
            EventKind::Supported => ConcernEvent::Supported,
        };
        Ok(TimelineEvent {
            at: self.t,
            by: self.b,
            action,
        })
    }
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
