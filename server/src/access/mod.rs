//! Community-scoped access: who may sync which documents.
//!
//! A community is keyed by its community document. Its members hold credentials
//! (`<member id>.<secret>`, only hashes stored); admins invite more members with expiring
//! tokens and can revoke members. Every document belongs to one community; a connection may
//! touch only its member's community's documents ([`rules`]). The registry lives in
//! `<data>/access.json` ([`persist`]); the HTTP API is [`api`].

pub mod api;
mod persist;
pub mod registry;
mod rules;
mod secret;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::http::StatusCode;

use crate::core::Principal;
pub use registry::{Granted, Membership, Registry};
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
            AccessError::Storage => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            AccessError::BadRequest(m)
            | AccessError::Forbidden(m)
            | AccessError::NotFound(m)
            | AccessError::Conflict(m) => m,
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
}

impl Access {
    /// Loads the registry of the data directory.
    pub fn open(data: &Path) -> io::Result<Access> {
        Ok(Access {
            inner: Arc::new(Mutex::new(persist::load(data)?)),
            data: Some(data.to_path_buf()),
        })
    }

    /// A registry that is never stored.
    pub fn in_memory() -> Access {
        Access {
            inner: Arc::default(),
            data: None,
        }
    }

    pub fn authenticate(&self, credential: &str) -> Option<Principal> {
        self.lock().authenticate(credential)
    }

    pub fn member(&self, credential: &str) -> Option<Membership> {
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
        }
        *registry = changed;
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock cannot leave a half-applied change: `update`
        // swaps in a complete copy.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
