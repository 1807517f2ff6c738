//! An append-only file of framed records ([`super::record`]), each append fdatasynced: the
//! base of the write-ahead log ([`super::wal`]) and of the access claim log.
//!
//! A log can keep space in reserve: the file is filled with zeros up to `reserve` bytes and
//! records overwrite them. An fdatasync after an append that grows a file on ext4 waits for
//! a journal commit (the size changed); after an overwrite it only flushes the data. With
//! another process writing to the disk, that took the p99 of a 4 KiB append from 10.0 ms to
//! 0.33 ms (`examples/wal_fsync_bench.rs`, `BENCHMARKS.md`). The first all-zero record header
//! ends the log, so payloads may not be empty. Emptying the log zeroes what was written, so stale records never follow
//! new ones.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::record::{encode_record, read_records_before_zeros};

/// Zeros are written in blocks of this size.
const ZEROS: usize = 1 << 20;

pub struct AppendLog {
    file: File,
    /// Bytes of records.
    len: u64,
    /// Bytes of zeros kept after the records (the file's size when not past it).
    reserve: u64,
}

impl AppendLog {
    /// Opens (creating) the file at `path` and returns the payloads of its records, in
    /// order. A torn tail (an append whose fsync never completed, so never acknowledged) is
    /// zeroed or cut off, and that fsynced. Then the file is filled with zeros up to
    /// `reserve` bytes; if the disk has no room for that the log works without a reserve.
    pub fn open(path: &Path, reserve: u64) -> io::Result<(AppendLog, Vec<Vec<u8>>)> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let records = read_records_before_zeros(&bytes);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)?;
        let len = records.valid_len;
        let size = bytes.len() as u64;
        // What follows the records ends at the last non-zero byte.
        let dirty_end = bytes
            .iter()
            .rposition(|b| *b != 0)
            .map_or(0, |i| i as u64 + 1)
            .max(len);
        let target = if reserve > 0 { reserve.max(len) } else { len };
        let zero_to = if size < target {
            target
        } else {
            dirty_end.min(target)
        };
        let zeroed = reserve > 0 && zero_to > len;
        let reserve = if reserve > 0 && write_zeros(&file, len, zero_to).is_ok() {
            target
        } else {
            0 // no room for the reserve (or none wanted): a plain append-only file
        };
        let new_size = reserve.max(len);
        let resized = file.metadata()?.len() != new_size;
        if resized {
            file.set_len(new_size)?;
        }
        if zeroed || resized {
            file.sync_all()?;
        }
        let log = AppendLog { file, len, reserve };
        Ok((log, records.payloads))
    }

    /// Bytes of records.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one record per payload and fsyncs once; all are durable when this returns
    /// `Ok`. On error what was written is undone.
    pub fn append(&mut self, payloads: &[Vec<u8>]) -> io::Result<()> {
        if payloads.iter().any(|p| p.is_empty()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an empty record would end the log",
            ));
        }
        if payloads.is_empty() {
            return Ok(());
        }
        let bytes: Vec<u8> = payloads.iter().flat_map(|p| encode_record(p)).collect();
        let end = self.len + bytes.len() as u64;
        if let Err(e) = self
            .file
            .write_all_at(&bytes, self.len)
            .and_then(|_| self.file.sync_data())
        {
            let _ = write_zeros(&self.file, self.len, end.min(self.reserve));
            if end > self.reserve {
                let _ = self.file.set_len(self.reserve.max(self.len));
            }
            return Err(e);
        }
        self.len = end;
        Ok(())
    }

    /// Empties the log. Call only once every record in it is durable elsewhere.
    pub fn clear(&mut self) -> io::Result<()> {
        // The log counts as empty before anything is erased: if a step below fails, the next
        // append goes to the start, over records that are durable elsewhere (read again, they
        // are harmless repeats), never behind a run of zeros where reading would stop.
        let len = std::mem::replace(&mut self.len, 0);
        if len == 0 {
            return Ok(());
        }
        if self.reserve == 0 {
            self.file.set_len(0)?;
        } else {
            write_zeros(&self.file, 0, len.min(self.reserve))?;
            if len > self.reserve {
                self.file.set_len(self.reserve)?;
            }
        }
        self.file.sync_all()
    }
}

