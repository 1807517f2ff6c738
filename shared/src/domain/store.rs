//! Small helpers over the raw automerge API shared by the command modules.

use crate::domain::refusal::{Field, RecordKind};
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use crate::domain::DomainError;

/// The object at `key` of `parent`, if it is a map, list or text.
pub(crate) fn child_obj<P: Into<automerge::Prop>>(
    doc: &AutoCommit,
    parent: &ObjId,
    key: P,
) -> Result<Option<ObjId>, DomainError> {
    Ok(match doc.get(parent, key)? {
        Some((Value::Object(_), id)) => Some(id),
        _ => None,
    })
}

/// A top-level collection map of an initialised document.
pub(crate) fn root_map(doc: &AutoCommit, key: &str) -> Result<ObjId, DomainError> {
    child_obj(doc, &ROOT, key)?.ok_or(DomainError::NotInitialized)
}

/// The record `id` in the collection `collection` (a map keyed by id).
pub(crate) fn record_obj(
    doc: &AutoCommit,
    collection: &ObjId,
    kind: RecordKind,
    id: &str,
) -> Result<ObjId, DomainError> {
    child_obj(doc, collection, id)?.ok_or_else(|| DomainError::NotFound {
        kind,
        id: id.to_string(),
    })
}

/// Creates an empty map at `key` of `parent`.
pub(crate) fn put_map(
    doc: &mut AutoCommit,
    parent: &ObjId,
    key: &str,
) -> Result<ObjId, DomainError> {
    Ok(automerge::transaction::Transactable::put_object(
        doc,
        parent,
        key,
        ObjType::Map,
    )?)
}

/// Every string value concurrently written at `key` (more than one after
/// concurrent puts), in automerge's deterministic order (the default winner last).
pub(crate) fn all_strings(
    doc: &AutoCommit,
    obj: &ObjId,
    key: &str,
) -> Result<Vec<String>, DomainError> {
    Ok(doc
        .get_all(obj, key)?
        .into_iter()
        .filter_map(|(v, _)| match v {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Str(t) => Some(t.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect())
}

/// Every map object concurrently written at `key`, in automerge's order.
pub(crate) fn all_objects(
    doc: &AutoCommit,
    obj: &ObjId,
    key: &str,
) -> Result<Vec<ObjId>, DomainError> {
    Ok(doc
        .get_all(obj, key)?
        .into_iter()
        .filter_map(|(v, id)| match v {
            Value::Object(_) => Some(id),
            _ => None,
        })
        .collect())
}

/// Checks a required text field.
pub(crate) fn non_empty(value: &str, field: Field) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(DomainError::Empty(field))
    } else {
        Ok(())
    }
}

/// The value at `key`, None when missing or null.
pub(crate) fn get_opt<T: autosurgeon::Hydrate>(
    doc: &AutoCommit,
    obj: &ObjId,
    key: &str,
) -> Result<Option<T>, DomainError> {
    use autosurgeon::MaybeMissing;
    Ok(
        match autosurgeon::hydrate_prop::<_, MaybeMissing<Option<T>>, _, _>(doc, obj, key)? {
            MaybeMissing::Missing => None,
            MaybeMissing::Present(v) => v,
        },
    )
}

/// One map object's entries, read in a single pass (`map_range`), which is far
/// cheaper than one `get` per field on a large document (see BENCHMARKS.md).
pub(crate) struct MapView<'a> {
    items: Vec<automerge::iter::MapRangeItem<'a>>,
}

impl<'a> MapView<'a> {
    pub(crate) fn read(doc: &'a AutoCommit, obj: &ObjId) -> MapView<'a> {
        MapView {
            items: doc.map_range(obj, ..).collect(),
        }
    }

    fn item(&self, key: &str) -> Option<&automerge::iter::MapRangeItem<'a>> {
        self.items.iter().find(|i| i.key == key)
    }

