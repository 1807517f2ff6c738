//! Follow-up actions (督办) decided in a meeting: an owner, a deadline, a state.

use crate::domain::refusal::{Field, RecordKind};
use automerge::transaction::Transactable;
use automerge::AutoCommit;
use autosurgeon::{hydrate_prop, Hydrate};

use crate::domain::kinds::string_enum;
use crate::domain::limits::{within, MAX_TITLE_CHARS};
use crate::domain::meeting::{meeting_map, AGENDA, FOLLOW_UPS};
use crate::domain::store::{child_obj, non_empty, put_map, record_obj};
use crate::domain::{Ctx, DomainError, MemberId};

string_enum! {
    /// Where a follow-up action stands.
    pub enum FollowUpState {
        Open => "open",
        Done => "done",
    }
}

/// A follow-up action as the app shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    pub id: String,
    pub title: String,
    pub owner: MemberId,
    pub due_at: Option<i64>,
    /// The agenda item it came from.
    pub item: Option<String>,
    pub state: FollowUpState,
    pub created_by: MemberId,
    pub created_at: i64,
    pub done_by: Option<MemberId>,
    pub done_at: Option<i64>,
    pub done_note: Option<String>,
}

impl FollowUp {
    /// Open and past its deadline at `now_ms`.
    pub fn is_overdue(&self, now_ms: i64) -> bool {
        self.state == FollowUpState::Open && self.due_at.is_some_and(|d| d < now_ms)
    }
}

#[derive(Hydrate)]
pub(crate) struct StoredFollowUp {
    id: String,
    title: String,
    owner: String,
    #[autosurgeon(missing = "Default::default")]
    due_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    item: Option<String>,
    state: FollowUpState,
    created_by: String,
    created_at: i64,
    #[autosurgeon(missing = "Default::default")]
    done_by: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    done_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    done_note: Option<String>,
}

impl StoredFollowUp {
    pub(crate) fn into_follow_up(self) -> FollowUp {
        FollowUp {
            id: self.id,
            title: self.title,
            owner: self.owner,
            due_at: self.due_at,
            item: self.item,
            state: self.state,
            created_by: self.created_by,
            created_at: self.created_at,
            done_by: self.done_by,
            done_at: self.done_at,
            done_note: self.done_note,
        }
    }
}

/// What the caller gives to add a follow-up action.
#[derive(Clone, Debug, Default)]
pub struct NewFollowUp {
    pub id: String,
    pub title: String,
    pub owner: MemberId,
    pub due_at: Option<i64>,
    pub item: Option<String>,
}

/// Adds a follow-up action to the meeting.
pub fn add_follow_up(doc: &mut AutoCommit, ctx: &Ctx, f: NewFollowUp) -> Result<(), DomainError> {
    non_empty(&f.id, Field::FollowUpId)?;
    non_empty(&f.title, Field::FollowUpTitle)?;
    within(&f.title, Field::FollowUpTitle, MAX_TITLE_CHARS)?;
    non_empty(&f.owner, Field::FollowUpOwner)?;
    let follow_ups = meeting_map(doc, FOLLOW_UPS)?;
    if child_obj(doc, &follow_ups, f.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::FollowUp,
            id: f.id,
        });
    }
    if let Some(item) = &f.item {
        let agenda = meeting_map(doc, AGENDA)?;
        record_obj(doc, &agenda, RecordKind::AgendaItem, item)?;
    }
    let obj = put_map(doc, &follow_ups, &f.id)?;
    doc.put(&obj, "id", f.id.as_str())?;
    doc.put(&obj, "title", f.title.as_str())?;
    doc.put(&obj, "owner", f.owner.as_str())?;
    if let Some(due) = f.due_at {
        doc.put(&obj, "due_at", due)?;
    }
    if let Some(item) = &f.item {
        doc.put(&obj, "item", item.as_str())?;
    }
    doc.put(&obj, "state", FollowUpState::Open.as_str())?;
    doc.put(&obj, "created_by", ctx.actor.as_str())?;
    doc.put(&obj, "created_at", ctx.now_ms)?;
    Ok(())
}

/// Marks a follow-up action done, with a note of what was done.
pub fn complete_follow_up(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    note: &str,
) -> Result<(), DomainError> {
    let follow_ups = meeting_map(doc, FOLLOW_UPS)?;
    let obj = record_obj(doc, &follow_ups, RecordKind::FollowUp, id)?;
    let state: FollowUpState = hydrate_prop(&*doc, &obj, "state")?;
    if state == FollowUpState::Done {
        return Err(DomainError::AlreadyDone(id.to_string()));
    }
    doc.put(&obj, "state", FollowUpState::Done.as_str())?;
    doc.put(&obj, "done_by", ctx.actor.as_str())?;
    doc.put(&obj, "done_at", ctx.now_ms)?;
    doc.put(&obj, "done_note", note)?;
    Ok(())
}
