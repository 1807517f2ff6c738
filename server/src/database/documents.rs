//! Documents in PostgreSQL: the relay's [`Storage`] when it runs with `--database`.
//!
//! ```text
//! stored_docs (doc, last_seq, log_bytes, snapshot, snapshot_upto)   one row per document
//! doc_changes (doc, seq, bytes)                                     incremental saves
//! actor_bindings (n, actor, community, member_id)                   core::actors
//! ```
//!
//! - `append` takes the document's next `seq` by updating its `stored_docs` row, which holds
//!   the row's lock until the commit: one document's changes commit in `seq` order, whichever
//!   node stores them, so "every change after `seq` n" is a complete answer once n is seen.
//!   The transaction also sends `NOTIFY linli_docs, '<doc>'` (delivered at the commit).
//! - The store remembers, per document, the `seq` up to which the core holds every change
//!   (`seen`): set by `load` and [`Storage::load_new`], and by an append that follows it
//!   directly. `load_new` returns what other nodes stored after that.
//! - `compact` stores a snapshot covering the changes up to `seen` and deletes those; a
//!   snapshot from another node that covers more is kept (the update is skipped).
//! - A lost connection is made again at the next call (PostgreSQL restarted); the call that
//!   found it lost fails, so nothing is acknowledged that was not committed.

use std::collections::HashMap;
use std::io;

use automerge::ActorId;
use linli_shared::wire::DocumentId;
use postgres::Client;

use super::{off_runtime, pg};
use crate::storage::{ActorBinding, Storage, StoredDoc};

/// Appends a batch in one statement (atomic on its own: no transaction round trips), one
/// change per document: `$1` the documents, `$2` their changes, `$3` the notifications.
/// Each document's next seq is taken under its row's lock, held to the end of the statement.
const APPEND_BATCH: &str = "\
  WITH input AS (SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[]) AS t(doc, bytes, note)), \
  s AS (INSERT INTO stored_docs (doc, last_seq, log_bytes) \
    SELECT doc, 1, length(bytes) FROM input \
    ON CONFLICT (doc) DO UPDATE SET last_seq = stored_docs.last_seq + 1, \
    log_bytes = stored_docs.log_bytes + excluded.log_bytes \
    RETURNING doc, last_seq, log_bytes), \
  c AS (INSERT INTO doc_changes (doc, seq, bytes) \
    SELECT s.doc, s.last_seq, input.bytes FROM s JOIN input USING (doc)) \
  SELECT s.doc, s.last_seq, s.log_bytes, pg_notify('linli_docs', input.note) \
  FROM s JOIN input USING (doc)";

/// What is stored for each document of `$1` after the seq of `$2` at the same place, in
/// order: a row (-1) saying the document exists, the snapshot (0) if it covers more than that
/// seq, then the changes after both. One statement: one snapshot of the database.
const READ_AFTER: &str = "\
  WITH w AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS t(doc, after)) \
  SELECT w.doc, -1::bigint AS seq, NULL::bytea AS bytes, s.snapshot_upto \
    FROM w JOIN stored_docs s USING (doc) \
  UNION ALL SELECT w.doc, 0, s.snapshot, s.snapshot_upto FROM w JOIN stored_docs s USING (doc) \
    WHERE s.snapshot_upto > w.after \
  UNION ALL SELECT w.doc, c.seq, c.bytes, s.snapshot_upto FROM w JOIN stored_docs s USING (doc) \
    JOIN doc_changes c ON c.doc = s.doc AND c.seq > greatest(s.snapshot_upto, w.after) \
  ORDER BY 1, 2";

pub struct PgStore {
    url: String,
    /// This node, named in its notifications so that it skips its own.
    node: String,
    client: Client,
    /// Per document, the `seq` up to which the core holds every stored change.
    seen: HashMap<DocumentId, i64>,
    stored_bytes: u64,
}

impl PgStore {
    /// Connects to `url`, making or migrating the schema.
    pub fn open(url: &str) -> io::Result<PgStore> {
        let mut client = super::open(url)?;
        let stored_bytes = off_runtime(|| {
            client.query_one(
                "SELECT (coalesce(sum(log_bytes), 0) + coalesce(sum(length(snapshot)), 0))::bigint \
                 FROM stored_docs",
                &[],
            )
        })
        .map_err(pg)?
        .get::<_, i64>(0);
        Ok(PgStore {
            url: url.to_string(),
            node: uuid::Uuid::new_v4().simple().to_string(),
            client,
            seen: HashMap::new(),
            stored_bytes: stored_bytes.max(0) as u64,
        })
    }

