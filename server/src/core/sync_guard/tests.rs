use automerge::sync::SyncDoc;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};

use linli_testkit::bombs::{inflation_bomb, sync_message};

use super::*;

fn big_doc() -> AutoCommit {
    let mut doc = AutoCommit::new();
    for i in 0..2000 {
        doc.put(ROOT, format!("key {i}"), "the same words again and again")
            .unwrap();
    }
    doc
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
    assert_eq!(check(&sync_message(1, &[change, saved])), Ok(()));
}

#[test]
fn an_inflation_bomb_and_a_flood_of_haves_are_refused() {
    let bomb = inflation_bomb(MAX_INFLATED_BYTES as usize + 1024 * 1024);
    let refused = check(&sync_message(0, &[bomb])).unwrap_err();
    assert!(refused.contains("inflates beyond"), "{refused}");

    let refused = check(&sync_message(200_000, &[])).unwrap_err();
    assert!(refused.contains("200000 `have` entries"), "{refused}");
    assert_eq!(check(&sync_message(1, &[])), Ok(()));
}
