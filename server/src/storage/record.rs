//! Framing of the append-only change log: each record is
//! `length: u32 LE | crc32(payload): u32 LE | payload`.
//!
//! A crash can leave a torn last record (short header, short payload or a checksum that
//! does not match). [`read_records`] returns the records before the first bad one and the
//! offset where the valid prefix ends, so the caller can truncate the rest.

/// Bytes of a record header.
pub const HEADER_LEN: usize = 8;

/// Writes one record.
pub fn encode_record(payload: &[u8]) -> Vec<u8> {
    let len = u32::try_from(payload.len()).expect("a log record is smaller than 4 GiB");
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The records of a log and where its valid prefix ends.
#[derive(Debug, PartialEq, Eq)]
pub struct Records {
    pub payloads: Vec<Vec<u8>>,
    /// Length of the valid prefix; bytes after it are a torn or corrupt tail.
    pub valid_len: u64,
}

/// Reads every valid record from the start of `log`, stopping at the first bad one.
pub fn read_records(log: &[u8]) -> Records {
    read(log, false)
}

/// Like [`read_records`], but an all-zero header (the zeros a log keeps in reserve, see
/// [`super::append_log`]) also ends the log.
pub fn read_records_before_zeros(log: &[u8]) -> Records {
    read(log, true)
}

fn read(log: &[u8], zeros_end: bool) -> Records {
    let mut payloads = Vec::new();
    let mut at = 0usize;
    while let Some(header) = log.get(at..at + HEADER_LEN) {
        if zeros_end && header.iter().all(|b| *b == 0) {
            break;
        }
        let len = u32::from_le_bytes(header[0..4].try_into().unwrap()) as usize;
        let crc = u32::from_le_bytes(header[4..8].try_into().unwrap());
        let start = at + HEADER_LEN;
        let Some(payload) = start.checked_add(len).and_then(|end| log.get(start..end)) else {
            break;
        };
        if crc32fast::hash(payload) != crc {
            break;
        }
        payloads.push(payload.to_vec());
        at = start + len;
    }
    Records {
        payloads,
        valid_len: at as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_of(payloads: &[&[u8]]) -> Vec<u8> {
        payloads.iter().flat_map(|p| encode_record(p)).collect()
    }

    #[test]
    fn reads_back_what_was_written() {
        let log = log_of(&[b"one", b"", b"three"]);
        let records = read_records(&log);
        assert_eq!(
            records.payloads,
            vec![b"one".to_vec(), vec![], b"three".to_vec()]
        );
        assert_eq!(records.valid_len, log.len() as u64);
    }

    #[test]
    fn stops_at_a_torn_tail() {
        let good = log_of(&[b"one", b"two"]);
        let mut log = good.clone();
        log.extend_from_slice(&encode_record(b"three")[..10]); // header + 2 payload bytes
        let records = read_records(&log);
        assert_eq!(records.payloads.len(), 2);
        assert_eq!(records.valid_len, good.len() as u64);
        // A torn header.
        let mut log = good.clone();
        log.extend_from_slice(&[5, 0, 0]);
        assert_eq!(read_records(&log).valid_len, good.len() as u64);
    }

    #[test]
    fn stops_at_a_checksum_mismatch() {
        let mut log = log_of(&[b"one", b"two"]);
        let last = log.len() - 1;
        log[last] ^= 0xff;
        let records = read_records(&log);
        assert_eq!(records.payloads, vec![b"one".to_vec()]);
        assert_eq!(records.valid_len, (HEADER_LEN + 3) as u64);
    }

    #[test]
    fn zeros_end_a_log_that_keeps_a_reserve() {
        let mut log = log_of(&[b"one", b"two"]);
        let end = log.len() as u64;
        log.extend_from_slice(&[0; 64]);
        let records = read_records_before_zeros(&log);
        assert_eq!(records.payloads, vec![b"one".to_vec(), b"two".to_vec()]);
        assert_eq!(records.valid_len, end);
        // Without the rule the zeros read as empty records.
        assert_eq!(read_records(&log).payloads.len(), 2 + 64 / HEADER_LEN);
    }

    #[test]
    fn a_huge_length_is_a_torn_record_not_a_panic() {
        let mut log = log_of(&[b"one"]);
        log.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
        assert_eq!(read_records(&log).payloads.len(), 1);
    }
}
