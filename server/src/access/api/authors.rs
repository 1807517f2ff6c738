//! `POST /api/authors`: which members of the caller's community wrote with the given Automerge
//! actor ids. The relay binds each actor id to the member that first writes with it
//! (`core/actors.rs`); the app names the authors in its history view from these answers and
//! keeps the last ones for offline use.
//!
//! Any member may ask: the members of a community see each other's names in its document
//! anyway. An actor id bound in another community, or not bound (yet), is left out, so the
//! answer tells nothing about other communities.

use automerge::ActorId;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use linli_shared::api::{Author, Authors, AuthorsAsked, MAX_AUTHORS_ASKED};
use linli_shared::wire::DocumentId;

use super::{caller, AccessApi, ApiResult, Body};
use crate::access::ApiRefusal;

pub(super) async fn authors(
    State(api): State<AccessApi>,
    headers: HeaderMap,
    Body(body): Body<AuthorsAsked>,
) -> ApiResult<Authors> {
    let member = caller(&api, &headers)?;
    if body.actors.len() > MAX_AUTHORS_ASKED {
        return Err(ApiRefusal::TooManyActors.into());
    }
    let community: DocumentId = member
        .community_doc_id
        .parse()
        .map_err(|_| ApiRefusal::NotADocumentId)?;
    // An id that is not hex names no actor: nothing to answer about it.
    let actors: Vec<ActorId> = body
        .actors
        .iter()
        .filter_map(|hex| hex.parse().ok())
        .collect();
    let bound = api.hub.authors(community, actors).await.unwrap_or_default();
    Ok(Json(Authors {
        authors: bound
            .into_iter()
            .map(|(actor, member_id)| Author {
                actor: actor.to_hex_string(),
                member_id,
            })
            .collect(),
    }))
}
