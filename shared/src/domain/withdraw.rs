//! Taking back records made by mistake: a concern withdrawn (删除（记错了）) or
//! merged into another as its duplicate (合并到…), and a meeting withdrawn.
//!
//! Nothing is erased: the record keeps a [`Withdrawal`] (who, when, why) and a
//! concern's timeline gets a `Withdrawn` event. Withdrawn records leave the
//! lists (`list_concerns`, `list_meetings`), the ledger figures and the
//! exports, but stay readable from the record itself (`get_concern`,
//! `get_meeting`, `list_withdrawn_concerns`).
//!
//! Who may: the member who recorded it, or a committee (两委) or town member —
//! the people who keep the community's ledger. Roles come from the community
//! document, so every phone applies the same rule.
//!
//! Merging: a withdrawal is its own key, beside the status, so a concurrent
//! claim or resolve on another phone survives in the timeline while the
//! concern stays withdrawn; two concurrent withdrawals leave one (automerge
//! picks the same one on every phone) and both timeline events.

use automerge::transaction::Transactable;
use automerge::AutoCommit;

use crate::domain::codec::encode_withdrawal;
use crate::domain::concern::{concern_obj, get_concern};
use crate::domain::meeting_index::entry;
use crate::domain::store::{get_opt, non_empty};
use crate::domain::timeline::append_event;
use crate::domain::{
    is_resident, list_members, Action, ConcernEvent, Ctx, DomainError, Field, MemberId, RecordKind,
    Role,
};

/// Who took a record back, when, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Withdrawal {
    pub by: MemberId,
    pub at: i64,
    /// For a concern merged into another: that concern's id.
    pub duplicate_of: Option<String>,
    pub reason: String,
}

/// Whether `actor` may withdraw a record `recorded_by` made: the recorder, or
/// a committee (两委) or town member of the community in `community`. A resident's own
/// report (吹哨, `resident.rs`) may be set aside as spam or a duplicate by any member: the
/// record stays, with who set it aside.
pub fn may_withdraw(community: &AutoCommit, actor: &str, recorded_by: &str) -> bool {
    actor == recorded_by
        || list_members(community).is_ok_and(|ms| {
            ms.iter().any(|m| {
                m.id == actor
                    && (is_resident(recorded_by) || matches!(m.role, Role::Committee | Role::Town))
            })
        })
}

fn require_may(
    doc: &AutoCommit,
    ctx: &Ctx,
    recorded_by: &str,
    action: Action,
) -> Result<(), DomainError> {
    if may_withdraw(doc, &ctx.actor, recorded_by) {
        Ok(())
    } else {
        Err(DomainError::NotRecorder {
            action,
            recorded_by: recorded_by.to_string(),
        })
    }
}

/// Withdraws a concern recorded by mistake, with a reason.
pub fn withdraw_concern(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    reason: &str,
) -> Result<(), DomainError> {
    non_empty(reason, Field::WithdrawReason)?;
    take_back(doc, ctx, id, None, reason, Action::Withdraw)
}

/// Merges concern `id` into `into` as its duplicate: `id` is withdrawn and
/// points at `into`, which must be a concern that is not withdrawn.
pub fn merge_concern(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    into: &str,
    reason: &str,
) -> Result<(), DomainError> {
    if id == into {
        return Err(DomainError::MergeIntoSelf(id.to_string()));
    }
    let target = get_concern(doc, into)?;
    if target.withdrawn.is_some() {
        return Err(DomainError::Withdrawn {
            kind: RecordKind::Concern,
            id: into.to_string(),
        });
    }
    take_back(doc, ctx, id, Some(into.to_string()), reason, Action::Merge)
}

fn take_back(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    duplicate_of: Option<String>,
    reason: &str,
    action: Action,
) -> Result<(), DomainError> {
    let c = get_concern(doc, id)?;
    if c.withdrawn.is_some() {
        return Err(DomainError::Withdrawn {
            kind: RecordKind::Concern,
            id: id.to_string(),
        });
    }
    require_may(doc, ctx, &c.raised_by, action)?;
    let w = Withdrawal {
        by: ctx.actor.clone(),
        at: ctx.now_ms,
        duplicate_of: duplicate_of.clone(),
        reason: reason.trim().to_string(),
    };
    let obj = concern_obj(doc, id)?;
    doc.put(&obj, "withdrawn", encode_withdrawal(&w))?;
    let event = ConcernEvent::Withdrawn {
        duplicate_of,
        reason: w.reason,
    };
    append_event(doc, &obj, &ctx.event(event))
}

/// Withdraws a meeting recorded by mistake from the community's index (so it
/// leaves the meeting list, the concern pages and the 我的待办 follow-ups), with
/// a reason. Returns the withdrawal, for [`mark_meeting_withdrawn`] to copy into
/// the meeting document.
pub fn withdraw_meeting(
    community: &mut AutoCommit,
    ctx: &Ctx,
    meeting: &str,
    reason: &str,
) -> Result<Withdrawal, DomainError> {
    non_empty(reason, Field::WithdrawReason)?;
    let obj = entry(community, meeting)?;
    if get_opt::<String>(community, &obj, "withdrawn")?.is_some() {
        return Err(DomainError::Withdrawn {
            kind: RecordKind::Meeting,
            id: meeting.to_string(),
        });
    }
    let created_by: String = get_opt(community, &obj, "created_by")?.unwrap_or_default();
    require_may(community, ctx, &created_by, Action::Withdraw)?;
    let w = Withdrawal {
        by: ctx.actor.clone(),
        at: ctx.now_ms,
        duplicate_of: None,
        reason: reason.trim().to_string(),
    };
    community.put(&obj, "withdrawn", encode_withdrawal(&w))?;
    Ok(w)
}

/// Records in the meeting document itself that [`withdraw_meeting`] withdrew
/// it (the community document is where the permission is checked).
pub fn mark_meeting_withdrawn(meeting: &mut AutoCommit, w: &Withdrawal) -> Result<(), DomainError> {
    crate::domain::meeting::meeting_map(meeting, crate::domain::meeting::AGENDA)?;
    meeting.put(automerge::ROOT, "withdrawn", encode_withdrawal(w))?;
    Ok(())
}
