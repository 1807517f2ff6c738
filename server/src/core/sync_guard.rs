//! Checks an Automerge sync message before Automerge decodes it, for what would make decoding
//! or applying it cost far more memory than the message's size:
//! - compressed data (a compressed change, or a document's compressed columns) that inflates
//!   beyond [`MAX_INFLATED_BYTES`] — Automerge inflates it whole, so a few megabytes of
//!   zeros become gigabytes;
//! - more than [`MAX_HAVES`] `have` entries (a peer sends one), or bloom filters with absurd
//!   parameters (Automerge allocates a vector of `num_probes` entries per probe).
//!
//! Inflating here streams into nothing: it costs time bounded by the limit, not memory. Anything
//! this walk does not understand is left to Automerge's own decoder, which refuses it.

use std::io::{self, Read};

/// Most `have` entries in one sync message.
pub const MAX_HAVES: u64 = 64;
/// Most bytes the compressed parts of one sync message may inflate to.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// Bloom filter parameters (Automerge uses 10 bits per entry and 7 probes).
const MAX_BLOOM_PROBES: u64 = 64;
const MAX_BLOOM_BITS_PER_ENTRY: u64 = 64;

const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_DOCUMENT: u8 = 0;
const CHUNK_CHANGE: u8 = 1;
const CHUNK_COMPRESSED: u8 = 2;
const CHUNK_BUNDLE: u8 = 3;
/// The bit of a column specification that marks a compressed column.
const COLUMN_DEFLATE: u64 = 0b1000;
/// Columns of one document chunk (Automerge writes about twenty).
const MAX_COLUMNS: u64 = 256;

const TRUNCATED: &str = "invalid Automerge sync message: truncated";

/// `Err(reason)` if the sync message `data` must not be handed to Automerge.
pub fn check(data: &[u8]) -> Result<(), String> {
    let mut r = Reader(data);
    let Some(version) = r.byte() else {
        return Ok(());
    };
    if version != 0x42 && version != 0x43 {
        return Ok(()); // not a sync message: Automerge says so
    }
    r.hashes()?; // heads
    r.hashes()?; // need
    let haves = r.uleb()?;
    if haves > MAX_HAVES {
        return Err(format!(
            "sync message with {haves} `have` entries refused (the limit is {MAX_HAVES})"
        ));
    }
    for _ in 0..haves {
        r.hashes()?;
        check_bloom(r.bytes()?)?;
    }
    let chunks = r.uleb()?;
    let mut inflated = 0;
    for _ in 0..chunks {
        check_chunks(r.bytes()?, &mut inflated)?;
    }
    Ok(())
}

fn check_bloom(bloom: &[u8]) -> Result<(), String> {
    if bloom.is_empty() {
        return Ok(());
    }
    let mut r = Reader(bloom);
    let _entries = r.uleb()?;
    let bits_per_entry = r.uleb()?;
    let probes = r.uleb()?;
    if probes > MAX_BLOOM_PROBES || bits_per_entry > MAX_BLOOM_BITS_PER_ENTRY {
        return Err("sync message with an out-of-range bloom filter refused".into());
    }
    Ok(())
}

/// One entry of the changes list: one or more chunks back to back.
fn check_chunks(mut bytes: &[u8], inflated: &mut u64) -> Result<(), String> {
    while !bytes.is_empty() {
        if !bytes.starts_with(&CHUNK_MAGIC) || bytes.len() < 9 {
            return Ok(()); // not a chunk: Automerge refuses it
        }
        let mut r = Reader(&bytes[8..]);
        let kind = r.byte().ok_or(TRUNCATED)?;
        let len = r.uleb()?;
        let data = r.take(len)?;
        match kind {
            CHUNK_CHANGE => {}
            CHUNK_COMPRESSED => inflate(data, inflated)?,
            CHUNK_DOCUMENT => check_document(data, inflated)?,
            CHUNK_BUNDLE => return Err("sync message carrying a bundle refused".into()),
            _ => return Ok(()),
        }
        bytes = r.0;
    }
    Ok(())
}

/// A document chunk: inflates each compressed column (see Automerge's `storage/document.rs`).
fn check_document(data: &[u8], inflated: &mut u64) -> Result<(), String> {
    let mut r = Reader(data);
    let actors = r.uleb()?;
    for _ in 0..actors {
        r.bytes()?;
    }
    r.hashes()?;
    let change_columns = r.columns()?;
    let op_columns = r.columns()?;
    for (deflated, len) in change_columns.into_iter().chain(op_columns) {
        let column = r.take(len)?;
        if deflated {
            inflate(column, inflated)?;
        }
    }
    Ok(())
}

fn inflate(data: &[u8], inflated: &mut u64) -> Result<(), String> {
    let left = MAX_INFLATED_BYTES.saturating_sub(*inflated);
    let mut decoder = flate2::read::DeflateDecoder::new(data).take(left + 1);
    let n = io::copy(&mut decoder, &mut io::sink())
        .map_err(|_| "invalid Automerge sync message: bad compressed data".to_string())?;
    *inflated += n;
    if *inflated > MAX_INFLATED_BYTES {
        return Err(format!(
            "sync message whose compressed data inflates beyond {MAX_INFLATED_BYTES} bytes refused"
        ));
    }
    Ok(())
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    fn uleb(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte().ok_or(TRUNCATED)?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("invalid Automerge sync message: overlong number".into())
    }

    fn take(&mut self, len: u64) -> Result<&'a [u8], String> {
        let len = usize::try_from(len).map_err(|_| TRUNCATED.to_string())?;
        if len > self.0.len() {
            return Err(TRUNCATED.into());
        }
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(taken)
    }

    /// A length-prefixed byte string.
    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let len = self.uleb()?;
        self.take(len)
    }

    /// A count, then that many 32-byte change hashes.
    fn hashes(&mut self) -> Result<(), String> {
        let count = self.uleb()?;
        self.take(count.saturating_mul(32)).map(drop)
    }

    /// Column metadata: a count, then (specification, length) pairs.
    fn columns(&mut self) -> Result<Vec<(bool, u64)>, String> {
        let count = self.uleb()?;
        if count > MAX_COLUMNS {
            return Err("invalid Automerge sync message: too many columns".into());
        }
        let mut columns = Vec::new();
        for _ in 0..count {
            let spec = self.uleb()?;
            let len = self.uleb()?;
            columns.push((spec & COLUMN_DEFLATE != 0, len));
        }
        Ok(columns)
    }
}

#[cfg(test)]
mod tests;
