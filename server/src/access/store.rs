//! The registry on disk: `<data>/registry.sqlite` (SQLite, write-ahead log, `synchronous =
//! FULL`), one row per community, member, invite, owned document and report link. A change
//! writes only the rows it changed, in one transaction: [`RegistryStore::write`] compares the
//! communities as last stored with the registry after the change, and the registry shares
//! every community it did not touch (`Arc`), so unchanged ones are skipped by pointer.
//!
//! The schema is versioned (`PRAGMA user_version`) and made or migrated at start. A data
//! directory from before this store keeps its registry in `access.json`: imported once, in one
//! transaction, then renamed `access.json.imported` (kept for the operator, never read again).
//! The database is opened in exclusive locking mode: while the relay runs, nothing else reads
//! it (stop the relay to query it with `sqlite3`).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;
use std::sync::Arc;

use linli_shared::domain::Role;
use rusqlite::Connection;

use super::registry::{Community, Invite, Member, Registry};
use super::report_links::ReportLink;

pub const FILE: &str = "registry.sqlite";
const SCHEMA_VERSION: i64 = 1;
const LEGACY: &str = "access.json";
const LEGACY_IMPORTED: &str = "access.json.imported";
const LEGACY_IMPORTING: &str = "access.json.importing";

pub(crate) type Communities = BTreeMap<String, Arc<Community>>;

const SCHEMA: &str = "
CREATE TABLE communities (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE members (
    community TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL,
    admin INTEGER NOT NULL, credential_sha256 TEXT NOT NULL, revoked INTEGER NOT NULL,
    invite_id TEXT, invited_by TEXT,
    PRIMARY KEY (community, id)) WITHOUT ROWID;
CREATE INDEX members_by_id ON members (id);
CREATE TABLE invites (
    community TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, token_sha256 TEXT NOT NULL,
    role TEXT NOT NULL, expires_at INTEGER NOT NULL, created_by TEXT NOT NULL,
    max_uses INTEGER NOT NULL, uses INTEGER NOT NULL, admin INTEGER NOT NULL,
    PRIMARY KEY (community, id)) WITHOUT ROWID;
CREATE TABLE documents (
    community TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (community, doc)) WITHOUT ROWID;
CREATE INDEX documents_by_doc ON documents (doc);
CREATE TABLE report_links (
    community TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, token TEXT NOT NULL,
    place TEXT NOT NULL, place_name TEXT NOT NULL, made_by TEXT NOT NULL,
    made_at INTEGER NOT NULL, revoked_at INTEGER,
    PRIMARY KEY (community, id)) WITHOUT ROWID;
CREATE INDEX report_links_by_token ON report_links (token);
";

pub struct RegistryStore {
    conn: Connection,
}

impl RegistryStore {
    /// Opens the store of `data` (made on first start, importing `access.json` if there is one)
    /// and reads the registry from it.
    pub fn open(data: &Path) -> io::Result<(RegistryStore, Registry)> {
        let path = data.join(FILE);
        {
            // The relay's alone: it holds report links' tokens, and hashes of credentials.
            use std::os::unix::fs::OpenOptionsExt;
            let mut options = std::fs::OpenOptions::new();
            options.create(true).append(true).mode(0o600).open(&path)?;
        }
        let conn = Connection::open(&path).map_err(sql)?;
        // Exclusive: the relay holds the data directory's lock anyway, and the write-ahead
        // log's index then lives in memory, not in a `-shm` file that every start must make
        // (a relay restarting on a full disk could not).
        conn.execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = FULL;",
        )
        .map_err(sql)?;
        let mut store = RegistryStore { conn };
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        match version {
            0 => store.create(data)?,
            SCHEMA_VERSION => finish_import(data)?,
            newer => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{FILE} has schema {newer}; this relay knows {SCHEMA_VERSION}"),
                ))
            }
        }
        let communities = store.load()?;
        Ok((store, Registry::from_communities(communities)))
    }

    /// Makes the schema and imports `access.json`, in one transaction. The file is first
    /// renamed `access.json.importing` (and that rename made durable), so that a crash at any
    /// point either imports it again at the next start or finishes the renaming
    /// ([`finish_import`]).
    fn create(&mut self, data: &Path) -> io::Result<()> {
        let legacy = data.join(LEGACY);
        let importing = data.join(LEGACY_IMPORTING);
        if legacy.exists() {
            std::fs::rename(&legacy, &importing)?;
            std::fs::File::open(data)?.sync_all()?;
        }
        let imported = match std::fs::read(&importing) {
            Ok(bytes) => Some(serde_json::from_slice::<Registry>(&bytes).map_err(|e| {
                let what = format!(
                    "{LEGACY_IMPORTING} (the registry to import): {e}; fix it and put it back \
                     as {LEGACY}"
                );
                io::Error::new(io::ErrorKind::InvalidData, what)
            })?),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute_batch(SCHEMA).map_err(sql)?;
        if let Some(registry) = &imported {
            write_changes(&tx, &Communities::new(), registry.communities())?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        if imported.is_some() {
            tracing::info!("imported {LEGACY} into {FILE}");
        }
        finish_import(data)
    }

    /// Every community, as stored.
    pub fn load(&self) -> io::Result<Communities> {
        let mut all: BTreeMap<String, Community> = BTreeMap::new();
        let mut keys = self
            .conn
            .prepare("SELECT key FROM communities")
            .map_err(sql)?;
        for key in keys.query_map([], |r| r.get::<_, String>(0)).map_err(sql)? {
            all.insert(key.map_err(sql)?, empty());
        }
        let mut rows = self
            .conn
            .prepare(
                "SELECT community, id, role, admin, credential_sha256, revoked, invite_id, \
                 invited_by FROM members ORDER BY community, seq",
            )
            .map_err(sql)?;
        let members = rows
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Member {
                        id: r.get(1)?,
                        role: role(&r.get::<_, String>(2)?),
                        admin: r.get(3)?,
                        credential_sha256: r.get(4)?,
                        revoked: r.get(5)?,
                        invite_id: r.get(6)?,
                        invited_by: r.get(7)?,
                    },
                ))
            })
            .map_err(sql)?;
        for row in members {
            let (key, member) = row.map_err(sql)?;
            if let Some(c) = all.get_mut(&key) {
                c.members.push(member);
            }
        }
        self.load_rest(&mut all)?;
        Ok(all.into_iter().map(|(k, c)| (k, Arc::new(c))).collect())
    }

    fn load_rest(&self, all: &mut BTreeMap<String, Community>) -> io::Result<()> {
        let mut rows = self
            .conn
            .prepare(
                "SELECT community, id, token_sha256, role, expires_at, created_by, max_uses, \
                 uses, admin FROM invites ORDER BY community, seq",
            )
            .map_err(sql)?;
        let invites = rows
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Invite {
                        id: r.get(1)?,
                        token_sha256: r.get(2)?,
                        role: role(&r.get::<_, String>(3)?),
                        expires_at: r.get(4)?,
                        created_by: r.get(5)?,
                        max_uses: r.get(6)?,
                        uses: r.get(7)?,
                        admin: r.get(8)?,
                    },
                ))
            })
            .map_err(sql)?;
        for row in invites {
            let (key, invite) = row.map_err(sql)?;
            if let Some(c) = all.get_mut(&key) {
                c.invites.push(invite);
            }
        }
        let mut rows = self
            .conn
            .prepare("SELECT community, doc FROM documents")
            .map_err(sql)?;
        let documents = rows
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(sql)?;
        for row in documents {
            let (key, doc) = row.map_err(sql)?;
            if let Some(c) = all.get_mut(&key) {
                c.documents.insert(doc);
            }
        }
        let mut rows = self
            .conn
            .prepare(
                "SELECT community, id, token, place, place_name, made_by, made_at, revoked_at \
                 FROM report_links ORDER BY community, seq",
            )
            .map_err(sql)?;
        let links = rows
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ReportLink {
                        id: r.get(1)?,
                        token: r.get(2)?,
                        place: r.get(3)?,
                        place_name: r.get(4)?,
                        made_by: r.get(5)?,
                        made_at: r.get(6)?,
                        revoked_at: r.get(7)?,
                    },
                ))
            })
            .map_err(sql)?;
        for row in links {
            let (key, link) = row.map_err(sql)?;
            if let Some(c) = all.get_mut(&key) {
                c.report_links.push(link);
            }
        }
        Ok(())
    }

    /// Writes what differs between `stored` (the communities as last written) and `now`, in
    /// one transaction; durable when this returns `Ok`. Returns how many rows it wrote.
    pub fn write(&mut self, stored: &Communities, now: &Communities) -> io::Result<usize> {
        let tx = self.conn.transaction().map_err(sql)?;
        let rows = write_changes(&tx, stored, now)?;
        tx.commit().map_err(sql)?;
        Ok(rows)
    }
}

