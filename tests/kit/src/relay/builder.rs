//! How a relay process is configured before it starts: one builder for the relay tests, the
//! browser tests and the benchmarks. [`RelayBuilder::start`] takes `&self`, so one builder can
//! start several nodes (each on its own port); a database URL can join the options here.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::process::RelayProcess;

/// `LINLI_RELAY_BIN`, else `linli-relay` in the cargo profile directory of the running
/// executable (tests run from `target/<profile>/deps/`, examples from
/// `target/<profile>/examples/`; cargo builds the relay binary for the server's own tests).
pub fn relay_binary() -> PathBuf {
    if let Ok(p) = std::env::var("LINLI_RELAY_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("own path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/<kind>/<exe>")
        .join("linli-relay")
}

/// The workspace root (the kit sits at `tests/kit`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/kit is two levels below the workspace root")
        .to_path_buf()
}

/// The built app the browser tests are served: `LINLI_DIST`, else `<workspace>/dist`.
pub fn app_dist() -> PathBuf {
    std::env::var("LINLI_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("dist"))
}

/// Whether `bin --help` lists `option` (older builds lack some).
pub fn supports(bin: &Path, option: &str) -> bool {
    Command::new(bin)
        .arg("--help")
        .output()
        .is_ok_and(|h| String::from_utf8_lossy(&h.stdout).contains(option))
}

/// Where the relay keeps its store.
#[derive(Clone, Debug)]
enum DataDir {
    Given(PathBuf),
    /// A fresh temporary directory (below this one, else the system's), removed when the
    /// process is dropped.
    Temporary(Option<PathBuf>),
}

/// A relay process to start: data directory, binary, what it serves, registration, extra
/// arguments and environment, logging.
#[derive(Clone, Debug)]
pub struct RelayBuilder {
    pub(super) binary: PathBuf,
    data: DataDir,
    dist: Option<PathBuf>,
    pub(super) admin_token: Option<String>,
    pub(super) args: Vec<String>,
    pub(super) env: Vec<(String, String)>,
    pub(super) rust_log: String,
    pub(super) keep_stderr: bool,
    /// `/sync?token=<credential>` accepted (`--allow-credential-in-url`), so a test can open
    /// many sockets from one URL; [`RelayBuilder::tickets_only`] tests the relay's default.
    pub(super) credential_in_url: bool,
}

impl RelayBuilder {
    /// The relay ([`relay_binary`]) with its store in `data`, open registration, a credential
    /// accepted in the sync URL, serving nothing, logging warnings to the test's stderr.
    pub fn new(data: &Path) -> RelayBuilder {
        RelayBuilder::with_data(DataDir::Given(data.to_path_buf()))
    }

    /// Like [`RelayBuilder::new`] with a fresh temporary data directory below `parent` (the
    /// system temp dir if `None`), removed with the process.
    pub fn temporary(parent: Option<&Path>) -> RelayBuilder {
        RelayBuilder::with_data(DataDir::Temporary(parent.map(Path::to_path_buf)))
    }

    fn with_data(data: DataDir) -> RelayBuilder {
        RelayBuilder {
            binary: relay_binary(),
            data,
            dist: None,
            admin_token: None,
            args: Vec::new(),
            env: Vec::new(),
            rust_log: "warn".into(),
            keep_stderr: false,
            credential_in_url: true,
        }
    }

    /// Another relay binary (a release build, an older build to compare).
    pub fn binary(mut self, bin: impl Into<PathBuf>) -> RelayBuilder {
        self.binary = bin.into();
        self
    }

    /// Serves the app from `dist`.
    pub fn serving(mut self, dist: &Path) -> RelayBuilder {
        self.dist = Some(dist.to_path_buf());
        self
    }

    /// Serves the built app ([`app_dist`]); fails clearly if it was not built.
    pub fn serving_app(self) -> RelayBuilder {
        let dist = app_dist();
        assert!(
            dist.join("index.html").exists(),
            "built app missing at {}: run `trunk build --release` first (scripts/test.sh does)",
            dist.display()
        );
        self.serving(&dist)
    }

    /// Registration closed, open only to `admin_token` (`--admin-token`).
    pub fn closed_registration(mut self, admin_token: &str) -> RelayBuilder {
        self.admin_token = Some(admin_token.to_string());
        self
    }

    /// Extra command line arguments.
    pub fn args<S: AsRef<str>>(mut self, args: &[S]) -> RelayBuilder {
        self.args
            .extend(args.iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// An environment variable for the process.
    pub fn env(mut self, key: &str, value: &str) -> RelayBuilder {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The relay's default: sockets open with a one-use ticket only, never with a credential
    /// in the URL.
    pub fn tickets_only(mut self) -> RelayBuilder {
        self.credential_in_url = false;
        self
    }

    /// `RUST_LOG=filter`, and the relay's stderr kept for [`RelayProcess::output`].
    pub fn logging(mut self, filter: &str) -> RelayBuilder {
        self.rust_log = filter.to_string();
        self.keep_stderr = true;
        self
    }

    /// For load runs, whose clients are all one member: no limit on sockets per member (on
    /// builds that have one).
    pub fn unlimited_sockets_per_member(self) -> RelayBuilder {
        if supports(&self.binary, "--max-sockets-per-member") {
            self.args(&["--max-sockets-per-member", "1000000"])
        } else {
            self
        }
    }

    /// Starts the process on a free loopback port and waits until it listens.
    pub fn start(&self) -> RelayProcess {
        assert!(
            self.binary.exists(),
            "relay binary {} missing: run `cargo build -p linli-server` first",
            self.binary.display()
        );
        let (data, temp) = match &self.data {
            DataDir::Given(dir) => (dir.clone(), None),
            DataDir::Temporary(parent) => {
                let temp = match parent {
                    Some(dir) => tempfile::tempdir_in(dir),
                    None => tempfile::tempdir(),
                }
                .expect("temp dir");
                (temp.path().join("data"), Some(temp))
            }
        };
        let dist = match &self.dist {
            Some(dist) => dist.clone(),
            None => data.join("dist-unused"),
        };
        RelayProcess::spawn(self, &data, &dist, temp)
    }
}
