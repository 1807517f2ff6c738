//! Weekly household visits (代表一周一走访) and the monthly task list
//! (清单一月一制定), both in the community document.

use crate::domain::refusal::{Action, Field, RecordKind};
use crate::sort;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc};
use autosurgeon::{hydrate_prop, Hydrate};

use crate::domain::limits::{within, MAX_NOTE_CHARS, MAX_REPORTER_CHARS, MAX_TITLE_CHARS};
use crate::domain::org::{get_unit, TASKS, VISITS};
use crate::domain::store::{child_obj, get_opt, non_empty, put_map, record_obj, root_map};
use crate::domain::{ConcernId, Ctx, DomainError, MemberId, UnitId};

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

/// One entry of a member's monthly task list.
#[derive(Clone, Debug, PartialEq, Eq, Hydrate)]
pub struct MonthlyTask {
    pub id: String,
    pub owner: MemberId,
    /// "YYYY-MM" (China time), see [`crate::domain::month_key`].
    pub month: String,
    pub title: String,
    pub created_at: i64,
    #[autosurgeon(missing = "Default::default")]
    pub done_at: Option<i64>,
}

/// What the caller gives to add a task.
#[derive(Clone, Debug, Default)]
pub struct NewTask {
    pub id: String,
    pub owner: MemberId,
    pub month: String,
    pub title: String,
}

fn valid_month(month: &str) -> bool {
    let b = month.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        && matches!(
            &month[5..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
}

/// Adds a task to `owner`'s list for `month`.
pub fn add_task(doc: &mut AutoCommit, ctx: &Ctx, t: NewTask) -> Result<(), DomainError> {
    non_empty(&t.id, Field::TaskId)?;
    non_empty(&t.title, Field::TaskTitle)?;
    within(&t.title, Field::TaskTitle, MAX_TITLE_CHARS)?;
    non_empty(&t.owner, Field::TaskOwner)?;
    if !valid_month(&t.month) {
        return Err(DomainError::Malformed(format!(
            "month {:?} is not YYYY-MM",
            t.month
        )));
    }
    let tasks = root_map(doc, TASKS)?;
    if child_obj(doc, &tasks, t.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Task,
            id: t.id,
        });
    }
    let obj = put_map(doc, &tasks, &t.id)?;
    doc.put(&obj, "id", t.id.as_str())?;
    doc.put(&obj, "owner", t.owner.as_str())?;
    doc.put(&obj, "month", t.month.as_str())?;
    doc.put(&obj, "title", t.title.as_str())?;
    doc.put(&obj, "created_at", ctx.now_ms)?;
    Ok(())
}

/// Ticks a task off.
pub fn complete_task(doc: &mut AutoCommit, ctx: &Ctx, id: &str) -> Result<(), DomainError> {
    let tasks = root_map(doc, TASKS)?;
    let obj = record_obj(doc, &tasks, RecordKind::Task, id)?;
    let done: Option<i64> = get_opt(doc, &obj, "done_at")?;
    if done.is_some() {
        return Err(DomainError::AlreadyDone(id.to_string()));
    }
    doc.put(&obj, "done_at", ctx.now_ms)?;
    Ok(())
}

/// The tasks of `owner` for `month`, by id.
pub fn list_tasks(
    doc: &AutoCommit,
    owner: &str,
    month: &str,
) -> Result<Vec<MonthlyTask>, DomainError> {
    let tasks = root_map(doc, TASKS)?;
    let mut out = Vec::new();
    for key in doc.keys(&tasks) {
        let t: MonthlyTask = hydrate_prop(doc, &tasks, key.as_str())?;
        if t.owner == owner && t.month == month {
            out.push(t);
        }
    }
    Ok(out)
}

// ---- Service days (睦邻互助日, issue 7): "村民来点单、代表来实施" ----
//
// Orders live in the community document's `service_orders` map. Documents made
// before this existed have no such map, so the first order creates it; two
// phones creating it offline make competing maps, and (as for the meeting
// index) every one of them is read and the winner is written to, so no order
// is lost.

const SERVICE_ORDERS: &str = "service_orders";

/// A resident's order for a service day, and who delivered it.
#[derive(Clone, Debug, PartialEq, Eq, Hydrate)]
pub struct ServiceOrder {
    pub id: String,
    /// The service day's month, "YYYY-MM" (China time).
    pub month: String,
    /// What the resident asked for.
    pub request: String,
    #[autosurgeon(missing = "Default::default")]
    pub household: Option<UnitId>,
    /// Who asked (free text; phone numbers are masked when shown).
    #[autosurgeon(missing = "Default::default")]
    pub resident: String,
    pub placed_by: MemberId,
    pub placed_at: i64,
    /// The representative who took it on (last writer wins between phones).
    #[autosurgeon(missing = "Default::default")]
    pub taken_by: Option<MemberId>,
    #[autosurgeon(missing = "Default::default")]
    pub taken_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    pub done_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    pub done_note: String,
}

