//! The real `linli-relay` binary, started on a free port with a given data directory.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// A running relay; killed (SIGKILL) when dropped.
pub struct RelayProcess {
    child: Option<Child>,
    data: PathBuf,
    /// `http://127.0.0.1:<port>`
    pub http_url: String,
    output: Arc<Mutex<String>>,
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

    /// Starts the relay (open registration) with `RUST_LOG=rust_log`, keeping its stderr as
    /// well as its stdout for [`RelayProcess::output`].
    pub fn start_logging(data: &Path, rust_log: &str) -> RelayProcess {
        let dist = data.join("dist-unused");
        RelayProcess::spawn_logging(data, &dist, &["--open-registration"], rust_log, true)
    }

    fn spawn(data: &Path, dist: &Path, extra: &[&str]) -> RelayProcess {
        RelayProcess::spawn_logging(data, dist, extra, "warn", false)
    }

    fn spawn_logging(
        data: &Path,
        dist: &Path,
        extra: &[&str],
        rust_log: &str,
        keep_stderr: bool,
    ) -> RelayProcess {
        let stderr = if keep_stderr {
            Stdio::piped()
        } else {
            Stdio::inherit()
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_linli-relay"))
            .args(["--addr", "127.0.0.1:0"])
            .arg("--data")
            .arg(data)
            .arg("--dist")
            .arg(dist)
            .args(extra)
            .env("RUST_LOG", rust_log)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("starting linli-relay");
        let output = Arc::new(Mutex::new(String::new()));
        if let Some(stderr) = child.stderr.take() {
            let output = output.clone();
            std::thread::spawn(move || collect(BufReader::new(stderr), &output));
        }
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout_output = output.clone();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let mut line = String::new();
            let _ = stdout.read_line(&mut line);
            stdout_output.lock().unwrap().push_str(&line);
            let _ = tx.send(line);
            // Keep reading: a closed pipe would fail the relay's later writes.
            collect(stdout, &stdout_output);
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
            output,
        }
    }

    /// What the relay has written so far: stdout, and stderr if started by
    /// [`RelayProcess::start_logging`].
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
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
            output: Arc::default(),
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

/// Appends everything `from` yields to `into`, as lossy UTF-8, until end of stream.
fn collect(mut from: impl std::io::Read, into: &Mutex<String>) {
    let mut buf = [0u8; 8192];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            return;
        }
        into.lock()
            .unwrap()
            .push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        self.kill_now();
    }
}
