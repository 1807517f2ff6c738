//! The relay's one-shot commands: `--export`, `--import`, `--admin-invite` (on the data
//! directory, or on the database with `--database`), and `--move-into-database`.

use std::io::{Read, Write};

use linli_server::access::Access;
use linli_server::backup;
use linli_server::database::PgStore;
use linli_server::storage::{DataDirLock, FileStore};
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;

use crate::args::Args;

/// Copies the data directory (`--data`, the relay stopped) into the empty database
/// `--move-into-database`: documents, actor bindings, the registry with its claims, the
/// relay's storage id and the residents' tracking key. The directory is left as it was.
pub fn move_into_database(args: &Args) -> std::io::Result<()> {
    let url = args.move_into_database.as_deref().unwrap_or_default();
    let _lock = DataDirLock::acquire(&args.data)?;
    let moved = linli_server::database::move_in::move_data_dir(&args.data, url)?;
    tracing::info!(
        documents = moved.documents,
        communities = moved.communities,
        actor_bindings = moved.actor_bindings,
        "data directory copied into the database; start the relay with --database"
    );
    Ok(())
}

fn parse_doc(doc: &str) -> std::io::Result<DocumentId> {
    DocumentId::from_url(doc)
        .or_else(|_| doc.parse())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
}

pub fn export(args: &Args, doc: &str) -> std::io::Result<()> {
    let id = parse_doc(doc)?;
    let bytes = match &args.database {
        Some(url) => backup::export(&mut PgStore::open(url)?, &id)?,
        None => {
            let _lock = DataDirLock::acquire(&args.data)?;
            backup::export(&mut FileStore::open(&args.data)?, &id)?
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&bytes)?;
    stdout.flush()
}

pub fn import(args: &Args, doc: &str) -> std::io::Result<()> {
    let id = parse_doc(doc)?;
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    // On a database, running nodes hear of the import as of any change.
    let added = match &args.database {
        Some(url) => backup::import(&mut PgStore::open(url)?, &id, &bytes)?,
        None => {
            let _lock = DataDirLock::acquire(&args.data)?;
            backup::import(&mut FileStore::open(&args.data)?, &id, &bytes)?
        }
    };
    tracing::info!(doc = %id, added, "imported");
    Ok(())
}

/// Writes a one-use admin invite link for `community` to stdout.
pub fn admin_invite(args: &Args, community: &str) -> std::io::Result<()> {
    let id = parse_doc(community)?;
    // On a database the nodes may run: they hear of the invite as of any registry change.
    let (_lock, access) = match &args.database {
        Some(url) => (None, Access::open_database(url)?),
        None => {
            let lock = DataDirLock::acquire(&args.data).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("{e} (stop it, or ask it: POST /api/communities/<id>/admin-invite with --admin-token)"),
                )
            })?;
            (Some(lock), Access::open(&args.data)?)
        }
    };
    let hours = linli_server::access::api::OPERATOR_INVITE_HOURS;
    let made = access
        .update(|r| r.operator_invite(&id, Role::Committee, (hours * 3600.0) as u64, unix_now()))
        .map_err(|e| std::io::Error::other(e.message()))?;
    let origin = args.app_url.as_deref().unwrap_or("").trim_end_matches('/');
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{origin}/#/join/{}", made.token)?;
    stdout.flush()?;
    tracing::info!(community = %id, invite = %made.id, hours, "admin invite made: one phone, opened in the app, joins as an admin");
    Ok(())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
