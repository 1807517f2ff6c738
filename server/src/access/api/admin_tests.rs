//! Open invites, several admins, the operator's admin invite and sync tickets, answered
//! in-process.

use linli_shared::api::{AdminChange, Cancelled, InviteRow, OperatorInvite, SyncTicket};

use super::*;

async fn invites(api: &AccessApi, bearer: &str) -> Answer {
    get(api, api::INVITES, Some(bearer)).await
}

async fn cancel(api: &AccessApi, invite_id: &str, bearer: &str) -> Answer {
    let path = api::cancel_invite_path(invite_id);
    call(api, Method::POST, &path, Some(bearer), None).await
}

async fn set_admin(api: &AccessApi, member_id: &str, admin: bool, bearer: &str) -> Answer {
    post(
        api,
        &api::admin_path(member_id),
        Some(bearer),
        AdminChange { admin },
    )
    .await
}

#[tokio::test]
async fn admins_list_open_invites_without_tokens_and_cancel_them() {
    let api = in_memory_api(true);
    let (admin, member) = community_with_member(&api, 1, Role::GroupLeader).await;
    let by_admin = Some(admin.credential.as_str());
    let meeting: InviteToken = post(
        &api,
        api::INVITES,
        by_admin,
        invite(Role::NeighbourLeader, 2.0, Some(5)),
    )
    .await
    .read();
    let single: InviteToken = post(&api, api::INVITES, by_admin, invite(Role::Town, 1.0, None))
        .await
        .read();
    post(
        &api,
        api::JOIN,
        None,
        JoinRequest {
            token: meeting.token.clone(),
        },
    )
    .await
    .read::<Grant>();

    let listed = invites(&api, &admin.credential).await;
    assert_eq!(listed.status, StatusCode::OK);
    let text = listed.body.to_string();
    for made in [&meeting, &single] {
        let secret = made.token.rsplit('.').next().unwrap();
        assert!(!text.contains(secret), "a token in the list: {text}");
    }
    // The member's invite was used up by joining: not open any more.
    let rows: Vec<InviteRow> = listed.read();
    let seen: Vec<(&str, Role, u32, u32)> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.role, r.uses, r.max_uses))
        .collect();
    assert_eq!(
        seen,
        [
            (meeting.id.as_str(), Role::NeighbourLeader, 1, 5),
            (single.id.as_str(), Role::Town, 0, 1)
        ]
    );
    assert_eq!(rows[0].expires_at, meeting.expires_at);
    assert_eq!(rows[0].created_by, admin.member_id);

    // Members neither list nor cancel.
    let not_admin = (
        StatusCode::FORBIDDEN,
        "only a community admin may do this".to_string(),
    );
    assert_eq!(invites(&api, &member.credential).await.refusal(), not_admin);
    assert_eq!(
        cancel(&api, &meeting.id, &member.credential)
            .await
            .refusal(),
        not_admin
    );

    let cancelled = cancel(&api, &meeting.id, &admin.credential).await;
    assert_eq!(cancelled.read::<Cancelled>().cancelled, meeting.id);
    let refused = post(
        &api,
        api::JOIN,
        None,
        JoinRequest {
            token: meeting.token,
        },
    )
    .await;
    assert_eq!(
        refused.refusal(),
        (
            StatusCode::FORBIDDEN,
            "this invite is unknown or has expired".to_string()
        )
    );
    let rows: Vec<InviteRow> = invites(&api, &admin.credential).await.read();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        cancel(&api, &meeting.id, &admin.credential).await.status,
        StatusCode::NOT_FOUND
    );

    // The members list tells which invite admitted whom.
    let members: Vec<MemberRow> = get(&api, api::MEMBERS, by_admin).await.read();
    assert_eq!(members[0].invite_id, None);
    assert!(members[1..]
        .iter()
        .all(|m| m.invited_by.as_deref() == Some(admin.member_id.as_str())));
    assert_eq!(members[2].invite_id.as_deref(), Some(meeting.id.as_str()));
}

