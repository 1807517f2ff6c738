//! A stand-in for the built app (`dist/`) for relay tests that serve it, in-process or as
//! the real binary: an index page, a service worker and one content-hashed script.

use std::fs;

/// The stand-in's `index.html`, with an inline module script as Trunk writes its bootstrap.
pub const INDEX: &str = "<!doctype html><title>邻里</title>\
    <script type=\"module\">import init from '/linli-app-0123456789abcdef.js';</script>";
/// The text of [`INDEX`]'s inline script (the relay's CSP allows it by hash).
pub const INDEX_SCRIPT: &str = "import init from '/linli-app-0123456789abcdef.js';";
/// A script named the way Trunk names them (content hash in the name).
pub const HASHED_JS: &str = "linli-app-0123456789abcdef.js";

/// A fresh directory holding [`INDEX`] as `index.html`, `sw.js` and [`HASHED_JS`]
/// (`export {}`).
pub fn app_shell() -> tempfile::TempDir {
    let dist = tempfile::tempdir().expect("temp dir");
    fs::write(dist.path().join("index.html"), INDEX).unwrap();
    fs::write(
        dist.path().join("sw.js"),
        "self.addEventListener('fetch', () => {})",
    )
    .unwrap();
    fs::write(dist.path().join(HASHED_JS), "export {}").unwrap();
    dist
}
