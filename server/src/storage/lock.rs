//! One process per data directory: the relay, `--export` and `--import` each hold an
//! exclusive lock on `<data>/lock` (released by the OS even on SIGKILL).

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;

const LOCK_FILE: &str = "lock";

/// Held while this process uses the data directory.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Locks `root` (creating it if needed), or fails at once if another process has it.
    pub fn acquire(root: &Path) -> io::Result<DataDirLock> {
        fs::create_dir_all(root)?;
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(root.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!("{} is in use by another linli-relay", root.display()),
            )),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path()).unwrap();
        let error = DataDirLock::acquire(dir.path()).unwrap_err();
        assert!(error.to_string().contains("in use"), "{error}");
        drop(first);
        DataDirLock::acquire(dir.path()).unwrap();
    }
}
