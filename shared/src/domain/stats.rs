//! Ledgers (台账): the committee's figures, computed from hydrated records.

use std::collections::BTreeMap;

use automerge::AutoCommit;

use crate::domain::org::area_of;
use crate::domain::{
    list_concerns, list_units, list_visits, month_key, Category, Concern, ConcernEvent,
    DomainError, Level, MemberId, OrgUnit, UnitId, Visit,
};

/// Raised and resolved counts of one slice. "Resolved" means the concern is now
/// Resolved or Closed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub raised: usize,
    pub resolved: usize,
}

/// The residents' verdicts on closed concerns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Satisfaction {
    pub count: usize,
    /// Mean score 1–5, None without feedback.
    pub mean: Option<f64>,
    /// How many gave 1, 2, 3, 4, 5.
    pub distribution: [usize; 5],
}

/// What one member did (the quarterly 百佳代表 selection uses it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemberActivity {
    pub recorded: usize,
    pub claimed: usize,
    pub escalated: usize,
    pub resolved: usize,
    pub feedback_collected: usize,
    pub reopened: usize,
    pub supported: usize,
    pub visits: usize,
}

/// The figures of one community.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    pub total: Counts,
    /// By the concern's current level.
    pub by_level: BTreeMap<Level, Counts>,
    pub by_category: BTreeMap<Category, Counts>,
    /// By 片 (None: no place, or a place outside the tree).
    pub by_area: BTreeMap<Option<UnitId>, Counts>,
    /// By the month raised ("YYYY-MM", China time).
    pub by_month: BTreeMap<String, Counts>,
    /// Median time from raised to the first claim (a resolve on the spot counts
    /// as the claim), over concerns that were ever claimed.
    pub median_ms_to_claim: Option<i64>,
    /// Median time from raised to the current resolution, over Resolved/Closed
    /// concerns.
    pub median_ms_to_resolve: Option<i64>,
    pub satisfaction: Satisfaction,
    pub members: BTreeMap<MemberId, MemberActivity>,
}

/// Median of the values (mean of the two middle ones, rounded down, for an even
/// count). Durations below zero (device clocks disagree) count as zero.
pub fn median_ms(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    for v in values.iter_mut() {
        *v = (*v).max(0);
    }
    values.sort_unstable();
    let n = values.len();
    Some(if !n.is_multiple_of(2) {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]).div_euclid(2)
    })
}

/// Computes the ledger from records (for figures over a slice of them: filter first).
pub fn ledger(concerns: &[Concern], units: &[OrgUnit], visits: &[Visit]) -> Ledger {
    let mut l = Ledger::default();
    let mut to_claim = Vec::new();
    let mut to_resolve = Vec::new();
    let mut scores = Vec::new();
    for c in concerns {
        let resolved = c.status.is_done();
        let area = c.place.as_deref().and_then(|p| area_of(units, p));
        for counts in [
            &mut l.total,
            l.by_level.entry(c.level).or_default(),
            l.by_category.entry(c.category).or_default(),
            l.by_area.entry(area).or_default(),
            l.by_month.entry(month_key(c.raised_at)).or_default(),
        ] {
            counts.raised += 1;
            counts.resolved += usize::from(resolved);
        }
        let first_claim = c.timeline.iter().find(|e| {
            matches!(
                e.action,
                ConcernEvent::Claimed | ConcernEvent::Resolved { .. }
            )
        });
        if let Some(e) = first_claim {
            to_claim.push(e.at - c.raised_at);
        }
        if let (true, Some(r)) = (resolved, &c.resolution) {
            to_resolve.push(r.at - c.raised_at);
        }
        if let Some(f) = &c.feedback {
            if c.status == crate::domain::ConcernStatus::Closed && (1..=5).contains(&f.satisfaction)
            {
                scores.push(f.satisfaction);
            }
        }
        for e in &c.timeline {
            let a = l.members.entry(e.by.clone()).or_default();
            match e.action {
                ConcernEvent::Recorded => a.recorded += 1,
                ConcernEvent::Claimed => a.claimed += 1,
                ConcernEvent::Released => {}
                ConcernEvent::Escalated { .. } => a.escalated += 1,
                ConcernEvent::Resolved { .. } => a.resolved += 1,
                ConcernEvent::Feedback { .. } => a.feedback_collected += 1,
                ConcernEvent::Reopened { .. } => a.reopened += 1,
                ConcernEvent::Supported => a.supported += 1,
            }
        }
    }
    for v in visits {
        l.members.entry(v.by.clone()).or_default().visits += 1;
    }
    l.median_ms_to_claim = median_ms(&mut to_claim);
    l.median_ms_to_resolve = median_ms(&mut to_resolve);
    l.satisfaction.count = scores.len();
    for s in &scores {
        l.satisfaction.distribution[usize::from(*s) - 1] += 1;
    }
    if !scores.is_empty() {
        let sum: u32 = scores.iter().map(|s| u32::from(*s)).sum();
        l.satisfaction.mean = Some(f64::from(sum) / scores.len() as f64);
    }
    l
}

/// The ledger of a whole community document.
pub fn community_ledger(doc: &AutoCommit) -> Result<Ledger, DomainError> {
    Ok(ledger(
        &list_concerns(doc)?,
        &list_units(doc)?,
        &list_visits(doc)?,
    ))
}