/// With the store made: an import's file is set aside as imported; an `access.json` beside the
/// store (an older relay ran on this directory after the upgrade, and wrote its changes there)
/// stops the start: importing it would lose the store's changes, ignoring it the older
/// relay's.
fn finish_import(data: &Path) -> io::Result<()> {
    let importing = data.join(LEGACY_IMPORTING);
    if importing.exists() {
        std::fs::rename(&importing, data.join(LEGACY_IMPORTED))?;
        std::fs::File::open(data)?.sync_all()?;
    }
    if data.join(LEGACY).exists() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{LEGACY} is beside {FILE}: an older relay wrote it after this directory moved to \
                 {FILE}; its changes are not in {FILE}. Move {LEGACY} aside to start with {FILE} \
                 as it is"
            ),
        ));
    }
    Ok(())
}

pub(crate) fn empty() -> Community {
    Community {
        members: Vec::new(),
        invites: Vec::new(),
        documents: BTreeSet::new(),
        report_links: Vec::new(),
    }
}

/// A role as stored; one this build does not know reads as the lowest (it never writes one).
fn role(text: &str) -> Role {
    Role::parse(text).unwrap_or(Role::NeighbourLeader)
}

pub(super) fn sql(e: rusqlite::Error) -> io::Error {
    // A full disk reads as one, so that the ballast is released (`Access::write`).
    let kind = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => io::ErrorKind::StorageFull,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, format!("{FILE}: {e}"))
}

pub(crate) mod rows;
#[cfg(test)]
mod tests;
mod write;

pub(crate) use rows::{row_changes, RowChange, COMMUNITY_TABLES};
use write::write_changes;
