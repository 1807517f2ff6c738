//! Typing into collaborative notes from a text box that may lag behind the
//! document.
//!
//! A text box shows the notes as of some heads (`seen`). When the person types,
//! the box's new value is diffed against what it showed ([`diff_utf16`]) and
//! applied as of those heads ([`apply_typed`]): if remote changes arrived in
//! the meantime, the edit is carried over to the current text with automerge
//! cursors taken at `seen`, so neither side's text is lost. When remote changes
//! arrive, the caret is carried over the same way ([`map_caret`]).
//!
//! Positions are UTF-16 code units (what browsers use), so the document must
//! use [`TextEncoding::Utf16CodeUnit`] (the app enables automerge's
//! `utf16-indexing`).

use automerge::{AutoCommit, ChangeHash, Cursor, ObjId, ReadDoc, TextEncoding};

use crate::domain::meeting::notes_obj;
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
    notes_obj(doc, notes)
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

/// The notes right after typing: what the text box should show now, the
/// heads at which the document has exactly that text, and where its caret goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typed {
    pub text: String,
    pub heads: Vec<ChangeHash>,
    pub caret: usize,
}

/// Applies `splice`, made to the notes as they were at `seen`, to the current
/// document, committed as one change stamped `now_ms` (`history::commit_at`).
///
/// When remote changes arrived since `seen`, the splice is carried over with
/// cursors: the typed text goes where [`map_caret`] puts the caret: right
/// after the nearest character before it that is still there (so what I type
/// stays with the text I was typing, even when someone else typed at the same
/// spot), and only the characters I
/// deleted that are still there are deleted. The box is then to show the
/// merged text (`Typed::text`).
pub fn apply_typed(
    doc: &mut AutoCommit,
    notes: Notes<'_>,
    seen: &[ChangeHash],
    splice: &Splice,
    now_ms: i64,
) -> Result<Typed, DomainError> {
    require_utf16(doc)?;
    let text = notes_text(doc, notes)?;
    let inserted = splice.insert.encode_utf16().count();
    let caret = if doc.get_heads() == seen {
        edit_notes(doc, notes, splice.pos, splice.delete, &splice.insert)?;
        splice.pos + inserted
    } else {
        let shown = Shown::at(doc, &text, seen)?;
        let len = shown.chars.last().map_or(0, |c| c.0 + c.1);
        let end = splice.pos.saturating_add(splice.delete);
        if end > len {
            return Err(DomainError::OutOfRange { index: end, len });
        }
        // Cursors first: they stay valid while the text changes under them.
        let mut deleted = Vec::new();
        for &(start, width) in shown
            .chars
            .iter()
            .filter(|c| c.0 >= splice.pos && c.0 < end)
        {
            deleted.push((doc.get_cursor(&text, start, Some(seen))?, width));
        }
        let at = shown.now_after(doc, splice.pos)?;
        if inserted > 0 {
            edit_notes(doc, notes, at, 0, &splice.insert)?;
        }
        let mut caret = at + inserted;
        let mut still_there = Vec::new();
        for (cursor, width) in &deleted {
            if let Some(p) = now_at(doc, &text, cursor)? {
                still_there.push((p, *width));
            }
        }
        still_there.sort_unstable_by(|a, b| b.cmp(a));
        for (p, width) in still_there {
            edit_notes(doc, notes, p, width, "")?;
            if p < caret {
                caret -= width;
            }
        }
        caret
    };
    super::history::commit_at(doc, now_ms);
    Ok(Typed {
        text: doc.text(&text)?,
        heads: doc.get_heads(),
        caret,
    })
}

/// Where a caret at `pos` of the notes as of `seen` is now. The caret sticks
/// to the character before it (what the person just typed), so text others
/// add before it pushes it along and text they add after it does not. If that
/// character was deleted, it sticks to the nearest one before it still there,
/// or if none is, stays before the nearest one after it.
pub fn map_caret(
    doc: &AutoCommit,
    notes: Notes<'_>,
    seen: &[ChangeHash],
    pos: usize,
) -> Result<usize, DomainError> {
    let text = notes_text(doc, notes)?;
    Shown::at(doc, &text, seen)?.now_after(doc, pos)
}

/// The characters of the notes as a text box showed them at some heads.
struct Shown<'a> {
    text: &'a ObjId,
    seen: &'a [ChangeHash],
    /// (UTF-16 start, UTF-16 width) of each character.
    chars: Vec<(usize, usize)>,
}

impl<'a> Shown<'a> {
    fn at(
        doc: &AutoCommit,
        text: &'a ObjId,
        seen: &'a [ChangeHash],
    ) -> Result<Shown<'a>, DomainError> {
        let mut start = 0;
        let chars = doc
            .text_at(text, seen)?
            .chars()
            .map(|c| {
                let w = c.len_utf16();
                start += w;
                (start - w, w)
            })
            .collect();
        Ok(Shown { text, seen, chars })
    }

    /// Where, in the current text, the position `pos` of the shown text is:
    /// right after the nearest character before `pos` that is still there,
    /// else right before the nearest one after it, else the start. The start
    /// stays the start.
    fn now_after(&self, doc: &AutoCommit, pos: usize) -> Result<usize, DomainError> {
        if pos == 0 {
            return Ok(0);
        }
        for &(start, width) in self.chars.iter().rev().filter(|c| c.0 < pos) {
            if let Some(p) = self.now(doc, start)? {
                return Ok(p + width);
            }
        }
        for &(start, _) in self.chars.iter().filter(|c| c.0 >= pos) {
            if let Some(p) = self.now(doc, start)? {
                return Ok(p);
            }
        }
        Ok(0)
    }

    /// Where the character shown at `start` is now, if it is still there.
    fn now(&self, doc: &AutoCommit, start: usize) -> Result<Option<usize>, DomainError> {
        let cursor = doc.get_cursor(self.text, start, Some(self.seen))?;
        now_at(doc, self.text, &cursor)
    }
}

/// Where the character `cursor` points at is now, if it is still there.
fn now_at(doc: &AutoCommit, text: &ObjId, cursor: &Cursor) -> Result<Option<usize>, DomainError> {
    let p = doc.get_cursor_position(text, cursor, None)?;
    if p >= doc.length(text) {
        return Ok(None);
    }
    Ok((doc.get_cursor(text, p, None)? == *cursor).then_some(p))
}
