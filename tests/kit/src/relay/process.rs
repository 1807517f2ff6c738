//! A running `linli-relay`, started by [`RelayBuilder`](super::RelayBuilder): its addresses,
//! its output, its memory, and how it stops.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::builder::RelayBuilder;
use super::proc_stats;

/// A running relay; killed (SIGKILL) when dropped.
pub struct RelayProcess {
    child: Child,
    data: PathBuf,
    /// `http://127.0.0.1:<port>`
    pub http_url: String,
    output: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
    _temp: Option<tempfile::TempDir>,
}

impl RelayProcess {
    /// A relay with its store in `data`, open registration, serving nothing.
    pub fn start(data: &Path) -> RelayProcess {
        RelayBuilder::new(data).start()
    }

    /// A relay with its store in `data` serving the built app (the browser tests).
    pub fn serving_app(data: &Path) -> RelayProcess {
        RelayBuilder::new(data).serving_app().start()
    }

    /// Starts a relay configured by `builder`, waiting until it reports its address.
    pub(super) fn spawn(
        builder: &RelayBuilder,
        data: &Path,
        dist: &Path,
        temp: Option<tempfile::TempDir>,
    ) -> RelayProcess {
        let mut command = Command::new(&builder.binary);
        command
            .args(["--addr", "127.0.0.1:0"])
            .arg("--data")
            .arg(data)
            .arg("--dist")
            .arg(dist);
        match &builder.admin_token {
            Some(token) => command.arg(format!("--admin-token={token}")),
            None => command.arg("--open-registration"),
        };
        if builder.credential_in_url {
            // An environment variable, not the flag: older builds (benchmarks) ignore it.
            command.env("LINLI_ALLOW_CREDENTIAL_IN_URL", "true");
        }
        command
            .args(&builder.args)
            .envs(builder.env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", &builder.rust_log)
            .stdout(Stdio::piped())
            .stderr(if builder.keep_stderr {
                Stdio::piped()
            } else {
                Stdio::inherit()
            });
        let mut child = command.spawn().expect("starting linli-relay");
        let output = Arc::new(Mutex::new(String::new()));
        let mut readers = Vec::new();
        if let Some(stderr) = child.stderr.take() {
            let output = output.clone();
            readers.push(std::thread::spawn(move || {
                collect(BufReader::new(stderr), &output)
            }));
        }
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout_output = output.clone();
        readers.push(std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let mut line = String::new();
            let _ = stdout.read_line(&mut line);
            stdout_output.lock().unwrap().push_str(&line);
            let _ = tx.send(line);
            // Keep reading: a closed pipe would fail the relay's later writes.
            collect(stdout, &stdout_output);
        }));
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("linli-relay did not report its address within 30 s");
        let http_url = line
            .trim()
            .strip_prefix("linli-relay listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from linli-relay: {line:?}"))
            .to_string();
        RelayProcess {
            child,
            data: data.to_path_buf(),
            http_url,
            output,
            readers,
            _temp: temp,
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.http_url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port in the relay's address")
    }

    /// Its data directory.
    pub fn data(&self) -> &Path {
        &self.data
    }

    /// What the relay has written so far: stdout, and stderr if started with
    /// [`RelayBuilder::logging`].
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Everything the relay wrote, once it has exited (after [`RelayProcess::terminate`]).
    pub fn final_output(mut self) -> String {
        let _ = self.child.wait();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        self.output()
    }

    /// `ws://127.0.0.1:<port>/sync?token=…` of a member of this data directory's test
    /// community (registered on first use).
    pub fn sync_url(&self) -> String {
        let credential = crate::api::test_credential(&self.http_url, &self.data);
        self.sync_url_with(&credential)
    }

    /// `ws://127.0.0.1:<port>/sync?token=<credential>`
    pub fn sync_url_with(&self, credential: &str) -> String {
        let base = self.http_url.replacen("http://", "ws://", 1);
        format!("{base}/sync?token={credential}")
    }

    /// `ws://127.0.0.1:<port>/sync?ticket=<ticket>`, with a fresh one-use ticket for
    /// `credential` (how the app connects).
    pub fn ticket_url(&self, credential: &str) -> String {
        let ticket = crate::api::ApiClient::new(&self.http_url)
            .sync_ticket(credential)
            .ok()
            .ticket;
        self.ticket_url_with(&ticket)
    }

    /// `ws://127.0.0.1:<port>/sync?ticket=<ticket>`
    pub fn ticket_url_with(&self, ticket: &str) -> String {
        let base = self.http_url.replacen("http://", "ws://", 1);
        format!("{base}/sync?ticket={ticket}")
    }

    /// SIGTERM, then waits up to `within` for the process to exit; true if it did.
    pub fn terminate(&mut self, within: Duration) -> bool {
        let pid = self.pid().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "sending SIGTERM");
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory (VmRSS) in MiB; NaN once the process is gone.
    pub fn rss_mib(&self) -> f64 {
        proc_stats::status_mib(self.pid(), "VmRSS:")
    }

    /// Peak resident memory so far (VmHWM) in MiB; NaN once the process is gone.
    pub fn peak_rss_mib(&self) -> f64 {
        proc_stats::status_mib(self.pid(), "VmHWM:")
    }

    /// User + system CPU seconds used so far.
    pub fn cpu_secs(&self) -> f64 {
        proc_stats::cpu_secs(self.pid())
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(mut self) {
        self.kill_now();
    }

    fn kill_now(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
