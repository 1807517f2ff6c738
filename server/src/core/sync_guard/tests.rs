use std::io::Write;

use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};

use super::*;

fn big_doc() -> AutoCommit {
    let mut doc = AutoCommit::new();
    for i in 0..2000 {
        doc.put(ROOT, format!("key {i}"), "the same words again and again")
            .unwrap();
    }
    doc
}

/// A chunk of `kind` around `data` (the checksum is not checked here).
fn chunk(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut out = CHUNK_MAGIC.to_vec();
    out.extend([0; 4]);
    out.push(kind);
    leb(&mut out, data.len() as u64);
    out.extend(data);
    out
}

fn leb(out: &mut Vec<u8>, mut n: u64) {
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

/// A v1 sync message: no heads, no need, `haves` empty haves, the given chunks.
fn message(haves: u64, chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![0x42, 0, 0];
    leb(&mut out, haves);
    for _ in 0..haves {
        out.extend([0, 0]);
    }
    leb(&mut out, chunks.len() as u64);
    for c in chunks {
        leb(&mut out, c.len() as u64);
        out.extend(c);
    }
    out
}

#[test]
fn real_messages_and_saved_documents_pass() {
    let mut doc = big_doc();
    let mut state = automerge::sync::State::new();
    let first = doc.sync().generate_sync_message(&mut state).unwrap();
    assert_eq!(check(&first.encode()), Ok(()));
    let saved = doc.save();
    let mut inflated = 0;
    assert_eq!(check_chunks(&saved, &mut inflated), Ok(()));
    assert!(inflated > 0, "the saved document has compressed columns");
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    assert_eq!(check(&message(1, &[change, saved])), Ok(()));
}

#[test]
fn an_inflation_bomb_and_a_flood_of_haves_are_refused() {
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..(MAX_INFLATED_BYTES / zeros.len() as u64 + 1) {
        deflate.write_all(&zeros).unwrap();
    }
    let bomb = chunk(CHUNK_COMPRESSED, &deflate.finish().unwrap());
    let refused = check(&message(0, &[bomb])).unwrap_err();
    assert!(refused.contains("inflates beyond"), "{refused}");

    let refused = check(&message(200_000, &[])).unwrap_err();
    assert!(refused.contains("200000 `have` entries"), "{refused}");
    assert_eq!(check(&message(1, &[])), Ok(()));
}
