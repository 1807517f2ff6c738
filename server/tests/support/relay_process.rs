//! The real `linli-relay` binary, started on a free port with a given data directory.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running relay; killed (SIGKILL) when dropped.
pub struct RelayProcess {
    child: Option<Child>,
    data: PathBuf,
    /// `http://127.0.0.1:<port>`
    pub http_url: String,
}

impl RelayProcess {
    /// Starts the relay and waits until it listens.
    pub fn start(data: &Path) -> RelayProcess {
        RelayProcess::start_serving(data, &data.join("dist-unused"))
    }

    /// Starts the relay serving the app from `dist`.
    pub fn start_serving(data: &Path, dist: &Path) -> RelayProcess {
        RelayProcess::start_with(data, dist, &[])
    }

    /// Starts the relay with extra command line arguments (and open registration).
    pub fn start_with(data: &Path, dist: &Path, extra: &[&str]) -> RelayProcess {
        let mut args = vec!["--open-registration"];
        args.extend_from_slice(extra);
        RelayProcess::spawn(data, dist, &args)
    }

    fn spawn(data: &Path, dist: &Path, extra: &[&str]) -> RelayProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_linli-relay"))
            .args(["--addr", "127.0.0.1:0"])
            .arg("--data")
            .arg(data)
            .arg("--dist")
            .arg(dist)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting linli-relay");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("linli-relay did not report its address within 30 s");
        let http_url = line
            .trim()
            .strip_prefix("linli-relay listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from linli-relay: {line:?}"))
            .to_string();
        RelayProcess {
            child: Some(child),
            data: data.to_path_buf(),
            http_url,
        }
    }

    /// Starts the relay with registration closed, open only to `admin_token`.
    pub fn start_closed(data: &Path, admin_token: &str) -> RelayProcess {
        let token = format!("--admin-token={admin_token}");
        RelayProcess::spawn(data, &data.join("dist-unused"), &[&token])
    }

    /// A handle for a relay started elsewhere (its process is not owned: dropping does
    /// nothing).
    pub fn attach(http_url: &str, data: &Path) -> RelayProcess {
        RelayProcess {
            child: None,
            data: data.to_path_buf(),
            http_url: http_url.to_string(),
        }
    }

    /// `ws://127.0.0.1:<port>/sync?token=…` of a member of this data directory's test
    /// community (registered on first use).
    pub fn sync_url(&self) -> String {
        let credential = super::api::test_credential(&self.http_url, &self.data);
        self.sync_url_with(&credential)
    }

    /// `ws://127.0.0.1:<port>/sync?token=<credential>`
    pub fn sync_url_with(&self, credential: &str) -> String {
        let base = self.http_url.replacen("http://", "ws://", 1);
        format!("{base}/sync?token={credential}")
    }

    /// SIGTERM, then waits up to `within` for the process to exit; true if it did.
    pub fn terminate(mut self, within: Duration) -> bool {
        let pid = self
            .child
            .as_ref()
            .expect("an owned process")
            .id()
            .to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "sending SIGTERM");
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            if let Some(Ok(Some(_))) = self.child.as_mut().map(Child::try_wait) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The process id of an owned relay.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("an owned process").id()
    }

    /// The relay's peak resident memory so far (`VmHWM`), in MiB.
    pub fn peak_rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("reading the relay's /proc status");
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status");
        kib / 1024
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(mut self) {
        self.kill_now();
    }

    fn kill_now(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        self.kill_now();
    }
}
