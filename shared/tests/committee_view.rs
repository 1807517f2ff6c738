//! Committee view (issue 7): period figures, overdue and activity in a period,
//! checked against figures computed by hand. The exported files are checked in
//! `committee_view_exports.rs`.

mod committee_fixture;
mod common;

use std::collections::BTreeMap;

use committee_fixture::*;
use common::*;
use linli_shared::domain::*;

#[test]
fn periods_are_china_calendar_months_and_quarters() {
    let nov = Period::month_of(T0 + 5 * DAY);
    assert_eq!(
        nov,
        Period {
            from_ms: T0 - DAY,
            to_ms: DEC1
        }
    );
    // 2026-10-01T00:00+08:00 … 2027-01-01T00:00+08:00.
    let q4 = Period::quarter_of(T0);
    assert_eq!(q4.from_ms, T0 - 32 * DAY);
    assert_eq!(q4.to_ms, 1_798_732_800_000);
    assert_eq!(Period::month_of(DEC1 + DAY).to_ms, q4.to_ms);
    assert_eq!(Period::year_of(T0).to_ms, q4.to_ms);
    assert!(nov.contains(T0 - DAY) && !nov.contains(DEC1));
}

#[test]
fn december_figures_by_hand() {
    let doc = fixture();
    let (cs, units, visits) = (
        list_concerns(&doc).unwrap(),
        list_units(&doc).unwrap(),
        list_visits(&doc).unwrap(),
    );
    let dec = Period::month_of(DEC1);
    // Raised in December: k3, k4 (both open). k1 was resolved in December but raised in November.
    let l = period_ledger(&cs, &units, &visits, &dec);
    assert_eq!(
        l.total,
        Counts {
            raised: 2,
            resolved: 0
        }
    );
    assert_eq!(l.total.open(), 2);
    assert_eq!(
        l.by_level,
        [(
            Level::Neighbour,
            Counts {
                raised: 2,
                resolved: 0
            }
        )]
        .into()
    );
    let by_area: BTreeMap<_, _> = [
        (
            None,
            Counts {
                raised: 1,
                resolved: 0,
            },
        ),
        (
            Some("area2".to_string()),
            Counts {
                raised: 1,
                resolved: 0,
            },
        ),
    ]
    .into();
    assert_eq!(l.by_area, by_area);
    assert_eq!(l.median_ms_to_claim, None);
    assert_eq!(l.members.get("ll1").map(|a| a.visits), Some(1));
    // November: k1 (resolved, 31 d 23 h after raising... counted by raise month) and k2.
    let n = period_ledger(&cs, &units, &visits, &Period::month_of(T0));
    assert_eq!(
        n.total,
        Counts {
            raised: 2,
            resolved: 1
        }
    );
    assert_eq!(n.median_ms_to_claim, Some(HOUR));
    assert_eq!(n.median_ms_to_resolve, Some(31 * DAY));
    // By 组: k1 (hh1a → group1) resolved, k2 (nb2 → group2) open, k3 no place, k4 (hh2a → group2).
    let by_group = counts_by_group(&cs, &units);
    let want: BTreeMap<_, _> = [
        (
            None,
            Counts {
                raised: 1,
                resolved: 0,
            },
        ),
        (
            Some("group1".to_string()),
            Counts {
                raised: 1,
                resolved: 1,
            },
        ),
        (
            Some("group2".to_string()),
            Counts {
                raised: 2,
                resolved: 0,
            },
        ),
    ]
    .into();
    assert_eq!(by_group, want);
    assert_eq!(group_of(&units, "group1").as_deref(), Some("group1"));
    assert_eq!(group_of(&units, "area1"), None, "a 片 is above the 组");
    // Overdue on Dec 10: k2 at 组 (due Nov 12), k4 at 邻 (due Dec 5); k1 done, k3 not due.
    let overdue = overdue_by_level(&cs, DEC1 + 9 * DAY);
    assert_eq!(overdue, [(Level::Neighbour, 1), (Level::Group, 1)].into());
}

#[test]
fn activity_counts_each_act_in_its_own_period() {
    let doc = fixture();
    let (cs, visits, meetings) = (
        list_concerns(&doc).unwrap(),
        list_visits(&doc).unwrap(),
        list_meetings(&doc).unwrap(),
    );
    let dec = activity_in(&cs, &visits, &meetings, &Period::month_of(DEC1));
    // ll1 in December: recorded k3, resolved k1 (raised in November), one visit.
    assert_eq!(
        dec["ll1"],
        PeriodActivity {
            recorded: 1,
            resolved: 1,
            visits: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        dec["ll2"],
        PeriodActivity {
            recorded: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        dec["cm1"],
        PeriodActivity {
            meetings: 1,
            ..Default::default()
        }
    );
    assert_eq!(dec["ll1"].total(), 3);
    let nov = activity_in(&cs, &visits, &meetings, &Period::month_of(T0));
    assert_eq!(
        nov["ll1"],
        PeriodActivity {
            recorded: 1,
            claimed: 1,
            visits: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        nov["ll2"],
        PeriodActivity {
            recorded: 1,
            escalated: 1,
            ..Default::default()
        }
    );
    assert_eq!(nov.len(), 2);
}
