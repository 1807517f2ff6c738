//! A concern's fields as [`verify`](super::verify) judges them: each written value against
//! the concern as the writing change saw it.

use automerge::{ChangeHash, ObjId, ReadDoc, Value};

use super::touch::ListWrite;
use super::{check, text, Judge};
use crate::domain::authority::{may, Act, Rule};
use crate::domain::codec::{decode_event, decode_feedback, decode_resolution, decode_state};
use crate::domain::{Claim, ConcernStatus, Level};

/// A concern as a change saw it (after the merge rules of `concern.rs`).
struct Seen {
    /// None: the concern did not exist yet.
    status: Option<ConcernStatus>,
    /// The standing claim when Claimed.
    claim: Option<Claim>,
    level: Option<Level>,
    raised_by: Option<String>,
    resolved_by: Option<String>,
}

impl Judge<'_, '_> {
    /// The concern at `obj` as it was at `heads`.
    fn seen(&self, obj: &ObjId, heads: &[ChangeHash]) -> Seen {
        let states: Vec<(ConcernStatus, Option<Claim>)> = self
            .strings(obj, "status", Some(heads))
            .iter()
            .filter_map(|s| decode_state(s).ok())
            .collect();
        let status = states
            .iter()
            .map(|(s, _)| *s)
            .max_by_key(|s| s.merge_rank());
        let claim = states
            .into_iter()
            .filter_map(|(_, c)| c)
            .min_by(|a, b| a.at.cmp(&b.at).then_with(|| a.by.cmp(&b.by)))
            .filter(|_| status == Some(ConcernStatus::Claimed));
        Seen {
            status,
            claim,
            level: self
                .strings(obj, "level", Some(heads))
                .iter()
                .filter_map(|s| Level::parse(s))
                .max(),
            raised_by: self.winner(obj, "raised_by", Some(heads)),
            resolved_by: self
                .winner(obj, "resolution", Some(heads))
                .and_then(|r| decode_resolution(&r).ok())
                .map(|r| r.by),
        }
    }

    /// A concern object put at `id` of the concerns map: a new concern, raised by the author.
    pub(super) fn new_concern(&mut self, concerns: &ObjId, id: &str) -> Result<(), Rule> {
        for (v, record) in self.new_values(concerns, id) {
            let seen = self.seen_by(&record);
            if let Ok(Some((Value::Object(_), old))) = self.doc.get_at(concerns, id, &seen) {
                // Replacing a concern: only its own raiser's.
                let raised_by = self.winner(&old, "raised_by", Some(&seen));
                check(
                    raised_by.as_deref() == Some(self.author.member),
                    Rule::NotTheAuthor,
                )?;
            }
            if let Value::Object(_) = v {
                let by = self.strings(&record, "raised_by", None);
                check(
                    !by.is_empty() && by.iter().all(|b| b == self.author.member),
                    Rule::NotTheAuthor,
                )?;
            }
        }
        Ok(())
    }

    /// A field of the concern at `obj` written.
    pub(super) fn concern_field(&mut self, obj: &ObjId, field: &str) -> Result<(), Rule> {
        match field {
            "raised_by" => self.signed(obj, field),
            "status" => self.status(obj),
            "level" => self.level(obj),
            "resolution" | "feedback" => {
                for (v, op) in self.new_values(obj, field) {
                    let by = text(&v).and_then(|s| match field {
                        "resolution" => decode_resolution(&s).ok().map(|r| r.by),
                        _ => decode_feedback(&s).ok().map(|f| f.by),
                    });
                    check(
                        by.as_deref() == Some(self.author.member),
                        Rule::NotTheAuthor,
                    )?;
                    if field == "resolution" {
                        // What was done is recorded by the claimant, or on the spot.
                        let heads = self.seen_by(&op);
                        let seen = self.seen(obj, &heads);
                        self.claimant_only(&seen)?;
                        if seen.claim.is_none() {
                            let level = self.level_seen(obj, &seen);
                            may(self.author, &Act::ResolveOnTheSpot { level })?;
                        }
                    }
                }
                Ok(())
            }
            "withdrawn" => self.withdrawal(obj, obj, "raised_by"),
            _ => Ok(()),
        }
    }

