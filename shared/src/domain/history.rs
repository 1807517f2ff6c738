//! History (M15): who changed which part of a concern or a meeting, and when, read from the
//! document's changes.
//!
//! Each Automerge change carries its actor id and the time its phone gave it (seconds since
//! the epoch, 0 when the writer gave none). The relay binds every actor id to the member that
//! first wrote with it (`server/src/core/actors.rs`), so the actor names a member: the app asks
//! the relay for the bindings and keeps the last ones it got. This module only reads changes;
//! naming the members is the caller's.
//!
//! Cost: every change of the document is decoded once, and each object it touched is placed
//! once (its path from the root). A concern's history therefore reads the whole community
//! document's history: meant for a view opened on demand, not for a list.

use std::collections::HashMap;

use automerge::transaction::CommitOptions;
use automerge::{AutoCommit, ChangeHash, ObjId, Prop, ReadDoc, ROOT};

use super::kinds::string_enum;
use super::meeting::{notes_obj, Notes};
use super::DomainError;

string_enum! {
    /// A part of a concern or a meeting that a change wrote.
    pub enum Part {
        /// The concern was recorded (or the meeting created), with its first fields.
        Recorded => "recorded",
        /// Title, description, category, place, reporter; a meeting's title, kind, time, place.
        Details => "details",
        Status => "status",
        Level => "level",
        Deadline => "deadline",
        Timeline => "timeline",
        Supporters => "supporters",
        Photos => "photos",
        Resolution => "resolution",
        Feedback => "feedback",
        Withdrawn => "withdrawn",
        Attendance => "attendance",
        Agenda => "agenda",
        /// The meeting's general minutes.
        Minutes => "minutes",
        /// The notes of an agenda item.
        ItemNotes => "item_notes",
        Decision => "decision",
        Votes => "votes",
        FollowUps => "follow_ups",
        /// In a community document: a concern (the parts above name a concern's fields).
        Concerns => "concerns",
        OrgTree => "org_tree",
        Members => "members",
        Funds => "funds",
        Meetings => "meetings",
        Visits => "visits",
        Tasks => "tasks",
        ServiceOrders => "service_orders",
        Other => "other",
    }
}

/// Commits what `doc` holds uncommitted as one change stamped `now_ms` (stored in seconds, as
/// Automerge's JS stamps changes). The app commits every local edit so: a change otherwise
/// carries no time.
pub fn commit_at(doc: &mut AutoCommit, now_ms: i64) {
    doc.commit_with(CommitOptions::default().with_time(now_ms.div_euclid(1000)));
}

/// One change that wrote to the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The change's actor id (hex): bound to a member at the relay.
    pub actor: String,
    /// Seconds since the epoch, as the writing phone gave it; 0 when it gave none.
    pub time_s: i64,
    /// What it wrote, each part once, in [`Part`] order; only `[Recorded]` for the change
    /// that recorded it.
    pub parts: Vec<Part>,
}

/// Consecutive edits of one actor to the same parts, each within `within_s` seconds of the
/// one before, folded into one: the last of them, and how many there were. Typing notes makes
/// a change per pause; the history shows a run of them as one row.
pub fn fold_runs(edits: Vec<Edit>, within_s: i64) -> Vec<(Edit, usize)> {
    let mut out: Vec<(Edit, usize)> = Vec::new();
    for edit in edits {
        match out.last_mut() {
            Some((last, n))
                if last.actor == edit.actor
                    && last.parts == edit.parts
                    && (edit.time_s - last.time_s).abs() <= within_s =>
            {
                *last = edit;
                *n += 1;
            }
            _ => out.push((edit, 1)),
        }
    }
    out
}

/// The changes that wrote to concern `concern_id` of a community document, oldest first (in
/// causal order).
pub fn concern_history(doc: &mut AutoCommit, concern_id: &str) -> Vec<Edit> {
    // Only the concern's objects are placed: the rest of the community is skipped unplaced.
    let known = concern_places(doc, concern_id);
    history(doc, &[], Some(known), |path, key, _| match path {
        ["concerns"] if key == Some(concern_id) => Some(Part::Recorded),
        ["concerns", id, rest @ ..] if *id == concern_id => {
            Some(concern_part(rest.first().copied().or(key)))
        }
        _ => None,
    })
}