/// What the caller gives to place an order.
#[derive(Clone, Debug, Default)]
pub struct NewOrder {
    pub id: String,
    pub month: String,
    pub request: String,
    pub household: Option<UnitId>,
    pub resident: String,
}

fn order_maps(doc: &AutoCommit) -> Result<Vec<automerge::ObjId>, DomainError> {
    let mut maps = crate::domain::store::all_objects(doc, &automerge::ROOT, SERVICE_ORDERS)?;
    maps.reverse(); // automerge's winner first
    Ok(maps)
}

/// The map holding order `id`, and the order's object.
fn find_order(
    doc: &AutoCommit,
    id: &str,
) -> Result<(automerge::ObjId, automerge::ObjId), DomainError> {
    for map in order_maps(doc)? {
        if let Some(obj) = child_obj(doc, &map, id)? {
            return Ok((map, obj));
        }
    }
    Err(DomainError::NotFound {
        kind: RecordKind::ServiceOrder,
        id: id.to_string(),
    })
}

fn get_order(doc: &AutoCommit, id: &str) -> Result<(automerge::ObjId, ServiceOrder), DomainError> {
    let (map, obj) = find_order(doc, id)?;
    Ok((obj, hydrate_prop(doc, &map, id)?))
}

/// Records a resident's order (by the member who wrote it down).
pub fn place_order(doc: &mut AutoCommit, ctx: &Ctx, o: NewOrder) -> Result<(), DomainError> {
    non_empty(&o.id, Field::OrderId)?;
    non_empty(&o.request, Field::OrderRequest)?;
    within(&o.request, Field::OrderRequest, MAX_NOTE_CHARS)?;
    within(&o.resident, Field::OrderResident, MAX_REPORTER_CHARS)?;
    if !valid_month(&o.month) {
        return Err(DomainError::Malformed(format!(
            "month {:?} is not YYYY-MM",
            o.month
        )));
    }
    if find_order(doc, &o.id).is_ok() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::ServiceOrder,
            id: o.id,
        });
    }
    if let Some(h) = &o.household {
        get_unit(doc, h)?;
    }
    let map = match order_maps(doc)?.into_iter().next() {
        Some(map) => map,
        None => put_map(doc, &automerge::ROOT, SERVICE_ORDERS)?,
    };
    let obj = put_map(doc, &map, &o.id)?;
    doc.put(&obj, "id", o.id.as_str())?;
    doc.put(&obj, "month", o.month.as_str())?;
    doc.put(&obj, "request", o.request.as_str())?;
    if let Some(h) = &o.household {
        doc.put(&obj, "household", h.as_str())?;
    }
    doc.put(&obj, "resident", o.resident.as_str())?;
    doc.put(&obj, "placed_by", ctx.actor.as_str())?;
    doc.put(&obj, "placed_at", ctx.now_ms)?;
    Ok(())
}

/// The actor takes the order on. Refused once it is done, or while someone
/// else holds it.
pub fn take_order(doc: &mut AutoCommit, ctx: &Ctx, id: &str) -> Result<(), DomainError> {
    let (obj, o) = get_order(doc, id)?;
    if o.done_at.is_some() {
        return Err(DomainError::AlreadyDone(id.to_string()));
    }
    if let Some(by) = o.taken_by.filter(|by| *by != ctx.actor) {
        return Err(DomainError::NotClaimant {
            action: Action::Take,
            claimant: by,
        });
    }
    doc.put(&obj, "taken_by", ctx.actor.as_str())?;
    doc.put(&obj, "taken_at", ctx.now_ms)?;
    Ok(())
}

/// Marks the order delivered. Whoever delivers an untaken order has taken it.
pub fn complete_order(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    id: &str,
    note: &str,
) -> Result<(), DomainError> {
    let (obj, o) = get_order(doc, id)?;
    if o.done_at.is_some() {
        return Err(DomainError::AlreadyDone(id.to_string()));
    }
    if o.taken_by.is_none() {
        doc.put(&obj, "taken_by", ctx.actor.as_str())?;
        doc.put(&obj, "taken_at", ctx.now_ms)?;
    }
    doc.put(&obj, "done_at", ctx.now_ms)?;
    doc.put(&obj, "done_note", note)?;
    Ok(())
}

/// The orders of a service-day month, oldest first (ties by id).
pub fn list_orders(doc: &AutoCommit, month: &str) -> Result<Vec<ServiceOrder>, DomainError> {
    let mut out: Vec<ServiceOrder> = Vec::new();
    for map in order_maps(doc)? {
        for key in doc.keys(&map) {
            if out.iter().any(|o| o.id == key) {
                continue;
            }
            let o: ServiceOrder = hydrate_prop(doc, &map, key.as_str())?;
            if o.month == month {
                out.push(o);
            }
        }
    }
    sort::sort_by(&mut out, |a, b| {
        a.placed_at.cmp(&b.placed_at).then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}
