//! The community document's index of meetings, so every phone finds the
//! meeting documents (one per meeting) and can list them without opening each.
//!
//! Besides the meeting's header it mirrors two things other screens need
//! without loading every meeting: which concerns a meeting discussed (for the
//! concern page) and its follow-up actions (for the owner's 我的 list). The
//! meeting document stays the source of truth; the app writes both.
//!
//! The top-level `meetings` map is created on first use. Two phones creating it
//! concurrently (both offline) leave two conflicting maps: readers take the
//! union of all of them, so no meeting disappears.

use crate::domain::refusal::{Field, RecordKind};
use crate::sort;
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ROOT};
use autosurgeon::Hydrate;

use crate::domain::codec::decode_withdrawal;
use crate::domain::store::{all_objects, child_obj, get_opt, non_empty, put_map, record_obj};
use crate::domain::{
    ConcernId, Ctx, DomainError, FollowUp, FollowUpState, MeetingId, MeetingKind, MemberId,
    Withdrawal,
};

const MEETINGS: &str = "meetings";

/// A meeting as the community document knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingRef {
    /// The meeting id, which is also its document id (`DocumentId` text).
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: i64,
    pub place: String,
    pub created_by: MemberId,
    pub created_at: i64,
    /// Concerns brought to any of its agenda items.
    pub concerns: Vec<ConcernId>,
    pub follow_ups: Vec<FollowUpRef>,
    /// Set when it was withdrawn (recorded by mistake, see `withdraw.rs`).
    pub withdrawn: Option<Withdrawal>,
}

/// A follow-up action as the community document knows it.
#[derive(Clone, Debug, PartialEq, Eq, Hydrate)]
pub struct FollowUpRef {
    pub id: String,
    pub title: String,
    pub owner: MemberId,
    #[autosurgeon(missing = "Default::default")]
    pub due_at: Option<i64>,
    pub state: FollowUpState,
}

impl FollowUpRef {
    /// Open and past its deadline at `now_ms`.
    pub fn is_overdue(&self, now_ms: i64) -> bool {
        self.state == FollowUpState::Open && self.due_at.is_some_and(|d| d < now_ms)
    }
}

#[derive(Hydrate)]
struct StoredRef {
    id: String,
    kind: MeetingKind,
    title: String,
    starts_at: i64,
    place: String,
    created_by: String,
    created_at: i64,
    concerns: BTreeMap<String, i64>,
    follow_ups: BTreeMap<String, FollowUpRef>,
    #[autosurgeon(missing = "Default::default")]
    withdrawn: Option<String>,
}

/// What the organiser's phone records when it creates a meeting.
#[derive(Clone, Debug)]
pub struct NewMeetingRef {
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: i64,
    pub place: String,
}

/// Every `meetings` map written concurrently; the first is the one to write to.
fn index_maps(doc: &AutoCommit) -> Result<Vec<ObjId>, DomainError> {
    let mut maps = all_objects(doc, &ROOT, MEETINGS)?;
    maps.reverse(); // automerge's winner (the one `get` returns) first
    Ok(maps)
}

pub(crate) fn entry(doc: &AutoCommit, meeting: &str) -> Result<ObjId, DomainError> {
    for map in index_maps(doc)? {
        if let Some(obj) = child_obj(doc, &map, meeting)? {
            return Ok(obj);
        }
    }
    Err(DomainError::NotFound {
        kind: RecordKind::Meeting,
        id: meeting.to_string(),
    })
}

/// Lists a new meeting in the community document.
pub fn index_meeting(doc: &mut AutoCommit, ctx: &Ctx, m: NewMeetingRef) -> Result<(), DomainError> {
    crate::domain::authority::require(ctx, crate::domain::Act::CreateMeeting)?;
    non_empty(&m.id, Field::MeetingId)?;
    non_empty(&m.title, Field::MeetingTitle)?;
    if entry(doc, &m.id).is_ok() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Meeting,
            id: m.id,
        });
    }
    let map = match index_maps(doc)?.into_iter().next() {
        Some(map) => map,
        None => put_map(doc, &ROOT, MEETINGS)?,
    };
    let obj = put_map(doc, &map, &m.id)?;
    doc.put(&obj, "id", m.id.as_str())?;
    doc.put(&obj, "kind", m.kind.as_str())?;
    doc.put(&obj, "title", m.title.as_str())?;
    doc.put(&obj, "starts_at", m.starts_at)?;
    doc.put(&obj, "place", m.place.as_str())?;
    doc.put(&obj, "created_by", ctx.actor.as_str())?;
    doc.put(&obj, "created_at", ctx.now_ms)?;
    put_map(doc, &obj, "concerns")?;
    put_map(doc, &obj, "follow_ups")?;
    Ok(())
}