/// The changes to a meeting document, oldest first (in causal order).
pub fn meeting_history(doc: &mut AutoCommit) -> Vec<Edit> {
    history(doc, &[], None, |path, key, null| {
        Some(meeting_part(path, key, null))
    })
}

/// What the changes since `heads` wrote, in a community or a meeting document, oldest first:
/// what the phone shows of its changes the relay refused. A community document's parts are
/// its collections (a concern's fields count as [`Part::Concerns`]).
pub fn edits_since(doc: &mut AutoCommit, heads: &[ChangeHash]) -> Vec<Edit> {
    let community = doc.get(ROOT, "concerns").ok().flatten().is_some();
    history(doc, heads, None, |path, key, null| {
        Some(match community {
            true => community_part(path.first().copied().or(key)),
            false => meeting_part(path, key, null),
        })
    })
}

/// The paths of the concerns map, of concern `id` and of every object under it.
fn concern_places(doc: &AutoCommit, id: &str) -> HashMap<String, Vec<String>> {
    let mut places = HashMap::new();
    let Ok(Some((_, concerns))) = doc.get(ROOT, "concerns") else {
        return places;
    };
    places.insert(concerns.to_string(), vec!["concerns".to_string()]);
    for (value, concern) in doc.get_all(&concerns, id).unwrap_or_default() {
        if !value.is_object() {
            continue;
        }
        let at = vec!["concerns".to_string(), id.to_string()];
        places.insert(concern.to_string(), at.clone());
        for field in doc.map_range(&concern, ..) {
            if matches!(field.value, automerge::ValueRef::Object(_)) {
                let mut under = at.clone();
                under.push(field.key.to_string());
                for obj in objects_under(doc, field.id()) {
                    places.insert(obj.to_string(), under.clone());
                }
            }
        }
    }
    places
}

/// `obj` and every object inside it.
fn objects_under(doc: &AutoCommit, obj: ObjId) -> Vec<ObjId> {
    let mut out = vec![obj];
    let mut i = 0;
    while let Some(next) = out.get(i).cloned() {
        i += 1;
        let inner: Vec<ObjId> = match doc.object_type(&next) {
            Ok(automerge::ObjType::Map | automerge::ObjType::Table) => doc
                .map_range(&next, ..)
                .filter(|m| matches!(m.value, automerge::ValueRef::Object(_)))
                .map(|m| m.id())
                .collect(),
            Ok(automerge::ObjType::List) => doc
                .list_range(&next, ..)
                .filter(|l| matches!(l.value, automerge::ValueRef::Object(_)))
                .map(|l| l.id())
                .collect(),
            _ => Vec::new(),
        };
        out.extend(inner);
    }
    out
}

fn community_part(collection: Option<&str>) -> Part {
    match collection.unwrap_or_default() {
        "concerns" => Part::Concerns,
        "units" => Part::OrgTree,
        "members" => Part::Members,
        "fund_allocations" | "fund_expenses" => Part::Funds,
        "meetings" => Part::Meetings,
        "visits" => Part::Visits,
        "tasks" => Part::Tasks,
        "service_orders" => Part::ServiceOrders,
        _ => Part::Other,
    }
}

fn concern_part(field: Option<&str>) -> Part {
    match field.unwrap_or_default() {
        "title" | "description" | "category" | "place" | "reporter_household" | "reporter_name" => {
            Part::Details
        }
        "status" => Part::Status,
        "level" => Part::Level,
        "due_at" => Part::Deadline,
        "timeline" => Part::Timeline,
        "supporters" => Part::Supporters,
        "photos" => Part::Photos,
        "resolution" => Part::Resolution,
        "feedback" => Part::Feedback,
        "withdrawn" => Part::Withdrawn,
        "raised_by" | "raised_at" => Part::Recorded,
        _ => Part::Other,
    }
}

