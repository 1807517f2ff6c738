//! What the 台账 screens read: the community document's visits and meeting
//! index (the concern memo has the rest), the chosen period, and the figures —
//! every one of them computed by `linli_shared::domain`'s statistics.

use crate::clock::now_ms;
use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::ledger::LedgerStrings;
use crate::session::use_session;
use leptos::prelude::*;
use linli_shared::domain::{
    self, activity_in, counts_by_group, overdue_by_level, period_ledger, raised_in, Counts, Ledger,
    Level, MeetingRef, MemberId, Period, PeriodActivity, Visit,
};
use std::collections::BTreeMap;

/// The span the committee looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Span {
    #[default]
    Month,
    Quarter,
    Year,
    All,
}

impl Span {
    pub const ALL: [Span; 4] = [Span::Month, Span::Quarter, Span::Year, Span::All];

    pub fn period(self, now: i64) -> Period {
        match self {
            Span::Month => Period::month_of(now),
            Span::Quarter => Period::quarter_of(now),
            Span::Year => Period::year_of(now),
            Span::All => Period::all(),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Span::Month => "month",
            Span::Quarter => "quarter",
            Span::Year => "year",
            Span::All => "all",
        }
    }

    pub fn label(self, s: &LedgerStrings) -> &'static str {
        match self {
            Span::Month => s.period_month,
            Span::Quarter => s.period_quarter,
            Span::Year => s.period_year,
            Span::All => s.period_all,
        }
    }
}

/// The chosen span, shared by the 台账 screens.
#[derive(Clone, Copy)]
pub struct LedgerState {
    pub span: RwSignal<Span>,
}

/// Made once by the signed-in shell, so the span chosen stays while moving
/// between the 台账 screens (each screen is made anew).
pub fn provide_ledger_state() -> LedgerState {
    let s = LedgerState {
        span: RwSignal::new(Span::Month),
    };
    provide_context(s);
    s
}

pub fn use_ledger_state() -> LedgerState {
    expect_context::<LedgerState>()
}

pub fn visits_memo() -> Memo<Vec<Visit>> {
    use_session().community_memo(|d| domain::list_visits(d).unwrap_or_default())
}

pub fn meetings_memo() -> Memo<Vec<MeetingRef>> {
    use_session().community_memo(|d| domain::list_meetings(d).unwrap_or_default())
}

/// The dashboard's figures for one period.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Figures {
    pub ledger: Ledger,
    /// All time, for the monthly trend.
    pub all_time: Ledger,
    /// The period's concerns by 组 (the finer cut of `ledger.by_area`).
    pub by_group: BTreeMap<Option<String>, Counts>,
    pub overdue: BTreeMap<Level, usize>,
    pub activity: BTreeMap<MemberId, PeriodActivity>,
}

pub fn figures_memo() -> Memo<Figures> {
    let community = use_community();
    let visits = visits_memo();
    let meetings = meetings_memo();
    let state = use_ledger_state();
    Memo::new(move |_| {
        let period = state.span.get().period(now_ms());
        community.0.with(|c| {
            visits.with(|v| {
                meetings.with(|m| Figures {
                    ledger: period_ledger(&c.concerns, &c.units, v, &period),
                    by_group: counts_by_group(raised_in(&c.concerns, &period), &c.units),
                    all_time: domain::ledger(&c.concerns, &c.units, &[]),
                    overdue: overdue_by_level(&c.concerns, now_ms()),
                    activity: activity_in(&c.concerns, v, m, &period),
                })
            })
        })
    })
}

/// "3 小时", "2 天", "25 分钟".
pub fn duration(s: &LedgerStrings, ms: Option<i64>) -> String {
    const MIN: i64 = 60_000;
    match ms {
        None => s.none.to_string(),
        Some(ms) if ms < 2 * 60 * MIN => fill(s.minutes, &[&(ms / MIN).to_string()]),
        Some(ms) if ms < 48 * 60 * MIN => fill(s.hours, &[&(ms / (60 * MIN)).to_string()]),
        Some(ms) => fill(s.days, &[&(ms / (24 * 60 * MIN)).to_string()]),
    }
}

/// "12.50" yuan from fen.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.abs();
    format!("{sign}{}.{:02}", f / 100, f % 100)
}

/// Fen from what was typed ("200", "12.5", "12.50"); None if it is not money.
pub fn parse_fen(text: &str) -> Option<i64> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty() || frac.len() > 2 {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(frac) {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = format!("{frac:0<2}").parse().ok()?;
    w.checked_mul(100)?.checked_add(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips() {
        assert_eq!(parse_fen("200"), Some(20_000));
        assert_eq!(parse_fen("12.5"), Some(1_250));
        assert_eq!(parse_fen(" 0.05 "), Some(5));
        assert_eq!(parse_fen("1.234"), None);
        assert_eq!(parse_fen("-3"), None);
        assert_eq!(parse_fen(""), None);
        assert_eq!(yuan(20_000), "200.00");
        assert_eq!(yuan(-1_250), "-12.50");
    }
}
