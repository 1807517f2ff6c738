//! 导出: the concern ledger, meeting list and member activity of a period as
//! CSV or XLSX, and the concerns as Open311 GeoReport v2 JSON — all made on
//! the phone by `linli_shared::export`, then handed to the browser as a file.

use super::data::{meetings_memo, use_ledger_state, visits_memo};
use crate::clock::now_ms;
use crate::community::{use_community, CommunityView};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use linli_shared::domain::{activity_in, raised_in, MeetingRef, Period, Visit};
use linli_shared::export::{
    activity_table, concern_table, georeport_v2, meeting_table, to_csv, to_xlsx, Names, Table,
};
use linli_shared::sort;
use wasm_bindgen::JsCast;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Offers `bytes` as a download named `name`.
fn download(name: &str, bytes: &[u8], mime: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let doc = document();
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    doc.body()?.append_child(&a).ok()?;
    a.click();
    a.remove();
    // Let the download start before the URL goes away.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)
        .ok()?;
    Some(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Ledger,
    Meetings,
    Activity,
}

fn table(
    which: Which,
    c: &CommunityView,
    visits: &[Visit],
    meetings: &[MeetingRef],
    p: &Period,
) -> Table {
    let names = Names {
        members: &c.members,
        units: &c.units,
    };
    match which {
        Which::Ledger => concern_table(&raised_in(&c.concerns, p), &names),
        Which::Meetings => {
            let mut list: Vec<&MeetingRef> = meetings
                .iter()
                .filter(|m| p.contains(m.starts_at))
                .collect();
            sort::sort_by_key(&mut list, |m| m.starts_at);
            meeting_table(&list, &names)
        }
        Which::Activity => activity_table(&activity_in(&c.concerns, visits, meetings, p), &names),
    }
}

#[component]
pub fn ExportScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let visits = visits_memo();
    let meetings = meetings_memo();
    let state = use_ledger_state();
    let build = move |which: Which| {
        let p = state.span.get_untracked().period(now_ms());
        community.0.with_untracked(|c| {
            visits.with_untracked(|v| meetings.with_untracked(|m| table(which, c, v, m, &p)))
        })
    };
    let stem = move |what: &str| format!("{what}-{}", state.span.get_untracked().code());
    let rows = move |which: Which| {
        state.span.track();
        community.0.track();
        build(which).rows.len()
    };
    let item = move |which: Which,
                     label: fn(&crate::i18n::Strings) -> &'static str,
                     key: &'static str| {
        view! {
            <li class="export-item" data-testid=format!("export-{key}")>
                <div class="export-head">
                    <strong>{move || i18n.t(label)}</strong>
                    <span class="muted small" data-testid="rows" data-rows=move || rows(which)>
                        {move || i18n.t(|s| s.ledger.export_rows.of(rows(which)))}
                    </span>
                </div>
                <div class="action-row">
                    <button type="button" data-testid=format!("csv-{key}") on:click=move |_| {
                        let t = build(which);
                        download(&format!("{}.csv", stem(&t.name)), to_csv(&t).as_bytes(), "text/csv;charset=utf-8");
                    }>"CSV"</button>
                    <button type="button" data-testid=format!("xlsx-{key}") on:click=move |_| {
                        let t = build(which);
                        download(&format!("{}.xlsx", stem(&t.name)), &to_xlsx(&[&t]), XLSX);
                    }>"XLSX"</button>
                </div>
            </li>
        }
    };
    let all_xlsx = move |_| {
        let (a, b, c) = (
            build(Which::Ledger),
            build(Which::Meetings),
            build(Which::Activity),
        );
        download(
            &format!("{}.xlsx", stem(i18n.t(|s| s.ledger.export_file))),
            &to_xlsx(&[&a, &b, &c]),
            XLSX,
        );
    };
    let open311 = move |_| {
        let p = state.span.get_untracked().period(now_ms());
        let json = community.0.with_untracked(|c| {
            let names = Names {
                members: &c.members,
                units: &c.units,
            };
            georeport_v2(&raised_in(&c.concerns, &p), &names)
        });
        download(
            &format!("{}.json", stem("requests")),
            json.as_bytes(),
            "application/json",
        );
    };
    view! {
        <section class="card" data-testid="export">
            <h2>{move || i18n.t(|s| s.ledger.export_title)}</h2>
            <p class="muted small">{move || i18n.t(|s| s.ledger.export_note)}</p>
            <ul class="plain-list">
                {item(Which::Ledger, |s| s.ledger.export_ledger, "ledger")}
                {item(Which::Meetings, |s| s.ledger.export_meetings, "meetings")}
                {item(Which::Activity, |s| s.ledger.export_activity, "activity")}
            </ul>
            <button type="button" class="primary" data-testid="xlsx-all" on:click=all_xlsx>
                {move || i18n.t(|s| s.ledger.export_all)}
            </button>
            <button type="button" data-testid="open311" on:click=open311>
                {move || i18n.t(|s| s.ledger.export_open311)}
            </button>
        </section>
    }
}
