//! What the new changes wrote, read from their operations: each (object, key) a map operation
//! touched, and each write into a list, with the object's path from the root.
//!
//! Reading the operations costs what the changes cost; a diff of the document between the two
//! heads scans the whole document (about 10 ms for one change on 2,000 concerns).

use std::collections::HashMap;

use super::sight::Sight;

use automerge::{AutoCommit, ChangeHash, ObjId, Prop, ReadDoc, Value};

/// A write into a list element.
pub(super) enum ListWrite {
    Insert(Value<'static>),
    /// An element overwritten (never done by honest commands on a timeline).
    Put,
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
    /// A map key one of the new changes deleted.
    pub(super) deleted: bool,
}

/// What the new changes wrote, and whether any of them was written on nothing (no
/// dependencies) although the document held something before: such a change claims to
/// have seen an empty document, which no phone that holds the document writes. Likewise a
/// change that writes into an object made by a change it does not depend on (`unseen`):
/// Automerge applies it, but it claims to have seen a state without that object.
pub(super) struct Touches {
    pub(super) places: Vec<Touch>,
    pub(super) written_on_nothing: bool,
    pub(super) unseen: bool,
}

/// The places the changes between `before` and the current heads wrote, each map key once.
pub(super) fn touches(doc: &mut AutoCommit, before: &[ChangeHash]) -> Touches {
    let mut out: Vec<Touch> = Vec::new();
    let mut seen: HashMap<(ObjId, String), usize> = HashMap::new();
    let mut written_on_nothing = false;
    let mut unseen = false;
    let mut sight = Sight::default();
    for change in doc.get_changes(before) {
        written_on_nothing |= change.deps().is_empty() && !before.is_empty();
        sight.add(change.hash(), change.deps());
        for op in change.decode().operations {
            let Ok((obj, _)) = doc.import(&op.obj.to_string()) else {
                continue;
            };
            if let Some(made) = doc.hash_for_opid(&obj) {
                unseen |= !sight.saw(doc, change.hash(), made);
            }
            let value = || match &op.action {
                automerge::legacy::OpType::Put(v) => {
                    Some(Value::Scalar(std::borrow::Cow::Owned(v.clone())))
                }
                automerge::legacy::OpType::Make(t) => Some(Value::Object(*t)),
                _ => None,
            };
            let (key, list) = match &op.key {
                automerge::legacy::Key::Map(k) => {
                    let deleted = matches!(op.action, automerge::legacy::OpType::Delete);
                    if let Some(i) = seen.get(&(obj.clone(), k.to_string())) {
                        out[*i].deleted |= deleted;
                        continue;
                    }
                    seen.insert((obj.clone(), k.to_string()), out.len());
                    (Some(k.to_string()), None)
                }
                automerge::legacy::Key::Seq(_) => {
                    let write = match (&op.action, op.insert) {
                        (_, true) => value().map(ListWrite::Insert),
                        (automerge::legacy::OpType::Delete, false) => Some(ListWrite::Delete),
                        (_, false) => value().map(|_| ListWrite::Put),
                    };
                    (None, write)
                }
            };
            let path = doc.parents(&obj).map(|p| p.path()).unwrap_or_default();
            let deleted = key.is_some() && matches!(op.action, automerge::legacy::OpType::Delete);
            out.push(Touch {
                path,
                obj,
                key,
                list,
                deleted,
            });
        }
    }
    Touches {
        places: out,
        written_on_nothing,
        unseen,
    }
}
