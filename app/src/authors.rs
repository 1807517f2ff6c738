//! Who wrote with which Automerge actor id, for the history view: the bindings the relay
//! answered (`POST /api/authors`; the relay binds each actor id to the member that first wrote
//! with it) and this phone's own actor ids. Kept per community in `localStorage`
//! (`linli.authors.<community>`, one `<actor> <member>` per line), so the history names the
//! members it last knew while offline.

use crate::phone_local::{self, AUTHORS};
use crate::sync::api::{self, ApiError};
use linli_shared::api::MAX_AUTHORS_ASKED;
use linli_shared::wire::DocumentId;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Actor id (hex) → member id.
pub type Book = BTreeMap<String, String>;

thread_local! {
    /// This phone's actor ids already written down since the page opened.
    static NOTED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// The bindings this phone knows for `community`.
pub fn book(community: DocumentId) -> Book {
    phone_local::get(&phone_local::key(AUTHORS, community))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(actor, member)| (actor.to_string(), member.to_string()))
        .collect()
}

fn keep(community: DocumentId, book: &Book) {
    let text: String = book
        .iter()
        .map(|(actor, member)| format!("{actor} {member}\n"))
        .collect();
    phone_local::set(&phone_local::key(AUTHORS, community), &text);
}

/// This phone wrote with `actor` as `member`: written down once per page.
pub fn note_mine(community: DocumentId, member: &str, actor: &str) {
    let new = NOTED.with(|n| n.borrow_mut().insert(actor.to_string()));
    if !new {
        return;
    }
    let mut known = book(community);
    if known.get(actor).map(String::as_str) != Some(member) {
        known.insert(actor.to_string(), member.to_string());
        keep(community, &known);
    }
}

/// Asks the relay about the `unknown` actor ids and keeps what it answers; the book as it is
/// then. Actor ids the relay does not name stay unknown.
pub async fn learn(
    credential: &str,
    community: DocumentId,
    unknown: &[String],
) -> Result<Book, ApiError> {
    let mut known = book(community);
    for chunk in unknown.chunks(MAX_AUTHORS_ASKED) {
        for a in api::authors(credential, chunk).await? {
            known.insert(a.actor, a.member_id);
        }
    }
    keep(community, &known);
    Ok(known)
}
