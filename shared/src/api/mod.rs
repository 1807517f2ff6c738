//! The relay's access API (`/api/…`, JSON) as it travels on the wire: the request and
//! answer bodies shared by the relay, the app and the tests. Credentials travel as
//! `Authorization: Bearer <credential>`; every refusal is an [`ErrorBody`].
//!
//! | call | body | answer |
//! |---|---|---|
//! | `POST` [`COMMUNITIES`] | [`NewCommunity`] (open registration, or `Bearer <admin token>`) | [`Grant`] |
//! | `POST` [`INVITES`] (admin) | [`NewInvite`] | [`InviteToken`] |
//! | `POST` [`JOIN`] | [`JoinRequest`] | [`Grant`] |
//! | `GET` [`ME`] | — | [`MemberRow`] (the caller) |
//! | `GET` [`MEMBERS`] (admin) | — | `Vec<`[`MemberRow`]`>` |
//! | `POST` [`revoke_path`] (admin) | — | [`Revoked`] |
//!
//! Roles travel as [`Role::as_str`] (`"group_leader"` …). Community document ids travel as
//! their base58check text.

use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// Registers a community.
pub const COMMUNITIES: &str = "/api/communities";
/// Makes an invite.
pub const INVITES: &str = "/api/invites";
/// Exchanges an invite token for a member credential.
pub const JOIN: &str = "/api/join";
/// The caller's own membership.
pub const ME: &str = "/api/me";
/// The caller's community's members.
pub const MEMBERS: &str = "/api/members";
/// The route [`revoke_path`] answers (axum's `{…}` capture syntax).
pub const REVOKE_ROUTE: &str = "/api/members/{member_id}/revoke";

/// Revokes `member_id` (its sockets are closed).
pub fn revoke_path(member_id: &str) -> String {
    format!("{MEMBERS}/{member_id}/revoke")
}

/// `POST /api/communities`: registers `community_doc_id` with the caller as its admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCommunity {
    pub community_doc_id: String,
    /// The admin's role; `committee` if not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The admin's credential, chosen by the app (`<member id>.<64 hex>`): a retry after a
    /// lost answer gets the same answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// `POST /api/invites`: an invite for `role` valid for `ttl_hours`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewInvite {
    pub role: Role,
    /// Fractions are allowed (`0.25` = 15 minutes); more than 0, at most 720.
    pub ttl_hours: f64,
    /// How many phones the invite admits (1 if not given, at most 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_uses: Option<u32>,
}

/// The answer to [`NewInvite`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteToken {
    /// Goes into the invite link (`#/join/<token>`).
    pub token: String,
    /// Unix seconds.
    pub expires_at: u64,
    pub max_uses: u32,
}

/// `POST /api/join`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub token: String,
}

/// A member credential handed out by the relay: the answer to [`NewCommunity`] and to
/// [`JoinRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub community_doc_id: String,
    pub member_id: String,
    /// `<member id>.<secret>`; the relay keeps only a hash.
    pub credential: String,
    /// The admin's role, or the invite's role.
    pub role: Role,
}

/// A member as the API shows it (never a credential): the answer to `GET /api/me` and one
/// row of `GET /api/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub community_doc_id: String,
    pub member_id: String,
    pub role: Role,
    pub admin: bool,
    pub revoked: bool,
}

/// The answer to a revoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    /// The revoked member's id.
    pub revoked: String,
}

/// The body of every refusal (4xx/5xx): a message safe to show and log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

#[cfg(test)]
mod tests;
