//! Escalation: 微事不出邻、小事不出村、大事不出镇、难事不出市. A concern the
//! current level cannot solve goes up, with the reason kept on the timeline.

use crate::domain::refusal::{Action, Field};
use automerge::transaction::Transactable;
use automerge::AutoCommit;

use crate::domain::authority::{require, Act};
use crate::domain::concern::{concern_obj, live_concern};
use crate::domain::lifecycle::{require_claimant, set_status};
use crate::domain::limits::{within, MAX_NOTE_CHARS};
use crate::domain::store::non_empty;
use crate::domain::timeline::append_event;
use crate::domain::{ConcernEvent, ConcernStatus, Ctx, DomainError, Level};

/// Sends the concern up to `to` (or the next level when None) with a reason.
/// Legal when Open/Reopened, or Claimed by the actor. The concern arrives Open
/// (unclaimed) at the new level. Returns the new level.
pub fn escalate(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    to: Option<Level>,
    reason: &str,
) -> Result<Level, DomainError> {
    non_empty(reason, Field::EscalationReason)?;
    within(reason, Field::EscalationReason, MAX_NOTE_CHARS)?;
    let c = live_concern(doc, id)?;
    if c.status == ConcernStatus::Claimed {
        require_claimant(&c, ctx, Action::Escalate)?;
    } else if !c.status.is_unclaimed() {
        return Err(DomainError::IllegalTransition {
            action: Action::Escalate,
            status: c.status,
        });
    }
    let from = c.level;
    let to = match to {
        Some(to) if to > from => to,
        Some(to) => return Err(DomainError::NotHigher { from, to }),
        None => from.next().ok_or(DomainError::AtTopLevel)?,
    };
    require(ctx, Act::Escalate { to })?;
    let obj = concern_obj(doc, id)?;
    doc.put(&obj, "level", to.as_str())?;
    set_status(doc, &obj, ctx, ConcernStatus::Open)?;
    let event = ConcernEvent::Escalated {
        from,
        to,
        reason: reason.to_string(),
    };
    append_event(doc, &obj, &ctx.event(event))?;
    Ok(to)
}
