//! Ledgers (台账): the committee's figures, computed from hydrated records.

use std::collections::BTreeMap;

use automerge::AutoCommit;

use crate::domain::org::area_of;
use crate::domain::{
    list_concerns, list_units, list_visits, month_key, Category, Concern, ConcernEvent,
    DomainError, Level, MemberId, OrgUnit, Period, UnitId, Visit,
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
    /// Every verdict residents gave themselves (吹哨 tracking page), those that reopened the
    /// concern included (they are not in `count`, which holds closed concerns' last verdicts).
    pub by_residents: usize,
    /// Mean of the residents' own verdicts.
    pub residents_mean: Option<f64>,
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
    let mut own_scores = Vec::new();
    for c in concerns.iter().filter(|c| !c.is_withdrawn()) {
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
        for e in c
            .timeline
            .iter()
            .filter(|e| crate::domain::is_resident(&e.by))
        {
            if let ConcernEvent::Feedback { satisfaction, .. } = e.action {
                own_scores.push(satisfaction);
            }
        }
        // What residents did themselves (吹哨) is nobody's activity among the members.
        for e in c
            .timeline
            .iter()
            .filter(|e| !crate::domain::is_resident(&e.by))
        {
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
                ConcernEvent::Withdrawn { .. } => {}
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
    l.satisfaction.mean = mean(&scores);
    l.satisfaction.by_residents = own_scores.len();
    l.satisfaction.residents_mean = mean(&own_scores);
    l
}

fn mean(scores: &[u8]) -> Option<f64> {
    let sum: u32 = scores.iter().map(|s| u32::from(*s)).sum();
    (!scores.is_empty()).then(|| f64::from(sum) / scores.len() as f64)
}

/// The ledger of a whole community document.
pub fn community_ledger(doc: &AutoCommit) -> Result<Ledger, DomainError> {
    Ok(ledger(
        &list_concerns(doc)?,
        &list_units(doc)?,
        &list_visits(doc)?,
    ))
}

// ---- Committee view (issue 7): periods, open and overdue, activity in a period ----

impl Counts {
    /// Raised but not (yet) resolved.
    pub fn open(&self) -> usize {
        self.raised.saturating_sub(self.resolved)
    }
}

/// The concerns raised in the period (the rows of the ledger for that period),
/// withdrawn ones left out.
pub fn raised_in<'a>(concerns: &'a [Concern], period: &Period) -> Vec<&'a Concern> {
    concerns
        .iter()
        .filter(|c| !c.is_withdrawn() && period.contains(c.raised_at))
        .collect()
}

/// The ledger of the concerns raised and the visits made in the period.
pub fn period_ledger(
    concerns: &[Concern],
    units: &[OrgUnit],
    visits: &[Visit],
    period: &Period,
) -> Ledger {
    let cs: Vec<Concern> = raised_in(concerns, period).into_iter().cloned().collect();
    let vs: Vec<Visit> = visits
        .iter()
        .filter(|v| period.contains(v.at))
        .cloned()
        .collect();
    ledger(&cs, units, &vs)
}

/// Concerns past their due time (their own due date, else their level's time limit) and not
/// resolved, by current level.
pub fn overdue_by_level(concerns: &[Concern], now_ms: i64) -> BTreeMap<Level, usize> {
    let mut out = BTreeMap::new();
    for c in concerns.iter().filter(|c| !c.is_withdrawn()) {
        if c.is_overdue(now_ms) {
            *out.entry(c.level).or_default() += 1;
        }
    }
    out
}

/// What one member did within a period (the quarterly 百佳代表 review): every
/// timeline event, visit and convened meeting is counted by its own time, so a
/// concern raised last quarter and resolved this one counts for this one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeriodActivity {
    pub recorded: usize,
    pub claimed: usize,
    pub escalated: usize,
    pub resolved: usize,
    pub feedback_collected: usize,
    pub visits: usize,
    /// Meetings the member convened (created) that start in the period.
    pub meetings: usize,
}

impl PeriodActivity {
    /// Everything counted, for ranking.
    pub fn total(&self) -> usize {
        self.recorded
            + self.claimed
            + self.escalated
            + self.resolved
            + self.feedback_collected
            + self.visits
            + self.meetings
    }
}

/// Per-member activity in the period.
pub fn activity_in(
    concerns: &[Concern],
    visits: &[Visit],
    meetings: &[crate::domain::MeetingRef],
    period: &Period,
) -> BTreeMap<MemberId, PeriodActivity> {
    let mut out: BTreeMap<MemberId, PeriodActivity> = BTreeMap::new();
    let live = concerns.iter().filter(|c| !c.is_withdrawn());
    // What residents did themselves (吹哨) is nobody's activity among the members.
    let by_members = live
        .flat_map(|c| &c.timeline)
        .filter(|e| !crate::domain::is_resident(&e.by));
    for e in by_members {
        if !period.contains(e.at) {
            continue;
        }
        let a = out.entry(e.by.clone()).or_default();
        match e.action {
            ConcernEvent::Recorded => a.recorded += 1,
            ConcernEvent::Claimed => a.claimed += 1,
            ConcernEvent::Escalated { .. } => a.escalated += 1,
            ConcernEvent::Resolved { .. } => a.resolved += 1,
            ConcernEvent::Feedback { .. } => a.feedback_collected += 1,
            ConcernEvent::Released
            | ConcernEvent::Reopened { .. }
            | ConcernEvent::Supported
            | ConcernEvent::Withdrawn { .. } => {}
        }
    }
    for v in visits.iter().filter(|v| period.contains(v.at)) {
        out.entry(v.by.clone()).or_default().visits += 1;
    }
    for m in meetings
        .iter()
        .filter(|m| m.withdrawn.is_none() && period.contains(m.starts_at))
    {
        out.entry(m.created_by.clone()).or_default().meetings += 1;
    }
    out
}

/// The 组 a unit belongs to (itself, if it is one); None above the 组 level
/// (a 片) or outside the tree.
pub fn group_of(units: &[OrgUnit], unit: &str) -> Option<UnitId> {
    let mut current = units.iter().find(|u| u.id == unit)?;
    for _ in 0..8 {
        match current.kind {
            crate::domain::UnitKind::Group => return Some(current.id.clone()),
            crate::domain::UnitKind::Area => return None,
            _ => {}
        }
        let parent = current.parent.as_deref()?;
        current = units.iter().find(|u| u.id == parent)?;
    }
    None
}

/// Raised and resolved by 组 (None: no place, a place above the 组 level, or
/// outside the tree), the finer cut of [`Ledger::by_area`].
pub fn counts_by_group<'a>(
    concerns: impl IntoIterator<Item = &'a Concern>,
    units: &[OrgUnit],
) -> BTreeMap<Option<UnitId>, Counts> {
    let mut out: BTreeMap<Option<UnitId>, Counts> = BTreeMap::new();
    for c in concerns.into_iter().filter(|c| !c.is_withdrawn()) {
        let group = c.place.as_deref().and_then(|p| group_of(units, p));
        let counts = out.entry(group).or_default();
        counts.raised += 1;
        counts.resolved += usize::from(c.status.is_done());
    }
    out
}
