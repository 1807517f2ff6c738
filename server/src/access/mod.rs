//! Community-scoped access: who may sync which documents.
//!
//! A community is keyed by its community document. Its members hold credentials
//! (`<member id>.<secret>`, only hashes stored); admins invite more members with expiring
//! tokens and can revoke members. Every document belongs to one community; a connection may
//! touch only its member's community's documents ([`rules`]). The registry lives in
//! `<data>/registry.sqlite` ([`store`]: one transaction per change, writing only the rows it
//! changed) plus the claims of new documents since the last change, in `<data>/owners.log`
//! ([`claims`]); the HTTP API is [`api`]. Storing an update never holds up the core's reads
//! ([`Access`]).

pub mod api;
mod claims;
mod database;
mod invites;
pub mod registry;
pub mod report_links;
mod rules;
mod secret;
pub(crate) mod store;
pub mod tickets;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use claims::ClaimLog;
use linli_shared::api::MemberRow;
use linli_shared::wire::DocumentId;
use registry::Community;
use store::RegistryStore;

use crate::core::Principal;
use crate::storage::ballast::{is_disk_full, Ballast};
pub use linli_shared::api::ApiRefusal;
pub use registry::Registry;
pub use rules::CommunityRules;
pub use secret::equal as secrets_equal;

/// The shared registry: used by the HTTP API and, on the core thread, by [`CommunityRules`].
///
/// Readers (the core, for every message) take the registry as it is, a shared copy, under a
/// lock held only to copy the pointer. An update copies the registry, changes the copy and
/// stores it with no lock readers wait for, then swaps it in: a slow disk holds up the API
/// call that changes the registry, never the core. Locks, in this order: `writer` (one
/// update at a time), `claims` (the log), `current`.
#[derive(Clone)]
pub struct Access {
    current: Arc<Mutex<Current>>,
    writer: Arc<Mutex<()>>,
    /// The store and the communities as it holds them; `None` keeps the registry in memory
    /// only (tests).
    store: Option<Arc<Mutex<Stored>>>,
    /// The data directory (`None` in memory).
    data: Option<PathBuf>,
    /// Claims since the store last took a change (`None` in memory).
    claims: Option<Arc<Mutex<ClaimLog>>>,
    /// Deleted to make room when the disk is too full to store the registry.
    ballast: Option<Ballast>,
    /// The registry in PostgreSQL, shared with other relay nodes (`None`: `store`).
    database: Option<database::Shared>,
}

/// The registry readers see, and the claims made while an update was under way: kept beside
/// the registry (lookups ask both), since changing the registry then would copy it whole on
/// the core thread. The update that ends folds them in.
#[derive(Default)]
struct Current {
    registry: Arc<Registry>,
    /// An update copied the registry and has not swapped its copy in.
    updating: bool,
    /// Community documents the update under way registers: no claim takes them.
    registering: HashSet<DocumentId>,
    recent: HashMap<DocumentId, DocumentId>,
}

/// The registry's store, and the communities as last written to it: a change writes what
/// differs from these (`store.rs`).
struct Stored {
    store: RegistryStore,
    communities: BTreeMap<String, Arc<Community>>,
}

impl Current {
    fn owner(&self, doc: &DocumentId) -> Option<DocumentId> {
        self.recent
            .get(doc)
            .copied()
            .or_else(|| self.registry.owner(doc))
    }

    /// Folds the recent claims into the registry (no update is under way).
    fn fold_recent(&mut self) {
        self.updating = false;
        if self.recent.is_empty() {
            return;
        }
        let registry = Arc::make_mut(&mut self.registry);
        for (doc, community) in self.recent.drain() {
            registry.claim(&doc, &community);
        }
    }
}

impl Access {
    /// Loads the registry of the data directory.
    pub fn open(data: &Path) -> io::Result<Access> {
        let (store, mut registry) = RegistryStore::open(data)?;
        let stored = Stored {
            store,
            communities: registry.communities().clone(),
        };
        let (log, claims) = ClaimLog::open(data)?;
        for (doc, community) in claims {
            if registry.owner(&doc).is_none() {
                registry.claim(&doc, &community);
            }
        }
        Ok(Access {
            current: Arc::new(Mutex::new(Current {
                registry: Arc::new(registry),
                ..Current::default()
            })),
            writer: Arc::default(),
            store: Some(Arc::new(Mutex::new(stored))),
            data: Some(data.to_path_buf()),
            claims: Some(Arc::new(Mutex::new(log))),
            ballast: None,
            database: None,
        })
    }

