//! The registry on a PostgreSQL database shared by several relay nodes
//! (`crate::database::registry`): changes are made under the database's registry lock after
//! taking what other nodes changed; claims and owner lookups use their own connection, so
//! the core never waits for a change under way.

use std::io;
use std::sync::{Arc, Mutex};

use linli_shared::wire::DocumentId;
use tokio::sync::mpsc::UnboundedSender;

use super::{lock, Access, ApiRefusal, Current, Registry};
use crate::database::registry::{Changed, PgOwners, PgRegistry};

#[derive(Clone)]
pub(super) struct Shared {
    registry: Arc<Mutex<PgRegistry>>,
    owners: Arc<Mutex<PgOwners>>,
    /// Where the ids of members who lost access through another node's change go (their
    /// sockets on this node are closed).
    cut_off: Arc<Mutex<Option<UnboundedSender<String>>>>,
}

impl Access {
    /// The registry of the database at `url` (schema made or migrated).
    pub fn open_database(url: &str) -> io::Result<Access> {
        let registry = PgRegistry::open(url)?;
        let owners = PgOwners::connect(url)?;
        let communities = registry.communities().clone();
        Ok(Access {
            current: Arc::new(Mutex::new(Current {
                registry: Arc::new(Registry::from_communities(communities)),
                ..Current::default()
            })),
            writer: Arc::default(),
            store: None,
            data: None,
            claims: None,
            ballast: None,
            database: Some(Shared {
                registry: Arc::new(Mutex::new(registry)),
                owners: Arc::new(Mutex::new(owners)),
                cut_off: Arc::default(),
            }),
        })
    }

    /// Sends the ids of members another node revoked (or removed) to `to`.
    pub fn on_cut_off(&self, to: UnboundedSender<String>) {
        if let Some(database) = &self.database {
            *lock(&database.cut_off) = Some(to);
        }
    }

    /// Takes what other nodes changed in the registry since this node last read it (the
    /// database notified a change, or this node reconnected). Nothing to do without a
    /// database.
    pub fn catch_up(&self) -> io::Result<()> {
        let Some(database) = &self.database else {
            return Ok(());
        };
        let _one_at_a_time = lock(&self.writer);
        let changed = lock(&database.registry).catch_up()?;
        self.take_changed(database, &changed);
        Ok(())
    }

    fn take_changed(&self, database: &Shared, changed: &Changed) {
        if changed.is_empty() {
            return;
        }
        let cut_off: Vec<String> = {
            let mut current = lock(&self.current);
            let registry = Arc::make_mut(&mut current.registry);
            changed
                .iter()
                .flat_map(|(key, community)| registry.replace_community(key, community.clone()))
                .collect()
        };
        if let Some(to) = lock(&database.cut_off).as_ref() {
            for member in cut_off {
                let _ = to.send(member);
            }
        }
    }

    pub(super) fn update_in_database<T: Send>(
        &self,
        database: &Shared,
        f: impl FnOnce(&mut Registry) -> Result<T, ApiRefusal> + Send,
    ) -> Result<T, ApiRefusal> {
        let _one_at_a_time = lock(&self.writer);
        let mut refused = None;
        let made = lock(&database.registry).update(|changed| {
            self.take_changed(database, changed);
            let mut registry = Registry::clone(&self.registry());
            match f(&mut registry) {
                Ok(value) => Some((registry.communities().clone(), (value, registry))),
                Err(refusal) => {
                    refused = Some(refusal);
                    None
                }
            }
        });
        match made {
            Ok((_, Some((value, registry)))) => {
                let before =
                    std::mem::replace(&mut lock(&self.current).registry, Arc::new(registry));
                drop(before); // freed with no lock held
                Ok(value)
            }
            Ok((_, None)) => Err(refused.unwrap_or(ApiRefusal::NotStored)),
            Err(error) => {
                tracing::error!(%error, "cannot store the access registry");
                Err(ApiRefusal::NotStored)
            }
        }
    }

    pub(super) fn claim_in_database(
        &self,
        database: &Shared,
        doc: &DocumentId,
        community: &DocumentId,
    ) -> Result<bool, ApiRefusal> {
        let claimed = lock(&database.owners).claim(&doc.to_string(), &community.to_string());
        let owner: DocumentId = match claimed.map(|o| o.parse()) {
            Ok(Ok(owner)) => owner,
            Ok(Err(_)) => return Ok(false),
            Err(error) => {
                tracing::error!(%error, "cannot store a document claim");
                return Err(ApiRefusal::NotStored);
            }
        };
        Arc::make_mut(&mut lock(&self.current).registry).claim(doc, &owner);
        Ok(owner == *community)
    }

    /// The owner of a document this node has not heard of, from the database (another node
    /// claimed it); remembered.
    pub(super) fn owner_in_database(
        &self,
        database: &Shared,
        doc: &DocumentId,
    ) -> Option<DocumentId> {
        let owner: DocumentId = match lock(&database.owners).owner(&doc.to_string()) {
            Ok(owner) => owner?.parse().ok()?,
            Err(error) => {
                tracing::warn!(%error, "cannot ask the database who owns a document");
                return None;
            }
        };
        Arc::make_mut(&mut lock(&self.current).registry).claim(doc, &owner);
        Some(owner)
    }

    /// Whether a credential this node does not know may be one another node just made: asks
    /// the database once (a wrong credential costs one small query).
    pub(super) fn caught_up_for_unknown(&self) -> bool {
        self.database.is_some() && self.catch_up().is_ok()
    }
}
