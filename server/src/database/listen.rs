//! The thread that keeps a node in step with the others: it `LISTEN`s on its own connection
//! and hands what it hears to the hub (documents other nodes stored changes to) and to the
//! registry (a new registry version). When the connection is lost it connects again, with a
//! growing pause (up to 2 s), and then brings everything in memory up to date: notifications
//! sent meanwhile are lost with the connection.

use std::collections::BTreeSet;
use std::thread;
use std::time::Duration;

use linli_shared::wire::DocumentId;
use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;

use crate::access::Access;
use crate::transport::HubHandle;

/// How long the thread waits for a notification before checking the connection.
const CHECK_EVERY: Duration = Duration::from_secs(5);
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// Starts the listener of node `node` (its own notifications are skipped).
pub fn spawn(url: String, node: String, access: Access, hub: HubHandle) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .name("database-listen".into())
        .spawn(move || run(&url, &node, &access, &hub))
        .expect("spawning the database listener")
}

fn run(url: &str, node: &str, access: &Access, hub: &HubHandle) {
    let mut pause = Duration::from_millis(50);
    let mut first = true;
    loop {
        let mut client = match listen(url) {
            Ok(client) => client,
            Err(error) => {
                tracing::warn!(%error, "cannot listen to the database; trying again");
                thread::sleep(pause);
                pause = (pause * 2).min(MAX_PAUSE);
                continue;
            }
        };
        pause = Duration::from_millis(50);
        if !first {
            tracing::info!("listening to the database again; reading what was missed");
            if !hub.stored_elsewhere_blocking(None) {
                return; // the relay is shutting down
            }
        }
        first = false;
        if let Err(error) = access.catch_up() {
            tracing::warn!(%error, "cannot read the registry's changes");
        }
        if !hear(&mut client, node, access, hub) {
            return;
        }
    }
}

fn listen(url: &str) -> Result<Client, postgres::Error> {
    let mut client = super::client(url)?;
    client.batch_execute("LISTEN linli_docs; LISTEN linli_registry;")?;
    Ok(client)
}

/// Hands on notifications until the connection is lost (true) or the hub is gone (false).
fn hear(client: &mut Client, node: &str, access: &Access, hub: &HubHandle) -> bool {
    loop {
        let mut docs = BTreeSet::new();
        let mut registry = false;
        {
            let mut notifications = client.notifications();
            let first = notifications.timeout_iter(CHECK_EVERY).next();
            match first {
                Ok(Some(first)) => {
                    take(&first, node, &mut docs, &mut registry);
                    // Whatever else arrived meanwhile goes in the same batch.
                    let mut more = notifications.iter();
                    while let Ok(Some(next)) = more.next() {
                        take(&next, node, &mut docs, &mut registry);
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "lost the database's notifications");
                    return true;
                }
                Ok(None) => {}
            }
        }
        if client.is_closed()
            || (docs.is_empty() && !registry && client.is_valid(CHECK_EVERY).is_err())
        {
            tracing::warn!("lost the database's notifications");
            return true;
        }
        if registry {
            if let Err(error) = access.catch_up() {
                tracing::warn!(%error, "cannot read the registry's changes");
            }
        }
        if !docs.is_empty() && !hub.stored_elsewhere_blocking(Some(docs.into_iter().collect())) {
            return false;
        }
    }
}

fn take(
    note: &postgres::Notification,
    node: &str,
    docs: &mut BTreeSet<DocumentId>,
    registry: &mut bool,
) {
    match note.channel() {
        "linli_registry" => *registry = true,
        "linli_docs" => {
            let mut words = note.payload().split(' ');
            let (Some(doc), from) = (words.next(), words.next()) else {
                return;
            };
            if from == Some(node) {
                return;
            }
            if let Ok(doc) = doc.parse() {
                docs.insert(doc);
            }
        }
        _ => {}
    }
}
