//! The disk reserve: document writes stop while the data directory's filesystem has less than
//! the reserve free, so that what must still be written on a nearly full disk can be — the
//! access registry above all (revoking a member writes its row to `registry.sqlite`).
//!
//! Asked before every change is applied, so the free space (`statvfs`) is read at most every
//! [`RECHECK`], and what was admitted since is subtracted from the last reading.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a reading of the free space is trusted (with the admitted bytes subtracted).
const RECHECK: Duration = Duration::from_millis(200);

/// Free space under one directory, against a reserve.
#[derive(Debug)]
pub struct DiskSpace {
    root: PathBuf,
    reserve: u64,
    /// The last reading, and when it was taken.
    read: Option<(u64, Instant)>,
    /// Bytes admitted since that reading.
    admitted: u64,
}

impl DiskSpace {
    /// Keeps `reserve` bytes free on the filesystem of `root` (0: no reserve).
    pub fn new(root: &Path, reserve: u64) -> DiskSpace {
        DiskSpace {
            root: root.to_path_buf(),
            reserve,
            read: None,
            admitted: 0,
        }
    }

    /// Whether `bytes` more fit above the reserve, with `owed` bytes already accepted but not
    /// yet written where they end up; if so they are counted as taken. A filesystem whose free
    /// space cannot be read is taken to have room (the write itself then fails or not).
    pub fn admit(&mut self, bytes: u64, owed: u64) -> bool {
        if self.reserve == 0 {
            return true;
        }
        let now = Instant::now();
        let stale = self
            .read
            .is_none_or(|(_, at)| now.duration_since(at) > RECHECK);
        if stale {
            match free_bytes(&self.root) {
                Ok(free) => {
                    self.read = Some((free, now));
                    self.admitted = 0;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the data directory's free space");
                    return true;
                }
            }
        }
        let free = self.read.map_or(0, |(free, _)| free);
        let needed = self
            .reserve
            .saturating_add(owed)
            .saturating_add(self.admitted)
            .saturating_add(bytes);
        if free < needed {
            return false;
        }
        self.admitted += bytes;
        true
    }
}

/// Bytes an unprivileged process may still write on the filesystem of `path`.
pub fn free_bytes(path: &Path) -> io::Result<u64> {
    let path = CString::new(path.as_os_str().as_bytes())?;
    // SAFETY: `statvfs` only writes the struct passed to it; `path` is NUL-terminated.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(stat.f_bavail as u64 * stat.f_frsize as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_the_reserve_and_counts_what_it_admitted() {
        const MIB: u64 = 1024 * 1024;
        let dir = tempfile::tempdir().unwrap();
        let free = free_bytes(dir.path()).unwrap();
        assert!(free > 2048 * MIB, "the test needs some free space");
        // Room for 64 MiB above the reserve (other processes may write a little meanwhile).
        let mut space = DiskSpace::new(dir.path(), free - 64 * MIB);
        assert!(space.admit(16 * MIB, 0));
        assert!(space.admit(16 * MIB, 0));
        // What it admitted counts, and so does what is owed (accepted, not yet written).
        assert!(!space.admit(40 * MIB, 0));
        assert!(!space.admit(MIB, 1024 * MIB));
        assert!(space.admit(MIB, 0));
        assert!(DiskSpace::new(dir.path(), 0).admit(u64::MAX, u64::MAX));
    }
}
