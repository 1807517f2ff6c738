//! Typing into collaborative notes from a text box that may lag behind the
//! document.
//!
//! A text box shows the notes as of some heads (`seen`). When the person types,
//! the box's new value is diffed against what it showed ([`diff_utf16`]) and
//! applied *at those heads* ([`apply_typed`]): if remote changes arrived in the
//! meantime the edit is made on a fork at `seen` and merged, exactly like an
//! edit from another phone, so neither side's text is lost. When remote changes
//! arrive, the caret is carried over with automerge cursors taken at `seen`
//! ([`map_caret`]).
//!
//! Positions are UTF-16 code units (what browsers use), so the document must
//! use [`TextEncoding::Utf16CodeUnit`] (the app enables automerge's
//! `utf16-indexing`).

use automerge::{AutoCommit, ChangeHash, Cursor, MoveCursor, ObjId, ReadDoc, TextEncoding, ROOT};

use crate::domain::meeting::{meeting_map, AGENDA};
use crate::domain::store::{child_obj, record_obj};
use crate::domain::{edit_notes, DomainError, Notes};

/// One contiguous change of a text box's value, in UTF-16 units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    pub pos: usize,
    pub delete: usize,
    pub insert: String,
}

/// What changed from `old` to `new`. `caret` is the caret (selection end)
/// after the change, in `new`: it settles where an ambiguous change happened
/// (typing "a" into "aa"). Never splits a surrogate pair. None if equal.
pub fn diff_utf16(old: &str, new: &str, caret: usize) -> Option<Splice> {
    let a: Vec<u16> = old.encode_utf16().collect();
    let b: Vec<u16> = new.encode_utf16().collect();
    if a == b {
        return None;
    }
    let caret = caret.min(b.len());
    // The common tail may not reach left of the caret.
    let max_suffix = a.len().min(b.len() - caret);
    let mut suffix = 0;
    while suffix < max_suffix && a[a.len() - 1 - suffix] == b[b.len() - 1 - suffix] {
        suffix += 1;
    }
    let max_prefix = (a.len() - suffix).min(b.len() - suffix);
    let mut prefix = 0;
    while prefix < max_prefix && a[prefix] == b[prefix] {
        prefix += 1;
    }
    // Keep surrogate pairs whole.
    let low = |u: u16| (0xDC00..0xE000).contains(&u);
    while prefix > 0
        && (a.get(prefix).is_some_and(|u| low(*u)) || b.get(prefix).is_some_and(|u| low(*u)))
    {
        prefix -= 1;
    }
    while suffix > 0
        && (low(a[a.len() - suffix]) && a.len() - suffix > prefix
            || low(b[b.len() - suffix]) && b.len() - suffix > prefix)
    {
        suffix -= 1;
    }
    Some(Splice {
        pos: prefix,
        delete: a.len() - suffix - prefix,
        insert: String::from_utf16_lossy(&b[prefix..b.len() - suffix]),
    })
}

/// The text object of the notes.
pub fn notes_text(doc: &AutoCommit, notes: Notes<'_>) -> Result<ObjId, DomainError> {
    let malformed = || DomainError::Malformed("notes are not text".into());
    let agenda = meeting_map(doc, AGENDA)?;
    let parent = match notes {
        Notes::Minutes => ROOT,
        Notes::Item(id) => record_obj(doc, &agenda, "agenda item", id)?,
    };
    let key = if matches!(notes, Notes::Minutes) {
        "minutes"
    } else {
        "notes"
    };
    child_obj(doc, &parent, key)?.ok_or_else(malformed)
}

fn require_utf16(doc: &AutoCommit) -> Result<(), DomainError> {
    if doc.text_encoding() == TextEncoding::Utf16CodeUnit {
        Ok(())
    } else {
        Err(DomainError::Malformed(
            "typing needs a UTF-16 document (automerge utf16-indexing)".into(),
        ))
    }
}

/// Applies `splice`, made to the notes as they were at `seen`, to the current
/// document. Returns the heads at which the text equals the text box's new
/// value (the document's heads when nothing else arrived meanwhile).
pub fn apply_typed(
    doc: &mut AutoCommit,
    notes: Notes<'_>,
    seen: &[ChangeHash],
    splice: &Splice,
) -> Result<Vec<ChangeHash>, DomainError> {
    require_utf16(doc)?;
    if doc.get_heads() == seen {
        edit_notes(doc, notes, splice.pos, splice.delete, &splice.insert)?;
        return Ok(doc.get_heads());
    }
    let mut fork = doc.fork_at(seen)?;
    edit_notes(&mut fork, notes, splice.pos, splice.delete, &splice.insert)?;
    let typed = fork.get_heads();
    doc.merge(&mut fork)?;
    Ok(typed)
}

/// Where a caret at `pos` of the notes as of `seen` is now. The caret sticks
/// to the character before it (what the person just typed), so text others
/// add before it pushes it along and text they add after it does not.
pub fn map_caret(
    doc: &AutoCommit,
    notes: Notes<'_>,
    seen: &[ChangeHash],
    pos: usize,
) -> Result<usize, DomainError> {
    let text = notes_text(doc, notes)?;
    if pos == 0 {
        return Ok(0);
    }
    let cursor: Cursor = doc.get_cursor_moving(&text, pos - 1, Some(seen), MoveCursor::Before)?;
    let len = doc.length(&text);
    let before = doc.get_cursor_position(&text, &cursor, None)?;
    Ok((before + 1).min(len))
}
