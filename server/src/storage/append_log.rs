//! An append-only file of framed records ([`super::record`]), each append fdatasynced: the
//! base of the write-ahead log ([`super::wal`]) and of the access claim log.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::record::{encode_record, read_records};

pub struct AppendLog {
    file: File,
    len: u64,
}

impl AppendLog {
    /// Opens (creating) the file at `path` and returns the payloads of its records, in
    /// order. A torn tail (an append whose fsync never completed, so never acknowledged) is
    /// cut off, and the cut fsynced.
    pub fn open(path: &Path) -> io::Result<(AppendLog, Vec<Vec<u8>>)> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let records = read_records(&bytes);
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        if records.valid_len < bytes.len() as u64 {
            file.set_len(records.valid_len)?;
            file.sync_all()?;
        }
        let log = AppendLog {
            file,
            len: records.valid_len,
        };
        Ok((log, records.payloads))
    }

    /// Bytes in the file.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one record per payload and fsyncs once; all are durable when this returns
    /// `Ok`. On error the file is cut back to where it was.
    pub fn append(&mut self, payloads: &[Vec<u8>]) -> io::Result<()> {
        if payloads.is_empty() {
            return Ok(());
        }
        let bytes: Vec<u8> = payloads.iter().flat_map(|p| encode_record(p)).collect();
        if let Err(e) = self
            .file
            .write_all(&bytes)
            .and_then(|_| self.file.sync_data())
        {
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Empties the file. Call only once every record in it is durable elsewhere.
    pub fn clear(&mut self) -> io::Result<()> {
        if self.len > 0 {
            self.file.set_len(0)?;
            self.file.sync_all()?;
            self.len = 0;
        }
        Ok(())
    }
}
