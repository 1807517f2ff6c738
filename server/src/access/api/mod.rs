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
//! - `GET /api/invites` (admin) → the open [`InviteRow`]s; `POST /api/invites/{id}/cancel`
//!   (admin) → [`Cancelled`]
//! - `POST /api/members/{member_id}/admin` [`AdminChange`] (admin) → the member's [`MemberRow`]
//! - `POST /api/communities/{doc}/admin-invite` [`OperatorInvite`] (`Bearer <--admin-token>`)
//!   → [`InviteToken`]: one phone joins as an admin
//! - `POST /api/sync-ticket` (member) → [`SyncTicket`], see [`super::tickets`]
//! - `POST /api/authors` [`api::AuthorsAsked`] (member) → [`api::Authors`]: who wrote with
//!   which actor ids in the caller's community (`authors.rs`)
//! - `POST /api/report-links` [`api::NewReportLink`] (member) → [`api::ReportLinkRow`]; `GET` →
//!   the community's live links; `POST /api/report-links/{id}/revoke` (its maker or an admin)
//!   (`report_links.rs`)
//! - `GET /api/view` (member) → the caller's community as a
//!   [`linli_shared::domain::CommunityView`] (`view.rs`)

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use linli_shared::api::{
    self, AdminChange, Cancelled, ErrorBody, Grant, InviteRow, InviteToken, JoinRequest, MemberRow,
    NewCommunity, NewInvite, OperatorInvite, Revoked, SyncTicket,
};
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;
use serde::de::DeserializeOwned;

mod authors;
mod report_links;
mod view;

use super::tickets::{Tickets, TooMany};
use super::{secrets_equal, Access, ApiRefusal};
use crate::core::Principal;
use crate::transport::HubHandle;

/// What the API needs.
#[derive(Clone)]
pub struct AccessApi {
    pub access: Access,
    pub hub: HubHandle,
    /// Anyone may register a community (`--open-registration`).
    pub open_registration: bool,
    /// Registers communities when registration is closed (`--admin-token`), and makes
    /// admin invites for communities whose admins lost their phones.
    pub admin_token: Option<String>,
    /// The one-use tickets `/sync` takes.
    pub tickets: Tickets,
}

/// How long an operator's admin invite works unless the operator says otherwise.
pub const OPERATOR_INVITE_HOURS: f64 = 72.0;

pub fn routes(api: AccessApi) -> Router {
    Router::new()
        .route(api::COMMUNITIES, post(create_community))
        .route(api::INVITES, post(create_invite))
        .route(api::JOIN, post(join))
        .route(api::ME, get(me))
        .route(api::MEMBERS, get(members))
        .route(api::REVOKE_ROUTE, post(revoke))
        .route(api::INVITES, get(open_invites))
        .route(api::CANCEL_INVITE_ROUTE, post(cancel_invite))
        .route(api::ADMIN_ROUTE, post(set_admin))
        .route(api::OPERATOR_INVITE_ROUTE, post(operator_invite))
        .route(api::SYNC_TICKET, post(sync_ticket))
        .route(api::AUTHORS, post(authors::authors))
        .route(api::COMMUNITY_VIEW, get(view::community_view))
        .route(
            api::REPORT_LINKS,
            post(report_links::create).get(report_links::list),
        )
        .route(api::REVOKE_REPORT_LINK_ROUTE, post(report_links::revoke))
        .with_state(api)
}

/// A refusal as the relay answers it: its status and an [`ErrorBody`] naming it.
pub struct Refused(pub ApiRefusal);

impl From<ApiRefusal> for Refused {
    fn from(refusal: ApiRefusal) -> Refused {
        Refused(refusal)
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ErrorBody::of(self.0))).into_response()
    }
}

pub(super) type ApiResult<T> = Result<Json<T>, Refused>;

/// A JSON request body. A role that is not one of [`Role::ALL`] is refused as
/// `400 {"error": "unknown role"}`; other bodies that do not read are refused as axum's
/// [`Json`] refuses them.
pub(super) struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(body)) => Ok(Body(body)),
            Err(JsonRejection::JsonDataError(e)) if e.body_text().contains(UNKNOWN_ROLE) => {
                Err(Refused(ApiRefusal::UnknownRole).into_response())
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
        return Err(ApiRefusal::RegistrationClosed.into());
    }
    let doc: DocumentId = body
        .community_doc_id
        .parse()
        .map_err(|_| ApiRefusal::NotADocumentId)?;
    let role = body.role.unwrap_or(Role::Committee);
    let proposed = body.credential.as_deref();
    let granted = api
        .access
        .update(|r| r.create_community_as(doc, role, proposed))?;
    tracing::info!(community = %doc, member = %granted.member_id, "community registered");
    Ok(Json(with_ticket(&api, granted)))
}

