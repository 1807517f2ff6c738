//! The 邻长's micro-service fund (微服务资金, ≥ 200 yuan): allocations and
//! spending, in fen (1/100 yuan) to stay exact.

use crate::domain::refusal::{Field, RecordKind};
use crate::sort;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc};
use autosurgeon::{hydrate_prop, Hydrate};

use crate::domain::limits::{within, MAX_NOTE_CHARS};
use crate::domain::org::{FUND_ALLOCATIONS, FUND_EXPENSES};
use crate::domain::store::{child_obj, get_opt, non_empty, put_map, root_map};
use crate::domain::{ConcernId, Ctx, DomainError, MemberId};

/// One recorded spending.
#[derive(Clone, Debug, PartialEq, Eq, Hydrate)]
pub struct Expense {
    pub id: String,
    /// The 邻长 whose fund paid.
    pub spender: MemberId,
    pub at: i64,
    pub amount_fen: i64,
    pub purpose: String,
    #[autosurgeon(missing = "Default::default")]
    pub concern: Option<ConcernId>,
}

/// What the caller gives to record a spending from the actor's fund.
#[derive(Clone, Debug, Default)]
pub struct NewExpense {
    pub id: String,
    pub amount_fen: i64,
    pub purpose: String,
    pub concern: Option<ConcernId>,
}

/// A member's fund: allocated, spent, left.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FundAccount {
    pub allocated_fen: i64,
    pub spent_fen: i64,
    /// May be negative (overspending is recorded, not refused: the money is gone).
    pub balance_fen: i64,
    /// Newest first.
    pub expenses: Vec<Expense>,
}

/// Sets the amount allocated to a member's fund (last write wins).
pub fn set_fund_allocation(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    member: &str,
    amount_fen: i64,
) -> Result<(), DomainError> {
    crate::domain::authority::require(ctx, crate::domain::Act::AllocateFund)?;
    non_empty(member, Field::MemberId)?;
    if amount_fen <= 0 {
        return Err(DomainError::NonPositiveAmount(amount_fen));
    }
    let allocations = root_map(doc, FUND_ALLOCATIONS)?;
    doc.put(&allocations, member, amount_fen)?;
    Ok(())
}

/// Records a spending from the actor's fund. Concurrent records all survive.
pub fn record_expense(doc: &mut AutoCommit, ctx: &Ctx, e: NewExpense) -> Result<(), DomainError> {
    non_empty(&e.id, Field::ExpenseId)?;
    non_empty(&e.purpose, Field::ExpensePurpose)?;
    within(&e.purpose, Field::ExpensePurpose, MAX_NOTE_CHARS)?;
    if e.amount_fen <= 0 {
        return Err(DomainError::NonPositiveAmount(e.amount_fen));
    }
    let expenses = root_map(doc, FUND_EXPENSES)?;
    if child_obj(doc, &expenses, e.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Expense,
            id: e.id,
        });
    }
    let obj = put_map(doc, &expenses, &e.id)?;
    doc.put(&obj, "id", e.id.as_str())?;
    doc.put(&obj, "spender", ctx.actor.as_str())?;
    doc.put(&obj, "at", ctx.now_ms)?;
    doc.put(&obj, "amount_fen", e.amount_fen)?;
    doc.put(&obj, "purpose", e.purpose.as_str())?;
    if let Some(c) = &e.concern {
        doc.put(&obj, "concern", c.as_str())?;
    }
    Ok(())
}

/// The fund of one member.
pub fn fund_account(doc: &AutoCommit, member: &str) -> Result<FundAccount, DomainError> {
    let allocations = root_map(doc, FUND_ALLOCATIONS)?;
    let allocated_fen: Option<i64> = get_opt(doc, &allocations, member)?;
    let expenses_obj = root_map(doc, FUND_EXPENSES)?;
    let mut expenses = Vec::new();
    for key in doc.keys(&expenses_obj) {
        let e: Expense = hydrate_prop(doc, &expenses_obj, key.as_str())?;
        if e.spender == member {
            expenses.push(e);
        }
    }
    sort::sort_by(&mut expenses, |a, b| {
        b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id))
    });
    let allocated_fen = allocated_fen.unwrap_or(0);
    let spent_fen = expenses.iter().map(|e| e.amount_fen).sum();
    Ok(FundAccount {
        allocated_fen,
        spent_fen,
        balance_fen: allocated_fen - spent_fen,
        expenses,
    })
}
