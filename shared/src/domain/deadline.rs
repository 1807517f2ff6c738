//! When a concern is overdue (超期): each level has a time to act (处理时限), counted from
//! when the concern reached that level — recorded there, escalated to it, or reopened by an
//! unsatisfied resident. An explicit due date on the concern wins over the level's limit.
//!
//! The limits follow the principle "微事不出邻、小事不出村": small things are handled at once
//! by the 邻长, the 两委 look at what reached the community at their weekly meeting, and the
//! town and city get longer. They are defaults of this app, not figures from the reports.

use crate::domain::{Concern, ConcernEvent, Level};

use crate::domain::calendar::DAY_MS;

/// How long a concern may wait at `level` before it is overdue.
pub fn time_limit(level: Level) -> i64 {
    DAY_MS
        * match level {
            Level::Neighbour => 1,
            Level::Group => 3,
            Level::Area => 5,
            Level::Committee => 7,
            Level::Town => 15,
            Level::City => 30,
        }
}

impl Concern {
    /// When the concern reached the level it is at: its last escalation or reopening, else
    /// when it was recorded.
    pub fn reached_level_at(&self) -> i64 {
        self.timeline
            .iter()
            .filter(|e| {
                matches!(
                    e.action,
                    ConcernEvent::Escalated { .. } | ConcernEvent::Reopened { .. }
                )
            })
            .map(|e| e.at)
            .max()
            .unwrap_or(self.raised_at)
            .max(self.raised_at)
    }

    /// When it must be handled by: its own due date, else its level's time limit after it
    /// reached that level.
    pub fn due(&self) -> i64 {
        self.due_at
            .unwrap_or_else(|| self.reached_level_at() + time_limit(self.level))
    }

    /// Not resolved or closed, and past [`Concern::due`].
    pub fn is_overdue(&self, now_ms: i64) -> bool {
        !self.status.is_done() && now_ms > self.due()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        escalate, feedback, get_concern, init_community, record_concern, reopen, resolve, Ctx,
        NewConcern,
    };

    const T0: i64 = 1_790_000_000_000;

    /// A 组长: records at 邻, and may resolve at 组 after escalating.
    fn ctx(at: i64) -> Ctx {
        Ctx::new("m1", at).with_role(Some(crate::domain::Role::GroupLeader))
    }

    fn recorded(due_at: Option<i64>) -> automerge::AutoCommit {
        let mut doc = automerge::AutoCommit::new();
        init_community(&mut doc, "community-1", "社区").unwrap();
        let c = NewConcern {
            id: "c1".into(),
            title: "路灯不亮".into(),
            due_at,
            ..Default::default()
        };
        record_concern(&mut doc, &ctx(T0), c).unwrap();
        doc
    }

    #[test]
    fn the_clock_starts_again_at_each_level_and_stops_when_resolved() {
        let mut doc = recorded(None);
        let c = get_concern(&doc, "c1").unwrap();
        assert!(!c.is_overdue(T0 + DAY_MS), "a day at 邻 is allowed");
        assert!(c.is_overdue(T0 + DAY_MS + 1));

        // Escalated to 组 on day 2: three more days from then.
        escalate(&mut doc, &ctx(T0 + 2 * DAY_MS), "c1", None, "需协调").unwrap();
        let c = get_concern(&doc, "c1").unwrap();
        assert_eq!(c.level, Level::Group);
        assert_eq!(c.reached_level_at(), T0 + 2 * DAY_MS);
        assert!(!c.is_overdue(T0 + 5 * DAY_MS));
        assert!(c.is_overdue(T0 + 5 * DAY_MS + 1));

        resolve(&mut doc, &ctx(T0 + 9 * DAY_MS), "c1", "修好了").unwrap();
        let c = get_concern(&doc, "c1").unwrap();
        assert!(!c.is_overdue(T0 + 30 * DAY_MS), "resolved is never overdue");

        // Not satisfied: open again at 组, with a fresh three days.
        feedback(&mut doc, &ctx(T0 + 10 * DAY_MS), "c1", 1, "还是不亮").unwrap();
        reopen(&mut doc, &ctx(T0 + 10 * DAY_MS), "c1", "还是不亮").unwrap();
        let c = get_concern(&doc, "c1").unwrap();
        assert!(!c.is_overdue(T0 + 13 * DAY_MS));
        assert!(c.is_overdue(T0 + 13 * DAY_MS + 1));
    }

    #[test]
    fn an_explicit_due_date_wins() {
        let doc = recorded(Some(T0 + 10 * DAY_MS));
        let c = get_concern(&doc, "c1").unwrap();
        assert!(!c.is_overdue(T0 + 5 * DAY_MS));
        assert!(c.is_overdue(T0 + 10 * DAY_MS + 1));
    }
}
