//! The registry in PostgreSQL: the same rows as `registry.sqlite` (`access::store`), written
//! by any node. Every node holds the whole registry in memory (the core asks it for every
//! message) and keeps it current from `registry_log`: each change appends the registry's next
//! version with the communities it touched, and sends `NOTIFY linli_registry` with it at the
//! commit. A node reads the communities changed after the version it holds:
//! - when notified (`database::listen`);
//! - at the start of its own change, under `pg_advisory_xact_lock`, so that a change is
//!   always made to the registry as committed (two nodes using one invite's last use: the
//!   second sees it used).
//!
//! Claims of new documents are single `documents` rows (the unique index on `doc` gives one
//! owner); they do not change the version: another node asks the database for an owner it
//! does not know ([`PgRegistry::owner`]).

use std::collections::BTreeSet;
use std::io;
use std::sync::Arc;

use postgres::{Client, GenericClient};

use super::{off_runtime, pg};
use crate::access::registry::Community;
use crate::access::store::{row_changes, Communities, RowChange, COMMUNITY_TABLES};
use load::load;

mod load;

/// `pg_advisory_xact_lock` key: one registry change at a time, across nodes.
const REGISTRY_LOCK: i64 = 0x6c69_6e6c_6900_0002;

/// How long checking the connection before a change may take.
const CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Communities another node changed: the new value of each (`None`: deleted).
pub type Changed = Vec<(String, Option<Arc<Community>>)>;

pub struct PgRegistry {
    url: String,
    client: Client,
    /// The last registry version this node read.
    version: i64,
    /// The communities as stored at `version`: a change writes what differs from these.
    stored: Communities,
}

impl PgRegistry {
    /// Connects (making or migrating the schema) and reads the whole registry.
    pub fn open(url: &str) -> io::Result<PgRegistry> {
        let mut client = super::open(url)?;
        let (version, stored) = off_runtime(|| {
            let mut tx = client.transaction()?;
            let version = current_version(&mut tx)?;
            let stored = load(&mut tx, None)?;
            tx.commit()?;
            Ok((version, stored))
        })
        .map_err(pg)?;
        Ok(PgRegistry {
            url: url.to_string(),
            client,
            version,
            stored,
        })
    }

    pub fn communities(&self) -> &Communities {
        &self.stored
    }

    /// What other nodes changed since this node last read (and now holds it).
    pub fn catch_up(&mut self) -> io::Result<Changed> {
        let version = self.version;
        let (now, changed) = self.run(|c| {
            let mut tx = c.transaction()?;
            let found = read_changes(&mut tx, version)?;
            tx.commit()?;
            Ok(found)
        })?;
        self.take(now, &changed);
        Ok(changed)
    }

    /// One change, in one transaction under the registry lock: `change` is given what other
    /// nodes changed since this node last read (it must apply that first), and returns the
    /// communities after its own change, or `None` to change nothing. Its value is returned
    /// once the rows are committed.
    pub fn update<T: Send>(
        &mut self,
        change: impl FnOnce(&Changed) -> Option<(Communities, T)> + Send,
    ) -> io::Result<(Changed, Option<T>)> {
        let PgRegistry {
            url,
            client,
            version,
            stored,
        } = self;
        let (version, stored) = (*version, &*stored);
        let (now, changed, made) = off_runtime(move || -> io::Result<_> {
            // `change` runs once: a connection lost while the database restarted is found
            // (and made again) before the transaction starts, not during it.
            if client.is_closed() || client.is_valid(CHECK_TIMEOUT).is_err() {
                *client = super::client(url).map_err(pg)?;
                tracing::info!("reconnected to the database");
            }
            let mut tx = client.transaction().map_err(pg)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&REGISTRY_LOCK])
                .map_err(pg)?;
            let (now, changed) = read_changes(&mut tx, version).map_err(pg)?;
            let mut caught_up = stored.clone();
            for (key, community) in &changed {
                match community {
                    Some(c) => caught_up.insert(key.clone(), c.clone()),
                    None => caught_up.remove(key),
                };
            }
            let Some((after, value)) = change(&changed) else {
                tx.commit().map_err(pg)?;
                return Ok((now, changed, None));
            };
            let touched = write_rows(&mut tx, &caught_up, &after).map_err(pg)?;
            let next = now + 1;
            tx.execute(
                "INSERT INTO registry_log (v, communities) VALUES ($1, $2)",
                &[&next, &touched],
            )
            .map_err(pg)?;
            tx.execute(
                "SELECT pg_notify('linli_registry', $1)",
                &[&next.to_string()],
            )
            .map_err(pg)?;
            tx.commit().map_err(pg)?;
            Ok((next, changed, Some((after, value))))
        })?;
        match made {
            Some((after, value)) => {
                self.version = now;
                self.stored = after;
                Ok((changed, Some(value)))
            }
            None => {
                self.take(now, &changed);
                Ok((changed, None))
            }
        }
    }

    fn take(&mut self, version: i64, changed: &Changed) {
        self.version = self.version.max(version);
        for (key, community) in changed {
            match community {
                Some(c) => self.stored.insert(key.clone(), c.clone()),
                None => self.stored.remove(key),
            };
        }
    }

    fn run<T: Send>(
        &mut self,
        f: impl FnMut(&mut Client) -> Result<T, postgres::Error> + Send,
    ) -> io::Result<T> {
        super::run(&self.url, &mut self.client, f)
    }
}

/// A second connection, for the core's questions of who owns a document: they never wait
/// for a registry change under way on [`PgRegistry`]'s connection.
pub struct PgOwners {
    url: String,
    client: Client,
}

impl PgOwners {
    pub fn connect(url: &str) -> io::Result<PgOwners> {
        Ok(PgOwners {
            url: url.to_string(),
            client: super::connect(url)?,
        })
    }