    /// Whether concurrent writes left several values at `key`.
    pub(crate) fn conflict(&self, key: &str) -> bool {
        self.item(key).is_some_and(|i| i.conflict)
    }

    /// A string; None when missing or null.
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<String>, DomainError> {
        use automerge::{ScalarValueRef, ValueRef};
        match self.item(key).map(|i| &i.value) {
            None | Some(ValueRef::Scalar(ScalarValueRef::Null)) => Ok(None),
            Some(ValueRef::Scalar(ScalarValueRef::Str(s))) => Ok(Some(s.to_string())),
            Some(other) => Err(DomainError::Malformed(format!(
                "{key} is {other:?}, not a string"
            ))),
        }
    }

    /// An integer; None when missing or null.
    pub(crate) fn opt_int(&self, key: &str) -> Result<Option<i64>, DomainError> {
        use automerge::{ScalarValueRef, ValueRef};
        match self.item(key).map(|i| &i.value) {
            None | Some(ValueRef::Scalar(ScalarValueRef::Null)) => Ok(None),
            Some(ValueRef::Scalar(ScalarValueRef::Int(n))) => Ok(Some(*n)),
            Some(ValueRef::Scalar(ScalarValueRef::Uint(n))) => Ok(i64::try_from(*n).ok()),
            Some(other) => Err(DomainError::Malformed(format!(
                "{key} is {other:?}, not an integer"
            ))),
        }
    }

    pub(crate) fn str(&self, key: &str) -> Result<String, DomainError> {
        self.opt_str(key)?
            .ok_or_else(|| DomainError::Malformed(format!("{key} missing")))
    }

    pub(crate) fn int(&self, key: &str) -> Result<i64, DomainError> {
        self.opt_int(key)?
            .ok_or_else(|| DomainError::Malformed(format!("{key} missing")))
    }

    /// A string parsed into a closed vocabulary.
    pub(crate) fn parsed<T>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<T, DomainError> {
        let s = self.str(key)?;
        parse(&s).ok_or_else(|| DomainError::Malformed(format!("{key} has unknown value {s:?}")))
    }

    /// The object (map, list or text) at `key`.
    pub(crate) fn obj(&self, key: &str) -> Option<ObjId> {
        self.item(key)
            .filter(|i| matches!(i.value, automerge::ValueRef::Object(_)))
            .map(|i| i.id())
    }

    /// The entries whose key starts with `prefix`, as (the rest of the key, its integer
    /// value or 0 if it holds none).
    pub(crate) fn prefixed<'s>(
        &'s self,
        prefix: &'s str,
    ) -> impl Iterator<Item = (&'s str, i64)> + 's {
        self.items.iter().filter_map(move |i| {
            let rest = i.key.strip_prefix(prefix)?;
            let at = match i.value {
                automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(n)) => n,
                _ => 0,
            };
            Some((rest, at))
        })
    }

    /// All entries as (key, integer), skipping other values.
    pub(crate) fn int_entries(&self) -> impl Iterator<Item = (String, i64)> + '_ {
        self.items.iter().filter_map(|i| match i.value {
            automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(n)) => {
                Some((i.key.to_string(), n))
            }
            _ => None,
        })
    }
}

/// The strings of a list, in order (other values skipped).
pub(crate) fn list_strings(doc: &AutoCommit, list: &ObjId) -> Vec<String> {
    doc.list_range(list, ..)
        .filter_map(|i| match i.value {
            automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => Some(s.into_owned()),
            _ => None,
        })
        .collect()
}

/// The objects held in a map (its records) with their keys, in key order.
pub(crate) fn map_objects(doc: &AutoCommit, map: &ObjId) -> Vec<(String, ObjId)> {
    doc.map_range(map, ..)
        .filter(|i| matches!(i.value, automerge::ValueRef::Object(_)))
        .map(|i| (i.key.to_string(), i.id()))
        .collect()
}
