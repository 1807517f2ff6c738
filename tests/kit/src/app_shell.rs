//! A stand-in for the built app (`dist/`) for relay tests that serve it, in-process or as
//! the real binary: an index page, a service worker and one content-hashed script.

use std::fs;

/// The stand-in's `index.html`.
pub const INDEX: &str = "<!doctype html><title>邻里</title>";
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
