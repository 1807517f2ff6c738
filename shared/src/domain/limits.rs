//! How long free text may be. A 邻长's phone shows a concern as one card in a
//! list: a 5,000-character title would make it screens tall, so every text a
//! command stores has a limit, counted in characters (`char`s). The app's
//! inputs carry the same numbers as `maxlength`.

use crate::domain::{DomainError, Field};

/// A concern's title, a meeting's title or topic, an agenda item, a
/// follow-up or a monthly task: one line on a card.
pub const MAX_TITLE_CHARS: usize = 100;
/// A concern's description: what the resident said, in full.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// A resident's name or contact as the reporter of a concern.
pub const MAX_REPORTER_CHARS: usize = 50;
/// Where a meeting takes place.
pub const MAX_PLACE_CHARS: usize = 100;
/// A short note: how a concern was resolved, the resident's comment, a reason
/// for reopening or escalating, a visit note, a decision, a service request,
/// an expense's purpose.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// A meeting's notes (the whole 纪要 or one agenda item's notes), typed live by
/// several participants. Counted in the notes' text units (UTF-16 in the app,
/// the same unit as the textarea's `maxlength`).
pub const MAX_MEETING_NOTES_CHARS: usize = 50_000;

/// Checks that `value` has at most `max` characters.
pub(crate) fn within(value: &str, field: Field, max: usize) -> Result<(), DomainError> {
    if value.chars().count() > max {
        Err(DomainError::TooLong { field, max })
    } else {
        Ok(())
    }
}

/// The length of `s` in the document's text units (what `doc.length` counts).
pub(crate) fn text_units(encoding: automerge::TextEncoding, s: &str) -> usize {
    match encoding {
        automerge::TextEncoding::Utf8CodeUnit => s.len(),
        automerge::TextEncoding::Utf16CodeUnit => s.encode_utf16().count(),
        _ => s.chars().count(),
    }
}
