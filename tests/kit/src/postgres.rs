//! A throwaway PostgreSQL cluster for tests: `initdb` in a temp dir, a server on a free
//! port of 127.0.0.1 with trust auth for the user `linli`, and the crash (immediate stop)
//! and restart a durability test needs. Dropping it stops the server and deletes its files.
//!
//! The server binaries come from `$LINLI_PG_BIN` or the highest
//! `/usr/lib/postgresql/<N>/bin` that has `initdb` (`scripts/tools.sh` installs Debian's
//! `postgresql`). PostgreSQL refuses to run as root, so as root the server tools run as the
//! `postgres` system user (`runuser`) and the temp dir is chowned to it.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// The superuser `initdb` creates; every URL connects as it, without a password.
pub const USER: &str = "linli";

pub struct PgCluster {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl PgCluster {
    /// Creates and starts a cluster; panics (with the server log's tail) if anything fails.
    pub fn start() -> PgCluster {
        let bin = find_bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("linli-pg-")
            .tempdir()
            .expect("create a temp dir for PostgreSQL");
        let cluster = PgCluster {
            dir,
            bin,
            port: free_port(),
            as_postgres: running_as_root(),
        };
        if cluster.as_postgres {
            let mut chown = Command::new("chown");
            chown.arg("postgres:postgres").arg(cluster.dir());
            cluster.run(chown, "chown the temp dir to the postgres user");
        }
        let mut initdb = cluster.server_tool("initdb");
        initdb.arg("-D").arg(cluster.data_dir());
        initdb.args(["-A", "trust", "-U", USER, "-E", "UTF8"]);
        initdb.args(["--no-sync", "--locale=C"]);
        cluster.run(initdb, "initdb");
        cluster.pg_ctl_start();
        cluster
    }

    /// The port the server listens on (127.0.0.1), kept across [`PgCluster::restart`].
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory of the server binaries used (`psql`, `pg_dump`, … are there too).
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// The temp dir: the cluster (`data/`), the server `log` and the Unix socket.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The URL of the `postgres` database.
    pub fn url(&self) -> String {
        self.database_url("postgres")
    }

    /// The URL of database `name` on this cluster (created or not).
    pub fn database_url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database (`name`: lowercase ASCII letters, digits and `_`) and
    /// returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let plain = name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        assert!(
            plain && !name.is_empty(),
            "database name {name:?}: use lowercase ASCII letters, digits and _"
        );
        self.psql(&self.url(), &format!("CREATE DATABASE \"{name}\""));
        self.database_url(name)
    }

    /// Runs `sql` with `psql` against `url` (no psqlrc, stop at the first error, unaligned
    /// tuples only) and returns its standard output; panics if psql fails.
    pub fn psql(&self, url: &str, sql: &str) -> String {
        let mut psql = Command::new(self.bin.join("psql"));
        psql.arg("--set=ON_ERROR_STOP=1");
        psql.args(["-X", "-q", "-A", "-t", "-d", url, "-c", sql]);
        self.run(psql, &format!("psql -c {sql:?}"))
    }

    /// Kills the server as a power cut would (`pg_ctl -m immediate stop`): no checkpoint,
    /// the next start replays the WAL.
    pub fn crash(&self) {
        self.pg_ctl_stop("immediate");
    }

    /// Stops the server cleanly (`pg_ctl -m fast stop`).
    pub fn stop(&self) {
        self.pg_ctl_stop("fast");
    }

    /// Starts the server again on the same port, returning once it accepts connections.
    pub fn restart(&self) {
        self.pg_ctl_start();
    }

    /// The postmaster's process id (the first line of `data/postmaster.pid`) while the server
    /// runs.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let pid_file = std::fs::read_to_string(self.data_dir().join("postmaster.pid")).ok()?;
        pid_file.lines().next()?.trim().parse().ok()
    }

    /// User + system CPU seconds the server used so far: the postmaster and its processes
    /// (backends, WAL writer, checkpointer, …), running or ended. NaN when it is not running.
    pub fn cpu_secs(&self) -> f64 {
        self.postmaster_pid()
            .map_or(f64::NAN, crate::relay::proc_stats::cpu_secs_with_children)
    }

    /// The server log's last `lines` lines.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A server tool (`initdb`, `pg_ctl`), as the postgres user when we are root.
    fn server_tool(&self, tool: &str) -> Command {
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
            cmd
        } else {
            Command::new(self.bin.join(tool))
        };
        // A working directory the postgres user can enter.
        cmd.current_dir(self.dir.path());
        cmd
    }

    /// `pg_ctl -D <dir>/data <args>`.
    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut cmd = self.server_tool("pg_ctl");
        cmd.arg("-D").arg(self.data_dir()).args(args);
        cmd
    }

    fn pg_ctl_start(&self) {
        let (port, dir) = (self.port, self.dir().display());
        let options = format!("-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=on");
        let log = self.dir().join("log");
        let mut start = self.pg_ctl(&["-o", &options, "-l", log.to_str().expect("UTF-8 path")]);
        start.args(["-w", "start"]);
        self.run(start, &format!("pg_ctl start on port {port}"));
        // pg_ctl -w waited until the server was ready; check that it answers over TCP.
        let mut ready = Command::new(self.bin.join("pg_isready"));
        ready.args(["-h", "127.0.0.1", "-p", &port.to_string()]);
        self.run(ready, "pg_isready after pg_ctl start");
    }

    fn pg_ctl_stop(&self, mode: &str) {
        let stop = self.pg_ctl(&["-m", mode, "-w", "stop"]);
        self.run(stop, &format!("pg_ctl -m {mode} stop"));
    }

    /// Runs `cmd` and returns its standard output; panics with its output and the server
    /// log's tail if it fails.
    fn run(&self, mut cmd: Command, what: &str) -> String {
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("PostgreSQL: cannot run {what} ({cmd:?}): {e}"));
        if !out.status.success() {
            panic!(
                "PostgreSQL: {what} failed ({}):\n{}{}\nserver log tail:\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                self.log_tail(30)
            );
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Only a running server has a postmaster.pid; the TempDir then deletes the files.
        if self.data_dir().join("postmaster.pid").exists() {
            let _ = self.pg_ctl(&["-m", "immediate", "-w", "stop"]).output();
        }
    }
}

/// `$LINLI_PG_BIN`, else the highest `/usr/lib/postgresql/<N>/bin` that has `initdb`.
fn find_bin_dir() -> PathBuf {
    if let Some(bin) = std::env::var_os("LINLI_PG_BIN") {
        let bin = PathBuf::from(bin);
        assert!(
            bin.join("initdb").is_file(),
            "LINLI_PG_BIN={} has no initdb",
            bin.display()
        );
        return bin;
    }
    let version = |name: &str| -> Option<Vec<u32>> {
        name.split('.').map(|part| part.parse().ok()).collect()
    };
    std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let v = version(entry.file_name().to_str()?)?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .max()
        .map(|(_, bin)| bin)
        .expect(
            "no PostgreSQL server binaries (/usr/lib/postgresql/<N>/bin/initdb, or set \
             LINLI_PG_BIN): apt-get install -y postgresql (scripts/tools.sh installs it)",
        )
}

fn running_as_root() -> bool {
    // /proc/self belongs to the process's effective user.
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}