    /// Events appended to a timeline: each names the author. Events are never rewritten or
    /// taken out.
    pub(super) fn timeline(&mut self, write: Option<&ListWrite>) -> Result<(), Rule> {
        let signed = |v: &Value<'_>| {
            text(v)
                .and_then(|s| decode_event(&s).ok())
                .is_some_and(|e| e.by == self.author.member)
        };
        match write {
            Some(ListWrite::Insert(v)) => check(signed(v), Rule::NotTheAuthor),
            Some(ListWrite::Put | ListWrite::Delete) => Err(Rule::NotTheAuthor),
            None => Ok(()),
        }
    }

    /// A claimed concern is the claimant's: nobody else changes its status or level.
    fn claimant_only(&self, seen: &Seen) -> Result<(), Rule> {
        match &seen.claim {
            Some(c) => check(c.by == self.author.member, Rule::NotClaimant),
            None => Ok(()),
        }
    }

    /// The state register written: the transition from what the change saw maps to an act.
    fn status(&mut self, obj: &ObjId) -> Result<(), Rule> {
        for (v, op) in self.new_values(obj, "status") {
            let (to, claim) = text(&v)
                .and_then(|s| decode_state(&s).ok())
                .ok_or(Rule::NotTheAuthor)?;
            let heads = self.seen_by(&op);
            let seen = self.seen(obj, &heads);
            self.claimant_only(&seen)?;
            // A concern recorded in the same change is Open at the level it was recorded at.
            let from = seen.status.unwrap_or(ConcernStatus::Open);
            let level = self.level_seen(obj, &seen);
            let raised_by = seen
                .raised_by
                .or_else(|| self.winner(obj, "raised_by", None));
            // Resolved and given its verdict in one change: the resolver is the author.
            let resolved_here = !self.new_values(obj, "resolution").is_empty();
            let close_the_loop = Act::CloseTheLoop {
                raised_by: raised_by.as_deref().unwrap_or_default(),
                resolved_by: if resolved_here {
                    Some(self.author.member)
                } else {
                    seen.resolved_by.as_deref()
                },
            };
            match to {
                ConcernStatus::Claimed => {
                    check(
                        claim.is_some_and(|c| c.by == self.author.member),
                        Rule::NotTheAuthor,
                    )?;
                    may(self.author, &Act::Claim { level })?;
                }
                ConcernStatus::Resolved if from != ConcernStatus::Claimed => {
                    may(self.author, &Act::ResolveOnTheSpot { level })?;
                }
                ConcernStatus::Closed | ConcernStatus::Reopened => {
                    if from.is_unclaimed() {
                        // Resolved in the same change: on the spot.
                        may(self.author, &Act::ResolveOnTheSpot { level })?;
                    }
                    may(self.author, &close_the_loop)?;
                }
                ConcernStatus::Open if from.is_done() => may(self.author, &close_the_loop)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// The level a change saw; for a concern recorded in the same change, the one it was
    /// recorded at.
    fn level_seen(&self, obj: &ObjId, seen: &Seen) -> Level {
        seen.level
            .or_else(|| {
                self.strings(obj, "level", None)
                    .iter()
                    .filter_map(|s| Level::parse(s))
                    .max()
            })
            .unwrap_or(Level::Neighbour)
    }

    /// The level written: a raise is an escalation within the author's reach, by the claimant
    /// when claimed. A new concern is recorded at any level.
    fn level(&mut self, obj: &ObjId) -> Result<(), Rule> {
        for (v, op) in self.new_values(obj, "level") {
            let to = text(&v)
                .and_then(|s| Level::parse(&s))
                .ok_or(Rule::NotTheAuthor)?;
            let heads = self.seen_by(&op);
            let seen = self.seen(obj, &heads);
            let Some(from) = seen.level else { continue };
            self.claimant_only(&seen)?;
            // Levels only go up: taking a matter back down is handling it above one's level.
            check(to >= from, Rule::AboveOwnLevel)?;
            if to > from {
                may(self.author, &Act::Escalate { to })?;
            }
        }
        Ok(())
    }
}
