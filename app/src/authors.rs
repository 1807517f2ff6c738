//! Who wrote with which Automerge actor id, for the history view. The app's actor ids name
//! their member (`domain::member_actor`). Other actor ids (older versions of the app, JS
//! clients) are bound by the relay to the member that first wrote with them: the bindings it
//! answered (`POST /api/authors`) are kept per community in `localStorage`
//! (`linli.authors.<community>`, one `<actor> <member>` per line), so the history names the
//! members it last knew while offline.

use crate::phone_local::{self, AUTHORS};
use crate::sync::api::{self, ApiError};
use linli_shared::api::MAX_AUTHORS_ASKED;
use linli_shared::wire::DocumentId;
use std::collections::BTreeMap;

/// Actor id (hex) → member id.
pub type Book = BTreeMap<String, String>;

/// The member actor `hex` names, or the one `book` binds it to.
pub fn member_of(book: &Book, hex: &str) -> Option<String> {
    let named = hex
        .parse::<automerge::ActorId>()
        .ok()
        .and_then(|a| linli_shared::domain::member_of_actor(&a).map(str::to_string));
    named.or_else(|| book.get(hex).cloned())
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
