//! For the 台账 (committee view) tests: files the app downloads land in a
//! folder the test reads (Chrome's download behaviour set over CDP), and a
//! check that the service worker holds the app shell before the network goes.

use crate::steps::PAGE;
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
        PAGE,
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
