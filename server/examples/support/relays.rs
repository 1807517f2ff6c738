//! Starting the relays under test as child processes, and reading their memory and CPU.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A relay process; killed when dropped.
pub struct RelayChild {
    pub name: &'static str,
    child: Child,
    /// The WebSocket URL clients connect to.
    pub url: String,
    /// Ours only: its HTTP address (for `/metrics`).
    pub http_url: Option<String>,
    _data: Option<tempfile::TempDir>,
}

impl RelayChild {
    /// `linli-relay` on a free loopback port with a fresh data directory (in `data_in`, else
    /// the system temp dir), open registration, and one registered community whose admin
    /// credential is in [`RelayChild::url`]: every load document becomes that community's.
    pub fn ours(bin: &Path, data_in: Option<&Path>) -> RelayChild {
        RelayChild::ours_with(bin, data_in, &[])
    }

    /// [`RelayChild::ours`] with extra command line arguments. Every load client is the same
    /// member, so a relay that limits sockets per member is started without that limit.
    pub fn ours_with(bin: &Path, data_in: Option<&Path>, extra: &[&str]) -> RelayChild {
        let mut extra = extra.to_vec();
        if supports(bin, "--max-sockets-per-member") {
            extra.extend(["--max-sockets-per-member", "1000000"]);
        }
        let data = match data_in {
            Some(dir) => tempfile::tempdir_in(dir),
            None => tempfile::tempdir(),
        }
        .expect("temp dir");
        let dist = data.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        let mut command = Command::new(bin);
        command
            .args(["--addr", "127.0.0.1:0", "--open-registration"])
            .arg("--data")
            .arg(data.path().join("data"))
            .arg("--dist")
            .arg(&dist)
            .args(&extra)
            .env("RUST_LOG", "warn");
        let (child, line) = spawn(command);
        let http = line
            .strip_prefix("linli-relay listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from linli-relay: {line:?}"));
        let credential = crate::api::test_credential(http, &data.path().join("data"));
        RelayChild {
            name: "linli-relay",
            child,
            url: format!(
                "{}/sync?token={credential}",
                http.replacen("http://", "ws://", 1)
            ),
            http_url: Some(http.to_string()),
            _data: Some(data),
        }
    }

    /// The reference JS relay (`tests/js/js_relay.mjs` on node).
    pub fn js(script: &Path) -> RelayChild {
        let mut command = Command::new("node");
        command.arg(script).arg("0");
        let (child, line) = spawn(command);
        let url = line
            .strip_prefix("js-relay listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from js_relay.mjs: {line:?}"));
        RelayChild {
            name: "js-relay",
            child,
            url: url.to_string(),
            http_url: None,
            _data: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory (VmRSS) in MiB.
    pub fn rss_mib(&self) -> f64 {
        status_mib(self.pid(), "VmRSS:")
    }

    /// Peak resident memory so far (VmHWM) in MiB; NaN once the process is gone.
    pub fn peak_rss_mib(&self) -> f64 {
        status_mib(self.pid(), "VmHWM:")
    }

    /// User + system CPU seconds used so far.
    pub fn cpu_secs(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
        let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (ticks(11) + ticks(12)) / 100.0 // utime, stime (fields 14, 15); USER_HZ = 100
    }
}

impl Drop for RelayChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` with stdin piped (the JS relay exits when it closes) and returns its
/// first stdout line.
fn spawn(mut command: Command) -> (Child, String) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {command:?}: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("reading the relay's first line");
    (child, line.trim().to_string())
}

/// Whether `bin --help` lists `option` (older builds lack some).
pub fn supports(bin: &Path, option: &str) -> bool {
    Command::new(bin)
        .arg("--help")
        .output()
        .is_ok_and(|h| String::from_utf8_lossy(&h.stdout).contains(option))
}

/// A `/proc/<pid>/status` field given in kB, in MiB (NaN if unreadable).
pub fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The 1-minute load average.
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}