    /// Keeps a ballast file of `bytes` in the data directory, deleted to store the registry
    /// when the disk is full ([`Ballast`]).
    pub fn with_ballast(mut self, bytes: u64) -> Access {
        if let Some(data) = &self.data {
            self.ballast = Some(Ballast::keep(data, bytes));
        }
        self
    }

    /// A registry that is never stored.
    pub fn in_memory() -> Access {
        Access {
            current: Arc::default(),
            writer: Arc::default(),
            store: None,
            data: None,
            claims: None,
            ballast: None,
            database: None,
        }
    }

    /// The member of `credential`. On a shared database, one made on another node a moment
    /// ago is found too.
    pub fn authenticate(&self, credential: &str) -> Option<Principal> {
        let found = self.registry().authenticate(credential);
        match found {
            None if self.caught_up_for_unknown() => self.registry().authenticate(credential),
            found => found,
        }
    }

    pub fn member(&self, credential: &str) -> Option<MemberRow> {
        let found = self.registry().member(credential);
        match found {
            None if self.caught_up_for_unknown() => self.registry().member(credential),
            found => found,
        }
    }

    /// Reads the registry (as it is now; an update under way is not seen until stored). Claims
    /// made while an update is under way are beside it: ask [`Access::owner`] for owners.
    ///
    /// On a shared database, what other nodes committed before this call is read first (an
    /// admin listing members right after a phone joined through another node sees it).
    pub fn read<T>(&self, f: impl FnOnce(&Registry) -> T) -> T {
        if let Err(error) = self.catch_up() {
            tracing::warn!(%error, "cannot read the registry's changes; answering from memory");
        }
        f(&self.registry())
    }

    /// Changes the registry and stores it; if storing fails nothing changes. Readers see the
    /// registry before the change until it is stored.
    pub fn update<T: Send>(
        &self,
        f: impl FnOnce(&mut Registry) -> Result<T, ApiRefusal> + Send,
    ) -> Result<T, ApiRefusal> {
        if let Some(database) = &self.database {
            return self.update_in_database(database, f);
        }
        let _one_at_a_time = lock(&self.writer);
        let copied = {
            let mut current = lock(&self.current);
            current.fold_recent();
            current.updating = true;
            current.registry.clone()
        };
        let mut changed = Registry::clone(&copied);
        let value = match f(&mut changed) {
            Ok(value) => value,
            Err(refused) => {
                lock(&self.current).fold_recent();
                return Err(refused);
            }
        };
        // The communities this update registers: if the core let a member create one of their
        // documents meanwhile, that claim came first; otherwise they are reserved, so that no
        // claim takes them while they are stored (a crash then leaves one owner, not two).
        let registering: HashSet<DocumentId> = changed
            .communities()
            .keys()
            .filter(|key| !copied.communities().contains_key(*key))
            .filter_map(|key| key.parse().ok())
            .collect();
        drop(copied);
        {
            let mut current = lock(&self.current);
            if registering
                .iter()
                .any(|doc| current.recent.contains_key(doc))
            {
                current.fold_recent();
                return Err(ApiRefusal::AlreadyRegistered);
            }
            current.registering = registering;
        }
        if let Some(store) = &self.store {
            if let Err(refused) = self.write(store, &changed) {
                let mut current = lock(&self.current);
                current.registering.clear();
                current.fold_recent();
                return Err(refused);
            }
        }
        // Claims made meanwhile (the core does not wait for updates) are in the log and beside
        // the registry readers see: carried over. Locked like `claim`: log, then registry.
        let log = self.claims.as_ref().map(|c| lock(c));
        let mut current = lock(&self.current);
        current.registering.clear();
        let recent = std::mem::take(&mut current.recent);
        debug_assert!(
            !recent
                .iter()
                .any(|(doc, community)| changed.owner(doc).is_some_and(|o| o != *community)),
            "a claim took a document being registered"
        );
        let nothing_claimed = recent.is_empty();
        for (doc, community) in &recent {
            changed.claim(doc, community);
        }
        current.updating = false;
        let before = std::mem::replace(&mut current.registry, Arc::new(changed));
        drop(current);
        // The store holds every claim in the log unless some came after the copy.
        if let (Some(mut log), true) = (log, nothing_claimed) {
            if let Err(error) = log.clear() {
                tracing::warn!(%error, "cannot empty the claim log (its claims are kept twice)");
            }
        }
        // Freed with no lock held: a city's registry takes milliseconds to free.
        drop(before);
        Ok(value)
    }

