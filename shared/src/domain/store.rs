//! Small helpers over the raw automerge API shared by the command modules.

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
    kind: &'static str,
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
pub(crate) fn non_empty(value: &str, field: &'static str) -> Result<(), DomainError> {
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
