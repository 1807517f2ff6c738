//! Who may do what: the permission table of the 三长制 chain, by role and by ownership.
//!
//! One pure function, [`may`], answers for every command that needs more than membership; the
//! commands call it before they write, the app asks it to hide what a member cannot do, and the
//! relay can ask it about a change it receives. The reasoning is in `docs/design/authority.md`.
//!
//! The acting member's role and whether it is an admin come with the [`Ctx`]: the app takes them
//! from its membership (the relay's registry), the relay from the same registry. A context with
//! no role is treated as the lowest role (a 邻长) that is not an admin.
//!
//! The table, in short:
//! - every member records concerns, supports them, votes in meetings it takes part in, edits
//!   agendas and notes, logs visits, tasks and service orders;
//! - claiming (领办) and resolving on the spot need the concern's level at or below the member's
//!   own (a 邻长 handles 邻 matters; a 两委 member anything up to 村/社区; 镇/街道 staff also
//!   what went up to the city);
//! - escalation goes at most one step past the member's reach: representatives (邻长, 组长,
//!   片长) up to 村/社区, 两委 up to 镇/街道, 镇/街道 up to 市;
//! - the resident's verdict (feedback, reopen) is recorded by who raised the concern, who
//!   resolved it, or a manager;
//! - meetings are convened by 组长 and above; a decision is recorded by the convenor or a
//!   manager;
//! - the org tree, other members' records and micro-fund allocations belong to managers (两委,
//!   镇/街道, or a community admin); a member adds or edits only its own record, in its own role.

use crate::domain::kinds::string_enum;
use crate::domain::{Ctx, DomainError, Level, Role};

string_enum! {
    /// The rule that refused an act: a stable code the app translates and the relay names.
    pub enum Rule {
        /// Claiming or resolving a concern above the member's level.
        AboveOwnLevel => "above_own_level",
        /// Escalating further than the member's role reaches.
        BeyondReach => "beyond_reach",
        /// The resident's verdict, by someone who neither raised nor resolved the concern.
        NotRaiserOrResolver => "not_raiser_or_resolver",
        /// The org tree, other members and funds are the managers' (两委, 镇/街道, admin).
        ManagersOnly => "managers_only",
        /// A member's own record, in a role other than its own.
        OwnRoleOnly => "own_role_only",
        /// Meetings are convened by 组长 and above.
        ConvenorsOnly => "convenors_only",
        /// A decision, by someone who neither convened the meeting nor manages the community.
        NotConvenor => "not_convenor",
        /// A record that names its acting member (who raised, claimed, resolved, voted …)
        /// naming someone other than the one who wrote it.
        NotTheAuthor => "not_the_author",
        /// A claimed concern, changed by someone other than its claimant.
        NotClaimant => "not_claimant",
        /// A withdrawal, by someone who neither recorded the record nor is 两委 / 镇/街道; or a
        /// record erased (records are withdrawn, never erased).
        NotRecorder => "not_recorder",
    }
}

/// The acting member as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Author<'a> {
    pub member: &'a str,
    pub role: Option<Role>,
    pub admin: bool,
}

impl<'a> Author<'a> {
    /// The author of a command run with `ctx`.
    pub fn of(ctx: &'a Ctx) -> Author<'a> {
        Author {
            member: &ctx.actor,
            role: ctx.role,
            admin: ctx.admin,
        }
    }

    /// The highest level whose concerns this member handles. An admin answers for the
    /// community (村/社区) at least; 镇/街道 staff also carry what was sent up to the city (the
    /// city has no members of its own in a community).
    pub fn level(&self) -> Level {
        let own = match self.role.unwrap_or(Role::NeighbourLeader) {
            Role::Town => Level::City,
            role => level_of(role),
        };
        if self.admin {
            own.max(Level::Committee)
        } else {
            own
        }
    }

    /// 两委, 镇/街道 or an admin: those who keep the community's org tree, members and funds.
    pub fn is_manager(&self) -> bool {
        self.admin || matches!(self.role, Some(Role::Committee | Role::Town))
    }

    /// The highest level this member may send a concern to.
    pub fn reach(&self) -> Level {
        match self.level() {
            Level::Neighbour | Level::Group | Level::Area => Level::Committee,
            Level::Committee => Level::Town,
            Level::Town | Level::City => Level::City,
        }
    }
}

/// The level a role handles (邻长 → 邻 …).
pub fn level_of(role: Role) -> Level {
    match role {
        Role::NeighbourLeader => Level::Neighbour,
        Role::GroupLeader => Level::Group,
        Role::AreaLeader => Level::Area,
        Role::Committee => Level::Committee,
        Role::Town => Level::Town,
    }
}

/// An act that not every member may do, with what the rule needs to know of the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act<'a> {
    /// 领办 a concern at `level`.
    Claim { level: Level },
    /// 即知即办: resolve an unclaimed concern at `level` on the spot.
    ResolveOnTheSpot { level: Level },
    /// Send a concern up to `to`.
    Escalate { to: Level },
    /// Record the resident's verdict or reopen: `raised_by` recorded the concern,
    /// `resolved_by` resolved it.
    CloseTheLoop {
        raised_by: &'a str,
        resolved_by: Option<&'a str>,
    },
    /// Add or rename an org unit.
    EditOrgTree,
    /// Add or edit the record of `member` with `role`.
    EditMember { member: &'a str, role: Role },
    /// Set a member's micro-fund allocation.
    AllocateFund,
    /// Convene a meeting.
    CreateMeeting,
    /// Record an agenda item's decision in a meeting `convenor` created.
    Decide { convenor: &'a str },
}

/// `Ok` if `author` may do `act`, else the rule that refuses it.
pub fn may(author: &Author<'_>, act: &Act<'_>) -> Result<(), Rule> {
    let allowed = |ok: bool, rule: Rule| if ok { Ok(()) } else { Err(rule) };
    match *act {
        Act::Claim { level } | Act::ResolveOnTheSpot { level } => {
            allowed(level <= author.level(), Rule::AboveOwnLevel)
        }
        Act::Escalate { to } => allowed(to <= author.reach(), Rule::BeyondReach),
        Act::CloseTheLoop {
            raised_by,
            resolved_by,
        } => allowed(
            author.is_manager() || author.member == raised_by || resolved_by == Some(author.member),
            Rule::NotRaiserOrResolver,
        ),
        Act::EditOrgTree | Act::AllocateFund => allowed(author.is_manager(), Rule::ManagersOnly),
        Act::EditMember { member, role } => {
            if author.is_manager() {
                Ok(())
            } else if member != author.member {
                Err(Rule::ManagersOnly)
            } else {
                allowed(
                    role == author.role.unwrap_or(Role::NeighbourLeader),
                    Rule::OwnRoleOnly,
                )
            }
        }
        Act::CreateMeeting => allowed(
            author.admin || author.level() >= Level::Group,
            Rule::ConvenorsOnly,
        ),
        Act::Decide { convenor } => allowed(
            author.member == convenor || author.is_manager(),
            Rule::NotConvenor,
        ),
    }
}

/// [`may`] for the author of `ctx`, as the commands' typed error.
pub(crate) fn require(ctx: &Ctx, act: Act<'_>) -> Result<(), DomainError> {
    may(&Author::of(ctx), &act).map_err(|rule| DomainError::NotAllowed { rule })
}

mod actor_id;
mod verify;
pub use actor_id::{member_actor, member_of_actor};
pub use verify::{verify, verify_in_place};

#[cfg(test)]
mod tests;
