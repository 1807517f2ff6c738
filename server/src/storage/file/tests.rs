//! Tests of the file store: logs, snapshots, torn tails, the write-ahead log.

use super::super::record;
use super::*;

fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

#[test]
fn appended_changes_and_snapshots_load_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileStore::open(dir.path()).unwrap();
    assert_eq!(store.load(&id(1)).unwrap(), None);
    store.append(&id(1), b"a").unwrap();
    store.append(&id(1), b"b").unwrap();

    let mut reopened = FileStore::open(dir.path()).unwrap();
    let doc = reopened.load(&id(1)).unwrap().unwrap();
    assert_eq!(doc.snapshot, None);
    assert_eq!(doc.changes, vec![b"a".to_vec(), b"b".to_vec()]);

    reopened.compact(&id(1), b"full").unwrap();
    reopened.append(&id(1), b"c").unwrap();
    let doc = FileStore::open(dir.path())
        .unwrap()
        .load(&id(1))
        .unwrap()
        .unwrap();
    assert_eq!(doc.snapshot, Some(b"full".to_vec()));
    assert_eq!(doc.changes, vec![b"c".to_vec()]);
    let expected = 4 + (record::HEADER_LEN as u64 + 1);
    assert_eq!(reopened.stored_bytes(), expected);
    assert_eq!(
        FileStore::open(dir.path()).unwrap().stored_bytes(),
        expected
    );
    assert_eq!(reopened.list().unwrap(), vec![id(1)]);
}

#[test]
fn a_torn_tail_is_cut_off_and_appending_continues_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileStore::open(dir.path()).unwrap();
    store.append(&id(2), b"kept").unwrap();
    let log = store.doc_dir(&id(2)).join(LOG);
    let mut file = OpenOptions::new().append(true).open(&log).unwrap();
    file.write_all(&encode_record(b"torn")[..9]).unwrap();

    let mut store = FileStore::open(dir.path()).unwrap();
    assert_eq!(
        store.load(&id(2)).unwrap().unwrap().changes,
        vec![b"kept".to_vec()]
    );
    store.append(&id(2), b"next").unwrap();
    assert_eq!(
        store.load(&id(2)).unwrap().unwrap().changes,
        vec![b"kept".to_vec(), b"next".to_vec()]
    );
}

#[test]
fn a_batch_is_readable_at_once_and_survives_a_crash_before_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileStore::open(dir.path()).unwrap();
    store.append(&id(1), b"old").unwrap();
    let results = store.append_batch(&[(id(1), b"one".to_vec()), (id(2), b"two".to_vec())]);
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    assert_eq!(
        store.load(&id(1)).unwrap().unwrap().changes,
        vec![b"old".to_vec(), b"one".to_vec()]
    );
    assert_eq!(
        store.load(&id(2)).unwrap().unwrap().changes,
        vec![b"two".to_vec()]
    );
    assert!(store.contains(&id(2)).unwrap());
    assert_eq!(store.list().unwrap(), vec![id(1), id(2)]);
    let log1 = store.doc_dir(&id(1)).join(LOG);
    // Only the WAL holds the batch: the document logs are untouched until a checkpoint.
    assert_eq!(fs::metadata(&log1).unwrap().len(), (HEADER_LEN + 3) as u64);
    drop(store); // a crash: no checkpoint

    let mut store = FileStore::open(dir.path()).unwrap();
    assert_eq!(
        store.load(&id(1)).unwrap().unwrap().changes,
        vec![b"old".to_vec(), b"one".to_vec()]
    );
    assert_eq!(
        store.load(&id(2)).unwrap().unwrap().changes,
        vec![b"two".to_vec()]
    );
    assert!(store.wal.is_empty(), "replayed records are checkpointed");
    assert_eq!(
        store.stored_bytes(),
        disk_usage(&dir.path().join(DOCS_DIR)).unwrap()
    );
}

#[test]
fn replay_cuts_a_torn_log_tail_before_appending() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileStore::open(dir.path()).unwrap();
    store.append(&id(3), b"kept").unwrap();
    store.append_batch(&[(id(3), b"batched".to_vec())]);
    let log = store.doc_dir(&id(3)).join(LOG);
    drop(store);
    let mut file = OpenOptions::new().append(true).open(&log).unwrap();
    file.write_all(&encode_record(b"torn")[..9]).unwrap();

    let mut store = FileStore::open(dir.path()).unwrap();
    assert_eq!(
        store.load(&id(3)).unwrap().unwrap().changes,
        vec![b"kept".to_vec(), b"batched".to_vec()]
    );
}

#[test]
fn a_checkpoint_moves_the_batch_into_the_logs_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileStore::open(dir.path()).unwrap();
    store.append_batch(&[(id(4), vec![7; 100])]);
    assert!(!store.wal.is_empty());
    store.checkpoint().unwrap();
    assert!(store.wal.is_empty());
    store.append_batch(&[(id(4), vec![8; 10])]);
    let before = store.stored_bytes();
    drop(store);
    let mut store = FileStore::open(dir.path()).unwrap();
    assert_eq!(
        store.load(&id(4)).unwrap().unwrap().changes,
        vec![vec![7; 100], vec![8; 10]]
    );
    assert_eq!(store.stored_bytes(), before);
}

#[test]
fn compaction_takes_in_what_is_pending() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileStore::open(dir.path()).unwrap();
    store.append_batch(&[(id(5), b"a".to_vec())]);
    store.compact(&id(5), b"full").unwrap();
    let doc = store.load(&id(5)).unwrap().unwrap();
    assert_eq!(
        (doc.snapshot, doc.changes),
        (Some(b"full".to_vec()), vec![])
    );
    assert_eq!(store.stored_bytes(), 4);
}

#[test]
fn relay_id_is_created_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path()).unwrap();
    assert_eq!(store.relay_id(|| "first".into()).unwrap(), "first");
    assert_eq!(store.relay_id(|| "second".into()).unwrap(), "first");
}

#[test]
fn actor_bindings_are_stored_in_the_data_directory() {
    use crate::storage::ActorBinding;
    let dir = tempfile::tempdir().unwrap();
    let mut store = FileStore::open(dir.path()).unwrap();
    assert!(store.actor_bindings().unwrap().is_empty());
    let binding = |n: u8, member: &str| ActorBinding {
        actor: automerge::ActorId::from([n; 16]),
        community: id(9),
        member_id: member.into(),
    };
    store
        .bind_actors(&[binding(1, "alice"), binding(2, "bob")])
        .unwrap();
    store.bind_actors(&[]).unwrap();
    assert_eq!(store.actor_bindings().unwrap().len(), 2);
    drop(store);

    let mut reopened = FileStore::open(dir.path()).unwrap();
    reopened.bind_actors(&[binding(3, "carol")]).unwrap();
    assert_eq!(
        FileStore::open(dir.path())
            .unwrap()
            .actor_bindings()
            .unwrap(),
        vec![binding(1, "alice"), binding(2, "bob"), binding(3, "carol")]
    );
    assert!(dir.path().join(crate::storage::actor_log::FILE).is_file());
}
