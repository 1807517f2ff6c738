//! One member's command on one replica, and what it must leave behind if it
//! succeeded; a refused command must write nothing.

use std::collections::{BTreeMap, BTreeSet};

use automerge::ChangeHash;

use linli_shared::domain::*;

use super::replicas::Replica;
use super::steps::Command;
use crate::common::*;
use crate::MEMBERS;

/// What the commands that succeeded anywhere must leave behind.
#[derive(Default)]
pub struct Expected {
    pub events: Vec<(ConcernId, TimelineEvent)>,
    pub items_added: BTreeSet<String>,
    pub items_removed: BTreeSet<String>,
    pub typed_chars: BTreeMap<String, usize>,
    pub votes: BTreeSet<(String, String)>,
    pub follow_ups_added: BTreeSet<String>,
    pub follow_ups_done: BTreeSet<String>,
    pub visits: BTreeSet<String>,
    pub spent_fen: BTreeMap<String, i64>,
    /// Commands refused by the authority rules (`DomainError::NotAllowed`).
    pub refused_by_role: usize,
    /// Who made each change a command wrote (for the relay's check of delivered changes).
    pub authors: BTreeMap<ChangeHash, String>,
}

/// The author of `member`'s changes as the relay knows it (the fixture roles).
pub fn author_of(member: &str) -> Author<'_> {
    Author {
        member,
        role: role_of(member),
        admin: false,
    }
}

fn pick<T: Clone>(items: &[T], target: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[target as usize % items.len()].clone())
}

