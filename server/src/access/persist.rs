//! The registry on disk: `<data>/access.json`, replaced atomically (a temporary file,
//! fsynced, renamed over the old one, then the directory fsynced).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::registry::Registry;

pub const FILE: &str = "access.json";
const TEMP: &str = "access.json.tmp";

pub fn path(data: &Path) -> PathBuf {
    data.join(FILE)
}

/// Loads the registry (empty if the relay never stored one).
pub fn load(data: &Path) -> io::Result<Registry> {
    match fs::read(path(data)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{FILE}: {e}"))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Registry::default()),
        Err(e) => Err(e),
    }
}

/// Replaces the stored registry with `registry`; on success it survives a crash.
pub fn save(data: &Path, registry: &Registry) -> io::Result<()> {
    let bytes = serde_json::to_vec(registry).map_err(io::Error::other)?;
    let temp = data.join(TEMP);
    let mut file = File::create(&temp)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, path(data))?;
    File::open(data)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_shared::domain::Role;
    use linli_shared::wire::DocumentId;

    #[test]
    fn a_saved_registry_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).unwrap().communities.is_empty());
        let mut registry = Registry::default();
        let doc = DocumentId::from_bytes([7; 16]);
        let admin = registry.create_community(doc, Role::Committee).unwrap();
        save(dir.path(), &registry).unwrap();
        let loaded = load(dir.path()).unwrap();
        assert!(loaded.authenticate(&admin.credential).is_some());
        assert!(!dir.path().join(TEMP).exists());
        let text = fs::read_to_string(path(dir.path())).unwrap();
        assert!(!text.contains(&admin.credential), "only hashes are stored");
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
    fn a_registry_stored_with_string_roles_loads_and_is_stored_the_same_way() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(path(dir.path()), STRING_ROLES).unwrap();
        let loaded = load(dir.path()).unwrap();
        let community = &loaded.communities["4NMNnkMhL8jXrdJ9jamS58PAVdXu"];
        let roles: Vec<Role> = community.members.iter().map(|m| m.role).collect();
        assert_eq!(roles, [Role::Committee, Role::NeighbourLeader]);
        assert_eq!(community.invites[0].role, Role::GroupLeader);
        save(dir.path(), &loaded).unwrap();
        let old: serde_json::Value = serde_json::from_str(STRING_ROLES).unwrap();
        let new: serde_json::Value =
            serde_json::from_slice(&fs::read(path(dir.path())).unwrap()).unwrap();
        let c = |v: &serde_json::Value| v["communities"]["4NMNnkMhL8jXrdJ9jamS58PAVdXu"].clone();
        assert_eq!(c(&new)["members"], c(&old)["members"]);
        assert_eq!(c(&new)["invites"][0]["role"], "group_leader");
    }
}
