//! What the new changes wrote, read from their operations: each (object, key) a map operation
//! touched, and each write into a list, with the object's path from the root.
//!
//! Reading the operations costs what the changes cost; a diff of the document between the two
//! heads scans the whole document (about 10 ms for one change on 2,000 concerns).

use std::collections::HashSet;

use automerge::{AutoCommit, ChangeHash, ObjId, Prop, ReadDoc, Value};

/// A write into a list element.
pub(super) enum ListWrite {
    Insert(Value<'static>),
    Put(Value<'static>),
    Delete,
}

/// One place the new changes wrote.
pub(super) struct Touch {
    /// The object's path from the root: (parent, the property holding the next object).
    pub(super) path: Vec<(ObjId, Prop)>,
    pub(super) obj: ObjId,
    /// The key written, in a map.
    pub(super) key: Option<String>,
    /// What was written, in a list.
    pub(super) list: Option<ListWrite>,
}

/// The places the changes between `before` and the current heads wrote, each map key once.
pub(super) fn touches(doc: &mut AutoCommit, before: &[ChangeHash]) -> Vec<Touch> {
    let mut out = Vec::new();
    let mut seen: HashSet<(ObjId, String)> = HashSet::new();
    for change in doc.get_changes(before) {
        for op in change.decode().operations {
            let Ok((obj, _)) = doc.import(&op.obj.to_string()) else {
                continue;
            };
            let value = || match &op.action {
                automerge::legacy::OpType::Put(v) => {
                    Some(Value::Scalar(std::borrow::Cow::Owned(v.clone())))
                }
                automerge::legacy::OpType::Make(t) => Some(Value::Object(*t)),
                _ => None,
            };
            let (key, list) = match &op.key {
                automerge::legacy::Key::Map(k) => {
                    if !seen.insert((obj.clone(), k.to_string())) {
                        continue;
                    }
                    (Some(k.to_string()), None)
                }
                automerge::legacy::Key::Seq(_) => {
                    let write = match (&op.action, op.insert) {
                        (_, true) => value().map(ListWrite::Insert),
                        (automerge::legacy::OpType::Delete, false) => Some(ListWrite::Delete),
                        (_, false) => value().map(ListWrite::Put),
                    };
                    (None, write)
                }
            };
            let path = doc.parents(&obj).map(|p| p.path()).unwrap_or_default();
            out.push(Touch {
                path,
                obj,
                key,
                list,
            });
        }
    }
    out
}
