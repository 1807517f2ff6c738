//! The access API answered in-process (`oneshot`, no socket): status codes, bodies read back
//! as the `linli_shared::api` types, and the refusals. `server/tests/access.rs` drives the
//! same API through the real binary.

use axum::body::{to_bytes, Body as HttpBody};
use axum::http::{Method, Request, StatusCode};
use linli_shared::api::ApiRefusal;
use linli_shared::api::{
    self, ErrorBody, Grant, InviteToken, JoinRequest, MemberRow, NewCommunity, NewInvite, Revoked,
};
use linli_shared::domain::Role;
use linli_shared::wire::{DocumentId, PeerId};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{routes, AccessApi};
use crate::access::tickets::Tickets;
use crate::access::{Access, CommunityRules};
use crate::core::{Relay, RelayConfig};
use crate::storage::MemoryStore;
use crate::transport::spawn_hub;

pub(crate) const OPERATOR: &str = "operator-secret";

/// The access API of a relay whose documents and registry live in memory (the hub runs on
/// its own thread until the last handle is dropped).
pub(crate) fn in_memory_api(open_registration: bool) -> AccessApi {
    let access = Access::in_memory();
    let relay = Relay::with_authorizer(
        PeerId::new("relay"),
        "store".into(),
        MemoryStore::new(),
        RelayConfig::default(),
        CommunityRules::new(access.clone()),
    );
    let (hub, _thread) = spawn_hub(relay);
    AccessApi {
        access,
        hub,
        open_registration,
        admin_token: Some(OPERATOR.into()),
        tickets: Tickets::new(std::time::Duration::from_secs(60)),
    }
}

/// An answer: its status and JSON body.
struct Answer {
    status: StatusCode,
    body: Value,
}

impl Answer {
    /// The body as `T`; panics if it is not one.
    fn read<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("{e}: {} {}", self.status, self.body))
    }

    /// A refusal: its status and `error`.
    fn refusal(&self) -> (StatusCode, String) {
        (self.status, self.read::<ErrorBody>().error)
    }
}

/// One request to a fresh copy of the API's router.
async fn call(
    api: &AccessApi,
    method: Method,
    path: &str,
    bearer: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(credential) = bearer {
        request = request.header("authorization", format!("Bearer {credential}"));
    }
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(HttpBody::from(body.to_string())),
        None => request.body(HttpBody::empty()),
    };
    let response = routes(api.clone()).oneshot(request.unwrap()).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Answer { status, body }
}

fn to_json(body: impl Serialize) -> Option<Value> {
    Some(serde_json::to_value(body).unwrap())
}

async fn post(api: &AccessApi, path: &str, bearer: Option<&str>, body: impl Serialize) -> Answer {
    call(api, Method::POST, path, bearer, to_json(body)).await
}

async fn get(api: &AccessApi, path: &str, bearer: Option<&str>) -> Answer {
    call(api, Method::GET, path, bearer, None).await
}

async fn revoke(api: &AccessApi, member_id: &str, bearer: Option<&str>) -> Answer {
    let path = api::revoke_path(member_id);
    call(api, Method::POST, &path, bearer, None).await
}

fn new_community(n: u8) -> NewCommunity {
    NewCommunity {
        community_doc_id: DocumentId::from_bytes([n; 16]).to_string(),
        role: None,
        credential: None,
    }
}

fn invite(role: Role, ttl_hours: f64, max_uses: Option<u32>) -> NewInvite {
    NewInvite {
        role,
        ttl_hours,
        max_uses,
    }
}

/// Registers community `n` (open registration) and joins one member by invite:
/// (admin's grant, member's grant).
async fn community_with_member(api: &AccessApi, n: u8, role: Role) -> (Grant, Grant) {
    let admin: Grant = post(api, api::COMMUNITIES, None, new_community(n))
        .await
        .read();
    let made = post(
        api,
        api::INVITES,
        Some(&admin.credential),
        invite(role, 1.0, None),
    )
    .await;
    let token = made.read::<InviteToken>().token;
    let member = post(api, api::JOIN, None, JoinRequest { token })
        .await
        .read();
    (admin, member)
}

