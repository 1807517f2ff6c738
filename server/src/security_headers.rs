//! Security headers on the relay's answers: `X-Content-Type-Options: nosniff` and
//! `Referrer-Policy: no-referrer` on all of them (invite links carry their token in the URL
//! fragment; no Referer leaves the app anyway), and on HTML pages a `Content-Security-Policy`
//! that lets the Trunk-built wasm app run and nothing else: scripts from the relay itself
//! plus Trunk's inline bootstrap `<script type="module">`, allowed by its SHA-256 (read from
//! `index.html`, again whenever the file changes, since it names the build's hashed files).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::header::{
    HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for the app in `dist`, kept until `index.html` changes.
#[derive(Clone)]
pub struct AppPolicy {
    index: PathBuf,
    cached: Arc<Mutex<Option<(SystemTime, HeaderValue)>>>,
}

impl AppPolicy {
    pub fn new(index: PathBuf) -> Self {
        AppPolicy {
            index,
            cached: Arc::default(),
        }
    }

    fn current(&self) -> HeaderValue {
        let modified = std::fs::metadata(&self.index)
            .and_then(|m| m.modified())
            .ok();
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(modified), Some((at, value))) = (modified, cached.as_ref()) {
            if *at == modified {
                return value.clone();
            }
        }
        let html = std::fs::read_to_string(&self.index).unwrap_or_default();
        let value = HeaderValue::from_str(&content_security_policy(&html))
            .expect("the policy is ASCII without control characters");
        if let Some(modified) = modified {
            *cached = Some((modified, value.clone()));
        }
        value
    }
}

/// The `Content-Security-Policy` for a page whose HTML is `index_html`.
///
/// No `default-src`/`style-src`: the app sets inline styles, and styles cannot run code.
/// `'self'` in `connect-src` covers the same-origin `ws:`/`wss:` sync socket (CSP Level 3);
/// `blob:` lets a page read back the photos it made itself (object URLs are created by the
/// page and never name another origin).
pub fn content_security_policy(index_html: &str) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    for script in inline_scripts(index_html) {
        // Browsers hash the script as parsed: HTML turns CR LF and lone CR into LF.
        let text = script.replace("\r\n", "\n").replace('\r', "\n");
        let digest = STANDARD.encode(Sha256::digest(text.as_bytes()));
        scripts.push_str(&format!(" 'sha256-{digest}'"));
    }
    format!(
        "script-src {scripts}; connect-src 'self' blob:; img-src 'self' data: blob:; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The text of each `<script>` without a `src` in `html`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| i + from) {
        let Some(tag_end) = lower[start..].find('>').map(|i| i + start) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else {
            break;
        };
        let tag = &lower[start..tag_end];
        if !tag.contains(" src=") && !tag.contains("\tsrc=") && !tag.contains("\nsrc=") {
            found.push(&html[tag_end + 1..close]);
        }
        from = close;
    }
    found
}

/// Adds the headers (nothing on the `/sync` upgrade).
pub async fn security_headers(
    State(policy): State<AppPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let is_sync = request.uri().path() == "/sync";
    let mut response = next.run(request).await;
    if is_sync {
        return response;
    }
    let is_html = crate::http::is_html(&response);
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Pages that set their own policy (the resident pages, `crate::resident`) keep it.
    if is_html && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, policy.current());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn allows_the_inline_bootstrap_by_its_hash() {
        // `printf %s "$script" | openssl dgst -sha256 -binary | base64`
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/b.js\"></script></head>";
        let policy = content_security_policy(html);
        assert!(policy.starts_with(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-nmdLyQ6u69OUSoW4i7ADiAWaKqSloTkmbl/K96XORko=';"
        ), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
        assert!(!policy.contains("unsafe-inline"));
    }
}
