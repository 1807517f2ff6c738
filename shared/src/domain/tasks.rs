//! Each member's monthly task list (清单一月一制定), in the community document.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc};
use autosurgeon::{hydrate_prop, Hydrate};

use crate::domain::calendar::is_month_key;
use crate::domain::limits::{within, MAX_TITLE_CHARS};
use crate::domain::org::TASKS;
use crate::domain::refusal::{Field, RecordKind};
use crate::domain::store::{child_obj, get_opt, non_empty, put_map, record_obj, root_map};
use crate::domain::{Ctx, DomainError, MemberId};

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

/// Adds a task to `owner`'s list for `month`.
pub fn add_task(doc: &mut AutoCommit, ctx: &Ctx, t: NewTask) -> Result<(), DomainError> {
    non_empty(&t.id, Field::TaskId)?;
    non_empty(&t.title, Field::TaskTitle)?;
    within(&t.title, Field::TaskTitle, MAX_TITLE_CHARS)?;
    non_empty(&t.owner, Field::TaskOwner)?;
    if !is_month_key(&t.month) {
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