#[tokio::test]
async fn a_community_registers_invites_joins_lists_and_revokes() {
    let api = in_memory_api(true);
    let doc = DocumentId::from_bytes([1; 16]);
    let registered = post(&api, api::COMMUNITIES, None, new_community(1)).await;
    assert_eq!(registered.status, StatusCode::OK);
    let admin: Grant = registered.read();
    assert_eq!(
        (admin.community_doc_id.as_str(), admin.role),
        (doc.to_string().as_str(), Role::Committee)
    );
    let me: MemberRow = get(&api, api::ME, Some(&admin.credential)).await.read();
    assert!(me.admin && !me.revoked);
    assert_eq!(me.member_id, admin.member_id);

    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let made = post(
        &api,
        api::INVITES,
        Some(&admin.credential),
        invite(Role::GroupLeader, 0.25, Some(2)),
    )
    .await;
    assert_eq!(made.status, StatusCode::OK);
    let made: InviteToken = made.read();
    assert_eq!(made.max_uses, 2);
    assert!((before + 900..=before + 902).contains(&made.expires_at));
    let joined = post(&api, api::JOIN, None, JoinRequest { token: made.token }).await;
    assert_eq!(joined.status, StatusCode::OK);
    // The wire keeps the role's stored string.
    assert_eq!(joined.body["role"], "group_leader");
    let member: Grant = joined.read();
    assert_eq!(member.role, Role::GroupLeader);
    assert_eq!(member.community_doc_id, doc.to_string());

    let rows: Vec<MemberRow> = get(&api, api::MEMBERS, Some(&admin.credential))
        .await
        .read();
    let roles: Vec<(Role, bool)> = rows.iter().map(|r| (r.role, r.admin)).collect();
    assert_eq!(roles, [(Role::Committee, true), (Role::GroupLeader, false)]);

    let revoked = revoke(&api, &member.member_id, Some(&admin.credential)).await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert_eq!(
        revoked.read::<Revoked>(),
        Revoked {
            revoked: member.member_id.clone()
        }
    );
    let rows: Vec<MemberRow> = get(&api, api::MEMBERS, Some(&admin.credential))
        .await
        .read();
    assert!(rows[1].revoked);
}

#[tokio::test]
async fn wrong_and_revoked_credentials_are_refused() {
    let api = in_memory_api(true);
    let (admin, member) = community_with_member(&api, 1, Role::NeighbourLeader).await;
    let unauthorized = (
        StatusCode::UNAUTHORIZED,
        "a valid member credential is required".to_string(),
    );
    let (id, secret) = admin.credential.split_once('.').unwrap();
    let flipped = if secret.starts_with('0') { "1" } else { "0" };
    let wrong = format!("{id}.{flipped}{}", &secret[1..]);
    for credential in [None, Some(wrong.as_str()), Some("garbage")] {
        assert_eq!(
            get(&api, api::ME, credential).await.refusal(),
            unauthorized,
            "{credential:?}"
        );
        assert_eq!(
            get(&api, api::MEMBERS, credential).await.refusal(),
            unauthorized
        );
        let made = post(
            &api,
            api::INVITES,
            credential,
            invite(Role::Town, 1.0, None),
        )
        .await;
        assert_eq!(made.refusal(), unauthorized);
    }

    revoke(&api, &member.member_id, Some(&admin.credential)).await;
    let revoked = (
        StatusCode::FORBIDDEN,
        "this membership was revoked".to_string(),
    );
    assert_eq!(
        get(&api, api::ME, Some(&member.credential)).await.refusal(),
        revoked
    );
    assert_eq!(
        get(&api, api::MEMBERS, Some(&member.credential))
            .await
            .refusal(),
        revoked
    );
}

#[tokio::test]
async fn only_admins_invite_list_and_revoke_in_their_own_community() {
    let api = in_memory_api(true);
    let (admin, member) = community_with_member(&api, 1, Role::GroupLeader).await;
    let (other_admin, _) = community_with_member(&api, 2, Role::GroupLeader).await;
    let not_admin = (
        StatusCode::FORBIDDEN,
        "only a community admin may do this".to_string(),
    );
    let by_member = Some(member.credential.as_str());
    let made = post(&api, api::INVITES, by_member, invite(Role::Town, 1.0, None)).await;
    assert_eq!(made.refusal(), not_admin);
    assert_eq!(
        get(&api, api::MEMBERS, by_member).await.refusal(),
        not_admin
    );
    assert_eq!(
        revoke(&api, &admin.member_id, by_member).await.refusal(),
        not_admin
    );
    // Another community's admin does not find the member; nobody revokes themselves.
    let elsewhere = revoke(&api, &member.member_id, Some(&other_admin.credential)).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let own = revoke(&api, &admin.member_id, Some(&admin.credential)).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    // The member is still in.
    let me: MemberRow = get(&api, api::ME, by_member).await.read();
    assert!(!me.revoked && !me.admin);
}

