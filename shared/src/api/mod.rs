//! The relay's access API (`/api/…`, JSON) as it travels on the wire: the request and
//! answer bodies shared by the relay, the app and the tests. Credentials travel as
//! `Authorization: Bearer <credential>`; every refusal is an [`ErrorBody`].
//!
//! | call | body | answer |
//! |---|---|---|
//! | `POST` [`COMMUNITIES`] | [`NewCommunity`] (open registration, or `Bearer <admin token>`) | [`Grant`] |
//! | `POST` [`INVITES`] (admin) | [`NewInvite`] | [`InviteToken`] |
//! | `GET` [`INVITES`] (admin) | — | `Vec<`[`InviteRow`]`>` (the open ones) |
//! | `POST` [`cancel_invite_path`] (admin) | — | [`Cancelled`] |
//! | `POST` [`JOIN`] | [`JoinRequest`] | [`Grant`] |
//! | `GET` [`ME`] | — | [`MemberRow`] (the caller) |
//! | `GET` [`MEMBERS`] (admin) | — | `Vec<`[`MemberRow`]`>` |
//! | `POST` [`revoke_path`] (admin) | — | [`Revoked`] |
//! | `POST` [`admin_path`] (admin) | [`AdminChange`] | [`MemberRow`] (the member now) |
//! | `POST` [`operator_invite_path`] (`Bearer <admin token>`) | [`OperatorInvite`] | [`InviteToken`] |
//! | `POST` [`SYNC_TICKET`] (member) | — | [`SyncTicket`] |
//! | `POST` [`REPORT_LINKS`] (member) | [`NewReportLink`] | [`ReportLinkRow`] |
//! | `GET` [`REPORT_LINKS`] (member) | — | `Vec<`[`ReportLinkRow`]`>` (the community's live ones) |
//! | `POST` [`revoke_report_link_path`] (its maker, or an admin) | — | [`ReportLinkRow`] (revoked) |
//!
//! The resident's side of a report link is not JSON: `GET`/`POST` [`report_page_path`] is a small
//! HTML page with a form, and the tracking link it gives is [`TRACKING_PREFIX`]`<token>`.
//!
//! Roles travel as [`Role::as_str`] (`"group_leader"` …). Community document ids travel as
//! their base58check text.

use serde::{Deserialize, Serialize};

mod refusal;
pub use refusal::ApiRefusal;

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

/// The route [`admin_path`] answers.
pub const ADMIN_ROUTE: &str = "/api/members/{member_id}/admin";
/// The route [`cancel_invite_path`] answers.
pub const CANCEL_INVITE_ROUTE: &str = "/api/invites/{invite_id}/cancel";
/// The route [`operator_invite_path`] answers.
pub const OPERATOR_INVITE_ROUTE: &str = "/api/communities/{community_doc_id}/admin-invite";
/// Exchanges a member credential for a one-use ticket that opens one `/sync` socket.
pub const SYNC_TICKET: &str = "/api/sync-ticket";
/// `GET`: the caller's community as the concern screens show it (`domain::CommunityView`),
/// read by the relay from its copy: a phone that has just joined shows its list from it
/// before its own copy has synced (issue 14).
pub const COMMUNITY_VIEW: &str = "/api/view";

/// `POST` [`Authors`]: which members of the caller's community the given Automerge actor ids
/// belong to (the relay binds each actor id to the member that first wrote with it). At most
/// [`MAX_AUTHORS_ASKED`] ids per call.
pub const AUTHORS: &str = "/api/authors";
/// A member's 吹哨 report links (QR codes residents scan).
pub const REPORT_LINKS: &str = "/api/report-links";
/// Revokes one (`{link_id}`).
pub const REVOKE_REPORT_LINK_ROUTE: &str = "/api/report-links/{link_id}/revoke";
/// Where a report link's page is (the QR code's address is the relay's origin and this).
pub const REPORT_PREFIX: &str = "/r/";
/// Where a resident's tracking page is.
pub const TRACKING_PREFIX: &str = "/t/";

pub fn revoke_report_link_path(link_id: &str) -> String {
    format!("/api/report-links/{link_id}/revoke")
}

/// The resident page of the report link whose token is `token`.
pub fn report_page_path(token: &str) -> String {
    format!("{REPORT_PREFIX}{token}")
}

/// The most actor ids one [`AUTHORS`] call may ask about.
pub const MAX_AUTHORS_ASKED: usize = 1000;

/// Revokes `member_id` (its sockets are closed).
pub fn revoke_path(member_id: &str) -> String {
    format!("{MEMBERS}/{member_id}/revoke")
}