/// Applies one command; records what must survive if it succeeded. Refused
/// commands must not write anything.
pub fn act(
    r: &mut Replica,
    n: usize,
    member: &str,
    target: u8,
    command: &Command,
    exp: &mut Expected,
) {
    let now = T0 + n as i64 * MINUTE;
    let cx = ctx(member, now);
    let concern_ids: Vec<ConcernId> = list_concerns(&r.community)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let item_ids: Vec<String> = get_meeting(&r.meeting)
        .unwrap()
        .agenda
        .into_iter()
        .map(|i| i.id)
        .collect();
    let concern = pick(&concern_ids, target);
    let item = pick(&item_ids, target);
    let heads = (r.community.get_heads(), r.meeting.get_heads());
    let event = |action| TimelineEvent {
        at: now,
        by: member.to_string(),
        action,
    };
    let (result, expected_event): (Result<(), DomainError>, Option<ConcernEvent>) =
        match (command, concern, item) {
            (Command::Record, _, _) => {
                let id = format!("c{n}");
                let res = record_concern(&mut r.community, &cx, new_concern(&id, "t")).map(drop);
                if res.is_ok() {
                    exp.events.push((id, event(ConcernEvent::Recorded)));
                }
                (res, None)
            }
            (Command::Claim, Some(c), _) => (
                claim(&mut r.community, &cx, &c),
                Some(ConcernEvent::Claimed),
            ),
            (Command::Release, Some(c), _) => (
                release(&mut r.community, &cx, &c),
                Some(ConcernEvent::Released),
            ),
            (Command::Escalate(to), Some(c), _) => {
                let from = get_concern(&r.community, &c).unwrap().level;
                let to =
                    (*to > 0).then(|| Level::ALL[(*to as usize + 1).min(Level::ALL.len() - 1)]);
                let res = escalate(&mut r.community, &cx, &c, to, "r");
                let ev = res.as_ref().ok().map(|to| ConcernEvent::Escalated {
                    from,
                    to: *to,
                    reason: "r".into(),
                });
                (res.map(drop), ev)
            }
            (Command::Resolve, Some(c), _) => (
                resolve(&mut r.community, &cx, &c, "s"),
                Some(ConcernEvent::Resolved {
                    summary: "s".into(),
                }),
            ),
            (Command::Feedback(s), Some(c), _) => (
                feedback(&mut r.community, &cx, &c, *s, ""),
                Some(ConcernEvent::Feedback {
                    satisfaction: *s,
                    comment: String::new(),
                }),
            ),
            (Command::Reopen, Some(c), _) => (
                reopen(&mut r.community, &cx, &c, "no"),
                Some(ConcernEvent::Reopened {
                    reason: "no".into(),
                }),
            ),
            (Command::Support(s), Some(c), _) => (
                support(&mut r.community, &cx, &c, MEMBERS[*s as usize]),
                Some(ConcernEvent::Supported),
            ),
            (Command::AddItem, _, _) => {
                let id = format!("i{n}");
                let res = add_agenda_item(
                    &mut r.meeting,
                    &cx,
                    NewAgendaItem {
                        id: id.clone(),
                        title: "t".into(),
                        concerns: vec![],
                    },
                );
                if res.is_ok() {
                    exp.items_added.insert(id);
                }
                (res, None)
            }
            (Command::MoveItem(to), _, Some(i)) => (
                move_agenda_item(&mut r.meeting, &cx, &i, *to as usize),
                None,
            ),
            (Command::RemoveItem, _, Some(i)) => {
                let res = remove_agenda_item(&mut r.meeting, &cx, &i);
                if res.is_ok() {
                    exp.items_removed.insert(i);
                }
                (res, None)
            }
            (Command::TypeNotes(pos, text), _, Some(i)) => {
                let len = read_notes(&r.meeting, Notes::Item(&i))
                    .unwrap()
                    .chars()
                    .count();
                let res = edit_notes(
                    &mut r.meeting,
                    Notes::Item(&i),
                    *pos as usize % (len + 1),
                    0,
                    text,
                );
                if res.is_ok() {
                    *exp.typed_chars.entry(i).or_default() += text.chars().count();
                }
                (res, None)
            }
            (Command::Vote(choice), _, Some(i)) => {
                let res = vote(&mut r.meeting, &cx, &i, VoteChoice::ALL[*choice as usize]);
                if res.is_ok() {
                    exp.votes.insert((i, member.to_string()));
                }
                (res, None)
            }
            (Command::Decide, _, Some(i)) => (decide(&mut r.meeting, &cx, &i, "决议"), None),
            (Command::AddFollowUp, _, item) => {
                let id = format!("f{n}");
                let f = NewFollowUp {
                    id: id.clone(),
                    title: "t".into(),
                    owner: member.into(),
                    due_at: None,
                    item,
                };
                let res = add_follow_up(&mut r.meeting, &cx, f);
                if res.is_ok() {
                    exp.follow_ups_added.insert(id);
                }
                (res, None)
            }
            (Command::CompleteFollowUp, _, _) => {
                let ids: Vec<String> = get_meeting(&r.meeting)
                    .unwrap()
                    .follow_ups
                    .into_iter()
                    .map(|f| f.id)
                    .collect();
                let Some(id) = pick(&ids, target) else { return };
                let res = complete_follow_up(&mut r.meeting, &cx, &id, "done");
                if res.is_ok() {
                    exp.follow_ups_done.insert(id);
                }
                (res, None)
            }
            (Command::LogVisit, concern, _) => {
                let id = format!("v{n}");
                let v = NewVisit {
                    id: id.clone(),
                    household: Some("hh1a".into()),
                    note: "n".into(),
                    concerns: concern.into_iter().collect(),
                };
                let res = log_visit(&mut r.community, &cx, v);
                if res.is_ok() {
                    exp.visits.insert(id);
                }
                (res, None)
            }
            (Command::RecordExpense(fen), concern, _) => {
                let e = NewExpense {
                    id: format!("e{n}"),
                    amount_fen: i64::from(*fen),
                    purpose: "p".into(),
                    concern,
                };
                let res = record_expense(&mut r.community, &cx, e);
                if res.is_ok() {
                    *exp.spent_fen.entry(member.to_string()).or_default() += i64::from(*fen);
                }
                (res, None)
            }
            _ => return,
        };
    match result {
        Ok(()) => {
            // No false positives: what an honest phone wrote passes the relay's check.
            for (doc, before) in [(&mut r.community, &heads.0), (&mut r.meeting, &heads.1)] {
                for c in doc.get_changes(before) {
                    exp.authors.insert(c.hash(), member.to_string());
                }
                assert_eq!(
                    verify(doc, before, &author_of(member)),
                    Ok(()),
                    "{member}'s {command:?} refused by verify"
                );
            }
            if let (Some(action), Some(c)) = (expected_event, pick(&concern_ids, target)) {
                exp.events.push((c, event(action)));
            }
        }
        Err(e) => {
            assert!(!matches!(e, DomainError::Malformed(_)), "{e}");
            if matches!(e, DomainError::NotAllowed { .. }) {
                exp.refused_by_role += 1;
            }
            assert_eq!(
                (r.community.get_heads(), r.meeting.get_heads()),
                heads,
                "refused {command:?} wrote: {e}"
            );
        }
    }
}
