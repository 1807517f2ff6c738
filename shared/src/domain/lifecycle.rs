//! The concern's closed loop: claim (领办), release, resolve, feedback, reopen,
//! and "me too" support.
//!
//! The status and the claimant live in one register (`status`, see
//! `codec.rs`), so concurrent commands leave whole (status, claimant) values
//! and the merge rules in `concern.rs` pick among them.

use crate::domain::refusal::{Action, Field};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId};

use crate::domain::authority::{require, Act};
use crate::domain::codec::{encode_feedback, encode_resolution, encode_state};
use crate::domain::concern::{concern_obj, live_concern};
use crate::domain::limits::{within, MAX_NOTE_CHARS};
use crate::domain::store::{child_obj, non_empty};
use crate::domain::timeline::append_event;
use crate::domain::{Claim, ConcernEvent, ConcernStatus, Ctx, DomainError, Feedback, Resolution};

/// Writes the state register: the status, with the actor as claimant when
/// Claimed. One value, so status and claimant can never be merged apart.
pub(crate) fn set_status(
    doc: &mut AutoCommit,
    obj: &ObjId,
    ctx: &Ctx,
    status: ConcernStatus,
) -> Result<(), DomainError> {
    let claim = Claim {
        by: ctx.actor.clone(),
        at: ctx.now_ms,
    };
    doc.put(obj, "status", encode_state(status, Some(&claim)))?;
    Ok(())
}

/// Takes the concern on. Legal when Open or Reopened. After concurrent claims
/// the winner may claim again to settle the conflict.
pub fn claim(doc: &mut AutoCommit, ctx: &Ctx, id: &str) -> Result<(), DomainError> {
    let c = live_concern(doc, id)?;
    match (&c.status, &c.claim) {
        (s, _) if s.is_unclaimed() => {}
        (ConcernStatus::Claimed, Some(current))
            if current.by == ctx.actor && !c.contested_claims.is_empty() => {}
        (ConcernStatus::Claimed, Some(current)) => {
            return Err(DomainError::AlreadyClaimedBy(current.by.clone()))
        }
        (status, _) => {
            return Err(DomainError::IllegalTransition {
                action: Action::Claim,
                status: *status,
            })
        }
    }
    require(ctx, Act::Claim { level: c.level })?;
    let obj = concern_obj(doc, id)?;
    set_status(doc, &obj, ctx, ConcernStatus::Claimed)?;
    append_event(doc, &obj, &ctx.event(ConcernEvent::Claimed))
}

/// Gives the concern back (status Open at the same level). Only the claimant.
pub fn release(doc: &mut AutoCommit, ctx: &Ctx, id: &str) -> Result<(), DomainError> {
    let c = live_concern(doc, id)?;
    require_claimant(&c, ctx, Action::Release)?;
    let obj = concern_obj(doc, id)?;
    set_status(doc, &obj, ctx, ConcernStatus::Open)?;
    append_event(doc, &obj, &ctx.event(ConcernEvent::Released))
}

/// Returns an error unless the concern is Claimed by the actor.
pub(crate) fn require_claimant(
    c: &crate::domain::Concern,
    ctx: &Ctx,
    action: Action,
) -> Result<(), DomainError> {
    match &c.claim {
        Some(claim) if claim.by == ctx.actor => Ok(()),
        Some(claim) => Err(DomainError::NotClaimant {
            action,
            claimant: claim.by.clone(),
        }),
        None => Err(DomainError::IllegalTransition {
            action,
            status: c.status,
        }),
    }
}

