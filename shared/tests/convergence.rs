//! Randomised convergence: three replicas apply random command sequences with
//! random partial syncs (random subsets of the missing changes, so some arrive
//! before their dependencies); after a full sync every replica must read the
//! same state, every event any replica recorded must be there, and the merge
//! invariants must hold.
//!
//! Cases: 1,000 by default; set `PROPTEST_CASES` for a longer run.

mod common;
/// This test's parts, in `convergence/`.
mod convergence {
    pub mod act;
    pub mod check;
    pub mod replicas;
    pub mod steps;
}

use convergence::{act, check, replicas, steps};

use std::collections::BTreeSet;

use act::{act, Expected};
use check::{check_concerns, check_meeting};
use linli_shared::domain::*;
use proptest::prelude::*;
use replicas::{deliver, judge_delivery, start};
use steps::{step, Command, Step};

const REPLICAS: usize = 3;
const MEMBERS: [&str; 4] = ["ll1", "ll2", "gl1", "cm1"];
const PARTICIPANTS: [&str; 3] = ["ll1", "gl1", "cm1"];

/// Runs the steps, checks convergence, and returns how many commands the authority rules refused.
fn run(steps: &[Step]) -> usize {
    let mut replicas = start();
    let mut exp = Expected::default();
    for (n, s) in steps.iter().enumerate() {
        match s {
            Step::Act {
                replica,
                member,
                target,
                command,
            } => act(
                &mut replicas[*replica],
                n,
                MEMBERS[*member],
                *target,
                command,
                &mut exp,
            ),
            Step::Sync { from, to, mask } if from != to => {
                let (a, b) = if from < to {
                    let (lo, hi) = replicas.split_at_mut(*to);
                    (&mut lo[*from], &mut hi[0])
                } else {
                    let (lo, hi) = replicas.split_at_mut(*from);
                    (&mut hi[0], &mut lo[*to])
                };
                judge_delivery(&mut a.community, &mut b.community, &exp);
                judge_delivery(&mut a.meeting, &mut b.meeting, &exp);
                deliver(&mut a.community, &mut b.community, *mask);
                deliver(&mut a.meeting, &mut b.meeting, mask.rotate_left(7));
            }
            Step::Sync { .. } => {}
        }
    }
    // Full sync: everyone merges everyone.
    for _ in 0..2 {
        for i in 0..REPLICAS {
            for j in 0..REPLICAS {
                if i != j {
                    let (a, b) = if i < j {
                        let (lo, hi) = replicas.split_at_mut(j);
                        (&mut lo[i], &mut hi[0])
                    } else {
                        let (lo, hi) = replicas.split_at_mut(i);
                        (&mut hi[0], &mut lo[j])
                    };
                    a.community.merge(&mut b.community).unwrap();
                    a.meeting.merge(&mut b.meeting).unwrap();
                }
            }
        }
    }
    let concerns = list_concerns(&replicas[0].community).unwrap();
    let meeting = get_meeting(&replicas[0].meeting).unwrap();
    for r in &replicas[1..] {
        assert_eq!(list_concerns(&r.community).unwrap(), concerns);
        assert_eq!(get_meeting(&r.meeting).unwrap(), meeting);
    }
    let visits = list_visits(&replicas[0].community).unwrap();
    for r in &replicas[1..] {
        assert_eq!(list_visits(&r.community).unwrap(), visits);
        for m in MEMBERS {
            assert_eq!(
                fund_account(&r.community, m).unwrap(),
                fund_account(&replicas[0].community, m).unwrap()
            );
        }
    }
    let visit_ids: BTreeSet<String> = visits.into_iter().map(|v| v.id).collect();
    assert_eq!(visit_ids, exp.visits);
    for m in MEMBERS {
        let spent = exp.spent_fen.get(m).copied().unwrap_or(0);
        assert_eq!(
            fund_account(&replicas[0].community, m).unwrap().spent_fen,
            spent,
            "expenses of {m} lost"
        );
    }
    check_concerns(&concerns, &exp);
    check_meeting(&replicas[0].meeting, &meeting, &exp);
    exp.refused_by_role
}

#[test]
fn commands_a_role_may_not_do_write_nothing_and_replicas_still_converge() {
    let on = |replica, member, target, command| Step::Act {
        replica,
        member,
        target,
        command,
    };
    let (ll1, ll2, gl1, cm1) = (0, 1, 2, 3);
    let steps = [
        on(0, ll1, 0, Command::Record),
        // To 镇/街道: beyond a 邻长's reach.
        on(0, ll1, 0, Command::Escalate(3)),
        on(0, gl1, 0, Command::Escalate(1)),
        Step::Sync {
            from: 0,
            to: 1,
            mask: u64::MAX,
        },
        // At 片 now: above a 邻长's level.
        on(1, ll2, 0, Command::Claim),
        on(1, cm1, 0, Command::AddItem),
        // The meeting was convened by cm1: a 邻长 does not record its decision.
        on(1, ll1, 0, Command::Decide),
        on(0, cm1, 0, Command::Claim),
        on(1, cm1, 0, Command::Decide),
    ];
    assert_eq!(run(&steps), 3, "three commands refused by role");
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_keep_every_event(steps in proptest::collection::vec(step(), 1..60)) {
        run(&steps);
    }
}
