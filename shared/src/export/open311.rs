//! Concerns in the Open311 GeoReport v2 shape (the JSON of `GET requests.json`),
//! so other civic tools can read them. Times are ISO 8601 with the +08:00 offset.

use super::tables::{category_zh, level_zh, status_zh, Names};
use crate::domain::{china_date, china_ms_of_day, Concern};
use crate::privacy::mask_phones;

/// "2026-11-02T08:00:00+08:00".
pub fn iso_china(ms: i64) -> String {
    let (y, m, d) = china_date(ms);
    let secs = china_ms_of_day(ms) / 1000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The concerns as a GeoReport v2 service-request array. `status` is `open`
/// until the concern is resolved or closed; `agency_responsible` is the level
/// now handling it; there are no coordinates (lat/long are null), the address
/// is the place in the org tree. Free text is phone-masked.
pub fn georeport_v2(concerns: &[&Concern], names: &Names) -> String {
    let mut out = String::from("[");
    for (i, c) in concerns.iter().filter(|c| !c.is_withdrawn()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let updated = c.timeline.iter().map(|e| e.at).max().unwrap_or(c.raised_at);
        out.push('{');
        let mut field = |key: &str, value: Option<&str>, first: bool| {
            if !first {
                out.push(',');
            }
            json_str(key, &mut out);
            out.push(':');
            match value {
                Some(v) => json_str(v, &mut out),
                None => out.push_str("null"),
            }
        };
        let description = if c.description.is_empty() {
            mask_phones(&c.title)
        } else {
            mask_phones(&format!("{}\n{}", c.title, c.description))
        };
        let notes = c
            .resolution
            .as_ref()
            .filter(|_| c.status.is_done())
            .map(|r| mask_phones(&r.summary));
        let address = c.place.as_deref().map(|p| names.place(p));
        field("service_request_id", Some(&c.id), true);
        field(
            "status",
            Some(if c.status.is_done() { "closed" } else { "open" }),
            false,
        );
        field("status_notes", notes.as_deref(), false);
        field("service_name", Some(category_zh(c.category)), false);
        field("service_code", Some(c.category.as_str()), false);
        field("description", Some(&description), false);
        field("agency_responsible", Some(level_zh(c.level)), false);
        field("service_notice", Some(status_zh(c.status)), false);
        field("requested_datetime", Some(&iso_china(c.raised_at)), false);
        field("updated_datetime", Some(&iso_china(updated)), false);
        field(
            "expected_datetime",
            c.due_at.map(iso_china).as_deref(),
            false,
        );
        field("address", address.as_deref(), false);
        field("address_id", c.place.as_deref(), false);
        field("zipcode", None, false);
        field("lat", None, false);
        field("long", None, false);
        field("media_url", None, false);
        out.push('}');
    }
    out.push(']');
    out
}
