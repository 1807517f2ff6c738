//! Decisions (决议) and votes (表决: 赞成/反对/弃权) on agenda items.

use crate::domain::refusal::{Field, RecordKind};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType};
use autosurgeon::Hydrate;

use crate::domain::kinds::string_enum;
use crate::domain::limits::{within, MAX_NOTE_CHARS};
use crate::domain::meeting::{meeting_map, require_participant, AGENDA};
use crate::domain::store::{child_obj, get_opt, non_empty, record_obj};
use crate::domain::{AgendaItem, Ctx, DomainError, MemberId};

string_enum! {
    /// A participant's vote.
    pub enum VoteChoice {
        /// 赞成.
        For => "for",
        /// 反对.
        Against => "against",
        /// 弃权.
        Abstain => "abstain",
    }
}

/// What an agenda item ended in.
#[derive(Clone, Debug, PartialEq, Eq, Hydrate)]
pub struct Decision {
    pub text: String,
    pub by: MemberId,
    pub at: i64,
}

/// Counted votes of one item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VoteTally {
    pub in_favour: usize,
    pub against: usize,
    pub abstain: usize,
}

/// Counts the votes on an item.
pub fn tally(item: &AgendaItem) -> VoteTally {
    let mut t = VoteTally::default();
    for v in item.votes.values() {
        match v {
            VoteChoice::For => t.in_favour += 1,
            VoteChoice::Against => t.against += 1,
            VoteChoice::Abstain => t.abstain += 1,
        }
    }
    t
}

fn decided(doc: &AutoCommit, item: &automerge::ObjId) -> Result<bool, DomainError> {
    Ok(get_opt::<Decision>(doc, item, "decision")?.is_some())
}

/// The actor (a participant) casts or changes their vote on an undecided item.
/// Each participant has one vote: concurrent votes by the same participant from
/// two devices keep one (automerge's deterministic winner).
pub fn vote(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    item: &str,
    choice: VoteChoice,
) -> Result<(), DomainError> {
    require_participant(doc, ctx)?;
    let agenda = meeting_map(doc, AGENDA)?;
    let obj = record_obj(doc, &agenda, RecordKind::AgendaItem, item)?;
    if decided(doc, &obj)? {
        return Err(DomainError::AlreadyDecided(item.to_string()));
    }
    let votes = child_obj(doc, &obj, "votes")?
        .ok_or_else(|| DomainError::Malformed("agenda item without votes".into()))?;
    doc.put(&votes, ctx.actor.as_str(), choice.as_str())?;
    Ok(())
}

/// Records the item's decision. Once decided an item takes no more votes or
/// decisions; a vote cast concurrently with the decision still counts.
pub fn decide(doc: &mut AutoCommit, ctx: &Ctx, item: &str, text: &str) -> Result<(), DomainError> {
    non_empty(text, Field::Decision)?;
    within(text, Field::Decision, MAX_NOTE_CHARS)?;
    let agenda = meeting_map(doc, AGENDA)?;
    let obj = record_obj(doc, &agenda, RecordKind::AgendaItem, item)?;
    if decided(doc, &obj)? {
        return Err(DomainError::AlreadyDecided(item.to_string()));
    }
    let convenor = get_opt::<String>(doc, &automerge::ROOT, "created_by")?.unwrap_or_default();
    crate::domain::authority::require(
        ctx,
        crate::domain::Act::Decide {
            convenor: &convenor,
        },
    )?;
    let d = doc.put_object(&obj, "decision", ObjType::Map)?;
    doc.put(&d, "text", text)?;
    doc.put(&d, "by", ctx.actor.as_str())?;
    doc.put(&d, "at", ctx.now_ms)?;
    Ok(())
}
