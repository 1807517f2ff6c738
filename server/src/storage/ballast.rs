//! Ballast: a file of zeros the relay keeps in its data directory and deletes when the disk is
//! full, so that an access change — revoking a member above all — can still be stored.
//!
//! The disk reserve ([`super::disk_space`]) keeps the relay's own document writes from filling
//! the disk; the ballast covers what the reserve cannot: the disk filled by something else (logs,
//! another program). A registry write that fails for lack of space deletes the ballast and tries
//! once more. The ballast is made again at the next start, when there is room for it.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const FILE: &str = "ballast";

/// The ballast file of one data directory.
#[derive(Debug, Clone)]
pub struct Ballast {
    path: PathBuf,
}

impl Ballast {
    /// Makes sure `<data>/ballast` holds `bytes` (0: none, and an old one is deleted). A disk
    /// without room for it is not an error: the relay runs without (and says so).
    pub fn keep(data: &Path, bytes: u64) -> Ballast {
        let ballast = Ballast {
            path: data.join(FILE),
        };
        if bytes == 0 {
            ballast.release();
            return ballast;
        }
        let size = fs::metadata(&ballast.path).map(|m| m.len()).unwrap_or(0);
        if size < bytes {
            if let Err(error) = write_zeros(&ballast.path, bytes) {
                let _ = fs::remove_file(&ballast.path);
                tracing::warn!(%error, bytes, "no room for the ballast file: a disk filled by another program could stop access changes");
            }
        }
        ballast
    }

    /// Deletes the ballast, freeing its space. True if there was one.
    pub fn release(&self) -> bool {
        fs::remove_file(&self.path).is_ok()
    }
}

/// Whether `error` says the disk (or the user's quota on it) is full.
pub fn is_disk_full(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::StorageFull || error.kind() == io::ErrorKind::QuotaExceeded
}

/// Real blocks, not a sparse file: a hole would free nothing when deleted.
fn write_zeros(path: &Path, bytes: u64) -> io::Result<()> {
    let mut file = File::create(path)?;
    let block = vec![0u8; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n])?;
        left -= n as u64;
    }
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ballast_is_made_once_and_released_once() {
        let dir = tempfile::tempdir().unwrap();
        let ballast = Ballast::keep(dir.path(), 100_000);
        assert_eq!(fs::metadata(dir.path().join(FILE)).unwrap().len(), 100_000);
        assert!(ballast.release());
        assert!(!ballast.release());
        Ballast::keep(dir.path(), 0);
        assert!(!dir.path().join(FILE).exists());
    }

    #[test]
    fn a_full_disk_is_told_apart_from_other_errors() {
        assert!(is_disk_full(&io::Error::from_raw_os_error(28))); // ENOSPC
        assert!(is_disk_full(&io::Error::from_raw_os_error(122))); // EDQUOT
        assert!(!is_disk_full(&io::Error::from_raw_os_error(13))); // EACCES
    }
}