async fn create_invite(
    State(api): State<AccessApi>,
    headers: HeaderMap,
    Body(body): Body<NewInvite>,
) -> ApiResult<InviteToken> {
    let admin = caller(&api, &headers)?;
    let max_uses = body.max_uses.unwrap_or(1);
    let ttl = ttl_seconds(body.ttl_hours)?;
    let made = api
        .access
        .update(|r| r.create_invite(&admin, body.role, ttl, max_uses, now()))?;
    tracing::info!(community = %admin.community_doc_id, invite = %made.id, role = %body.role, max_uses, "invite created");
    Ok(Json(made))
}

async fn open_invites(
    State(api): State<AccessApi>,
    headers: HeaderMap,
) -> ApiResult<Vec<InviteRow>> {
    let admin = caller(&api, &headers)?;
    Ok(Json(api.access.read(|r| r.open_invites(&admin, now()))?))
}

async fn cancel_invite(
    State(api): State<AccessApi>,
    Path(invite_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Cancelled> {
    let admin = caller(&api, &headers)?;
    api.access.update(|r| r.cancel_invite(&admin, &invite_id))?;
    tracing::info!(community = %admin.community_doc_id, invite = %invite_id, "invite cancelled");
    Ok(Json(Cancelled {
        cancelled: invite_id,
    }))
}

async fn set_admin(
    State(api): State<AccessApi>,
    Path(member_id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<AdminChange>,
) -> ApiResult<MemberRow> {
    let admin = caller(&api, &headers)?;
    let row = api
        .access
        .update(|r| r.set_admin(&admin, &member_id, body.admin))?;
    tracing::info!(community = %admin.community_doc_id, member = %member_id, admin = body.admin, by = %admin.member_id, "admin changed");
    Ok(Json(row))
}

/// The operator's recovery: a one-use invite that makes an admin (`Bearer <--admin-token>`).
async fn operator_invite(
    State(api): State<AccessApi>,
    Path(community): Path<String>,
    headers: HeaderMap,
    Body(body): Body<OperatorInvite>,
) -> ApiResult<InviteToken> {
    if !is_operator(api.admin_token.as_deref(), &headers) {
        return Err(ApiRefusal::OperatorOnly.into());
    }
    let doc: DocumentId = community.parse().map_err(|_| ApiRefusal::NotADocumentId)?;
    let role = body.role.unwrap_or(Role::Committee);
    let ttl = ttl_seconds(body.ttl_hours.unwrap_or(OPERATOR_INVITE_HOURS))?;
    let made = api
        .access
        .update(|r| r.operator_invite(&doc, role, ttl, now()))?;
    tracing::info!(community = %doc, invite = %made.id, "operator made an admin invite");
    Ok(Json(made))
}

async fn sync_ticket(State(api): State<AccessApi>, headers: HeaderMap) -> ApiResult<SyncTicket> {
    let member = caller(&api, &headers)?;
    let principal = bearer(&headers)
        .and_then(|c| api.access.authenticate(c))
        .ok_or(ApiRefusal::CredentialRequired)?;
    let ticket =
        sync_ticket_for(&api, &principal, member.admin).map_err(|_| ApiRefusal::TooManyTickets)?;
    Ok(Json(ticket))
}

/// A fresh ticket for one socket of `principal`, as the API answers it.
fn sync_ticket_for(
    api: &AccessApi,
    principal: &Principal,
    admin: bool,
) -> Result<SyncTicket, TooMany> {
    Ok(SyncTicket {
        ticket: api.tickets.issue(principal)?,
        expires_in_secs: api.tickets.lifetime().as_secs(),
        admin,
    })
}

async fn join(State(api): State<AccessApi>, Body(body): Body<JoinRequest>) -> ApiResult<Grant> {
    let granted = api.access.update(|r| r.join(&body.token, now()));
    match &granted {
        Ok(g) => {
            tracing::info!(community = %g.community_doc_id, member = %g.member_id, "member joined")
        }
        Err(e) => tracing::info!(reason = e.message(), "refused a join"),
    }
    Ok(Json(with_ticket(&api, granted?)))
}

/// `grant` with a ticket for its member's first sync socket, when one can be issued.
fn with_ticket(api: &AccessApi, mut grant: Grant) -> Grant {
    grant.ticket = api
        .access
        .authenticate(&grant.credential)
        .and_then(|principal| sync_ticket_for(api, &principal, grant.admin).ok());
    grant
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
pub(super) fn caller(api: &AccessApi, headers: &HeaderMap) -> Result<MemberRow, ApiRefusal> {
    let member = bearer(headers)
        .and_then(|c| api.access.member(c))
        .ok_or(ApiRefusal::CredentialRequired)?;
    if member.revoked {
        return Err(ApiRefusal::MembershipRevoked);
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

fn ttl_seconds(hours: f64) -> Result<u64, ApiRefusal> {
    let max = (super::registry::MAX_INVITE_HOURS * 3600) as f64;
    let seconds = (hours * 3600.0).ceil();
    if seconds.is_finite() && seconds >= 1.0 && seconds <= max {
        Ok(seconds as u64)
    } else {
        Err(ApiRefusal::InvalidTtl)
    }
}

pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
pub(crate) mod tests;