    /// Writes what `registry` changed to the store, refusing as the API says when it cannot;
    /// on a full disk, deletes the ballast and tries once more.
    fn write(&self, store: &Mutex<Stored>, registry: &Registry) -> Result<(), ApiRefusal> {
        let mut stored = lock(store);
        let Stored { store, communities } = &mut *stored;
        let mut written = store.write(communities, registry.communities());
        if let Err(error) = &written {
            if is_disk_full(error) && self.ballast.as_ref().is_some_and(Ballast::release) {
                tracing::error!("the disk is full: deleted the ballast file to store an access change; free space and restart the relay to make it again");
                written = store.write(communities, registry.communities());
            }
        }
        match written {
            Ok(_) => {
                *communities = registry.communities().clone();
                Ok(())
            }
            Err(error) => {
                tracing::error!(%error, "cannot store the access registry");
                Err(ApiRefusal::NotStored)
            }
        }
    }

    /// Makes the new document `doc` belong to `community`, unless some community owns it
    /// already. True if `community` owns it afterwards. One appended, fdatasynced record.
    pub fn claim(&self, doc: &DocumentId, community: &DocumentId) -> Result<bool, ApiRefusal> {
        {
            let current = lock(&self.current);
            if let Some(owner) = current.owner(doc) {
                return Ok(owner == *community);
            }
            if current.registering.contains(doc) {
                return Ok(false); // being registered as a community
            }
            if !current
                .registry
                .communities
                .contains_key(&community.to_string())
            {
                return Ok(false);
            }
        }
        if let Some(database) = &self.database {
            return self.claim_in_database(database, doc, community);
        }
        let mut log = self.claims.as_ref().map(|c| lock(c));
        if let Some(log) = log.as_mut() {
            if let Err(error) = log.append(doc, community) {
                tracing::error!(%error, "cannot store a document claim");
                return Err(ApiRefusal::NotStored);
            }
        }
        let mut current = lock(&self.current);
        // An update may have swapped in a registry that gives the document to another
        // community meanwhile (the log's record is then ignored when it is read).
        if let Some(owner) = current.owner(doc) {
            return Ok(owner == *community);
        }
        if current.registering.contains(doc) {
            return Ok(false); // its record in the log is ignored when it is read
        }
        if current.updating {
            current.recent.insert(*doc, *community);
            Ok(true)
        } else {
            // Copies the registry only if a reader holds it at this very moment.
            Ok(Arc::make_mut(&mut current.registry).claim(doc, community))
        }
    }

    /// Whether `member_id` exists and is not revoked. Asked under the lock, not on a copy of
    /// the pointer: a reader holding the last copy after a swap would free the old registry.
    pub fn is_active(&self, member_id: &str) -> bool {
        lock(&self.current).registry.is_active(member_id)
    }

    /// The community that owns `doc` (claims made during an update included).
    pub fn owner(&self, doc: &DocumentId) -> Option<DocumentId> {
        let known = lock(&self.current).owner(doc);
        match (&self.database, known) {
            (Some(database), None) => self.owner_in_database(database, doc),
            (_, known) => known,
        }
    }

    /// The registry as it is now. A panic in an update cannot leave a half-applied change:
    /// `update` swaps in a complete copy.
    fn registry(&self) -> Arc<Registry> {
        lock(&self.current).registry.clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests;
