//! The file store's small file operations: durable writes, sizes, a document's log.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::{LOG, SNAPSHOT, SNAPSHOT_TMP};

/// Writes `name` in `dir` atomically: temp file, fsync, rename, fsync directory.
pub(super) fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(if name == SNAPSHOT {
        SNAPSHOT_TMP.to_string()
    } else {
        format!("{name}.tmp")
    });
    let mut file = File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)
}

pub(super) fn file_len(path: &Path) -> io::Result<u64> {
    match fs::metadata(path) {
        Ok(meta) => Ok(meta.len()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

/// Bytes of the snapshots and logs under `docs`.
pub(super) fn disk_usage(docs: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(docs)? {
        let dir = entry?.path();
        if dir.is_dir() {
            total += file_len(&dir.join(SNAPSHOT))? + file_len(&dir.join(LOG))?;
        }
    }
    Ok(total)
}

/// The document's log, opened for appending, and its length.
pub(super) fn open_log(dir: &Path) -> io::Result<(File, u64)> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(LOG))?;
    let len = file.metadata()?.len();
    Ok((file, len))
}

pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

pub(super) fn read_if_exists(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}
