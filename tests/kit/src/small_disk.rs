//! A real, small filesystem (tmpfs) for a browser profile, so the browser
//! computes a small storage quota and a big write really fails — the honest
//! way to test "the phone is full" (DevTools' quota override is ignored by
//! headless Chromium 156). Needs root, as the tests run here and in CI.

use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

pub struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    pub fn mount(bytes: u64) -> SmallDisk {
        let dir = tempfile::tempdir().expect("mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(status.success(), "mounting a tmpfs needs root");
        SmallDisk { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk with a file (as other apps fill a phone) until only
    /// `leave` bytes are free.
    pub fn fill_leaving(&self, leave: u64) {
        let free = self.free_bytes();
        let filler = vec![0u8; free.saturating_sub(leave) as usize];
        std::fs::write(self.dir.path().join("filler"), filler).expect("write filler");
    }

    /// Removes what [`SmallDisk::fill_leaving`] wrote (the other app's files are deleted).
    pub fn free_filler(&self) {
        std::fs::remove_file(self.dir.path().join("filler")).expect("free the disk");
    }

    /// Bytes still free on the filesystem.
    pub fn free_bytes(&self) -> u64 {
        let out = Command::new("df")
            .args(["-B1", "--output=avail"])
            .arg(self.dir.path())
            .output()
            .expect("run df");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .and_then(|l| l.trim().parse().ok())
            .expect("df prints the free bytes")
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}
