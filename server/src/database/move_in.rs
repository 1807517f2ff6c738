//! Moving an embedded relay's data directory into PostgreSQL (`--move-into-database`).
//!
//! Each document goes in as one full save (its history whole, compacted); the registry as
//! one change (the communities with the claims of `owners.log` folded in); the actor
//! bindings, the storage id and the residents' tracking key as they are, so that phones,
//! their pending changes and residents' tracking links keep working. The database must be
//! empty: moving into one that holds a relay's data would mix two relays.

use std::io;
use std::path::Path;

use super::registry::PgRegistry;
use super::PgStore;
use crate::access::Access;
use crate::resident::TrackingKey;
use crate::storage::{FileStore, Storage};

/// What was copied.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    pub documents: usize,
    pub communities: usize,
    pub actor_bindings: usize,
}

/// Copies the data directory `data` (its lock held by the caller) into the database `url`.
pub fn move_data_dir(data: &Path, url: &str) -> io::Result<Moved> {
    let mut files = FileStore::open(data)?;
    let access = Access::open(data)?;
    let communities = access.read(|r| r.communities().clone());
    let mut database = PgStore::open(url)?;
    let mut registry = PgRegistry::open(url)?;
    if !database.list()?.is_empty() || !registry.communities().is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "the database already holds a relay's documents or registry; move into an empty one",
        ));
    }
    let mut moved = Moved::default();
    for id in files.list()? {
        let Some(stored) = files.load(&id)? else {
            continue;
        };
        let doc = stored
            .to_automerge()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{id}: {e}")))?;
        database.append(&id, &doc.clone().save())?;
        moved.documents += 1;
    }
    let bindings = files.actor_bindings()?;
    database.bind_actors(&bindings)?;
    moved.actor_bindings = bindings.len();
    let relay_id = files.relay_id(|| uuid::Uuid::new_v4().to_string())?;
    database.put_setting("relay-id", relay_id.as_bytes())?;
    let key = TrackingKey::open(data)?;
    database.put_setting("resident-key", &key.to_bytes())?;
    moved.communities = communities.len();
    registry.update(|_| Some((communities, ())))?;
    Ok(moved)
}