#[tokio::test]
async fn registration_is_closed_unless_open_or_by_the_operator() {
    let api = in_memory_api(false);
    let closed = post(&api, api::COMMUNITIES, None, new_community(1)).await;
    assert_eq!(
        closed.refusal(),
        (
            StatusCode::FORBIDDEN,
            "registration is closed on this relay; ask its operator".to_string()
        )
    );
    let wrong = post(&api, api::COMMUNITIES, Some("operator"), new_community(1)).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let town = NewCommunity {
        role: Some(Role::Town),
        ..new_community(1)
    };
    let operator = post(&api, api::COMMUNITIES, Some(OPERATOR), town).await;
    assert_eq!(operator.status, StatusCode::OK);
    assert_eq!(operator.read::<Grant>().role, Role::Town);
    let again = post(&api, api::COMMUNITIES, Some(OPERATOR), new_community(1)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn bad_bodies_are_refused_as_before_typed_roles() {
    let api = in_memory_api(true);
    let admin: Grant = post(&api, api::COMMUNITIES, None, new_community(1))
        .await
        .read();
    let by_admin = Some(admin.credential.as_str());
    let unknown_role = (StatusCode::BAD_REQUEST, "unknown role".to_string());
    let mayor = json!({"role": "mayor", "ttl_hours": 1});
    assert_eq!(
        post(&api, api::INVITES, by_admin, mayor).await.refusal(),
        unknown_role
    );
    let mayor =
        json!({"community_doc_id": DocumentId::from_bytes([2; 16]).to_string(), "role": "mayor"});
    assert_eq!(
        post(&api, api::COMMUNITIES, None, mayor).await.refusal(),
        unknown_role
    );
    // Not a role problem: axum's own refusal, as always.
    let missing = post(&api, api::INVITES, by_admin, json!({"role": "town"})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.as_str().unwrap().contains("ttl_hours"));

    for ttl_hours in [0.0, -1.0, 721.0] {
        let made = post(
            &api,
            api::INVITES,
            by_admin,
            invite(Role::Town, ttl_hours, None),
        )
        .await;
        assert_eq!(made.status, StatusCode::BAD_REQUEST, "{ttl_hours}");
    }
    let too_many = post(
        &api,
        api::INVITES,
        by_admin,
        invite(Role::Town, 1.0, Some(101)),
    )
    .await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    let not_a_doc = NewCommunity {
        community_doc_id: "not a document".into(),
        ..new_community(3)
    };
    assert_eq!(
        post(&api, api::COMMUNITIES, None, not_a_doc)
            .await
            .refusal(),
        (
            StatusCode::BAD_REQUEST,
            ApiRefusal::NotADocumentId.message().to_string()
        )
    );
    let unknown_invite = JoinRequest {
        token: "0011.abc".into(),
    };
    assert_eq!(
        post(&api, api::JOIN, None, unknown_invite).await.refusal(),
        (
            StatusCode::FORBIDDEN,
            "this invite is unknown or has expired".to_string()
        )
    );
}

#[path = "admin_tests.rs"]
mod admins;

#[tokio::test]
async fn a_grant_carries_a_ticket_for_its_first_socket() {
    let api = in_memory_api(true);
    let (admin, member) = community_with_member(&api, 21, Role::GroupLeader).await;
    for grant in [&admin, &member] {
        let ticket = grant.ticket.clone().expect("a ticket in the grant");
        assert_eq!(ticket.admin, grant.admin);
        assert_eq!(ticket.expires_in_secs, 60);
        let opened = api
            .tickets
            .redeem(&ticket.ticket)
            .expect("the ticket opens a socket");
        assert_eq!(opened.member_id, grant.member_id);
        assert!(api.tickets.redeem(&ticket.ticket).is_none(), "once");
    }
}

mod view;
