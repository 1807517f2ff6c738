//! The access HTTP API (JSON). Credentials travel as `Authorization: Bearer <credential>`.
//!
//! - `POST /api/communities {community_doc_id, role?, credential?}` → `{member_id, credential, …}`
//!   (open registration, or `Bearer <--admin-token>`)
//! - `POST /api/invites {role, ttl_hours, max_uses?}` (admin) → `{token, expires_at, max_uses}`
//! - `POST /api/join {token}` → `{community_doc_id, member_id, credential, role}`
//! - `GET /api/me` → the caller's membership
//! - `GET /api/members` (admin) → the community's members
//! - `POST /api/members/{member_id}/revoke` (admin) → closes the member's sockets

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Path, State};
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use linli_shared::wire::DocumentId;
use serde::Deserialize;
use serde_json::json;

use super::{secrets_equal, Access, AccessError, Membership};
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
        .route("/api/communities", post(create_community))
        .route("/api/invites", post(create_invite))
        .route("/api/join", post(join))
        .route("/api/me", get(me))
        .route("/api/members", get(members))
        .route("/api/members/{member_id}/revoke", post(revoke))
        .with_state(api)
}

impl IntoResponse for AccessError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "error": self.message() }))).into_response()
    }
}

type ApiResult = Result<Response, AccessError>;

#[derive(Deserialize)]
struct NewCommunity {
    community_doc_id: String,
    #[serde(default)]
    role: Option<String>,
    /// The admin's credential, chosen by the app (`<member id>.<64 hex>`).
    #[serde(default)]
    credential: Option<String>,
}

async fn create_community(
    State(api): State<AccessApi>,
    headers: HeaderMap,
    Json(body): Json<NewCommunity>,
) -> ApiResult {
    if !api.open_registration && !is_operator(api.admin_token.as_deref(), &headers) {
        return Err(AccessError::Forbidden(
            "registration is closed on this relay; ask its operator",
        ));
    }
    let doc: DocumentId = body
        .community_doc_id
        .parse()
        .map_err(|_| AccessError::BadRequest("community_doc_id is not a document id"))?;
    let role = body.role.as_deref().unwrap_or("committee");
    let proposed = body.credential.as_deref();
    let granted = api
        .access
        .update(|r| r.create_community_as(doc, role, proposed))?;
    tracing::info!(community = %doc, member = %granted.member_id, "community registered");
    Ok(Json(granted).into_response())
}

#[derive(Deserialize)]
struct NewInvite {
    role: String,
    /// Fractions are allowed (`0.25` = 15 minutes).
    ttl_hours: f64,
    /// How many phones the invite admits (1 if not given).
    #[serde(default)]
    max_uses: Option<u32>,
}

async fn create_invite(
    State(api): State<AccessApi>,
    headers: HeaderMap,
    Json(body): Json<NewInvite>,
) -> ApiResult {
    let admin = caller(&api, &headers)?;
    let max_uses = body.max_uses.unwrap_or(1);
    let ttl = ttl_seconds(body.ttl_hours)?;
    let (token, expires_at) = api
        .access
        .update(|r| r.create_invite(&admin, &body.role, ttl, max_uses, now()))?;
    tracing::info!(community = %admin.community_doc_id, role = %body.role, max_uses, "invite created");
    let answer = json!({ "token": token, "expires_at": expires_at, "max_uses": max_uses });
    Ok(Json(answer).into_response())
}

#[derive(Deserialize)]
struct JoinRequest {
    token: String,
}

async fn join(State(api): State<AccessApi>, Json(body): Json<JoinRequest>) -> ApiResult {
    let granted = api.access.update(|r| r.join(&body.token, now()));
    match &granted {
        Ok(g) => {
            tracing::info!(community = %g.community_doc_id, member = %g.member_id, "member joined")
        }
        Err(e) => tracing::info!(reason = e.message(), "refused a join"),
    }
    Ok(Json(granted?).into_response())
}

async fn me(State(api): State<AccessApi>, headers: HeaderMap) -> ApiResult {
    let member = bearer(&headers)
        .and_then(|c| api.access.member(c))
        .ok_or(AccessError::Unauthorized)?;
    if member.revoked {
        return Err(AccessError::Forbidden("this membership was revoked"));
    }
    Ok(Json(member).into_response())
}

async fn members(State(api): State<AccessApi>, headers: HeaderMap) -> ApiResult {
    let admin = caller(&api, &headers)?;
    let list = api.access.read(|r| r.members(&admin))?;
    Ok(Json(list).into_response())
}

async fn revoke(
    State(api): State<AccessApi>,
    Path(member_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult {
    let admin = caller(&api, &headers)?;
    api.access.update(|r| r.revoke(&admin, &member_id))?;
    api.hub.close_member(&member_id).await;
    tracing::info!(community = %admin.community_doc_id, member = %member_id, "member revoked");
    Ok(Json(json!({ "revoked": member_id })).into_response())
}

/// The unrevoked member whose credential the request carries.
fn caller(api: &AccessApi, headers: &HeaderMap) -> Result<Membership, AccessError> {
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
