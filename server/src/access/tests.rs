//! The registry as stored: claims go to the claim log, not into a rewrite of access.json.

use std::fs;

use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;

use super::{persist, Access};

fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

#[test]
fn a_claim_is_appended_survives_a_restart_and_is_folded_into_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let access = Access::open(dir.path()).unwrap();
    access
        .update(|r| r.create_community(id(1), Role::Committee))
        .unwrap();
    let json = fs::read(persist::path(dir.path())).unwrap();

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
        fs::read(persist::path(dir.path())).unwrap(),
        json,
        "a claim does not rewrite access.json"
    );
    let log = dir.path().join(super::claims::FILE);
    assert_eq!(fs::metadata(&log).unwrap().len(), 8 + 32);

    // A restart (or a crash) reads the claim back from the log.
    drop(access);
    let access = Access::open(dir.path()).unwrap();
    assert_eq!(access.read(|r| r.owner(&id(2))), Some(id(1)));

    // The next save of access.json holds the claim, and the log is emptied.
    access
        .update(|r| r.create_community(id(4), Role::Committee))
        .unwrap();
    assert_eq!(fs::metadata(&log).unwrap().len(), 0);
    drop(access);
    let access = Access::open(dir.path()).unwrap();
    assert_eq!(access.read(|r| r.owner(&id(2))), Some(id(1)));
}
