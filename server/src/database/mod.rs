//! The relay's state in PostgreSQL (`--database postgres://…`): documents ([`PgStore`]), the
//! registry ([`registry`]) and the notifications that keep several relay nodes on one
//! database in step ([`listen`]).
//!
//! A node keeps nothing of its own: every change is committed before it is acknowledged, and
//! what a node holds in memory (documents with peers, the registry) is brought up to date by
//! `NOTIFY`s that other nodes send with their commits:
//! - `linli_docs`, payload `<document id>`: changes to that document were committed;
//! - `linli_registry`, payload the registry version committed (`registry_log`).
//!
//! The schema is made and migrated at start ([`open`]); its version is in `linli_schema`.
//! The `postgres` crate runs its own small runtime per connection: it must not be called from
//! a thread inside the relay's tokio runtime. [`off_runtime`] moves a call to a scoped thread
//! when it is.

pub mod documents;
pub mod listen;
pub mod move_in;
pub mod registry;
mod schema;

use std::io;
use std::time::Duration;

pub use documents::PgStore;
use postgres::{Client, NoTls};

/// Opens a connection to `url` and makes or migrates the schema.
pub fn open(url: &str) -> io::Result<Client> {
    let mut client = connect(url)?;
    schema::migrate(&mut client)?;
    Ok(client)
}

/// A connection to `url`, schema untouched (the schema is made by [`open`]).
pub fn connect(url: &str) -> io::Result<Client> {
    off_runtime(|| client(url)).map_err(pg)
}

/// Connects to `url` with the limits a relay needs, unless the URL sets its own: a database
/// that stops answering (a cut network, not a crash, which closes the connection at once) must
/// not hold the core thread for the operating system's TCP timeouts (minutes). Connecting
/// gives up after 3 s, and a connection whose sent data goes unacknowledged for 5 s is closed
/// (`TCP_USER_TIMEOUT`); idle connections are probed every 10 s; a statement taking over
/// 30 s is cancelled by the server.
pub(crate) fn client(url: &str) -> Result<Client, postgres::Error> {
    let mut config: postgres::Config = url.parse()?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(3));
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(Duration::from_secs(5));
    }
    if config.get_options().is_none() {
        // A statement waiting on a lock (or a stuck server) fails instead of holding the
        // core; the longest a relay runs is reading a city's registry at start (seconds).
        config.options("-c statement_timeout=30s");
    }
    config.keepalives(true);
    config.keepalives_idle(Duration::from_secs(10));
    config.connect(NoTls)
}

/// Runs `f` where the `postgres` crate may block: here, or on a scoped thread when this
/// thread runs async tasks.
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| match s.spawn(f).join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        })
    } else {
        f()
    }
}

/// Runs `f` on `client` where it may block, connecting to `url` again first if the
/// connection was lost (PostgreSQL restarted). A connection found lost during the call is
/// made again and `f` run once more (also when the call failed on a connection a crashed
/// server had broken): what `f` does must be safe to repeat (the stores' are:
/// a change stored twice is one change in Automerge).
pub(crate) fn run<T: Send>(
    url: &str,
    client: &mut Client,
    mut f: impl FnMut(&mut Client) -> Result<T, postgres::Error> + Send,
) -> io::Result<T> {
    off_runtime(move || {
        let mut again = true;
        loop {
            if client.is_closed() {
                *client = self::client(url).map_err(pg)?;
                tracing::info!("reconnected to the database");
            }
            match f(client) {
                // A crashed server's connection fails its next call with an I/O error, not
                // as closed; the client knows it is closed after that call.
                Err(e) if again && (e.is_closed() || client.is_closed()) => again = false,
                done => return done.map_err(pg),
            }
        }
    })
}

/// A database error as an `io::Error`; a lost connection reads as one
/// (`io::ErrorKind::BrokenPipe`), so the caller can reconnect.
pub fn pg(e: postgres::Error) -> io::Error {
    let kind = if e.is_closed() {
        io::ErrorKind::BrokenPipe
    } else {
        match e.code() {
            Some(c) if *c == postgres::error::SqlState::DISK_FULL => io::ErrorKind::StorageFull,
            _ => io::ErrorKind::Other,
        }
    };
    io::Error::new(kind, format!("PostgreSQL: {e}"))
}
