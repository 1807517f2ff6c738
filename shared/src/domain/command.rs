//! The concern path's writes as data: what a phone's main screens (记录, a concern's page
//! with its actions, a new community) ask of a document, run by whoever holds the document.
//!
//! The app's document engine is a part of its own, loaded after the first screen (issue 14):
//! a screen that built a closure over the document would keep the document code in the first
//! load. A screen builds a [`Command`] instead, and the engine runs it. Each variant is one
//! existing domain function with its arguments, so a command does exactly what the function
//! does (`shared/tests/commands.rs`).

use super::{
    claim, escalate, feedback, init_community, record_concern, release, reopen, resolve, support,
    ConcernId, Ctx, DomainError, Level, NewConcern,
};
use automerge::AutoCommit;

#[derive(Clone, Debug)]
pub enum Command {
    /// Starts a community document (on the phone that creates the community).
    InitCommunity {
        community_id: String,
        name: String,
    },
    RecordConcern(NewConcern),
    Claim(ConcernId),
    Release(ConcernId),
    Escalate {
        id: ConcernId,
        to: Option<Level>,
        reason: String,
    },
    Resolve {
        id: ConcernId,
        summary: String,
    },
    Feedback {
        id: ConcernId,
        satisfaction: u8,
        comment: String,
    },
    Reopen {
        id: ConcernId,
        reason: String,
    },
    /// "Me too" from `supporter` (a member or household id).
    Support {
        id: ConcernId,
        supporter: String,
    },
}

impl Command {
    /// Runs the command on `doc` as `ctx` says (the caller commits).
    pub fn run(self, doc: &mut AutoCommit, ctx: &Ctx) -> Result<(), DomainError> {
        match self {
            Command::InitCommunity { community_id, name } => {
                init_community(doc, &community_id, &name)
            }
            Command::RecordConcern(new) => record_concern(doc, ctx, new).map(drop),
            Command::Claim(id) => claim(doc, ctx, &id),
            Command::Release(id) => release(doc, ctx, &id),
            Command::Escalate { id, to, reason } => escalate(doc, ctx, &id, to, &reason).map(drop),
            Command::Resolve { id, summary } => resolve(doc, ctx, &id, &summary),
            Command::Feedback {
                id,
                satisfaction,
                comment,
            } => feedback(doc, ctx, &id, satisfaction, &comment),
            Command::Reopen { id, reason } => reopen(doc, ctx, &id, &reason),
            Command::Support { id, supporter } => support(doc, ctx, &id, &supporter),
        }
    }
}
