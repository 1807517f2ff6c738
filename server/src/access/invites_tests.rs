use super::*;

const A: DocumentId = DocumentId::from_bytes([1; 16]);
const B: DocumentId = DocumentId::from_bytes([2; 16]);
const NOW: u64 = 1_800_000_000;

fn admin_of(r: &mut Registry, doc: DocumentId) -> MemberRow {
    let granted = r.create_community(doc, Role::Committee).unwrap();
    r.member(&granted.credential).unwrap()
}

#[test]
fn open_invites_are_listed_without_tokens_and_cancelled_by_id() {
    let mut r = Registry::default();
    let admin = admin_of(&mut r, A);
    let other = admin_of(&mut r, B);
    let short = r
        .create_invite(&admin, Role::GroupLeader, 60, 1, NOW)
        .unwrap();
    let meeting = r
        .create_invite(&admin, Role::NeighbourLeader, 3600, 3, NOW)
        .unwrap();
    r.join(&meeting.token, NOW).unwrap();
    let listed = r.open_invites(&admin, NOW).unwrap();
    assert_eq!(
        listed,
        vec![
            InviteRow {
                id: short.id.clone(),
                role: Role::GroupLeader,
                admin: false,
                max_uses: 1,
                uses: 0,
                expires_at: NOW + 60,
                created_by: admin.member_id.clone(),
            },
            InviteRow {
                id: meeting.id.clone(),
                role: Role::NeighbourLeader,
                admin: false,
                max_uses: 3,
                uses: 1,
                expires_at: NOW + 3600,
                created_by: admin.member_id.clone(),
            },
        ]
    );
    // Expired ones are not open; another community sees none of these.
    assert_eq!(r.open_invites(&admin, NOW + 60).unwrap().len(), 1);
    assert!(r.open_invites(&other, NOW).unwrap().is_empty());
    assert_eq!(
        r.cancel_invite(&other, &meeting.id),
        Err(ApiRefusal::NoSuchInvite)
    );

    r.cancel_invite(&admin, &meeting.id).unwrap();
    assert_eq!(
        r.join(&meeting.token, NOW).unwrap_err(),
        ApiRefusal::InviteExpired
    );
    assert_eq!(r.open_invites(&admin, NOW).unwrap()[0].id, short.id);
    assert!(
        r.cancel_invite(&admin, &meeting.id).is_err(),
        "already gone"
    );
}

#[test]
fn a_member_records_the_invite_that_admitted_it() {
    let mut r = Registry::default();
    let admin = admin_of(&mut r, A);
    let made = r
        .create_invite(&admin, Role::GroupLeader, 3600, 2, NOW)
        .unwrap();
    let joined = r.join(&made.token, NOW).unwrap();
    let row = r.member(&joined.credential).unwrap();
    assert_eq!(row.invite_id.as_deref(), Some(made.id.as_str()));
    assert_eq!(row.invited_by.as_deref(), Some(admin.member_id.as_str()));
    assert_eq!((admin.invite_id, admin.invited_by), (None, None));
}

#[test]
fn the_operator_invite_admits_one_admin() {
    let mut r = Registry::default();
    let admin = admin_of(&mut r, A);
    assert_eq!(
        r.operator_invite(&B, Role::Committee, 3600, NOW),
        Err(ApiRefusal::NoSuchCommunity)
    );
    let made = r.operator_invite(&A, Role::AreaLeader, 3600, NOW).unwrap();
    assert_eq!(made.max_uses, 1);
    let listed = r.open_invites(&admin, NOW).unwrap();
    assert!(listed[0].admin && listed[0].created_by == OPERATOR);
    let joined = r.join(&made.token, NOW).unwrap();
    assert!(joined.admin);
    let row = r.member(&joined.credential).unwrap();
    assert!(row.admin && row.role == Role::AreaLeader);
    assert_eq!(row.invited_by.as_deref(), Some(OPERATOR));
    assert!(r.join(&made.token, NOW).is_err(), "one use");
    // The new admin administers the community.
    assert!(r.create_invite(&row, Role::Town, 60, 1, NOW).is_ok());
}

#[test]
fn admins_make_admins_and_a_community_keeps_one() {
    let mut r = Registry::default();
    let first = admin_of(&mut r, A);
    let made = r
        .create_invite(&first, Role::GroupLeader, 3600, 2, NOW)
        .unwrap();
    let member = r.join(&made.token, NOW).unwrap();
    let other = r.join(&made.token, NOW).unwrap();
    let member_row = r.member(&member.credential).unwrap();
    assert!(r.set_admin(&member_row, &other.member_id, true).is_err());

    let promoted = r.set_admin(&first, &member.member_id, true).unwrap();
    assert!(promoted.admin);
    let second = r.member(&member.credential).unwrap();
    // Either admin may step down while the other remains; the last one may not.
    r.set_admin(&second, &first.member_id, false).unwrap();
    let first = r
        .members(&second)
        .unwrap()
        .into_iter()
        .find(|m| m.member_id == first.member_id)
        .unwrap();
    assert!(!first.admin);
    assert!(r.create_invite(&first, Role::Town, 60, 1, NOW).is_err());
    assert_eq!(
        r.set_admin(&second, &second.member_id, false),
        Err(ApiRefusal::LastAdmin)
    );
    // A revoked admin does not count, and a revoked member cannot be made one.
    r.set_admin(&second, &first.member_id, true).unwrap();
    r.revoke(&second, &first.member_id).unwrap();
    assert!(r.set_admin(&second, &second.member_id, false).is_err());
    assert_eq!(
        r.set_admin(&second, &first.member_id, true),
        Err(ApiRefusal::AlreadyRevoked)
    );
}