/// Records what was done. Legal when Claimed (by the claimant only) or when
/// Open/Reopened (即知即办: done on the spot by the actor).
pub fn resolve(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    summary: &str,
) -> Result<(), DomainError> {
    non_empty(summary, Field::ResolutionSummary)?;
    within(summary, Field::ResolutionSummary, MAX_NOTE_CHARS)?;
    let c = live_concern(doc, id)?;
    if c.status == ConcernStatus::Claimed {
        require_claimant(&c, ctx, Action::Resolve)?;
    } else if !c.status.is_unclaimed() {
        return Err(DomainError::IllegalTransition {
            action: Action::Resolve,
            status: c.status,
        });
    } else {
        require(ctx, Act::ResolveOnTheSpot { level: c.level })?;
    }
    let obj = concern_obj(doc, id)?;
    set_status(doc, &obj, ctx, ConcernStatus::Resolved)?;
    let resolution = Resolution {
        by: ctx.actor.clone(),
        at: ctx.now_ms,
        summary: summary.to_string(),
        level: c.level,
    };
    doc.put(&obj, "resolution", encode_resolution(&resolution))?;
    append_event(
        doc,
        &obj,
        &ctx.event(ConcernEvent::Resolved {
            summary: summary.to_string(),
        }),
    )
}

/// Records the resident's verdict (satisfaction 1–5) and closes the loop.
/// Legal when Resolved. An unhappy resident's concern is reopened with [`reopen`].
pub fn feedback(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    satisfaction: u8,
    comment: &str,
) -> Result<(), DomainError> {
    if !(1..=5).contains(&satisfaction) {
        return Err(DomainError::SatisfactionOutOfRange(satisfaction));
    }
    within(comment, Field::FeedbackComment, MAX_NOTE_CHARS)?;
    let c = live_concern(doc, id)?;
    if c.status != ConcernStatus::Resolved {
        return Err(DomainError::IllegalTransition {
            action: Action::GiveFeedback,
            status: c.status,
        });
    }
    require(ctx, close_the_loop(&c))?;
    let obj = concern_obj(doc, id)?;
    set_status(doc, &obj, ctx, ConcernStatus::Closed)?;
    let fb = Feedback {
        by: ctx.actor.clone(),
        at: ctx.now_ms,
        satisfaction,
        comment: comment.to_string(),
    };
    doc.put(&obj, "feedback", encode_feedback(&fb))?;
    let event = ConcernEvent::Feedback {
        satisfaction,
        comment: comment.to_string(),
    };
    append_event(doc, &obj, &ctx.event(event))
}

/// Opens a Resolved or Closed concern again at the same level, with a reason.
pub fn reopen(doc: &mut AutoCommit, ctx: &Ctx, id: &str, reason: &str) -> Result<(), DomainError> {
    non_empty(reason, Field::ReopenReason)?;
    within(reason, Field::ReopenReason, MAX_NOTE_CHARS)?;
    let c = live_concern(doc, id)?;
    if !c.status.is_done() {
        return Err(DomainError::IllegalTransition {
            action: Action::Reopen,
            status: c.status,
        });
    }
    require(ctx, close_the_loop(&c))?;
    let obj = concern_obj(doc, id)?;
    set_status(doc, &obj, ctx, ConcernStatus::Reopened)?;
    append_event(
        doc,
        &obj,
        &ctx.event(ConcernEvent::Reopened {
            reason: reason.to_string(),
        }),
    )
}

/// The resident's verdict on `c`: its raiser, its resolver or a manager records it.
fn close_the_loop(c: &crate::domain::Concern) -> Act<'_> {
    Act::CloseTheLoop {
        raised_by: &c.raised_by,
        resolved_by: c.resolution.as_ref().map(|r| r.by.as_str()),
    }
}

/// "Me too": `supporter` (a member or household id) has the same concern.
/// Legal in any status but Closed; each supporter once.
pub fn support(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    supporter: &str,
) -> Result<(), DomainError> {
    non_empty(supporter, Field::Supporter)?;
    let c = live_concern(doc, id)?;
    if c.status == ConcernStatus::Closed {
        return Err(DomainError::IllegalTransition {
            action: Action::Support,
            status: c.status,
        });
    }
    if c.supporters.contains_key(supporter) {
        return Err(DomainError::AlreadySupporting(supporter.to_string()));
    }
    let obj = concern_obj(doc, id)?;
    let supporters = child_obj(doc, &obj, "supporters")?
        .ok_or_else(|| DomainError::Malformed("concern without supporters".into()))?;
    doc.put(&supporters, supporter, ctx.now_ms)?;
    append_event(doc, &obj, &ctx.event(ConcernEvent::Supported))
}