    /// Claims `doc` for `community` unless another community owns it; returns its owner.
    pub fn claim(&mut self, doc: &str, community: &str) -> io::Result<String> {
        self.run(|c| {
            c.execute(
                "INSERT INTO documents (community, doc) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&community, &doc],
            )?;
            let row = c.query_one("SELECT community FROM documents WHERE doc = $1", &[&doc])?;
            Ok(row.get(0))
        })
    }

    /// The community that owns `doc`, as committed.
    pub fn owner(&mut self, doc: &str) -> io::Result<Option<String>> {
        let row =
            self.run(|c| c.query_opt("SELECT community FROM documents WHERE doc = $1", &[&doc]))?;
        Ok(row.map(|r| r.get(0)))
    }

    fn run<T: Send>(
        &mut self,
        f: impl FnMut(&mut Client) -> Result<T, postgres::Error> + Send,
    ) -> io::Result<T> {
        super::run(&self.url, &mut self.client, f)
    }
}

fn current_version(c: &mut impl GenericClient) -> Result<i64, postgres::Error> {
    let row = c.query_one("SELECT coalesce(max(v), 0)::bigint FROM registry_log", &[])?;
    Ok(row.get(0))
}

/// The registry's version now, and the communities changed after `since`, read whole.
fn read_changes(c: &mut impl GenericClient, since: i64) -> Result<(i64, Changed), postgres::Error> {
    let mut keys = BTreeSet::new();
    let mut now = since;
    for row in c.query(
        "SELECT v, communities FROM registry_log WHERE v > $1 ORDER BY v",
        &[&since],
    )? {
        now = row.get(0);
        keys.extend(row.get::<_, Vec<String>>(1));
    }
    if keys.is_empty() {
        return Ok((now, Vec::new()));
    }
    let keys: Vec<String> = keys.into_iter().collect();
    let mut found = load(c, Some(&keys))?;
    let changed = keys
        .into_iter()
        .map(|k| {
            let community = found.remove(&k);
            (k, community)
        })
        .collect();
    Ok((now, changed))
}

/// Writes the rows that differ; returns the communities touched.
fn write_rows(
    tx: &mut impl GenericClient,
    stored: &Communities,
    now: &Communities,
) -> Result<Vec<String>, postgres::Error> {
    let mut touched = BTreeSet::new();
    for row in row_changes(stored, now) {
        let key = match row {
            RowChange::AddCommunity(key) => {
                tx.execute("INSERT INTO communities (key) VALUES ($1)", &[&key])?;
                key
            }
            RowChange::DeleteCommunity(key) => {
                tx.execute("DELETE FROM communities WHERE key = $1", &[&key])?;
                for table in COMMUNITY_TABLES {
                    let statement = format!("DELETE FROM {table} WHERE community = $1");
                    tx.execute(&statement, &[&key])?;
                }
                key
            }
            RowChange::PutMember(key, seq, m) => {
                tx.execute(
                    "INSERT INTO members (community, id, seq, role, admin, credential_sha256, \
                     revoked, invite_id, invited_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) \
                     ON CONFLICT (community, id) DO UPDATE SET seq = $3, role = $4, admin = $5, \
                     credential_sha256 = $6, revoked = $7, invite_id = $8, invited_by = $9",
                    &[
                        &key,
                        &m.id,
                        &(seq as i32),
                        &m.role.as_str(),
                        &m.admin,
                        &m.credential_sha256,
                        &m.revoked,
                        &m.invite_id,
                        &m.invited_by,
                    ],
                )?;
                key
            }
            RowChange::PutInvite(key, seq, i) => {
                tx.execute(
                    "INSERT INTO invites (community, id, seq, token_sha256, role, expires_at, \
                     created_by, max_uses, uses, admin) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) \
                     ON CONFLICT (community, id) DO UPDATE SET seq = $3, token_sha256 = $4, \
                     role = $5, expires_at = $6, created_by = $7, max_uses = $8, uses = $9, \
                     admin = $10",
                    &[
                        &key,
                        &i.id,
                        &(seq as i32),
                        &i.token_sha256,
                        &i.role.as_str(),
                        &(i.expires_at as i64),
                        &i.created_by,
                        &i64::from(i.max_uses),
                        &i64::from(i.uses),
                        &i.admin,
                    ],
                )?;
                key
            }
            RowChange::PutLink(key, seq, l) => {
                tx.execute(
                    "INSERT INTO report_links (community, id, seq, token, place, place_name, \
                     made_by, made_at, revoked_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) \
                     ON CONFLICT (community, id) DO UPDATE SET seq = $3, token = $4, place = $5, \
                     place_name = $6, made_by = $7, made_at = $8, revoked_at = $9",
                    &[
                        &key,
                        &l.id,
                        &(seq as i32),
                        &l.token,
                        &l.place,
                        &l.place_name,
                        &l.made_by,
                        &(l.made_at as i64),
                        &l.revoked_at.map(|t| t as i64),
                    ],
                )?;
                key
            }
            RowChange::Delete(table, key, id) => {
                let statement = format!("DELETE FROM {table} WHERE community = $1 AND id = $2");
                tx.execute(&statement, &[&key, &id])?;
                key
            }
            RowChange::AddDocument(key, doc) => {
                tx.execute(
                    "INSERT INTO documents (community, doc) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[&key, &doc],
                )?;
                key
            }
            RowChange::RemoveDocument(key, doc) => {
                tx.execute(
                    "DELETE FROM documents WHERE community = $1 AND doc = $2",
                    &[&key, &doc],
                )?;
                key
            }
        };
        touched.insert(key.to_string());
    }
    Ok(touched.into_iter().collect())
}
