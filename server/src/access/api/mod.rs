//! The access HTTP API (JSON). Credentials travel as `Authorization: Bearer <credential>`.
//! The bodies are the types of [`linli_shared::api`]; refusals are its `ErrorBody`.
//!
//! - `POST /api/communities` [`NewCommunity`] → [`Grant`]
//!   (open registration, or `Bearer <--admin-token>`)
//! - `POST /api/invites` [`NewInvite`] (admin) → [`InviteToken`]
//! - `POST /api/join` [`JoinRequest`] → [`Grant`]
//! - `GET /api/me` → the caller's [`MemberRow`]
//! - `GET /api/members` (admin) → the community's [`MemberRow`]s
//! - `POST /api/members/{member_id}/revoke` (admin) → [`Revoked`]; closes the member's sockets

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use linli_shared::api::{
    self, ErrorBody, Grant, InviteToken, JoinRequest, MemberRow, NewCommunity, NewInvite, Revoked,
};
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;
use serde::de::DeserializeOwned;

use super::{secrets_equal, Access, AccessError};
use crate::transport::HubHandle;

/// What the API needs.
#[derive(Clone)]
pub struct AccessApi {
    pub access: Access,
    pub hub: HubHandle,
    /// Anyone may register a community (`--open-registration`).
    pub open_registration: bool,
    /// Registers communities when registration is closed (`--admin-token`).
    pub admin_token: Option<String>,
}

pub fn routes(api: AccessApi) -> Router {
    Router::new()
        .route(api::COMMUNITIES, post(create_community))
        .route(api::INVITES, post(create_invite))
        .route(api::JOIN, post(join))
        .route(api::ME, get(me))
        .route(api::MEMBERS, get(members))
        .route(api::REVOKE_ROUTE, post(revoke))
        .with_state(api)
}

impl IntoResponse for AccessError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message().into(),
        };
        (self.status(), Json(body)).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, AccessError>;

/// A JSON request body. A role that is not one of [`Role::ALL`] is refused as
/// `400 {"error": "unknown role"}`; other bodies that do not read are refused as axum's
/// [`Json`] refuses them.
struct Body<T>(T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(body)) => Ok(Body(body)),
            Err(JsonRejection::JsonDataError(e)) if e.body_text().contains(UNKNOWN_ROLE) => {
                Err(AccessError::BadRequest("unknown role").into_response())
            }
            Err(rejection) => Err(rejection.into_response()),
        }
    }
}

/// How a [`Role`] field that does not read shows in axum's rejection text (its path, then
/// serde's `unknown_variant`).
const UNKNOWN_ROLE: &str = "role: unknown variant";

async fn create_community(
    State(api): State<AccessApi>,
    headers: HeaderMap,
    Body(body): Body<NewCommunity>,
) -> ApiResult<Grant> {
    if !api.open_registration && !is_operator(api.admin_token.as_deref(), &headers) {
        return Err(AccessError::Forbidden(
            "registration is closed on this relay; ask its operator",
        ));
    }
    let doc: DocumentId = body
        .community_doc_id
        .parse()
        .map_err(|_| AccessError::BadRequest("community_doc_id is not a document id"))?;
    let role = body.role.unwrap_or(Role::Committee);
    let proposed = body.credential.as_deref();
    let granted = api
        .access
        .update(|r| r.create_community_as(doc, role, proposed))?;
    tracing::info!(community = %doc, member = %granted.member_id, "community registered");
    Ok(Json(granted))
}

async fn create_invite(
    State(api): State<AccessApi>,
    headers: HeaderMap,
    Body(body): Body<NewInvite>,
) -> ApiResult<InviteToken> {
    let admin = caller(&api, &headers)?;
    let max_uses = body.max_uses.unwrap_or(1);
    let ttl = ttl_seconds(body.ttl_hours)?;
    let (token, expires_at) = api
        .access
        .update(|r| r.create_invite(&admin, body.role, ttl, max_uses, now()))?;
    tracing::info!(community = %admin.community_doc_id, role = %body.role, max_uses, "invite created");
    Ok(Json(InviteToken {
        token,
        expires_at,
        max_uses,
    }))
}

async fn join(State(api): State<AccessApi>, Body(body): Body<JoinRequest>) -> ApiResult<Grant> {
    let granted = api.access.update(|r| r.join(&body.token, now()));
    match &granted {
        Ok(g) => {
            tracing::info!(community = %g.community_doc_id, member = %g.member_id, "member joined")
        }
        Err(e) => tracing::info!(reason = e.message(), "refused a join"),
    }
    Ok(Json(granted?))
}

async fn me(State(api): State<AccessApi>, headers: HeaderMap) -> ApiResult<MemberRow> {
    Ok(Json(caller(&api, &headers)?))
}

async fn members(State(api): State<AccessApi>, headers: HeaderMap) -> ApiResult<Vec<MemberRow>> {
    let admin = caller(&api, &headers)?;
    let list = api.access.read(|r| r.members(&admin))?;
    Ok(Json(list))
}

async fn revoke(
    State(api): State<AccessApi>,
    Path(member_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Revoked> {
    let admin = caller(&api, &headers)?;
    api.access.update(|r| r.revoke(&admin, &member_id))?;
    api.hub.close_member(&member_id).await;
    tracing::info!(community = %admin.community_doc_id, member = %member_id, "member revoked");
    Ok(Json(Revoked { revoked: member_id }))
}

/// The unrevoked member whose credential the request carries.
fn caller(api: &AccessApi, headers: &HeaderMap) -> Result<MemberRow, AccessError> {
    let member = bearer(headers)
        .and_then(|c| api.access.member(c))
        .ok_or(AccessError::Unauthorized)?;
    if member.revoked {
        return Err(AccessError::Forbidden("this membership was revoked"));
    }
    Ok(member)
}

/// Whether the request carries the operator's `--admin-token` (compared in constant time);
/// never, when the relay has none.
pub fn is_operator(admin_token: Option<&str>, headers: &HeaderMap) -> bool {
    match (admin_token, bearer(headers)) {
        (Some(expected), Some(given)) => secrets_equal(expected, given),
        _ => false,
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn ttl_seconds(hours: f64) -> Result<u64, AccessError> {
    let max = (super::registry::MAX_INVITE_HOURS * 3600) as f64;
    let seconds = (hours * 3600.0).ceil();
    if seconds.is_finite() && seconds >= 1.0 && seconds <= max {
        Ok(seconds as u64)
    } else {
        Err(AccessError::BadRequest(
            "ttl_hours must be more than 0 and at most 720",
        ))
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
pub(crate) mod tests;
