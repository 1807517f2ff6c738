use crate::{free_port, workspace_root};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The real `linli-relay` binary, serving the built app from `dist/`.
pub struct Relay {
    pub port: u16,
    data: PathBuf,
    child: Option<Child>,
}

/// `LINLI_RELAY_BIN`, else the debug build in the cargo target directory.
pub fn relay_binary() -> PathBuf {
    if let Ok(p) = std::env::var("LINLI_RELAY_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("target"));
    target.join("debug").join("linli-relay")
}

pub fn dist_dir() -> PathBuf {
    std::env::var("LINLI_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("dist"))
}

impl Relay {
    /// Starts the relay on a free port with its store in `data`.
    pub fn start(data: &Path) -> Relay {
        let mut relay = Relay {
            port: free_port(),
            data: data.to_path_buf(),
            child: None,
        };
        relay.restart();
        relay
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// (Re)starts the process on the same port and data directory.
    pub fn restart(&mut self) {
        self.kill();
        let bin = relay_binary();
        assert!(
            bin.exists(),
            "relay binary {} missing: run `cargo build -p linli-server` first",
            bin.display()
        );
        let dist = dist_dir();
        assert!(
            dist.join("index.html").exists(),
            "built app missing at {}: run `trunk build --release` first (scripts/test.sh does)",
            dist.display()
        );
        let child = Command::new(bin)
            .arg("--addr")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--data")
            .arg(&self.data)
            .arg("--dist")
            .arg(&dist)
            .arg("--open-registration")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn linli-relay");
        self.child = Some(child);
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("relay did not listen on port {} within 20 s", self.port);
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.kill();
    }
}
