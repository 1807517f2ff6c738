//! The reference JS relay (`tests/js/js_relay.mjs`, automerge-repo on node), for comparing.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::proc_stats;

/// The JS relay process; killed when dropped.
pub struct JsRelay {
    child: Child,
    /// The WebSocket URL clients connect to.
    pub url: String,
}

impl JsRelay {
    /// `node script 0`: a free port, reported on its first line. Its stdin stays piped (it
    /// exits when that closes).
    pub fn start(script: &Path) -> JsRelay {
        let mut child = Command::new("node")
            .arg(script)
            .arg("0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("starting node {}: {e}", script.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("reading the relay's first line");
        let url = line
            .trim()
            .strip_prefix("js-relay listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from js_relay.mjs: {line:?}"))
            .to_string();
        JsRelay { child, url }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory (VmRSS) in MiB.
    pub fn rss_mib(&self) -> f64 {
        proc_stats::status_mib(self.pid(), "VmRSS:")
    }

    /// User + system CPU seconds used so far.
    pub fn cpu_secs(&self) -> f64 {
        proc_stats::cpu_secs(self.pid())
    }
}

impl Drop for JsRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
