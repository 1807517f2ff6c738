//! Every button that writes goes through `app/src/write.rs` (the `Writer`): it
//! ignores a second tap while the first runs and shows a refusal translated,
//! beside its field (issue 16). The browser test `trust.rs` double-taps a sample
//! of buttons; this check keeps the rest honest by refusing any other code
//! path in the app that applies a change to a document.

use std::path::{Path, PathBuf};

/// Files that may apply changes themselves, and why.
const ALLOWED: [(&str, &str); 5] = [
    ("write.rs", "the Writer itself"),
    ("workspace.rs", "the store and sync under the Writer"),
    (
        "sync/socket.rs",
        "the sync adapter, applying what the relay sends",
    ),
    (
        "session/start.rs",
        "creating a community: one guarded tap on the start screen",
    ),
    (
        "views/meetings/notes.rs",
        "live typing in the notes: every keystroke is a change, not a button",
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read app/src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_writer_applies_changes() {
    let src = linli_tests::workspace_root().join("app/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 30,
        "found the app's sources in {}",
        src.display()
    );
    let mut found = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .expect("under app/src")
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED.iter().any(|(allowed, _)| *allowed == rel) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            if line.contains(".apply(") || line.contains(".with_doc_mut(") {
                found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "these apply changes outside the Writer (a double tap would write twice):\n{}",
        found.join("\n")
    );
}
