//! The agenda (议程): items in a map keyed by id, ordered by position keys (see
//! `position.rs`). Removing an item marks it removed, so notes typed into it
//! concurrently are never destroyed.

use crate::domain::refusal::{Field, RecordKind};
use crate::sort;
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType};
use autosurgeon::{Hydrate, Text};

use crate::domain::limits::{within, MAX_TITLE_CHARS};
use crate::domain::meeting::{get_meeting, meeting_map, AGENDA};
use crate::domain::position::{key_between, spread_keys};
use crate::domain::store::{child_obj, get_opt, non_empty, put_map, record_obj};
use crate::domain::vote::{Decision, VoteChoice};
use crate::domain::{ConcernId, Ctx, DomainError, MemberId};

/// Id of an agenda item, made by the caller.
pub type AgendaItemId = String;

/// One agenda item as the app shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub title: String,
    /// Sort key; the agenda is ordered by (position, id).
    pub position: String,
    /// Concerns brought to this item.
    pub concerns: Vec<ConcernId>,
    pub notes: String,
    pub decision: Option<Decision>,
    /// One vote per participant (the latest one they cast).
    pub votes: BTreeMap<MemberId, VoteChoice>,
    pub added_by: MemberId,
    pub added_at: i64,
}

#[derive(Hydrate)]
pub(crate) struct StoredAgendaItem {
    id: String,
    title: String,
    position: String,
    concerns: BTreeMap<String, i64>,
    notes: Text,
    #[autosurgeon(missing = "Default::default")]
    decision: Option<Decision>,
    votes: BTreeMap<String, VoteChoice>,
    added_by: String,
    added_at: i64,
    #[autosurgeon(missing = "Default::default")]
    removed_at: Option<i64>,
}

/// The visible items in agenda order.
pub(crate) fn ordered_items(items: BTreeMap<String, StoredAgendaItem>) -> Vec<AgendaItem> {
    let mut out: Vec<AgendaItem> = items
        .into_values()
        .filter(|i| i.removed_at.is_none())
        .map(|i| AgendaItem {
            id: i.id,
            title: i.title,
            position: i.position,
            concerns: i.concerns.into_keys().collect(),
            notes: i.notes.as_str().to_string(),
            decision: i.decision,
            votes: i.votes,
            added_by: i.added_by,
            added_at: i.added_at,
        })
        .collect();
    sort::sort_by(&mut out, |a, b| {
        a.position.cmp(&b.position).then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// What the caller gives to add an agenda item.
#[derive(Clone, Debug, Default)]
pub struct NewAgendaItem {
    pub id: AgendaItemId,
    pub title: String,
    pub concerns: Vec<ConcernId>,
}

/// Adds an item at the end of the agenda.
pub fn add_agenda_item(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    item: NewAgendaItem,
) -> Result<(), DomainError> {
    non_empty(&item.id, Field::AgendaItemId)?;
    non_empty(&item.title, Field::AgendaItemTitle)?;
    within(&item.title, Field::AgendaItemTitle, MAX_TITLE_CHARS)?;
    let agenda = meeting_map(doc, AGENDA)?;
    if child_obj(doc, &agenda, item.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::AgendaItem,
            id: item.id,
        });
    }
    let last = get_meeting(doc)?.agenda.last().map(|i| i.position.clone());
    let obj = put_map(doc, &agenda, &item.id)?;
    doc.put(&obj, "id", item.id.as_str())?;
    doc.put(&obj, "title", item.title.as_str())?;
    doc.put(&obj, "position", key_between(last.as_deref(), None))?;
    let concerns = doc.put_object(&obj, "concerns", ObjType::Map)?;
    for c in &item.concerns {
        doc.put(&concerns, c.as_str(), ctx.now_ms)?;
    }
    doc.put_object(&obj, "notes", ObjType::Text)?;
    doc.put(&obj, "decision", automerge::ScalarValue::Null)?;
    doc.put_object(&obj, "votes", ObjType::Map)?;
    doc.put(&obj, "added_by", ctx.actor.as_str())?;
    doc.put(&obj, "added_at", ctx.now_ms)?;
    Ok(())
}

/// Moves an item so that it ends at `to_index` of the visible agenda (clamped to
/// the end). Concurrent moves of one item: one position stands; of different
/// items: both apply. No item is lost or duplicated either way.
pub fn move_agenda_item(
    doc: &mut AutoCommit,
    _ctx: &Ctx,
    id: &str,
    to_index: usize,
) -> Result<(), DomainError> {
    let agenda = meeting_map(doc, AGENDA)?;
    let obj = record_obj(doc, &agenda, RecordKind::AgendaItem, id)?;
    let items = get_meeting(doc)?.agenda;
    if !items.iter().any(|i| i.id == id) {
        return Err(DomainError::NotFound {
            kind: RecordKind::AgendaItem,
            id: id.to_string(),
        });
    }
    let others: Vec<&AgendaItem> = items.iter().filter(|i| i.id != id).collect();
    let to_index = to_index.min(others.len());
    let lo = to_index.checked_sub(1).map(|i| others[i].position.as_str());
    let hi = others.get(to_index).map(|i| i.position.as_str());
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo >= hi => {
            // Equal keys left by concurrent moves: renumber the whole agenda.
            let mut order: Vec<&str> = others.iter().map(|i| i.id.as_str()).collect();
            order.insert(to_index, id);
            for (item_id, key) in order.into_iter().zip(spread_keys(items.len())) {
                let item = record_obj(doc, &agenda, RecordKind::AgendaItem, item_id)?;
                doc.put(&item, "position", key)?;
            }
        }
        _ => doc.put(&obj, "position", key_between(lo, hi))?,
    }
    Ok(())
}

