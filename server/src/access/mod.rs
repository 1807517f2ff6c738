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

use axum::http::StatusCode;

use claims::ClaimLog;
use linli_shared::api::MemberRow;
use linli_shared::wire::DocumentId;

use crate::core::Principal;
pub use registry::Registry;
pub use rules::CommunityRules;
pub use secret::equal as secrets_equal;

/// Why an access request was refused; the message is safe to show and log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessError {
    BadRequest(&'static str),
    Unauthorized,
    Forbidden(&'static str),
    NotFound(&'static str),
    Conflict(&'static str),
    TooMany(&'static str),
    /// The registry could not be stored; nothing changed.
    Storage,
}

impl AccessError {
    pub fn status(&self) -> StatusCode {
        match self {
            AccessError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AccessError::Unauthorized => StatusCode::UNAUTHORIZED,
            AccessError::Forbidden(_) => StatusCode::FORBIDDEN,
            AccessError::NotFound(_) => StatusCode::NOT_FOUND,
            AccessError::Conflict(_) => StatusCode::CONFLICT,
            AccessError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            AccessError::Storage => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            AccessError::BadRequest(m)
            | AccessError::Forbidden(m)
            | AccessError::NotFound(m)
            | AccessError::Conflict(m)
            | AccessError::TooMany(m) => m,
            AccessError::Unauthorized => "a valid member credential is required",
            AccessError::Storage => "the relay could not store this change; try again",
        }
    }
}

/// The shared registry: used by the HTTP API and, on the core thread, by [`CommunityRules`].
#[derive(Clone)]
pub struct Access {
    inner: Arc<Mutex<Registry>>,
    /// Where `access.json` lives; `None` keeps the registry in memory only (tests).
    data: Option<PathBuf>,
    /// Claims since `access.json` was last saved (`None` in memory). Locked after `inner`.
    claims: Option<Arc<Mutex<ClaimLog>>>,
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
        })
    }

    /// A registry that is never stored.
    pub fn in_memory() -> Access {
        Access {
            inner: Arc::default(),
            data: None,
            claims: None,
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
        f: impl FnOnce(&mut Registry) -> Result<T, AccessError>,
    ) -> Result<T, AccessError> {
        let mut registry = self.lock();
        let mut changed = registry.clone();
        let value = f(&mut changed)?;
        if let Some(data) = &self.data {
            if let Err(error) = persist::save(data, &changed) {
                tracing::error!(%error, "cannot store the access registry");
                return Err(AccessError::Storage);
            }
            // access.json now holds every claim: the log's copies are no longer needed.
            if let Some(Err(error)) = self.claims.as_ref().map(|c| lock(c).clear()) {
                tracing::warn!(%error, "cannot empty the claim log (its claims are kept twice)");
            }
        }
        *registry = changed;
        Ok(value)
    }

    /// Makes the new document `doc` belong to `community`, unless some community owns it
    /// already. True if `community` owns it afterwards. One appended, fdatasynced record.
    pub fn claim(&self, doc: &DocumentId, community: &DocumentId) -> Result<bool, AccessError> {
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
                return Err(AccessError::Storage);
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
