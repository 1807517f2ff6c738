//! The schema, made and migrated at start. `linli_schema` holds its version; each migration
//! runs in one transaction with the version it reaches, under an advisory lock so that nodes
//! starting together migrate once.

use std::io;

use postgres::Client;

use super::pg;

/// The schema this build writes.
pub const VERSION: i32 = 1;

/// Migration `n` takes the schema from version `n` to `n + 1`.
const MIGRATIONS: [&str; VERSION as usize] = [V1];

const V1: &str = "
CREATE TABLE stored_docs (
    doc text PRIMARY KEY,
    last_seq bigint NOT NULL DEFAULT 0,
    log_bytes bigint NOT NULL DEFAULT 0,
    snapshot bytea,
    snapshot_upto bigint NOT NULL DEFAULT 0);
CREATE TABLE doc_changes (
    doc text NOT NULL, seq bigint NOT NULL, bytes bytea NOT NULL,
    PRIMARY KEY (doc, seq));
CREATE TABLE actor_bindings (
    n bigserial, actor bytea PRIMARY KEY, community text NOT NULL, member_id text NOT NULL);
CREATE TABLE relay_settings (key text PRIMARY KEY, value bytea NOT NULL);

CREATE TABLE communities (key text PRIMARY KEY);
CREATE TABLE members (
    community text NOT NULL, id text NOT NULL, seq integer NOT NULL, role text NOT NULL,
    admin boolean NOT NULL, credential_sha256 text NOT NULL, revoked boolean NOT NULL,
    invite_id text, invited_by text,
    PRIMARY KEY (community, id));
CREATE INDEX members_by_id ON members (id);
CREATE TABLE invites (
    community text NOT NULL, id text NOT NULL, seq integer NOT NULL, token_sha256 text NOT NULL,
    role text NOT NULL, expires_at bigint NOT NULL, created_by text NOT NULL,
    max_uses bigint NOT NULL, uses bigint NOT NULL, admin boolean NOT NULL,
    PRIMARY KEY (community, id));
CREATE TABLE documents (
    community text NOT NULL, doc text NOT NULL,
    PRIMARY KEY (community, doc));
CREATE UNIQUE INDEX documents_by_doc ON documents (doc);
CREATE TABLE report_links (
    community text NOT NULL, id text NOT NULL, seq integer NOT NULL, token text NOT NULL,
    place text NOT NULL, place_name text NOT NULL, made_by text NOT NULL,
    made_at bigint NOT NULL, revoked_at bigint,
    PRIMARY KEY (community, id));
CREATE INDEX report_links_by_token ON report_links (token);
CREATE TABLE registry_log (v bigint PRIMARY KEY, communities text[] NOT NULL);
";

/// Any number, the same on every node: `pg_advisory_xact_lock` key for migrations.
const MIGRATION_LOCK: i64 = 0x6c69_6e6c_6900_0001;

pub fn migrate(client: &mut Client) -> io::Result<()> {
    super::off_runtime(|| loop {
        let mut tx = client.transaction().map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(pg)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS linli_schema (version integer NOT NULL)")
            .map_err(pg)?;
        let version: i32 = match tx
            .query_opt("SELECT version FROM linli_schema", &[])
            .map_err(pg)?
        {
            Some(row) => row.get(0),
            None => {
                tx.execute("INSERT INTO linli_schema (version) VALUES (0)", &[])
                    .map_err(pg)?;
                0
            }
        };
        if version == VERSION {
            return tx.commit().map_err(pg);
        }
        if version > VERSION {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the database has schema {version}; this relay knows {VERSION}"),
            ));
        }
        tx.batch_execute(MIGRATIONS[version as usize]).map_err(pg)?;
        tx.execute("UPDATE linli_schema SET version = $1", &[&(version + 1)])
            .map_err(pg)?;
        tx.commit().map_err(pg)?;
        tracing::info!(version = version + 1, "database schema migrated");
    })
}
