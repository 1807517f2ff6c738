//! The random input: the commands a member may try and the steps of a run
//! (an act on one replica, or a partial sync between two).

use proptest::prelude::*;

use crate::{MEMBERS, REPLICAS};

#[derive(Clone, Debug)]
pub enum Command {
    Record,
    Claim,
    Release,
    Escalate(u8),
    Resolve,
    Feedback(u8),
    Reopen,
    Support(u8),
    AddItem,
    MoveItem(u8),
    RemoveItem,
    TypeNotes(u8, String),
    Vote(u8),
    Decide,
    AddFollowUp,
    CompleteFollowUp,
    LogVisit,
    RecordExpense(u8),
}

#[derive(Clone, Debug)]
pub enum Step {
    /// A member acts on a replica; `target` picks a concern or agenda item.
    Act {
        replica: usize,
        member: usize,
        target: u8,
        command: Command,
    },
    /// Deliver the changes `to` lacks from `from` whose index bit is set in `mask`.
    Sync { from: usize, to: usize, mask: u64 },
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        3 => Just(Command::Record),
        3 => Just(Command::Claim),
        1 => Just(Command::Release),
        2 => (0u8..4).prop_map(Command::Escalate),
        3 => Just(Command::Resolve),
        2 => (0u8..7).prop_map(Command::Feedback),
        1 => Just(Command::Reopen),
        1 => (0u8..4).prop_map(Command::Support),
        2 => Just(Command::AddItem),
        2 => (0u8..6).prop_map(Command::MoveItem),
        1 => Just(Command::RemoveItem),
        2 => (any::<u8>(), "[a-z议事]{1,4}").prop_map(|(p, s)| Command::TypeNotes(p, s)),
        1 => (0u8..3).prop_map(Command::Vote),
        1 => Just(Command::Decide),
        1 => Just(Command::AddFollowUp),
        1 => Just(Command::CompleteFollowUp),
        1 => Just(Command::LogVisit),
        1 => (1u8..=200).prop_map(Command::RecordExpense),
    ]
}

pub fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..REPLICAS, 0..MEMBERS.len(), any::<u8>(), command())
            .prop_map(|(replica, member, target, command)| Step::Act { replica, member, target, command }),
        1 => (0..REPLICAS, 0..REPLICAS, any::<u64>()).prop_map(|(from, to, mask)| Step::Sync { from, to, mask }),
    ]
}
