//! The resident pages' HTML: one small document each (inline style and script, allowed by
//! their hashes), every value escaped, nothing fetched but the page itself.

use std::sync::LazyLock;

use axum::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use linli_i18n::resident::ResidentStrings;
use linli_i18n::Lang;
use linli_shared::domain::{Category, Level, TrackedStatus, TrackedStep, Tracking};
use linli_shared::export::datetime_china;
use sha2::{Digest, Sha256};

use super::form::ReportForm;

const STYLE: &str = "body{font:18px/1.5 system-ui,sans-serif;margin:0 auto;max-width:30em;\
padding:12px;color:#1a1a1a}h1{font-size:1.4em;margin:.2em 0}label{display:block;\
margin:.8em 0 .2em;font-weight:600}textarea,select,input{font:inherit;width:100%;\
box-sizing:border-box;padding:.4em}button{font:inherit;width:100%;margin:1em 0;\
padding:.6em;background:#b3261e;color:#fff;border:0;border-radius:6px}\
button:disabled{opacity:.6}.note{color:#444;font-size:.9em}.error{color:#b3261e;\
font-weight:600}.ok{color:#1b5e20;font-weight:600}ol{padding-left:1.2em}\
.stars label{display:block;font-weight:400;margin:.5em 0;padding:.7em;border:1px solid #999;\
border-radius:6px}.stars input{width:1.4em;height:1.4em;vertical-align:middle;margin-right:.6em}\
.status{font-size:1.2em;font-weight:700}.said{white-space:pre-wrap;background:#f4f4f4;\
padding:.6em;border-radius:6px}";

/// Scales the chosen photo down on the phone (JPEG, 1280 px on the long side) and keeps a
/// double tap from sending twice. Without it the form still posts.
const SCRIPT: &str = "(function(){var f=document.querySelector('form');if(!f)return;\
var b=f.querySelector('button'),p=f.querySelector('input[type=file]'),busy=0;\
f.addEventListener('submit',function(e){if(busy){e.preventDefault();return}b.disabled=true});\
window.addEventListener('pageshow',function(){busy=0;b.disabled=false});\
if(!p||!window.DataTransfer||!window.createImageBitmap)return;\
p.addEventListener('change',function(){var x=p.files[0];if(!x)return;busy=1;b.disabled=true;\
createImageBitmap(x).then(function(i){var s=Math.min(1,1280/Math.max(i.width,i.height)),\
c=document.createElement('canvas');c.width=Math.round(i.width*s);c.height=Math.round(i.height*s);\
c.getContext('2d').drawImage(i,0,0,c.width,c.height);\
return new Promise(function(r){c.toBlob(r,'image/jpeg',0.8)})}).then(function(y){\
if(y){var d=new DataTransfer();d.items.add(new File([y],'photo.jpg',{type:'image/jpeg'}));\
p.files=d.files}}).catch(function(){}).then(function(){busy=0;b.disabled=false})})})();";

static POLICY: LazyLock<HeaderValue> = LazyLock::new(|| {
    let hash = |s: &str| STANDARD.encode(Sha256::digest(s.as_bytes()));
    let policy = format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; img-src 'self' data:; \
         form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        hash(STYLE),
        hash(SCRIPT)
    );
    HeaderValue::from_str(&policy).expect("ASCII")
});

/// Text safe inside HTML text and double-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `template` with `{0}` replaced by `value` (escaped).
fn fill(template: &str, value: &str) -> String {
    esc(template).replace("{0}", &esc(value))
}

/// A whole page, never stored by a cache: tracking pages are private, and a form refilled
/// after a refusal holds what the resident wrote (name and phone too).
pub fn page(status: StatusCode, t: &ResidentStrings, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><link rel=\"icon\" href=\"data:,\">\
         <title>{}</title>\
         <style>{STYLE}</style></head><body>{body}<script>{SCRIPT}</script></body></html>",
        t.html_lang,
        esc(title),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CONTENT_SECURITY_POLICY, POLICY.clone());
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A page that only says something (unknown or revoked link, unknown tracking token).
pub fn message(status: StatusCode, t: &ResidentStrings, text: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p class=\"error\">{}</p>",
        esc(t.report_title),
        esc(text)
    );
    page(status, t, t.report_title, &body)
}