/// Removes an item from the agenda (kept in the document, marked removed).
pub fn remove_agenda_item(doc: &mut AutoCommit, ctx: &Ctx, id: &str) -> Result<(), DomainError> {
    let agenda = meeting_map(doc, AGENDA)?;
    let obj = record_obj(doc, &agenda, RecordKind::AgendaItem, id)?;
    let removed: Option<i64> = get_opt(doc, &obj, "removed_at")?;
    if removed.is_some() {
        return Err(DomainError::NotFound {
            kind: RecordKind::AgendaItem,
            id: id.to_string(),
        });
    }
    doc.put(&obj, "removed_at", ctx.now_ms)?;
    Ok(())
}

/// Brings a concern to an agenda item (a set: concurrent links all survive).
pub fn link_concern(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    item: &str,
    concern: &str,
) -> Result<(), DomainError> {
    non_empty(concern, Field::ConcernId)?;
    let agenda = meeting_map(doc, AGENDA)?;
    let obj = record_obj(doc, &agenda, RecordKind::AgendaItem, item)?;
    let concerns = child_obj(doc, &obj, "concerns")?
        .ok_or_else(|| DomainError::Malformed("agenda item without concerns".into()))?;
    doc.put(&concerns, concern, ctx.now_ms)?;
    Ok(())
}

/// Takes a concern off an agenda item (linked by mistake). Concurrent with a
/// new link of the same concern on another phone, the link survives.
pub fn unlink_concern(
    doc: &mut AutoCommit,
    _ctx: &Ctx,
    item: &str,
    concern: &str,
) -> Result<(), DomainError> {
    let agenda = meeting_map(doc, AGENDA)?;
    let obj = record_obj(doc, &agenda, RecordKind::AgendaItem, item)?;
    let concerns = child_obj(doc, &obj, "concerns")?
        .ok_or_else(|| DomainError::Malformed("agenda item without concerns".into()))?;
    if get_opt::<i64>(doc, &concerns, concern)?.is_none() {
        return Err(DomainError::NotFound {
            kind: RecordKind::ConcernLinks,
            id: concern.to_string(),
        });
    }
    doc.delete(&concerns, concern)?;
    Ok(())
}
