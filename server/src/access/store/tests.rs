use std::fs;

use linli_shared::domain::{Role, UnitKind};
use linli_shared::wire::DocumentId;

use super::*;

const NOW: u64 = 1_800_000_000;

fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

#[test]
fn a_registry_written_reads_back_with_every_kind_of_row() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut registry) = RegistryStore::open(dir.path()).unwrap();
    assert!(registry.communities().is_empty());
    let stored = registry.communities().clone();
    let admin = registry.create_community(id(1), Role::Committee).unwrap();
    let row = registry.member(&admin.credential).unwrap();
    let invite = registry
        .create_invite(&row, Role::NeighbourLeader, 3600, 2, NOW)
        .unwrap();
    let joined = registry.join(&invite.token, NOW).unwrap();
    assert!(registry.claim(&id(2), &id(1)));
    let link = registry
        .create_report_link(&row, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
        .unwrap();
    store.write(&stored, registry.communities()).unwrap();
    drop(store);

    let (_, loaded) = RegistryStore::open(dir.path()).unwrap();
    assert_eq!(loaded.communities(), registry.communities());
    assert!(loaded.authenticate(&admin.credential).is_some());
    assert!(loaded.authenticate(&joined.credential).is_some());
    assert_eq!(loaded.owner(&id(2)), Some(id(1)));
    assert_eq!(loaded.report_link(&link.token).unwrap().1.row(), link);
    let bytes = fs::read(dir.path().join(FILE)).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(&admin.credential), "only hashes are stored");
}

#[test]
fn a_change_writes_only_the_rows_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut registry) = RegistryStore::open(dir.path()).unwrap();
    let empty = registry.communities().clone();
    let admins: Vec<_> = (1..=3)
        .map(|n| registry.create_community(id(n), Role::Committee).unwrap())
        .collect();
    // 3 communities, their admins and their documents.
    assert_eq!(store.write(&empty, registry.communities()).unwrap(), 9);
    let stored = registry.communities().clone();

    let mut changed = registry.clone();
    let admin = changed.member(&admins[1].credential).unwrap();
    changed
        .create_invite(&admin, Role::GroupLeader, 3600, 1, NOW)
        .unwrap();
    assert_eq!(
        store.write(&stored, changed.communities()).unwrap(),
        1,
        "one invite row"
    );
    let stored = changed.communities().clone();

    let mut changed = changed.clone();
    let cancelled = changed.open_invites(&admin, NOW).unwrap()[0].id.clone();
    changed.cancel_invite(&admin, &cancelled).unwrap();
    changed.claim(&id(9), &id(2));
    assert_eq!(store.write(&stored, changed.communities()).unwrap(), 2);
    // A change that changed nothing writes nothing, even if it copied a community.
    let mut same = changed.clone();
    assert!(same.join("00.bad", NOW).is_err());
    assert_eq!(
        store
            .write(changed.communities(), same.communities())
            .unwrap(),
        0
    );
    drop(store);
    let (_, loaded) = RegistryStore::open(dir.path()).unwrap();
    assert_eq!(loaded.communities(), changed.communities());
}

/// `access.json` as relays wrote it while roles were plain strings.
const STRING_ROLES: &str = r#"{
  "communities": {
    "4NMNnkMhL8jXrdJ9jamS58PAVdXu": {
      "members": [
        {"id": "00aa11bb", "role": "committee", "admin": true,
         "credential_sha256": "00", "revoked": false},
        {"id": "00cc22dd", "role": "neighbour_leader", "admin": false,
         "credential_sha256": "00", "revoked": true}
      ],
      "invites": [
        {"id": "00ee33ff", "token_sha256": "00", "role": "group_leader",
         "expires_at": 1800000000, "created_by": "00aa11bb"}
      ],
      "documents": ["4NMNnkMhL8jXrdJ9jamS58PAVdXu"]
    }
  }
}"#;

#[test]
fn an_old_access_json_is_imported_once_and_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(LEGACY), STRING_ROLES).unwrap();
    let (_, imported) = RegistryStore::open(dir.path()).unwrap();
    let community = &imported.communities()["4NMNnkMhL8jXrdJ9jamS58PAVdXu"];
    let roles: Vec<Role> = community.members.iter().map(|m| m.role).collect();
    assert_eq!(roles, [Role::Committee, Role::NeighbourLeader]);
    assert_eq!(community.invites[0].role, Role::GroupLeader);
    assert_eq!(
        community.invites[0].max_uses, 1,
        "old invites admit one phone"
    );
    assert!(!dir.path().join(LEGACY).exists());
    assert!(dir.path().join(LEGACY_IMPORTED).exists());
    // A second start reads the store; the kept copy is never read again.
    fs::write(dir.path().join(LEGACY_IMPORTED), "not json").unwrap();
    let (_, again) = RegistryStore::open(dir.path()).unwrap();
    assert_eq!(again.communities(), imported.communities());
}

#[test]
fn a_broken_access_json_stops_the_start_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(LEGACY), "{ not json").unwrap();
    let error = RegistryStore::open(dir.path()).err().unwrap();
    assert!(error.to_string().contains(LEGACY_IMPORTING), "{error}");
    assert!(
        dir.path().join(LEGACY_IMPORTING).exists(),
        "left for the operator"
    );
    // Fixed and put back, the next start imports it.
    fs::write(dir.path().join(LEGACY), STRING_ROLES).unwrap();
    let (_, imported) = RegistryStore::open(dir.path()).unwrap();
    assert_eq!(imported.communities().len(), 1);
}

#[test]
fn an_import_cut_short_by_a_crash_is_finished_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(LEGACY), STRING_ROLES).unwrap();
    let (_, imported) = RegistryStore::open(dir.path()).unwrap();
    // As if the relay died after the import's commit, before setting the file aside.
    fs::rename(
        dir.path().join(LEGACY_IMPORTED),
        dir.path().join(LEGACY_IMPORTING),
    )
    .unwrap();
    let (_, again) = RegistryStore::open(dir.path()).unwrap();
    assert_eq!(again.communities(), imported.communities());
    assert!(dir.path().join(LEGACY_IMPORTED).exists());
    assert!(!dir.path().join(LEGACY_IMPORTING).exists());
}

#[test]
fn an_access_json_written_beside_the_store_stops_the_start() {
    // An older relay started on the directory after the upgrade wrote its changes there.
    let dir = tempfile::tempdir().unwrap();
    drop(RegistryStore::open(dir.path()).unwrap());
    fs::write(dir.path().join(LEGACY), STRING_ROLES).unwrap();
    let error = RegistryStore::open(dir.path()).err().unwrap();
    assert!(error.to_string().contains("beside"), "{error}");
    fs::rename(dir.path().join(LEGACY), dir.path().join("aside.json")).unwrap();
    assert!(RegistryStore::open(dir.path()).is_ok());
}

#[test]
fn the_store_is_the_relays_alone_and_needs_no_file_but_itself_and_its_log() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut registry) = RegistryStore::open(dir.path()).unwrap();
    let stored = registry.communities().clone();
    registry.create_community(id(1), Role::Committee).unwrap();
    store.write(&stored, registry.communities()).unwrap();
    let mode = fs::metadata(dir.path().join(FILE))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(
        !dir.path().join(format!("{FILE}-shm")).exists(),
        "exclusive: no shared index"
    );
}

#[test]
fn a_store_from_a_newer_relay_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(RegistryStore::open(dir.path()).unwrap());
    let conn = Connection::open(dir.path().join(FILE)).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let error = RegistryStore::open(dir.path()).err().unwrap();
    assert!(error.to_string().contains("schema"), "{error}");
}