    /// The name this node gives itself in its notifications (`database::listen`).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// This relay's storage id (the same for every node on the database), made on first use.
    pub fn relay_id(&mut self, new_id: impl FnOnce() -> String + Send) -> io::Result<String> {
        let bytes = self.setting("relay-id", || new_id().into_bytes())?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// The setting `key`, made with `new` if the database has none (the first node to ask
    /// makes it; every node reads the same).
    pub fn setting(
        &mut self,
        key: &str,
        new: impl FnOnce() -> Vec<u8> + Send,
    ) -> io::Result<Vec<u8>> {
        let value = new();
        self.run(|c| {
            c.execute(
                "INSERT INTO relay_settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&key, &value],
            )?;
            let row = c.query_one("SELECT value FROM relay_settings WHERE key = $1", &[&key])?;
            Ok(row.get(0))
        })
    }

    /// Sets `key` to `value`, whatever it was (`--move-into-database`).
    pub fn put_setting(&mut self, key: &str, value: &[u8]) -> io::Result<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO relay_settings (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = $2",
                &[&key, &value],
            )
            .map(drop)
        })
    }

    /// Runs `f` on the connection, connecting again first if it was lost.
    fn run<T: Send>(
        &mut self,
        f: impl FnMut(&mut Client) -> Result<T, postgres::Error> + Send,
    ) -> io::Result<T> {
        super::run(&self.url, &mut self.client, f)
    }

    fn append_all(&mut self, batch: &[(DocumentId, Vec<u8>)]) -> io::Result<Vec<(i64, i64)>> {
        let node = &self.node;
        let (url, client) = (&self.url, &mut self.client);
        let docs: Vec<String> = batch.iter().map(|(id, _)| id.to_string()).collect();
        let changes: Vec<&[u8]> = batch.iter().map(|(_, c)| c.as_slice()).collect();
        let notes: Vec<String> = docs.iter().map(|doc| format!("{doc} {node}")).collect();
        let found = super::run(url, client, |c| {
            c.query(APPEND_BATCH, &[&docs, &changes, &notes])
        })?;
        let by_doc: HashMap<String, (i64, i64)> = found
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2))))
            .collect();
        let rows: Vec<(i64, i64)> = docs
            .iter()
            .map(|doc| by_doc.get(doc).copied())
            .collect::<Option<_>>()
            .ok_or_else(|| io::Error::other("the database stored part of a batch"))?;
        for ((id, changes), (seq, _)) in batch.iter().zip(&rows) {
            self.stored_bytes += changes.len() as u64;
            let seen = self.seen.entry(*id).or_insert(0);
            if *seen == seq - 1 {
                *seen = *seq;
            }
        }
        Ok(rows)
    }

    /// For each of `wants` (a document and a seq): the snapshot if it covers more than the
    /// seq, the changes after both, and the last seq read; documents with nothing stored are
    /// left out.
    fn read_after(
        &mut self,
        wants: &[(DocumentId, i64)],
    ) -> io::Result<HashMap<String, (StoredDoc, i64)>> {
        let docs: Vec<String> = wants.iter().map(|(id, _)| id.to_string()).collect();
        let afters: Vec<i64> = wants.iter().map(|(_, after)| *after).collect();
        let rows = self.run(|c| c.query(READ_AFTER, &[&docs, &afters]))?;
        let after_of: HashMap<&String, i64> = docs.iter().zip(afters.iter().copied()).collect();
        let mut found: HashMap<String, (StoredDoc, i64)> = HashMap::new();
        for row in rows {
            let doc: String = row.get(0);
            let after = after_of.get(&doc).copied().unwrap_or(0);
            let (seq, upto): (i64, i64) = (row.get(1), row.get(3));
            let (stored, last) = found
                .entry(doc)
                .or_insert_with(|| (StoredDoc::default(), after.max(upto)));
            match seq {
                -1 => {}
                0 => stored.snapshot = row.get(2),
                _ => {
                    let bytes: Vec<u8> = row.get(2);
                    stored.log_bytes += bytes.len() as u64;
                    stored.changes.push(bytes);
                    *last = seq;
                }
            }
        }
        Ok(found)
    }
}

impl Storage for PgStore {
    fn load(&mut self, id: &DocumentId) -> io::Result<Option<StoredDoc>> {
        let Some((stored, last)) = self.read_after(&[(*id, 0)])?.remove(&id.to_string()) else {
            self.seen.remove(id);
            return Ok(None);
        };
        self.seen.insert(*id, last);
        Ok(Some(stored))
    }

    fn load_new(&mut self, ids: &[DocumentId]) -> io::Result<Vec<Vec<Vec<u8>>>> {
        let wants: Vec<(DocumentId, i64)> = ids
            .iter()
            .map(|id| (*id, self.seen.get(id).copied().unwrap_or(0)))
            .collect();
        let mut found = self.read_after(&wants)?;
        Ok(wants
            .iter()
            .map(|(id, after)| match found.remove(&id.to_string()) {
                Some((stored, last)) => {
                    self.seen.insert(*id, last.max(*after));
                    stored.snapshot.into_iter().chain(stored.changes).collect()
                }
                None => Vec::new(),
            })
            .collect())
    }

    fn forget(&mut self, id: &DocumentId) {
        self.seen.remove(id);
    }

