//! The registry as stored: claims go to the claim log, not into the store (`registry.sqlite`).

use std::fs;

use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;

use super::{lock, store, Access, ApiRefusal};

fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

/// A stored registry with community 1, and its admin's grant.
fn with_community_1() -> (tempfile::TempDir, Access, linli_shared::api::Grant) {
    let dir = tempfile::tempdir().unwrap();
    let access = Access::open(dir.path()).unwrap();
    let admin = access
        .update(|r| r.create_community(id(1), Role::Committee))
        .unwrap();
    (dir, access, admin)
}

type Outcome<T> = std::thread::JoinHandle<Result<T, ApiRefusal>>;

/// An update that makes `change`, then waits for the returned sender before it is stored (as
/// storing a city's registry on a slow disk takes its time); returns once it is under way.
fn slow_update<T: Send + 'static>(
    access: &Access,
    change: impl FnOnce(&mut super::Registry) -> Result<T, ApiRefusal> + Send + 'static,
) -> (Outcome<T>, std::sync::mpsc::Sender<()>) {
    let (started, update_started) = std::sync::mpsc::channel();
    let (finish, may_finish) = std::sync::mpsc::channel::<()>();
    let updating = access.clone();
    let update = std::thread::spawn(move || {
        updating.update(move |r| {
            let changed = change(r);
            started.send(()).unwrap();
            may_finish.recv().unwrap();
            changed
        })
    });
    update_started.recv().unwrap();
    (update, finish)
}

#[test]
fn a_claim_is_appended_survives_a_restart_and_is_folded_into_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let access = Access::open(dir.path()).unwrap();
    access
        .update(|r| r.create_community(id(1), Role::Committee))
        .unwrap();
    let stored = fs::read(dir.path().join(store::FILE)).unwrap();

    assert_eq!(access.claim(&id(2), &id(1)), Ok(true));
    assert_eq!(
        access.claim(&id(2), &id(1)),
        Ok(true),
        "claiming again is harmless"
    );
    assert_eq!(
        access.claim(&id(2), &id(7)),
        Ok(false),
        "owned by another community"
    );
    assert_eq!(access.claim(&id(3), &id(7)), Ok(false), "no such community");
    assert_eq!(
        fs::read(dir.path().join(store::FILE)).unwrap(),
        stored,
        "a claim does not write to the store"
    );
    let log = dir.path().join(super::claims::FILE);
    assert_eq!(fs::metadata(&log).unwrap().len(), 8 + 32);

    // A restart (or a crash) reads the claim back from the log.
    drop(access);
    let access = Access::open(dir.path()).unwrap();
    assert_eq!(access.read(|r| r.owner(&id(2))), Some(id(1)));

    // The next change written to the store holds the claim, and the log is emptied.
    access
        .update(|r| r.create_community(id(4), Role::Committee))
        .unwrap();
    assert_eq!(fs::metadata(&log).unwrap().len(), 0);
    drop(access);
    let access = Access::open(dir.path()).unwrap();
    assert_eq!(access.read(|r| r.owner(&id(2))), Some(id(1)));
}

#[test]
fn reads_and_claims_do_not_wait_for_an_update_being_stored() {
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    let (dir, access, admin) = with_community_1();
    let (update, finish) = slow_update(&access, |r| r.create_community(id(5), Role::Committee));

    // Meanwhile the core reads, and claims a new document, without waiting.
    let core = access.clone();
    let credential = admin.credential.clone();
    let (answered, answers) = mpsc::channel();
    thread::spawn(move || {
        let active = core.authenticate(&credential).is_some();
        let claimed = core.claim(&id(2), &id(1));
        let unstored = core.owner(&id(5));
        answered.send((active, claimed, unstored)).unwrap();
    });
    let (active, claimed, unstored) = answers
        .recv_timeout(Duration::from_secs(10))
        .expect("the core's reads and claims do not wait for an update");
    assert!(active);
    assert_eq!(claimed, Ok(true));
    assert_eq!(unstored, None, "an update is seen once stored");

    finish.send(()).unwrap();
    update.join().unwrap().unwrap();
    // Both the update and the claim made while it was stored are kept, and after a restart:
    // the store lacks the claim, so the claim log keeps it.
    let kept = |access: &Access| {
        assert_eq!(access.owner(&id(5)), Some(id(5)));
        assert_eq!(access.owner(&id(2)), Some(id(1)));
        assert_eq!(access.read(|r| r.owner(&id(2))), Some(id(1)), "folded in");
    };
    kept(&access);
    drop(access);
    kept(&Access::open(dir.path()).unwrap());
}

#[test]
fn a_document_claimed_while_an_update_registers_it_stays_claimed() {
    let (dir, access, _) = with_community_1();
    // Someone registers document 9 as a community ...
    let (update, finish) = slow_update(&access, |r| r.create_community(id(9), Role::Committee));
    // ... while the core lets a member of community 1 create it (without waiting for it).
    let core = access.clone();
    let (answered, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || answered.send(core.claim(&id(9), &id(1))).unwrap());
    let claimed = answer.recv_timeout(std::time::Duration::from_secs(10));
    assert_eq!(claimed.expect("the claim does not wait"), Ok(true));
    finish.send(()).unwrap();
    assert!(matches!(
        update.join().unwrap(),
        Err(ApiRefusal::AlreadyRegistered)
    ));
    let claimed = |access: &Access| {
        assert_eq!(access.owner(&id(9)), Some(id(1)));
        assert!(!access.read(|r| r.communities.contains_key(&id(9).to_string())));
    };
    claimed(&access);
    drop(access);
    claimed(&Access::open(dir.path()).unwrap());
}

#[test]
fn a_document_being_registered_is_not_claimed_while_it_is_stored() {
    let (dir, access, _) = with_community_1();
    // Hold the store, so that the registration stops while it is being written.
    let store = access.store.clone().unwrap();
    let held = store.lock().unwrap();
    let registering = access.clone();
    let update = std::thread::spawn(move || {
        registering.update(|r| r.create_community(id(9), Role::Committee))
    });
    let reserved = |access: &Access| lock(&access.current).registering.contains(&id(9));
    let started = std::time::Instant::now();
    while !reserved(&access) {
        assert!(
            started.elapsed().as_secs() < 10,
            "the update reserves its document"
        );
        std::thread::yield_now();
    }
    // The core would let a member of community 1 create document 9: refused, the
    // registration came first (a crash now must not leave two owners).
    assert_eq!(access.claim(&id(9), &id(1)), Ok(false));
    drop(held);
    update.join().unwrap().unwrap();
    let registered = |access: &Access| assert_eq!(access.owner(&id(9)), Some(id(9)));
    registered(&access);
    drop((access, store));
    registered(&Access::open(dir.path()).unwrap());
}
