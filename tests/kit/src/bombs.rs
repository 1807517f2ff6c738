//! Hand-built Automerge sync messages for the relay's bomb tests (core unit tests and the real
//! binary): the v1 sync message layout and the change-chunk header, written out here rather
//! than taken from the code under test.

use std::io::Write;

/// The first bytes of every Automerge chunk.
pub const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// The chunk type of a deflate-compressed change.
pub const CHUNK_COMPRESSED: u8 = 2;

/// Appends `n` as unsigned LEB128.
pub fn leb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A chunk of `kind` around `data`, with a zero checksum (Automerge inflates a compressed
/// chunk before it checks the checksum).
pub fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut out = CHUNK_MAGIC.to_vec();
    out.extend([0; 4]);
    out.push(kind);
    leb(&mut out, data.len() as u64);
    out.extend(data);
    out
}

/// A v1 sync message (no heads, no need): `haves` empty haves, then `chunks`.
pub fn sync_message(haves: u64, chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![0x42, 0, 0];
    leb(&mut out, haves);
    for _ in 0..haves {
        out.extend([0, 0]); // no last-sync hashes, an empty bloom filter
    }
    leb(&mut out, chunks.len() as u64);
    for chunk in chunks {
        leb(&mut out, chunk.len() as u64);
        out.extend(chunk);
    }
    out
}

/// A compressed change chunk that inflates to at least `inflated` zero bytes.
pub fn inflation_bomb(inflated: usize) -> Vec<u8> {
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..inflated.div_ceil(zeros.len()) {
        deflate.write_all(&zeros).unwrap();
    }
    chunk(CHUNK_COMPRESSED, &deflate.finish().unwrap())
}
