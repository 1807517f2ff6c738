//! The relay's question about a received change: does it stay within its author's rights?
//!
//! [`verify`] reads the operations of the changes between the heads the judge had (`before`)
//! and the document's current heads (`touch.rs`), and judges each value they wrote against
//! [`may`] and against the rule that a record names its acting member as the author.
//!
//! Concurrency: a phone acts on what it has, which may be less than the judge has (it was
//! offline). Each written value is therefore judged against the state its own change saw (the
//! state at that change's dependencies), not against the judge's state. An honest phone passes
//! whatever the judge had meanwhile; a modified client gains nothing by claiming to have seen
//! less, since an honest offline phone could have done the same.
//!
//! A value counts as written by the new changes when it is visible now and was not at `before`.
//! A record, collection or timeline visible at `before` stays: records are withdrawn, never
//! erased.
//!
//! Not judged: what the relay must know beyond the document (that `before` are heads it holds,
//! that every change is the author's: the actor binding), and edits that need no rights (notes,
//! agenda, supporters, photos, links).

use automerge::{AutoCommit, ChangeHash, ObjId, Prop, ReadDoc, Value, ROOT};

use super::{may, Act, Author, Rule};
use crate::domain::codec::decode_withdrawal;
use crate::domain::Role;

mod concern;
mod sight;
mod touch;

use touch::{touches, Touch};

/// Whether the changes between `before` (heads) and the document's current heads, all written
/// by `author`, stay within the author's rights and name the author wherever they name the
/// acting member. `Err(rule)` names the first rule broken. Pure: no IO, no clock.
///
/// Automerge 0.12 reads changes only through `&mut AutoCommit`, so this works on a clone of
/// `doc`; [`verify_in_place`] spares the copy.
pub fn verify(doc: &AutoCommit, before: &[ChangeHash], author: &Author<'_>) -> Result<(), Rule> {
    verify_in_place(&mut doc.clone(), before, author)
}

/// [`verify`] on the document itself (it is only read; automerge needs `&mut` for its caches).
pub fn verify_in_place(
    doc: &mut AutoCommit,
    before: &[ChangeHash],
    author: &Author<'_>,
) -> Result<(), Rule> {
    let touched = touches(doc, before);
    // Written on nothing, a change would see no record of a community or meeting document
    // and could put competing ones (other documents hold nothing the rules judge).
    let judged_kind = doc.get_at(ROOT, "schema", before).ok().flatten().is_some();
    // Nor may a change write into an object made by a change it does not depend on.
    let unseen = touched.unseen || touched.written_on_nothing && judged_kind;
    check(!unseen, Rule::NotRecorder)?;
    let mut judge = Judge {
        doc,
        before,
        author,
    };
    for t in &touched.places {
        judge.touch(t)?;
    }
    Ok(())
}

pub(super) struct Judge<'d, 'a> {
    pub(super) doc: &'d mut AutoCommit,
    before: &'d [ChangeHash],
    pub(super) author: &'d Author<'a>,
}

/// The written value, if it is a string.
pub(super) fn text(v: &Value<'_>) -> Option<String> {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            automerge::ScalarValue::Str(t) => Some(t.to_string()),
            _ => None,
        },
        Value::Object(_) => None,
    }
}

/// `Ok` when `ok`, else `Err(rule)`.
pub(super) fn check(ok: bool, rule: Rule) -> Result<(), Rule> {
    if ok {
        Ok(())
    } else {
        Err(rule)
    }
}

