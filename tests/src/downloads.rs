//! For the 台账 (committee view) tests: files the app downloads land in a
//! folder the test reads (Chrome's download behaviour set over CDP), and a
//! check that the service worker holds the app shell before the network goes.

use crate::flows::LONG;
use crate::{cdp, eventually, Browser};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Lets the page download files into `dir` without asking.
pub async fn allow_downloads(b: &Browser, dir: &Path) {
    cdp::execute(
        &b.client,
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": dir.display().to_string(), "eventsEnabled": false }),
    )
    .await;
}

/// Waits for a finished download whose name ends with `suffix` (Chrome writes
/// `*.crdownload` until it is complete) and returns its path.
pub async fn wait_download(dir: &Path, suffix: &str) -> PathBuf {
    eventually(
        LONG,
        &format!("a download ending {suffix:?} in {}", dir.display()),
        || async {
            let entries = std::fs::read_dir(dir).ok()?;
            entries.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(suffix) && !n.ends_with(".crdownload"))
                    && std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
            })
        },
    )
    .await
}

/// The service worker controls the page and holds the app shell, wasm included.
pub async fn wait_offline_ready(b: &Browser) {
    eventually(LONG, &format!("{} has the app shell cached", b.name), || async {
        let v = b
            .client
            .execute_async(
                "const done = arguments[0];
                 if (!navigator.serviceWorker.controller) return done(false);
                 caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
                   .then(lists => { const keys = lists.flat();
                     done(keys.some(r => r.url.endsWith('.wasm')) && keys.some(r => new URL(r.url).pathname === '/')); })
                   .catch(() => done(false));",
                vec![],
            )
            .await
            .ok()?;
        v.as_bool().unwrap_or(false).then_some(())
    })
    .await;
}
