//! The JS `@automerge/automerge-repo` peer of the interop tests: `node tests/js/interop.mjs
//! <mode> <relay url> <arg>` with the pinned packages `scripts/tools.sh` installs into
//! `~/.cache/linli-tools` (or `$LINLI_TOOLS`). Fails, never skips, without them.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::process::Command;

const PACKAGES: [&str; 2] = [
    "@automerge/automerge-repo",
    "@automerge/automerge-repo-network-websocket",
];

/// Where the JS tools are installed.
pub fn tools_dir() -> PathBuf {
    std::env::var_os("LINLI_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/linli-tools")
        })
}

/// The interop script in `mode` against the relay at `http_url` as the member holding
/// `credential`, its stdin and stdout piped, after checking that node and the packages are
/// there.
pub fn interop_script(http_url: &str, credential: &str, mode: &str, arg: &str) -> Command {
    let version = std::process::Command::new("node").arg("--version").output();
    assert!(
        version.is_ok_and(|v| v.status.success()),
        "node is not installed: the JS interop test needs node (run scripts/tools.sh)"
    );
    let tools = tools_dir();
    for package in PACKAGES {
        let manifest = tools
            .join("node_modules")
            .join(package)
            .join("package.json");
        assert!(
            manifest.is_file(),
            "{package} is missing from {}/node_modules: run scripts/tools.sh",
            tools.display()
        );
    }
    let script = crate::relay::workspace_root().join("tests/js/interop.mjs");
    let mut command = Command::new("node");
    command
        .arg(script)
        .args([mode, http_url, arg])
        .env("LINLI_TOOLS", &tools)
        .env("LINLI_CREDENTIAL", credential)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    command
}