#[tokio::test]
async fn an_admin_makes_another_admin_and_one_always_remains() {
    let api = in_memory_api(true);
    let (first, member) = community_with_member(&api, 1, Role::GroupLeader).await;
    let (other_admin, _) = community_with_member(&api, 2, Role::GroupLeader).await;
    assert_eq!(
        set_admin(&api, &first.member_id, false, &member.credential)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        set_admin(&api, &member.member_id, true, &other_admin.credential)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let promoted = set_admin(&api, &member.member_id, true, &first.credential).await;
    let row: MemberRow = promoted.read();
    assert!(row.admin && row.member_id == member.member_id);
    // The new admin does what admins do, and the first one steps down.
    let list = get(&api, api::MEMBERS, Some(&member.credential)).await;
    assert_eq!(list.status, StatusCode::OK);
    let down: MemberRow = set_admin(&api, &first.member_id, false, &first.credential)
        .await
        .read();
    assert!(!down.admin);
    assert_eq!(
        get(&api, api::MEMBERS, Some(&first.credential))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        set_admin(&api, &member.member_id, false, &member.credential)
            .await
            .refusal(),
        (
            StatusCode::CONFLICT,
            "a community keeps at least one admin".to_string()
        )
    );
    let ticket: SyncTicket = post(&api, api::SYNC_TICKET, Some(&member.credential), ())
        .await
        .read();
    assert!(
        ticket.admin,
        "the phone learns it is an admin when it connects"
    );
}

#[tokio::test]
async fn the_operator_invites_an_admin_when_every_admin_phone_is_lost() {
    let api = in_memory_api(false);
    let admin: Grant = post(&api, api::COMMUNITIES, Some(OPERATOR), new_community(1))
        .await
        .read();
    let path = api::operator_invite_path(&admin.community_doc_id);
    for wrong in [None, Some("guess"), Some(admin.credential.as_str())] {
        let refused = post(&api, &path, wrong, OperatorInvite::default()).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{wrong:?}");
    }
    let unknown = api::operator_invite_path(&DocumentId::from_bytes([9; 16]).to_string());
    let missing = post(&api, &unknown, Some(OPERATOR), OperatorInvite::default()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let made: InviteToken = post(&api, &path, Some(OPERATOR), OperatorInvite::default())
        .await
        .read();
    assert_eq!(made.max_uses, 1);
    let joined: Grant = post(
        &api,
        api::JOIN,
        None,
        JoinRequest {
            token: made.token.clone(),
        },
    )
    .await
    .read();
    assert!(joined.admin);
    assert_eq!(
        (joined.role, joined.community_doc_id.as_str()),
        (Role::Committee, admin.community_doc_id.as_str())
    );
    let again = post(&api, api::JOIN, None, JoinRequest { token: made.token }).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    let rows: Vec<MemberRow> = get(&api, api::MEMBERS, Some(&joined.credential))
        .await
        .read();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].invited_by.as_deref(), Some(api::OPERATOR));
    // The new admin can revoke the lost phone.
    assert_eq!(
        revoke(&api, &admin.member_id, Some(&joined.credential))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn sync_tickets_need_an_active_member() {
    let api = in_memory_api(true);
    let (admin, member) = community_with_member(&api, 1, Role::GroupLeader).await;
    assert_eq!(
        post(&api, api::SYNC_TICKET, None, ()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let made: SyncTicket = post(&api, api::SYNC_TICKET, Some(&member.credential), ())
        .await
        .read();
    assert_eq!(made.expires_in_secs, 60);
    assert!(!made.admin);
    assert!(!made
        .ticket
        .contains(member.credential.rsplit('.').next().unwrap()));
    let principal = api
        .tickets
        .redeem(&made.ticket)
        .expect("the ticket works once");
    assert_eq!(principal.member_id, member.member_id);
    assert!(api.tickets.redeem(&made.ticket).is_none());
    revoke(&api, &member.member_id, Some(&admin.credential)).await;
    assert_eq!(
        post(&api, api::SYNC_TICKET, Some(&member.credential), ())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