impl Judge<'_, '_> {
    fn touch(&mut self, p: &Touch) -> Result<(), Rule> {
        let at: Vec<&str> = p
            .path
            .iter()
            .map(|(_, prop)| match prop {
                Prop::Map(k) => k.as_str(),
                Prop::Seq(_) => "#",
            })
            .collect();
        let key = p.key.as_deref();
        let obj = &p.obj;
        // Honest commands delete map keys only to unlink a concern from an agenda item or
        // the meeting index, and inside member records, the org tree and fund allocations
        // (judged below by their act). A deleted register could be written anew by a later
        // change that saw it missing.
        if p.deleted
            && !matches!(
                at.as_slice(),
                ["agenda", _, "concerns"]
                    | ["meetings", _, "concerns"]
                    | ["members", _, ..]
                    | ["units", ..]
                    | ["fund_allocations", ..]
            )
        {
            return Err(Rule::NotRecorder);
        }
        // A participant's seat is put anew when it changes (`add_participant`).
        if let (Some(k), false) = (key, at.as_slice() == ["participants"]) {
            self.kept(obj, k)?;
        }
        match (at.as_slice(), key) {
            // The community document.
            (["concerns"], Some(id)) => self.new_concern(obj, id),
            (["concerns", _], Some(field)) => self.concern_field(obj, field),
            (["concerns", _, "timeline"], None) => self.timeline(p.list.as_ref()),
            (["members"], Some(id)) => self.member(obj, id),
            (["members", id, ..], _) => self.member(&p.path[1].0.clone(), id),
            (["units", ..], _) => may(self.author, &Act::EditOrgTree),
            (["fund_allocations", ..], _) => may(self.author, &Act::AllocateFund),
            (["fund_expenses", _], Some("spender"))
            | (["visits", _], Some("by"))
            | (["service_orders", _], Some("placed_by" | "taken_by")) => {
                self.signed(obj, key.unwrap_or_default())
            }
            (["meetings"], Some(id)) => self.new_record(obj, id, "created_by", Act::CreateMeeting),
            (["meetings", _], Some("created_by")) => self.signed(obj, "created_by"),
            (["meetings", _], Some("withdrawn")) => self.withdrawal(obj, obj, "created_by"),
            // A meeting document.
            ([], Some("id")) => self.new_meeting(),
            ([], Some("created_by")) => self.signed(&ROOT, "created_by"),
            ([], Some("withdrawn")) => self.withdrawal(&ROOT, &ROOT, "created_by"),
            (["agenda", _], Some("added_by"))
            | (["follow_ups", _], Some("created_by" | "done_by")) => {
                self.signed(obj, key.unwrap_or_default())
            }
            (["agenda", _], Some("decision")) => self.decision(obj),
            (["agenda", _, "decision", ..], _) => {
                self.decide()?;
                match key {
                    Some("by") => self.signed(obj, "by"),
                    _ => Ok(()),
                }
            }
            (["agenda", _, "votes"], Some(member)) => {
                check(member == self.author.member, Rule::NotTheAuthor)
            }
            _ => Ok(()),
        }
    }

    /// Records are withdrawn, never erased: an object (a record, a collection, a timeline) at
    /// `key` of `obj` before is still there, whatever the new changes wrote beside it, and no
    /// new value competes with an object its writer saw there (it could win and hide it).
    fn kept(&mut self, obj: &ObjId, key: &str) -> Result<(), Rule> {
        let objects = |values: Result<Vec<(Value<'_>, ObjId)>, _>| -> Vec<ObjId> {
            values
                .unwrap_or_default()
                .into_iter()
                .filter(|(v, _)| v.is_object())
                .map(|(_, id)| id)
                .collect()
        };
        let old = objects(self.doc.get_all_at(obj, key, self.before));
        if old.is_empty() {
            return Ok(());
        }
        let now = objects(self.doc.get_all(obj, key));
        check(old.iter().all(|o| now.contains(o)), Rule::NotRecorder)?;
        for (_, op) in self.new_values(obj, key) {
            let seen = self.seen_by(&op);
            let saw = objects(self.doc.get_all_at(obj, key, &seen));
            check(saw.is_empty(), Rule::NotRecorder)?;
        }
        Ok(())
    }

