//! Community-scoped access: who may sync which documents.
//!
//! A community is keyed by its community document. Its members hold credentials
//! (`<member id>.<secret>`, only hashes stored); admins invite more members with expiring
//! tokens and can revoke members. Every document belongs to one community; a connection may
//! touch only its member's community's documents ([`rules`]). The registry lives in
//! `<data>/access.json` ([`persist`]) plus the claims of new documents since it was last
//! saved, in `<data>/owners.log` ([`claims`]); the HTTP API is [`api`]. Storing an update
//! never holds up the core's reads ([`Access`]).

pub mod api;
mod claims;
mod invites;
mod persist;
pub mod registry;
mod rules;
mod secret;
pub mod tickets;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use claims::{Claim, ClaimLog};
use linli_shared::api::MemberRow;
use linli_shared::wire::DocumentId;

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
    /// Where `access.json` lives; `None` keeps the registry in memory only (tests).
    data: Option<PathBuf>,
    /// Claims since `access.json` was last saved (`None` in memory).
    claims: Option<Arc<Mutex<ClaimLog>>>,
    /// Deleted to make room when the disk is too full to store the registry.
    ballast: Option<Ballast>,
}

/// The registry readers see, and the claims made since the update under way (if any) copied
/// it.
#[derive(Default)]
struct Current {
    registry: Arc<Registry>,
    copied: bool,
    claimed_since_copy: Vec<Claim>,
}

impl Access {
    /// Loads the registry of the data directory.
    pub fn open(data: &Path) -> io::Result<Access> {
        let mut registry = persist::load(data)?;
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
            data: Some(data.to_path_buf()),
            claims: Some(Arc::new(Mutex::new(log))),
            ballast: None,
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
            data: None,
            claims: None,
            ballast: None,
        }
    }

    pub fn authenticate(&self, credential: &str) -> Option<Principal> {
        self.registry().authenticate(credential)
    }

    pub fn member(&self, credential: &str) -> Option<MemberRow> {
        self.registry().member(credential)
    }

    /// Reads the registry (as it is now; an update under way is not seen until stored).
    pub fn read<T>(&self, f: impl FnOnce(&Registry) -> T) -> T {
        f(&self.registry())
    }

    /// Changes the registry and stores it; if storing fails nothing changes. Readers see the
    /// registry before the change until it is stored.
    pub fn update<T>(
        &self,
        f: impl FnOnce(&mut Registry) -> Result<T, ApiRefusal>,
    ) -> Result<T, ApiRefusal> {
        let _one_at_a_time = lock(&self.writer);
        let copied = {
            let mut current = lock(&self.current);
            current.copied = true;
            current.registry.clone()
        };
        let mut changed = Registry::clone(&copied);
        drop(copied);
        let stored = f(&mut changed).and_then(|value| match &self.data {
            Some(data) => match self.save(data, &changed) {
                Ok(()) => Ok(value),
                Err(error) => {
                    tracing::error!(%error, "cannot store the access registry");
                    Err(ApiRefusal::NotStored)
                }
            },
            None => Ok(value),
        });
        let value = match stored {
            Ok(value) => value,
            Err(refused) => {
                let mut current = lock(&self.current);
                current.copied = false;
                current.claimed_since_copy.clear();
                return Err(refused);
            }
        };
        // Claims made meanwhile (the core does not wait for updates) are in the log and in
        // the registry readers see: carried over. Locked like `claim`: log, then registry.
        let log = self.claims.as_ref().map(|c| lock(c));
        let mut current = lock(&self.current);
        current.copied = false;
        let claimed = std::mem::take(&mut current.claimed_since_copy);
        for (doc, community) in &claimed {
            if changed.owner(doc).is_none() {
                changed.claim(doc, community);
            }
        }
        let before = std::mem::replace(&mut current.registry, Arc::new(changed));
        drop(current);
        // access.json holds every claim in the log unless some came after the copy.
        if let (Some(mut log), true) = (log, claimed.is_empty()) {
            if let Err(error) = log.clear() {
                tracing::warn!(%error, "cannot empty the claim log (its claims are kept twice)");
            }
        }
        // Freed with no lock held: a city's registry takes milliseconds to free.
        drop(before);
        Ok(value)
    }

    /// Stores `registry`; on a full disk, deletes the ballast and tries once more.
    fn save(&self, data: &Path, registry: &Registry) -> io::Result<()> {
        match persist::save(data, registry) {
            Err(error) if is_disk_full(&error) => {
                if !self.ballast.as_ref().is_some_and(Ballast::release) {
                    return Err(error);
                }
                tracing::error!("the disk is full: deleted the ballast file to store an access change; free space and restart the relay to make it again");
                persist::save(data, registry)
            }
            result => result,
        }
    }

    /// Makes the new document `doc` belong to `community`, unless some community owns it
    /// already. True if `community` owns it afterwards. One appended, fdatasynced record.
    pub fn claim(&self, doc: &DocumentId, community: &DocumentId) -> Result<bool, ApiRefusal> {
        {
            let registry = self.registry();
            if let Some(owner) = registry.owner(doc) {
                return Ok(owner == *community);
            }
            if !registry.communities.contains_key(&community.to_string()) {
                return Ok(false);
            }
        }
        // Only the core claims, one document at a time: nobody claims it meanwhile.
        let mut log = self.claims.as_ref().map(|c| lock(c));
        if let Some(log) = log.as_mut() {
            if let Err(error) = log.append(doc, community) {
                tracing::error!(%error, "cannot store a document claim");
                return Err(ApiRefusal::NotStored);
            }
        }
        let mut current = lock(&self.current);
        if current.copied {
            current.claimed_since_copy.push((*doc, *community));
        }
        // Copies the registry only if a reader holds it at this very moment.
        Ok(Arc::make_mut(&mut current.registry).claim(doc, community))
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
