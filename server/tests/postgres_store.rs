//! The PostgreSQL document store (`database::PgStore`) as two relay nodes use it, against a
//! real throwaway cluster: what one node stores, the other reads as new changes; compaction by
//! either node never drops a change the other stored; a document's changes come back in the
//! order they were stored.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use linli_server::database::PgStore;
use linli_server::storage::Storage;
use linli_shared::wire::DocumentId;
use linli_testkit::postgres::PgCluster;

const DOC: DocumentId = DocumentId::from_bytes([5; 16]);

/// A node's copy of the document: what it loaded and took since, plus its own edits.
struct Node {
    store: PgStore,
    doc: AutoCommit,
}

impl Node {
    fn open(url: &str) -> Node {
        let mut store = PgStore::open(url).unwrap();
        let doc = match store.load(&DOC).unwrap() {
            Some(stored) => stored.to_automerge().unwrap(),
            None => AutoCommit::new(),
        };
        Node { store, doc }
    }

    /// Edits and stores, as the core does (an incremental save after the stored heads).
    fn write(&mut self, key: &str) {
        let before = self.doc.get_heads();
        self.doc.put(ROOT, key, key).unwrap();
        let changes = self.doc.save_after(&before);
        self.store.append(&DOC, &changes).unwrap();
    }

    /// Takes what other nodes stored.
    fn take_new(&mut self) {
        for piece in self.store.load_new(&[DOC]).unwrap().remove(0) {
            self.doc.load_incremental(&piece).unwrap();
        }
    }

    fn keys(&self) -> Vec<String> {
        self.doc.keys(ROOT).collect()
    }
}

fn whole(url: &str) -> Vec<String> {
    let mut store = PgStore::open(url).unwrap();
    let doc = store.load(&DOC).unwrap().unwrap().to_automerge().unwrap();
    doc.keys(ROOT).collect()
}

#[test]
fn two_nodes_read_each_others_changes_and_compaction_keeps_them_all() {
    let pg = PgCluster::start();
    let url = pg.create_database("store");
    let mut one = Node::open(&url);
    one.write("a1");
    let mut two = Node::open(&url);
    assert_eq!(two.keys(), ["a1"]);

    one.write("a2");
    two.write("b1");
    two.take_new();
    assert_eq!(two.keys(), ["a1", "a2", "b1"]);
    one.take_new();
    assert_eq!(one.keys(), ["a1", "a2", "b1"]);
    // Nothing new: nothing read.
    assert_eq!(
        two.store.load_new(&[DOC]).unwrap(),
        vec![Vec::<Vec<u8>>::new()]
    );

    // Node two compacts what it holds; node one wrote meanwhile without two knowing.
    one.write("a3");
    let snapshot = two.doc.save();
    two.store.compact(&DOC, &snapshot).unwrap();
    assert_eq!(
        whole(&url),
        ["a1", "a2", "a3", "b1"],
        "a3 outlives two's snapshot"
    );

    // Node one, which saw everything up to a3, compacts; a write from two follows.
    two.write("b2");
    let snapshot = one.doc.save();
    one.store.compact(&DOC, &snapshot).unwrap();
    assert_eq!(whole(&url), ["a1", "a2", "a3", "b1", "b2"]);

    // Both catch up past the other's compaction.
    one.take_new();
    two.take_new();
    assert_eq!(one.keys(), ["a1", "a2", "a3", "b1", "b2"]);
    assert_eq!(two.keys(), ["a1", "a2", "a3", "b1", "b2"]);
    assert_eq!(one.doc.get_heads(), two.doc.get_heads());
}

#[test]
fn sizes_lists_and_actor_bindings_are_shared_and_a_conflicting_binding_is_refused() {
    use linli_server::storage::ActorBinding;
    let pg = PgCluster::start();
    let url = pg.create_database("bindings");
    let mut one = Node::open(&url);
    one.write("x");
    let mut two = PgStore::open(&url).unwrap();
    assert_eq!(two.list().unwrap(), vec![DOC]);
    assert!(two.contains(&DOC).unwrap());
    assert!(two.stored_size(&DOC).unwrap() > 0);
    assert!(two.stored_bytes() > 0, "counted at open");
    let elsewhere = DocumentId::from_bytes([6; 16]);
    let size = two.stored_size(&DOC).unwrap();
    assert_eq!(two.stored_sizes(&[elsewhere, DOC]).unwrap(), vec![0, size]);

    let actor = automerge::ActorId::from(vec![7u8; 16]);
    let community = DocumentId::from_bytes([9; 16]);
    let mine = ActorBinding {
        actor: actor.clone(),
        community,
        member_id: "m1".into(),
    };
    one.store.bind_actors(std::slice::from_ref(&mine)).unwrap();
    // The same binding again (a phone moved nodes): accepted.
    two.bind_actors(std::slice::from_ref(&mine)).unwrap();
    // The same actor for someone else: refused, and nothing of the batch is stored.
    let other = ActorBinding {
        member_id: "m2".into(),
        ..mine.clone()
    };
    let fresh = ActorBinding {
        actor: automerge::ActorId::from(vec![8u8; 16]),
        community,
        member_id: "m2".into(),
    };
    assert!(two.bind_actors(&[fresh, other]).is_err());
    assert_eq!(
        PgStore::open(&url).unwrap().actor_bindings().unwrap(),
        vec![mine]
    );
}
