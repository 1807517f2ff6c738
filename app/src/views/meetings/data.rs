//! The meeting document as the meeting screens see it, and how they change it.

use crate::session::{use_session, Session};
use leptos::prelude::*;
use linli_shared::domain::{self, Meeting};
use linli_shared::wire::DocumentId;

/// The id in `#/m/<id>` is the meeting document's id.
pub fn parse_id(id: &str) -> Option<DocumentId> {
    id.parse().ok()
}

/// The whole meeting, recomputed after every change to its document; None
/// until the document has arrived.
pub fn meeting_memo(doc: DocumentId) -> Memo<Option<Meeting>> {
    use_session().doc_memo(doc, |d| domain::get_meeting(d).ok())
}

/// "2026-11-21 19:30" in the phone's local time (China time for our users).
pub fn format_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// "2026-11-21" in local time.
pub fn format_date(ms: i64) -> String {
    format_time(ms)[..10].to_string()
}

/// The value of an `<input type=datetime-local>` or `type=date` (local time).
pub fn parse_local(value: &str) -> Option<i64> {
    if value.is_empty() {
        return None;
    }
    // A date alone means the end of that day.
    let value = if value.len() == 10 {
        format!("{value}T23:59")
    } else {
        value.to_string()
    };
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&value)).get_time();
    (!ms.is_nan()).then_some(ms as i64)
}

/// `<input type=datetime-local>` value for an instant.
pub fn to_local_input(ms: i64) -> String {
    format_time(ms).replacen(' ', "T", 1)
}

/// A member's name from the meeting (participants) or the community.
pub fn name_of(session: Session, meeting: Option<&Meeting>, member: &str) -> Option<String> {
    if let Some(p) = meeting.and_then(|m| m.participants.get(member)) {
        return Some(p.name.clone());
    }
    let w = session.workspace()?;
    w.read(w.community, |d| {
        domain::list_members(d)
            .ok()?
            .into_iter()
            .find(|m| m.id == member)
            .map(|m| m.name)
    })
}