/// Writes zeros over `from..to` (not synced).
fn write_zeros(file: &File, from: u64, to: u64) -> io::Result<()> {
    let zeros = vec![0u8; ZEROS.min(to.saturating_sub(from) as usize)];
    let mut at = from;
    while at < to {
        let n = (to - at).min(ZEROS as u64) as usize;
        file.write_all_at(&zeros[..n], at)?;
        at += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(path: &Path, reserve: u64) -> (AppendLog, Vec<Vec<u8>>) {
        AppendLog::open(path, reserve).unwrap()
    }

    fn size(path: &Path) -> u64 {
        fs::metadata(path).unwrap().len()
    }

    #[test]
    fn records_overwrite_the_reserve_without_growing_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let (mut log, records) = open(&path, 4096);
        assert!(records.is_empty());
        assert_eq!(size(&path), 4096);
        log.append(&[b"one".to_vec(), b"two".to_vec()]).unwrap();
        log.append(&[b"three".to_vec()]).unwrap();
        assert_eq!(size(&path), 4096);
        drop(log);
        let (mut log, records) = open(&path, 4096);
        assert_eq!(records, [&b"one"[..], b"two", b"three"]);
        // Past the reserve the file grows; emptying it brings it back.
        log.append(&[vec![7; 5000]]).unwrap();
        assert_eq!(size(&path), log.len());
        log.clear().unwrap();
        assert_eq!(size(&path), 4096);
        assert!(open(&path, 4096).1.is_empty());
    }

    #[test]
    fn records_from_before_an_emptying_never_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let (mut log, _) = open(&path, 4096);
        log.append(&[vec![1; 100], vec![2; 100], vec![3; 100]])
            .unwrap();
        log.clear().unwrap();
        log.append(&[vec![4; 10]]).unwrap();
        drop(log); // a crash: the next open sees only what followed the emptying
        assert_eq!(open(&path, 4096).1, vec![vec![4; 10]]);
    }

    #[test]
    fn a_torn_tail_in_the_reserve_is_zeroed_so_later_records_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let (mut log, _) = open(&path, 4096);
        log.append(&[b"kept".to_vec()]).unwrap();
        let end = log.len();
        drop(log);
        // A crash mid-append: half a record after the last one.
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.write_all_at(&encode_record(&[9; 40])[..30], end)
            .unwrap();
        let (mut log, records) = open(&path, 4096);
        assert_eq!(records, [b"kept"]);
        let bytes = fs::read(&path).unwrap();
        assert!(bytes[end as usize..].iter().all(|b| *b == 0));
        log.append(&[b"after".to_vec()]).unwrap();
        drop(log);
        assert_eq!(open(&path, 4096).1, [&b"kept"[..], b"after"]);
    }

    #[test]
    fn without_a_reserve_the_file_holds_only_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let (mut log, _) = open(&path, 0);
        log.append(&[b"one".to_vec()]).unwrap();
        assert_eq!(size(&path), log.len());
        let end = log.len();
        drop(log);
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.write_all_at(b"torn", end).unwrap();
        let (mut log, records) = open(&path, 0);
        assert_eq!(records, [b"one"]);
        assert_eq!(size(&path), end, "the torn tail is cut off");
        log.clear().unwrap();
        assert_eq!(size(&path), 0);
    }

    #[test]
    fn an_empty_record_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let (mut log, _) = open(&path, 4096);
        let err = log.append(&[b"x".to_vec(), vec![]]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(log.is_empty());
        assert!(open(&path, 4096).1.is_empty());
    }
}