/// The report form for `place`, filled with what the resident wrote (after a refusal).
pub fn report_form(
    lang: Lang,
    place: &str,
    filled: &ReportForm,
    nonce: &str,
    error: Option<&str>,
) -> String {
    let t = linli_i18n::resident::strings(lang);
    let names = lang.strings().concern;
    let chosen = filled.category.unwrap_or(Category::Other);
    let options: String = Category::ALL
        .iter()
        .map(|c| {
            let selected = if *c == chosen { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{selected}>{}</option>",
                c.as_str(),
                esc(names.category(*c))
            )
        })
        .collect();
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    format!(
        "<h1>{title}</h1><p class=\"note\">{to}</p>{error}\
         <form method=\"post\" enctype=\"multipart/form-data\">\
         <input type=\"hidden\" name=\"nonce\" value=\"{nonce}\">\
         <label for=\"text\">{text_label}</label>\
         <textarea id=\"text\" name=\"text\" rows=\"5\" maxlength=\"2000\" required \
         placeholder=\"{hint}\">{text}</textarea>\
         <label for=\"category\">{category_label}</label>\
         <select id=\"category\" name=\"category\">{options}</select>\
         <label for=\"name\">{name_label}</label>\
         <input id=\"name\" name=\"name\" maxlength=\"20\" autocomplete=\"name\" value=\"{name}\">\
         <label for=\"phone\">{phone_label}</label>\
         <input id=\"phone\" name=\"phone\" type=\"tel\" maxlength=\"20\" autocomplete=\"tel\" \
         value=\"{phone}\"><p class=\"note\">{notice}</p>\
         <label for=\"photo\">{photo_label}</label>\
         <input id=\"photo\" name=\"photo\" type=\"file\" accept=\"image/*\">\
         <button type=\"submit\">{submit}</button></form>",
        title = esc(t.report_title),
        to = fill(t.report_to, place),
        nonce = esc(nonce),
        text_label = esc(t.text_label),
        hint = esc(t.text_hint),
        text = esc(&filled.text),
        category_label = esc(t.category_label),
        name_label = esc(t.name_label),
        name = esc(&filled.name),
        phone_label = esc(t.phone_label),
        phone = esc(&filled.phone),
        notice = esc(t.contact_notice),
        photo_label = esc(t.photo_label),
        submit = esc(t.submit),
    )
}

/// The tracking page's body.
pub fn tracking_page(
    lang: Lang,
    tracked: &Tracking,
    notice: Option<&str>,
    error: Option<&str>,
) -> String {
    let t = linli_i18n::resident::strings(lang);
    let level = |l: Level| lang.strings().concern.level(l);
    let status = match tracked.status {
        TrackedStatus::Waiting(Level::Neighbour | Level::Group) => esc(t.waiting),
        TrackedStatus::Waiting(l) => fill(t.waiting_at, level(l)),
        TrackedStatus::InHand(l) => fill(t.in_hand, level(l)),
        TrackedStatus::Resolved => esc(t.resolved),
        TrackedStatus::Closed => esc(t.closed),
        TrackedStatus::SetAside => esc(t.set_aside),
    };
    let steps: String = tracked
        .steps
        .iter()
        .map(|(at, step)| {
            let what = match step {
                TrackedStep::Received => esc(t.step_received),
                TrackedStep::Claimed => esc(t.step_claimed),
                TrackedStep::Escalated(l) => fill(t.step_escalated, level(*l)),
                TrackedStep::Resolved(summary) if !summary.is_empty() => {
                    format!("{}：{}", esc(t.step_resolved), esc(summary))
                }
                TrackedStep::Resolved(_) => esc(t.step_resolved),
                TrackedStep::Rated { stars, by_resident } => {
                    let template = if *by_resident {
                        t.step_rated_by_you
                    } else {
                        t.step_rated_for_you
                    };
                    fill(template, &stars.to_string())
                }
                TrackedStep::Reopened => esc(t.step_reopened),
                TrackedStep::SetAside { duplicate: true } => esc(t.step_duplicate),
                TrackedStep::SetAside { duplicate: false } => esc(t.step_set_aside),
            };
            format!("<li><time>{}</time> {what}</li>", datetime_china(*at))
        })
        .collect();
    let notice = notice
        .map(|n| format!("<p class=\"ok\" role=\"status\">{}</p>", esc(n)))
        .unwrap_or_default();
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    // An error about the rating is shown beside the stars, where the resident is looking.
    let (error, rating_error) = match tracked.may_rate {
        true => (String::new(), error),
        false => (error, String::new()),
    };
    let rating = if tracked.may_rate {
        let stars: String = (1..=5)
            .rev()
            .map(|n| {
                format!(
                    "<label><input type=\"radio\" name=\"stars\" value=\"{n}\"> {n}★ {}</label>",
                    esc(t.star_names[n - 1])
                )
            })
            .collect();
        format!(
            "<h2>{}</h2><form method=\"post\">{rating_error}<fieldset class=\"stars\"><legend>{}</legend>{stars}\
             </fieldset><label for=\"comment\">{}</label>\
             <textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"500\"></textarea>\
             <button type=\"submit\">{}</button></form>",
            esc(t.rate_title),
            esc(t.stars_label),
            esc(t.comment_label),
            esc(t.rate_submit)
        )
    } else {
        String::new()
    };
    format!(
        "<h1>{}</h1>{notice}{error}<p class=\"said\">{}</p>\
         <p>{}：<span class=\"status\" data-testid=\"status\">{status}</span></p>\
         <h2>{}</h2><ol>{steps}</ol>{rating}",
        esc(t.tracking_title),
        esc(&tracked.text),
        esc(t.status_label),
        esc(t.steps_label),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_what_residents_write_is_shown_as_text() {
        assert_eq!(
            esc("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
        let filled = ReportForm {
            text: "</textarea><script>alert(1)</script>".into(),
            name: "\"><img src=x onerror=alert(1)>".into(),
            ..ReportForm::default()
        };
        let html = report_form(Lang::ZhHans, "<b>一邻</b>", &filled, "n", None);
        assert!(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>"));
        assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;"));
    }
}
