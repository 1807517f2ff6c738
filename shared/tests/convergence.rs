//! Randomised convergence: three replicas apply random command sequences with
//! random partial syncs (random subsets of the missing changes, so some arrive
//! before their dependencies); after a full sync every replica must read the
//! same state, every event any replica recorded must be there, and the merge
//! invariants must hold.
//!
//! Cases: 1,000 by default; set `PROPTEST_CASES` for a longer run.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use automerge::AutoCommit;
use common::*;
use linli_shared::domain::*;
use proptest::prelude::*;

const REPLICAS: usize = 3;
const MEMBERS: [&str; 4] = ["ll1", "ll2", "gl1", "cm1"];
const PARTICIPANTS: [&str; 3] = ["ll1", "gl1", "cm1"];

#[derive(Clone, Debug)]
enum Command {
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
enum Step {
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

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..REPLICAS, 0..MEMBERS.len(), any::<u8>(), command())
            .prop_map(|(replica, member, target, command)| Step::Act { replica, member, target, command }),
        1 => (0..REPLICAS, 0..REPLICAS, any::<u64>()).prop_map(|(from, to, mask)| Step::Sync { from, to, mask }),
    ]
}

struct Replica {
    community: AutoCommit,
    meeting: AutoCommit,
}

/// What the commands that succeeded anywhere must leave behind.
#[derive(Default)]
struct Expected {
    events: Vec<(ConcernId, TimelineEvent)>,
    items_added: BTreeSet<String>,
    items_removed: BTreeSet<String>,
    typed_chars: BTreeMap<String, usize>,
    votes: BTreeSet<(String, String)>,
    follow_ups_added: BTreeSet<String>,
    follow_ups_done: BTreeSet<String>,
    visits: BTreeSet<String>,
    spent_fen: BTreeMap<String, i64>,
}

fn start() -> Vec<Replica> {
    let mut community = sample_community();
    let mut meeting = doc_with_actor(50);
    let participants = PARTICIPANTS
        .iter()
        .map(|id| Participant {
            id: id.to_string(),
            name: id.to_string(),
            role: PartyRole::Community,
        })
        .collect();
    let m = NewMeeting {
        id: "m".into(),
        community_id: "xd".into(),
        kind: MeetingKind::WeeklyBriefing,
        title: "碰头会".into(),
        starts_at: T0,
        place: "村部".into(),
        participants,
    };
    create_meeting(&mut meeting, &ctx("cm1", T0), m).unwrap();
    (0..REPLICAS)
        .map(|r| Replica {
            community: device(&mut community, 1 + r as u8),
            meeting: device(&mut meeting, 101 + r as u8),
        })
        .collect()
}

fn deliver(from: &mut AutoCommit, to: &mut AutoCommit, mask: u64) {
    let missing: Vec<_> = from
        .get_changes(&[])
        .into_iter()
        .filter(|c| to.get_change_by_hash(&c.hash()).is_none())
        .enumerate()
        .filter(|(i, _)| mask & (1 << (i % 64)) != 0)
        .map(|(_, c)| c)
        .collect();
    to.apply_changes(missing).unwrap();
}

fn pick<T: Clone>(items: &[T], target: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[target as usize % items.len()].clone())
}

/// Applies one command; records what must survive if it succeeded. Refused
/// commands must not write anything.
fn act(r: &mut Replica, n: usize, member: &str, target: u8, command: &Command, exp: &mut Expected) {
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
            if let (Some(action), Some(c)) = (expected_event, pick(&concern_ids, target)) {
                exp.events.push((c, event(action)));
            }
        }
        Err(e) => {
            assert!(!matches!(e, DomainError::Malformed(_)), "{e}");
            assert_eq!(
                (r.community.get_heads(), r.meeting.get_heads()),
                heads,
                "refused {command:?} wrote: {e}"
            );
        }
    }
}

fn run(steps: &[Step]) {
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
}

fn check_concerns(concerns: &[Concern], exp: &Expected) {
    let by_id: BTreeMap<&str, &Concern> = concerns.iter().map(|c| (c.id.as_str(), c)).collect();
    for (id, event) in &exp.events {
        let c = by_id
            .get(id.as_str())
            .unwrap_or_else(|| panic!("concern {id} lost"));
        assert!(c.timeline.contains(event), "{id}: {event:?} lost");
    }
    assert_eq!(
        exp.events.len(),
        concerns.iter().map(|c| c.timeline.len()).sum::<usize>(),
        "unexpected events"
    );
    for c in concerns {
        assert_eq!(
            c.claim.is_some(),
            c.status == ConcernStatus::Claimed,
            "{c:?}"
        );
        assert!(c.claim.is_some() || c.contested_claims.is_empty());
        let highest = c
            .timeline
            .iter()
            .filter_map(|e| match e.action {
                ConcernEvent::Escalated { to, .. } => Some(to),
                _ => None,
            })
            .fold(Level::Neighbour, Level::max);
        assert_eq!(c.level, highest, "{c:?}");
        if c.status.is_done() {
            assert!(c.resolution.is_some());
        }
    }
}

fn check_meeting(doc: &AutoCommit, meeting: &Meeting, exp: &Expected) {
    let visible: Vec<&str> = meeting.agenda.iter().map(|i| i.id.as_str()).collect();
    let expected: Vec<&str> = exp
        .items_added
        .difference(&exp.items_removed)
        .map(String::as_str)
        .collect();
    let mut sorted = visible.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "agenda items lost or duplicated");
    for (item, chars) in &exp.typed_chars {
        assert_eq!(
            read_notes(doc, Notes::Item(item)).unwrap().chars().count(),
            *chars,
            "typing lost in {item}"
        );
    }
    let follow_ups: BTreeSet<&str> = meeting.follow_ups.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        follow_ups,
        exp.follow_ups_added.iter().map(String::as_str).collect()
    );
    for f in &meeting.follow_ups {
        assert_eq!(
            f.state == FollowUpState::Done,
            exp.follow_ups_done.contains(&f.id),
            "{f:?}"
        );
    }
    for (item, voter) in &exp.votes {
        if let Some(i) = meeting.agenda.iter().find(|i| &i.id == item) {
            assert!(
                i.votes.contains_key(voter),
                "vote of {voter} on {item} lost"
            );
        }
    }
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