    /// The values at `key` of `obj` that the new changes wrote, with their op ids.
    pub(super) fn new_values(&self, obj: &ObjId, key: &str) -> Vec<(Value<'static>, ObjId)> {
        let old: Vec<ObjId> = self
            .doc
            .get_all_at(obj, key, self.before)
            .unwrap_or_default()
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        self.doc
            .get_all(obj, key)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, id)| !old.contains(id))
            .map(|(v, id)| (v.into_owned(), id))
            .collect()
    }

    /// The heads the change that made `op` was written on: what its author saw.
    pub(super) fn seen_by(&mut self, op: &ObjId) -> Vec<ChangeHash> {
        self.doc
            .hash_for_opid(op)
            .and_then(|h| self.doc.get_change_by_hash(&h))
            .map(|c| c.deps().to_vec())
            .unwrap_or_else(|| self.before.to_vec())
    }

    /// Every string at `key` of `obj` at `heads` (the current heads when None).
    pub(super) fn strings(
        &self,
        obj: &ObjId,
        key: &str,
        heads: Option<&[ChangeHash]>,
    ) -> Vec<String> {
        let values = match heads {
            Some(h) => self.doc.get_all_at(obj, key, h),
            None => self.doc.get_all(obj, key),
        };
        values
            .unwrap_or_default()
            .iter()
            .filter_map(|(v, _)| text(v))
            .collect()
    }

    /// The winning string at `key` of `obj` at `heads` (the current heads when None).
    pub(super) fn winner(
        &self,
        obj: &ObjId,
        key: &str,
        heads: Option<&[ChangeHash]>,
    ) -> Option<String> {
        self.strings(obj, key, heads).pop()
    }

    /// A field naming the acting member: each new value is the author, and it names nobody
    /// else before (it never changes hands).
    pub(super) fn signed(&mut self, obj: &ObjId, key: &str) -> Result<(), Rule> {
        for (v, op) in self.new_values(obj, key) {
            check(
                text(&v).as_deref() == Some(self.author.member),
                Rule::NotTheAuthor,
            )?;
            let seen = self.seen_by(&op);
            if let Some(old) = self.winner(obj, key, Some(&seen)) {
                check(old == self.author.member, Rule::NotTheAuthor)?;
            }
        }
        Ok(())
    }

    /// A new record at `id` of `map` needs `act`, and its `signature` field names the author.
    fn new_record(
        &mut self,
        map: &ObjId,
        id: &str,
        signature: &str,
        act: Act<'_>,
    ) -> Result<(), Rule> {
        for (v, record) in self.new_values(map, id) {
            if let Value::Object(_) = v {
                may(self.author, &act)?;
                let by = self.strings(&record, signature, None);
                check(
                    !by.is_empty() && by.iter().all(|b| b == self.author.member),
                    Rule::NotTheAuthor,
                )?;
            }
        }
        Ok(())
    }

    /// A meeting document created: by a convenor, in its own name.
    fn new_meeting(&mut self) -> Result<(), Rule> {
        if self.new_values(&ROOT, "id").is_empty() {
            return Ok(());
        }
        may(self.author, &Act::CreateMeeting)?;
        let by = self.strings(&ROOT, "created_by", None);
        check(
            !by.is_empty() && by.iter().all(|b| b == self.author.member),
            Rule::NotTheAuthor,
        )
    }

    /// A decision in this meeting: the convenor's or a manager's.
    fn decide(&self) -> Result<(), Rule> {
        let convenor = self.winner(&ROOT, "created_by", None).unwrap_or_default();
        may(
            self.author,
            &Act::Decide {
                convenor: &convenor,
            },
        )
    }

    /// An agenda item's decision written whole: [`Self::decide`], signed by the author.
    fn decision(&mut self, item: &ObjId) -> Result<(), Rule> {
        for (v, d) in self.new_values(item, "decision") {
            if v.is_null() {
                // A new item's empty decision.
                continue;
            }
            self.decide()?;
            if let Value::Object(_) = v {
                let by = self.strings(&d, "by", None);
                check(
                    by.iter().all(|b| b == self.author.member),
                    Rule::NotTheAuthor,
                )?;
            }
        }
        Ok(())
    }

    /// A withdrawal at `key` "withdrawn" of `obj`: by the author, who recorded the record (its
    /// `recorder` field of `record`) or is 两委 / 镇/街道, or any member for a resident's own
    /// report (`withdraw.rs`).
    pub(super) fn withdrawal(
        &mut self,
        obj: &ObjId,
        record: &ObjId,
        recorder: &str,
    ) -> Result<(), Rule> {
        for (v, op) in self.new_values(obj, "withdrawn") {
            let w = text(&v).and_then(|s| decode_withdrawal(&s).ok());
            check(
                w.is_some_and(|w| w.by == self.author.member),
                Rule::NotTheAuthor,
            )?;
            let seen = self.seen_by(&op);
            let recorded_by = self
                .winner(record, recorder, Some(&seen))
                .or_else(|| self.winner(record, recorder, None));
            // A resident's own report (吹哨) any member may set aside (`may_withdraw`).
            let residents = recorded_by
                .as_deref()
                .is_some_and(crate::domain::is_resident);
            check(
                recorded_by.as_deref() == Some(self.author.member)
                    || matches!(self.author.role, Some(Role::Committee | Role::Town))
                    || residents && self.author.role.is_some(),
                Rule::NotRecorder,
            )?;
        }
        Ok(())
    }

    /// A member record touched: the member's own, in its own role, or a manager's act.
    fn member(&mut self, members: &ObjId, id: &str) -> Result<(), Rule> {
        let record = match self.doc.get(members, id) {
            Ok(Some((Value::Object(_), record))) => Some(record),
            _ => None,
        };
        let roles: Vec<Role> = record
            .map(|r| self.new_values(&r, "role"))
            .unwrap_or_default()
            .iter()
            .filter_map(|(v, _)| text(v).and_then(|s| Role::parse(&s)))
            .collect();
        let own = self.author.role.unwrap_or(Role::NeighbourLeader);
        for role in if roles.is_empty() { vec![own] } else { roles } {
            may(self.author, &Act::EditMember { member: id, role })?;
        }
        Ok(())
    }
}
