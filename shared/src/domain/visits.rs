//! Weekly household visits (代表一周一走访), in the community document.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc};
use autosurgeon::{hydrate_prop, Hydrate};

use crate::domain::limits::{within, MAX_NOTE_CHARS};
use crate::domain::org::{get_unit, VISITS};
use crate::domain::refusal::{Field, RecordKind};
use crate::domain::store::{child_obj, non_empty, put_map, root_map};
use crate::domain::{ConcernId, Ctx, DomainError, MemberId, UnitId};
use crate::sort;

/// One logged visit.
#[derive(Clone, Debug, PartialEq, Eq, Hydrate)]
pub struct Visit {
    pub id: String,
    pub by: MemberId,
    pub at: i64,
    #[autosurgeon(missing = "Default::default")]
    pub household: Option<UnitId>,
    pub note: String,
    /// Concerns this visit produced.
    pub concerns: Vec<ConcernId>,
}

/// What the caller gives to log a visit.
#[derive(Clone, Debug, Default)]
pub struct NewVisit {
    pub id: String,
    pub household: Option<UnitId>,
    pub note: String,
    pub concerns: Vec<ConcernId>,
}

/// Logs a visit by the actor at `ctx.now_ms`.
pub fn log_visit(doc: &mut AutoCommit, ctx: &Ctx, v: NewVisit) -> Result<(), DomainError> {
    non_empty(&v.id, Field::VisitId)?;
    within(&v.note, Field::VisitNote, MAX_NOTE_CHARS)?;
    let visits = root_map(doc, VISITS)?;
    if child_obj(doc, &visits, v.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Visit,
            id: v.id,
        });
    }
    if let Some(h) = &v.household {
        get_unit(doc, h)?;
    }
    let obj = put_map(doc, &visits, &v.id)?;
    doc.put(&obj, "id", v.id.as_str())?;
    doc.put(&obj, "by", ctx.actor.as_str())?;
    doc.put(&obj, "at", ctx.now_ms)?;
    if let Some(h) = &v.household {
        doc.put(&obj, "household", h.as_str())?;
    }
    doc.put(&obj, "note", v.note.as_str())?;
    let concerns = doc.put_object(&obj, "concerns", ObjType::List)?;
    for (i, c) in v.concerns.iter().enumerate() {
        doc.insert(&concerns, i, c.as_str())?;
    }
    Ok(())
}

/// All visits, newest first (ties by id).
pub fn list_visits(doc: &AutoCommit) -> Result<Vec<Visit>, DomainError> {
    let visits = root_map(doc, VISITS)?;
    let mut out: Vec<Visit> = Vec::new();
    for key in doc.keys(&visits) {
        out.push(hydrate_prop(doc, &visits, key.as_str())?);
    }
    sort::sort_by(&mut out, |a, b| {
        b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}
