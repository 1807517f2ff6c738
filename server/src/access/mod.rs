//! Community-scoped access: who may sync which documents.
//!
//! A community is keyed by its community document. Its members hold credentials
//! (`<member id>.<secret>`, only hashes stored); admins invite more members with expiring
//! tokens and can revoke members. Every document belongs to one community; a connection may
//! touch only its member's community's documents ([`rules`]). The registry lives in
//! `<data>/access.json` ([`persist`]) plus the claims of new documents since it was last
//! saved, in `<data>/owners.log` ([`claims`]); the HTTP API is [`api`].

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

use claims::ClaimLog;
use linli_shared::api::MemberRow;
use linli_shared::wire::DocumentId;

use crate::core::Principal;
use crate::storage::ballast::{is_disk_full, Ballast};
pub use linli_shared::api::ApiRefusal;
pub use registry::Registry;
pub use rules::CommunityRules;
pub use secret::equal as secrets_equal;

/// The shared registry: used by the HTTP API and, on the core thread, by [`CommunityRules`].
#[derive(Clone)]
pub struct Access {
    inner: Arc<Mutex<Registry>>,
    /// Where `access.json` lives; `None` keeps the registry in memory only (tests).
    data: Option<PathBuf>,
    /// Claims since `access.json` was last saved (`None` in memory). Locked after `inner`.
    claims: Option<Arc<Mutex<ClaimLog>>>,
    /// Deleted to make room when the disk is too full to store the registry.
    ballast: Option<Ballast>,
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
            inner: Arc::new(Mutex::new(registry)),
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
            inner: Arc::default(),
            data: None,
            claims: None,
            ballast: None,
        }
    }

    pub fn authenticate(&self, credential: &str) -> Option<Principal> {
        self.lock().authenticate(credential)
    }

    pub fn member(&self, credential: &str) -> Option<MemberRow> {
        self.lock().member(credential)
    }

    /// Reads the registry.
    pub fn read<T>(&self, f: impl FnOnce(&Registry) -> T) -> T {
        f(&self.lock())
    }

    /// Changes the registry and stores it; if storing fails nothing changes.
    pub fn update<T>(
        &self,
        f: impl FnOnce(&mut Registry) -> Result<T, ApiRefusal>,
    ) -> Result<T, ApiRefusal> {
        let mut registry = self.lock();
        let mut changed = registry.clone();
        let value = f(&mut changed)?;
        if let Some(data) = &self.data {
            if let Err(error) = self.save(data, &changed) {
                tracing::error!(%error, "cannot store the access registry");
                return Err(ApiRefusal::NotStored);
            }
            // access.json now holds every claim: the log's copies are no longer needed.
            if let Some(Err(error)) = self.claims.as_ref().map(|c| lock(c).clear()) {
                tracing::warn!(%error, "cannot empty the claim log (its claims are kept twice)");
            }
        }
        *registry = changed;
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
        let mut registry = self.lock();
        if let Some(owner) = registry.owner(doc) {
            return Ok(owner == *community);
        }
        if !registry.communities.contains_key(&community.to_string()) {
            return Ok(false);
        }
        if let Some(claims) = &self.claims {
            if let Err(error) = lock(claims).append(doc, community) {
                tracing::error!(%error, "cannot store a document claim");
                return Err(ApiRefusal::NotStored);
            }
        }
        Ok(registry.claim(doc, community))
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock cannot leave a half-applied change: `update`
        // swaps in a complete copy.
        lock(&self.inner)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests;