/// Records that `concern` was brought to the meeting (a set).
pub fn index_concern(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    meeting: &str,
    concern: &str,
) -> Result<(), DomainError> {
    non_empty(concern, Field::ConcernId)?;
    let obj = entry(doc, meeting)?;
    let concerns = record_obj(doc, &obj, RecordKind::ConcernLinks, "concerns")?;
    doc.put(&concerns, concern, ctx.now_ms)?;
    Ok(())
}

/// Mirrors a follow-up action (new, or its new state) into the index.
pub fn index_follow_up(
    doc: &mut AutoCommit,
    meeting: &str,
    f: &FollowUp,
) -> Result<(), DomainError> {
    let obj = entry(doc, meeting)?;
    let follow_ups = record_obj(doc, &obj, RecordKind::FollowUpLinks, "follow_ups")?;
    let item = match child_obj(doc, &follow_ups, f.id.as_str())? {
        Some(item) => item,
        None => {
            let item = put_map(doc, &follow_ups, &f.id)?;
            doc.put(&item, "id", f.id.as_str())?;
            doc.put(&item, "title", f.title.as_str())?;
            doc.put(&item, "owner", f.owner.as_str())?;
            if let Some(due) = f.due_at {
                doc.put(&item, "due_at", due)?;
            }
            item
        }
    };
    // Done is final: a stale "open" never overwrites it.
    let current: Option<FollowUpState> = get_opt(doc, &item, "state")?;
    if current != Some(FollowUpState::Done) {
        doc.put(&item, "state", f.state.as_str())?;
    }
    Ok(())
}

/// Takes back [`index_concern`] (the concern is on none of the meeting's
/// agenda items any more).
pub fn unindex_concern(
    doc: &mut AutoCommit,
    _ctx: &Ctx,
    meeting: &str,
    concern: &str,
) -> Result<(), DomainError> {
    let obj = entry(doc, meeting)?;
    let concerns = record_obj(doc, &obj, RecordKind::ConcernLinks, "concerns")?;
    doc.delete(&concerns, concern)?;
    Ok(())
}

/// Every indexed meeting but the withdrawn ones, latest start first.
pub fn list_meetings(doc: &AutoCommit) -> Result<Vec<MeetingRef>, DomainError> {
    Ok(all_meetings(doc)?
        .into_iter()
        .filter(|m| m.withdrawn.is_none())
        .collect())
}

/// Every indexed meeting, withdrawn ones included, latest start first.
pub fn all_meetings(doc: &AutoCommit) -> Result<Vec<MeetingRef>, DomainError> {
    let mut by_id: BTreeMap<String, MeetingRef> = BTreeMap::new();
    for map in index_maps(doc)? {
        for key in automerge::ReadDoc::keys(doc, &map) {
            if by_id.contains_key(&key) {
                continue;
            }
            let Some(r) = get_opt::<StoredRef>(doc, &map, &key)? else {
                continue;
            };
            by_id.insert(
                key,
                MeetingRef {
                    id: r.id,
                    kind: r.kind,
                    title: r.title,
                    starts_at: r.starts_at,
                    place: r.place,
                    created_by: r.created_by,
                    created_at: r.created_at,
                    concerns: r.concerns.into_keys().collect(),
                    follow_ups: r.follow_ups.into_values().collect(),
                    withdrawn: r.withdrawn.as_deref().map(decode_withdrawal).transpose()?,
                },
            );
        }
    }
    let mut out: Vec<MeetingRef> = by_id.into_values().collect();
    sort::sort_by(&mut out, |a, b| {
        b.starts_at.cmp(&a.starts_at).then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}

/// The meetings that discussed a concern, latest first.
pub fn meetings_for_concern(
    doc: &AutoCommit,
    concern: &str,
) -> Result<Vec<MeetingRef>, DomainError> {
    Ok(list_meetings(doc)?
        .into_iter()
        .filter(|m| m.concerns.iter().any(|c| c == concern))
        .collect())
}

/// A member's follow-up actions across meetings with the meeting they came
/// from: open ones first (earliest deadline first), then done ones.
pub fn follow_ups_of(
    doc: &AutoCommit,
    owner: &str,
) -> Result<Vec<(MeetingRef, FollowUpRef)>, DomainError> {
    let mut out = Vec::new();
    for m in list_meetings(doc)? {
        for f in m.follow_ups.iter().filter(|f| f.owner == owner) {
            out.push((m.clone(), f.clone()));
        }
    }
    sort::sort_by_key(&mut out, |(_, f)| {
        (f.state == FollowUpState::Done, f.due_at.unwrap_or(i64::MAX))
    });
    Ok(out)
}
