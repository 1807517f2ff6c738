//! The checks after the full sync: every recorded event and meeting change
//! is there, and the merge invariants hold.

use std::collections::{BTreeMap, BTreeSet};

use automerge::AutoCommit;
use linli_shared::domain::*;

use super::act::Expected;

pub fn check_concerns(concerns: &[Concern], exp: &Expected) {
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

pub fn check_meeting(doc: &AutoCommit, meeting: &Meeting, exp: &Expected) {
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