/// Makes `member_id` an admin or no longer one ([`AdminChange`]).
pub fn admin_path(member_id: &str) -> String {
    format!("{MEMBERS}/{member_id}/admin")
}

/// Cancels the open invite `invite_id` ([`InviteRow::id`]).
pub fn cancel_invite_path(invite_id: &str) -> String {
    format!("{INVITES}/{invite_id}/cancel")
}

/// The operator's one-use admin invite for a community whose admins lost their phones.
pub fn operator_invite_path(community_doc_id: &str) -> String {
    format!("{COMMUNITIES}/{community_doc_id}/admin-invite")
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
    /// The invite's id ([`InviteRow::id`]): enough to cancel it, not to join.
    pub id: String,
    /// Goes into the invite link (`#/join/<token>`). Shown once: the relay keeps a hash.
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
    /// An admin of the community (its first member, or joined by an operator's admin invite).
    #[serde(default)]
    pub admin: bool,
    /// A ticket for the phone's first sync socket, so it can open one at once instead of
    /// asking for a ticket first (one round trip less on a slow network). Absent if the
    /// relay could not issue one; the phone then asks [`SYNC_TICKET`] as it always can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<SyncTicket>,
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
    /// The invite that admitted the member (none for the community's first admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_id: Option<String>,
    /// Who made that invite: an admin's member id, or [`OPERATOR`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_by: Option<String>,
}

/// [`InviteRow::created_by`] / [`MemberRow::invited_by`] of the operator's admin invites.
pub const OPERATOR: &str = "operator";

/// An open invite (neither expired, used up nor cancelled) as admins see it: never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRow {
    pub id: String,
    pub role: Role,
    /// Joining through it makes an admin (the operator's recovery invites).
    pub admin: bool,
    pub max_uses: u32,
    pub uses: u32,
    /// Unix seconds.
    pub expires_at: u64,
    /// The admin's member id, or [`OPERATOR`].
    pub created_by: String,
}

/// The answer to a cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancelled {
    /// The cancelled invite's id.
    pub cancelled: String,
}

/// `POST` [`admin_path`]: make the member an admin (`true`) or no longer one. A community
/// keeps at least one admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChange {
    pub admin: bool,
}

/// `POST` [`operator_invite_path`]: a one-use invite that makes an admin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OperatorInvite {
    /// The new admin's role; `committee` if not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// 72 if not given; as [`NewInvite::ttl_hours`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_hours: Option<f64>,
}

/// The answer to `POST` [`SYNC_TICKET`]: opens one socket as
/// `/sync?ticket=<ticket>`, once, within `expires_in_secs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncTicket {
    pub ticket: String,
    pub expires_in_secs: u64,
    /// The caller is an admin of its community (a phone learns it was made one).
    pub admin: bool,
}

/// The body of `POST` [`AUTHORS`]: actor ids, in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorsAsked {
    pub actors: Vec<String>,
}

/// The answer to `POST` [`AUTHORS`]: the asked actor ids bound to members of the caller's
/// community. An actor id the relay has not bound, or bound in another community, is left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authors {
    pub authors: Vec<Author>,
}

/// One actor id and the member it is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub actor: String,
    pub member_id: String,
}

/// `POST` [`REPORT_LINKS`]: a report link for a 邻 or 组 of the caller's community (a unit id
/// of its org tree). A 邻长 makes links for a 邻; 组长 and above for a 邻 or a 组.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReportLink {
    pub place: String,
}

/// A report link as members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLinkRow {
    pub id: String,
    /// The unit id of its 邻 or 组.
    pub place: String,
    /// Its page is [`report_page_path`]`(token)`: what the QR code holds. Not a member's
    /// secret (it is printed on a poster), but it lets anyone raise a concern there.
    pub token: String,
    /// The member who made it.
    pub made_by: String,
    /// Unix seconds.
    pub made_at: u64,
    /// Unix seconds; a revoked link's page says so and takes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<u64>,
}

/// The answer to a revoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    /// The revoked member's id.
    pub revoked: String,
}

/// The body of every refusal (4xx/5xx): a message safe to show and log, and which refusal it
/// is ([`ApiRefusal::code`]; absent from relays older than the field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ErrorBody {
    pub fn of(refusal: ApiRefusal) -> ErrorBody {
        ErrorBody {
            error: refusal.message().to_string(),
            reason: Some(refusal.code().to_string()),
        }
    }

    /// The refusal, if the relay named one this build knows.
    pub fn refusal(&self) -> Option<ApiRefusal> {
        self.reason.as_deref().and_then(ApiRefusal::parse)
    }
}

#[cfg(test)]
mod tests;