/// `null`: the operation put a null. An agenda item's creation makes its notes and votes (made
/// at no other time) and puts a null decision.
fn meeting_part(path: &[&str], key: Option<&str>, null: bool) -> Part {
    let mut at = path.iter().copied().chain(key);
    match at.next().unwrap_or_default() {
        "schema" | "id" | "community_id" | "created_by" | "created_at" => Part::Recorded,
        "title" | "kind" | "starts_at" | "place" => Part::Details,
        "minutes" => Part::Minutes,
        "participants" => Part::Attendance,
        "follow_ups" => Part::FollowUps,
        "agenda" => match (at.next(), at.next()) {
            (Some(_), Some("notes" | "votes")) if path.len() == 2 => Part::Agenda,
            (Some(_), Some("decision")) if null => Part::Agenda,
            (Some(_), Some("notes")) => Part::ItemNotes,
            (Some(_), Some("decision")) => Part::Decision,
            (Some(_), Some("votes")) => Part::Votes,
            _ => Part::Agenda,
        },
        _ => Part::Other,
    }
}

/// The changes since `since` (all of them when empty) in which `part_of` found a part, oldest
/// first. `part_of(path, key, null)` places an operation: `path` is the keys from the root to
/// the object it wrote (`#` for a list element), `key` the map key it wrote (None in a list or
/// text), `null` whether it put a null. With `known`, only the objects it names are placed
/// (by the paths it gives); otherwise each object's path is looked up once.
fn history(
    doc: &mut AutoCommit,
    since: &[ChangeHash],
    known: Option<HashMap<String, Vec<String>>>,
    part_of: impl Fn(&[&str], Option<&str>, bool) -> Option<Part>,
) -> Vec<Edit> {
    let only_known = known.is_some();
    let mut paths: HashMap<String, Option<Vec<String>>> = known
        .unwrap_or_default()
        .into_iter()
        .map(|(obj, path)| (obj, Some(path)))
        .collect();
    let mut out = Vec::new();
    for change in doc.get_changes(since) {
        let mut parts = Vec::new();
        for op in change.decode().operations {
            let obj = op.obj.to_string();
            if only_known && !paths.contains_key(&obj) {
                continue;
            }
            let path = paths.entry(obj).or_insert_with_key(|obj| path_of(doc, obj));
            let Some(path) = path else { continue };
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let key = match &op.key {
                automerge::legacy::Key::Map(k) => Some(k.as_str()),
                automerge::legacy::Key::Seq(_) => None,
            };
            let null = matches!(
                &op.action,
                automerge::legacy::OpType::Put(automerge::ScalarValue::Null)
            );
            parts.extend(part_of(&path, key, null));
        }
        if parts.is_empty() {
            continue;
        }
        parts.sort_unstable();
        parts.dedup();
        if parts.contains(&Part::Recorded) {
            parts = vec![Part::Recorded];
        }
        out.push(Edit {
            actor: change.actor_id().to_hex_string(),
            time_s: change.timestamp(),
            parts,
        });
    }
    out
}

/// The keys from the root to object `obj` (as an operation names it), or None if the
/// document no longer has it.
fn path_of(doc: &AutoCommit, obj: &str) -> Option<Vec<String>> {
    let (id, _) = doc.import(obj).ok()?;
    if id == ROOT {
        return Some(Vec::new());
    }
    let parents = doc.parents(&id).ok()?;
    Some(
        parents
            .path()
            .into_iter()
            .map(|(_, prop)| match prop {
                Prop::Map(k) => k,
                Prop::Seq(_) => "#".to_string(),
            })
            .collect(),
    )
}

/// A run of notes written by one actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The actor id (hex) that typed these characters.
    pub actor: String,
    pub text: String,
}

/// Who typed which part of the notes: the notes as runs of consecutive characters typed
/// under the same actor id, in order. Deleted characters are gone, so a run is what its
/// writer typed that is still there.
pub fn notes_authors(doc: &AutoCommit, notes: Notes<'_>) -> Result<Vec<Written>, DomainError> {
    let text = notes_obj(doc, notes)?;
    Ok(runs(doc, &text))
}

fn runs(doc: &AutoCommit, text: &ObjId) -> Vec<Written> {
    let mut out: Vec<Written> = Vec::new();
    for item in doc.list_range(text, ..) {
        let automerge::ObjId::Id(_, actor, _) = item.id() else {
            continue;
        };
        let value = item.value.into_value();
        let Some(ch) = value.as_str() else {
            continue;
        };
        let actor = actor.to_hex_string();
        match out.last_mut() {
            Some(run) if run.actor == actor => run.text.push_str(ch),
            _ => out.push(Written {
                actor,
                text: ch.to_owned(),
            }),
        }
    }
    out
}
