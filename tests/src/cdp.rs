//! Chrome DevTools commands through chromedriver (`goog/cdp/execute`), for
//! what WebDriver lacks: CPU and network throttling, cache control, scripts run before a
//! page's own.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};

#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

pub async fn execute(client: &Client, cmd: &'static str, params: Value) -> Value {
    client
        .issue_cmd(Cdp { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
}

/// Slows the page's CPU by `rate` (4 = a cheap phone, as Lighthouse does).
pub async fn throttle_cpu(client: &Client, rate: f64) {
    execute(
        client,
        "Emulation.setCPUThrottlingRate",
        json!({ "rate": rate }),
    )
    .await;
}

/// Emulates a CSS media type (`print`), or none (`""`).
pub async fn emulate_media(client: &Client, media: &str) {
    execute(
        client,
        "Emulation.setEmulatedMedia",
        json!({ "media": media }),
    )
    .await;
}

/// Empties the browser's HTTP cache (not the service worker's Cache Storage): a cheap
/// phone evicts it soon, so an offline start must not depend on it.
pub async fn clear_http_cache(client: &Client) {
    execute(client, "Network.clearBrowserCache", json!({})).await;
}

/// Slows the page's network as DevTools does (per request, in the browser): `latency_ms`
/// added to every request, downloads and uploads limited to `down_bps` / `up_bps` bits per
/// second. Lasts across the tab's navigations; `cache_disabled` makes each load a fresh one.
pub async fn throttle_network(
    client: &Client,
    latency_ms: f64,
    down_bps: f64,
    up_bps: f64,
    cache_disabled: bool,
) {
    execute(client, "Network.enable", json!({})).await;
    execute(
        client,
        "Network.setCacheDisabled",
        json!({ "cacheDisabled": cache_disabled }),
    )
    .await;
    execute(
        client,
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": latency_ms,
            // CDP takes bytes per second.
            "downloadThroughput": down_bps / 8.0,
            "uploadThroughput": up_bps / 8.0,
        }),
    )
    .await;
}

/// Runs `source` in every document this tab opens from now on, before the page's own
/// scripts (DevTools' scripts are not subject to the page's CSP).
pub async fn on_new_document(client: &Client, source: &str) {
    execute(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": source }),
    )
    .await;
}
