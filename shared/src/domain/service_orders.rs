//! Service days (睦邻互助日): "村民来点单、代表来实施" — residents order, representatives deliver.
//!
//! Orders live in the community document's `service_orders` map. Documents made
//! before this existed have no such map, so the first order creates it; two
//! phones creating it offline make competing maps, and (as for the meeting
//! index) every one of them is read and the winner is written to, so no order
//! is lost.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc};
use autosurgeon::{hydrate_prop, Hydrate};

use crate::domain::calendar::is_month_key;
use crate::domain::limits::{within, MAX_NOTE_CHARS, MAX_REPORTER_CHARS};
use crate::domain::org::get_unit;
use crate::domain::refusal::{Action, Field, RecordKind};
use crate::domain::store::{child_obj, non_empty, put_map};
use crate::domain::{Ctx, DomainError, MemberId, UnitId};
use crate::sort;

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
    if !is_month_key(&o.month) {
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
