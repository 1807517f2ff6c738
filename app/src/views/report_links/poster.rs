//! One report link's QR code and its printable A4 poster: 扫码反映问题, the place, the
//! representative who made it, the QR code (the relay's origin and `report_page_path`), how
//! it works and who sees what residents write. Printing shows the poster alone (print CSS in
//! style/report.css: everything else is `no-print`).

use crate::community::use_community;
use crate::i18n::concern::fill;
use crate::i18n::use_i18n;
use crate::qr;
use crate::sync::api::ReportLinkRow;
use crate::views::share_link::ShareButtons;
use leptos::prelude::*;
use linli_shared::api::report_page_path;

/// What the QR code holds: this relay's origin and the link's page.
pub fn report_url(token: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{}", report_page_path(token))
}

#[component]
pub fn Poster(row: ReportLinkRow, just_made: bool, close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let url = report_url(&row.token);
    let svg = qr::svg(&url).unwrap_or_default();
    let (place, maker) = (row.place.clone(), row.made_by.clone());
    let place_name = move || community.0.with(|c| c.place_path(&place));
    let rep = move || {
        let s = i18n.lang().strings();
        community.0.with(|c| {
            c.member(&maker).map(|m| {
                let name = linli_shared::privacy::mask_phones(&m.name);
                fill(s.report.poster_rep, &[s.concern.role(m.role), &name])
            })
        })
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        {just_made.then(|| view! {
            <p class="banner banner-ok no-print" role="status" data-testid="report-link-made">{move || i18n.t(|s| s.report.made)}</p>
        })}
        <div class="invite-actions no-print">
            <button type="button" class="primary" data-testid="print-poster" on:click=print>{move || i18n.t(|s| s.report.print)}</button>
            <button type="button" data-testid="close-poster" on:click=move |_| close.run(())>{move || i18n.t(|s| s.report.close_poster)}</button>
        </div>
        <div class="no-print">
            <label for="report-url">{move || i18n.t(|s| s.report.link_label)}</label>
            <input id="report-url" readonly data-testid="report-url" prop:value=url.clone()/>
            <ShareButtons link=url.clone() input_id="report-url" testid="report" text=|s| s.report.share_text/>
        </div>
        <article class="poster" data-testid="poster" data-link=row.id.clone() data-url=url.clone()>
            <h1 class="poster-title">{move || i18n.t(|s| s.report.poster_title)}</h1>
            <p class="poster-place" data-testid="poster-place">{place_name}</p>
            <p class="poster-rep" data-testid="poster-rep">{rep}</p>
            <div class="qr" data-testid="report-qr" role="img" aria-label=move || i18n.t(|s| s.report.qr_label) inner_html=svg></div>
            <p class="poster-steps">{move || i18n.t(|s| s.report.poster_steps)}</p>
            <p class="poster-who" data-testid="poster-who">{move || i18n.t(|s| s.report.poster_who_sees)}</p>
        </article>
    }
}