    fn append(&mut self, id: &DocumentId, changes: &[u8]) -> io::Result<u64> {
        let rows = self.append_all(&[(*id, changes.to_vec())])?;
        Ok(rows[0].1.max(0) as u64)
    }

    fn append_batch(&mut self, batch: &[(DocumentId, Vec<u8>)]) -> Vec<io::Result<u64>> {
        if batch.is_empty() {
            return Vec::new(); // a flush of answers only: no round trip
        }
        match self.append_all(batch) {
            Ok(rows) => rows
                .into_iter()
                .map(|(_, bytes)| Ok(bytes as u64))
                .collect(),
            Err(e) => batch
                .iter()
                .map(|_| Err(io::Error::new(e.kind(), e.to_string())))
                .collect(),
        }
    }

    fn compact(&mut self, id: &DocumentId, snapshot: &[u8]) -> io::Result<()> {
        let Some(upto) = self.seen.get(id).copied() else {
            return Ok(()); // nothing known to be held: the log stays as it is
        };
        let doc = id.to_string();
        self.run(|c| {
            let mut tx = c.transaction()?;
            let updated = tx.execute(
                "UPDATE stored_docs SET snapshot = $2, snapshot_upto = $3, log_bytes = \
                 (SELECT coalesce(sum(length(bytes)), 0) FROM doc_changes \
                  WHERE doc = $1 AND seq > $3) WHERE doc = $1 AND snapshot_upto <= $3",
                &[&doc, &snapshot, &upto],
            )?;
            if updated == 1 {
                tx.execute(
                    "DELETE FROM doc_changes WHERE doc = $1 AND seq <= $2",
                    &[&doc, &upto],
                )?;
            }
            tx.commit()
        })
    }

    fn stored_bytes(&self) -> u64 {
        self.stored_bytes
    }

    fn stored_size(&mut self, id: &DocumentId) -> io::Result<u64> {
        let doc = id.to_string();
        let row = self.run(|c| {
            c.query_opt(
                "SELECT (log_bytes + coalesce(length(snapshot), 0))::bigint FROM stored_docs \
                 WHERE doc = $1",
                &[&doc],
            )
        })?;
        Ok(row.map_or(0, |r| r.get::<_, i64>(0).max(0) as u64))
    }

    fn stored_sizes(&mut self, ids: &[DocumentId]) -> io::Result<Vec<u64>> {
        let rows = self.run(|c| {
            c.query(
                "SELECT doc, (log_bytes + coalesce(length(snapshot), 0))::bigint FROM stored_docs",
                &[],
            )
        })?;
        let sizes: HashMap<String, i64> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        Ok(ids
            .iter()
            .map(|id| sizes.get(&id.to_string()).map_or(0, |b| (*b).max(0) as u64))
            .collect())
    }

    fn list(&mut self) -> io::Result<Vec<DocumentId>> {
        let rows = self.run(|c| c.query("SELECT doc FROM stored_docs", &[]))?;
        Ok(rows
            .iter()
            .filter_map(|r| r.get::<_, String>(0).parse().ok())
            .collect())
    }

    fn contains(&mut self, id: &DocumentId) -> io::Result<bool> {
        let doc = id.to_string();
        let row = self.run(|c| c.query_opt("SELECT 1 FROM stored_docs WHERE doc = $1", &[&doc]))?;
        Ok(row.is_some())
    }

    fn actor_bindings(&mut self) -> io::Result<Vec<ActorBinding>> {
        let rows = self.run(|c| {
            c.query(
                "SELECT actor, community, member_id FROM actor_bindings ORDER BY n",
                &[],
            )
        })?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(ActorBinding {
                    actor: ActorId::from(r.get::<_, Vec<u8>>(0)),
                    community: r.get::<_, String>(1).parse().ok()?,
                    member_id: r.get(2),
                })
            })
            .collect())
    }

    fn bind_actors(&mut self, bindings: &[ActorBinding]) -> io::Result<()> {
        let taken = self.run(|c| {
            let mut tx = c.transaction()?;
            let mut taken = None;
            for b in bindings {
                let (actor, community) = (b.actor.to_bytes().to_vec(), b.community.to_string());
                tx.execute(
                    "INSERT INTO actor_bindings (actor, community, member_id) VALUES ($1, $2, $3) \
                     ON CONFLICT (actor) DO NOTHING",
                    &[&actor, &community, &b.member_id],
                )?;
                let row = tx.query_one(
                    "SELECT community, member_id FROM actor_bindings WHERE actor = $1",
                    &[&actor],
                )?;
                let (c, m): (String, String) = (row.get(0), row.get(1));
                if c != community || m != b.member_id {
                    taken = Some(b.member_id.clone());
                    break;
                }
            }
            if taken.is_none() {
                tx.commit()?;
            }
            Ok(taken)
        })?;
        match taken {
            // Another node bound the actor to someone else first: refused like a store failure.
            Some(member) => Err(io::Error::other(format!(
                "an actor of {member} is bound to another member on another node"
            ))),
            None => Ok(()),
        }
    }
}
