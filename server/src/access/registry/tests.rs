use super::*;
use linli_shared::api::InviteToken;

const A: DocumentId = DocumentId::from_bytes([1; 16]);
const B: DocumentId = DocumentId::from_bytes([2; 16]);
const NOW: u64 = 1_800_000_000;

fn admin_of(r: &mut Registry, doc: DocumentId) -> (Grant, MemberRow) {
    let granted = r.create_community(doc, Role::Committee).unwrap();
    let membership = r.member(&granted.credential).unwrap();
    (granted, membership)
}

#[test]
fn a_community_is_created_once_with_an_admin_who_owns_its_document() {
    let mut r = Registry::default();
    let (granted, admin) = admin_of(&mut r, A);
    assert!(admin.admin && !admin.revoked);
    assert_eq!(r.owner(&A), Some(A));
    assert_eq!(r.authenticate(&granted.credential).unwrap().community, A);
    assert!(matches!(
        r.create_community(A, Role::Committee),
        Err(ApiRefusal::AlreadyRegistered)
    ));
}

#[test]
fn wrong_or_malformed_credentials_authenticate_nobody() {
    let mut r = Registry::default();
    let (granted, _) = admin_of(&mut r, A);
    let (id, secret) = granted.credential.split_once('.').unwrap();
    let flipped = if secret.starts_with('0') { "1" } else { "0" };
    let wrong = format!("{id}.{flipped}{}", &secret[1..]);
    for bad in [wrong.as_str(), id, secret, "", "x.y"] {
        assert!(r.authenticate(bad).is_none(), "{bad}");
    }
}

#[test]
fn invites_admit_as_many_phones_as_chosen_until_they_expire() {
    let mut r = Registry::default();
    let (_, admin) = admin_of(&mut r, A);
    let InviteToken {
        token, expires_at, ..
    } = r
        .create_invite(&admin, Role::GroupLeader, 7200, 3, NOW)
        .unwrap();
    assert_eq!(expires_at, NOW + 7200);
    let first = r.join(&token, NOW).unwrap();
    let second = r.join(&token, NOW + 7199).unwrap();
    assert_ne!(first.member_id, second.member_id);
    assert_eq!(first.role, Role::GroupLeader);
    assert_eq!(first.community_doc_id, A.to_string());
    assert!(!r.member(&first.credential).unwrap().admin);
    assert!(matches!(
        r.join(&token, NOW + 7200),
        Err(ApiRefusal::InviteExpired)
    ));
    assert!(matches!(
        r.join("garbage", NOW),
        Err(ApiRefusal::InviteExpired)
    ));
}

#[test]
fn only_admins_invite_list_and_revoke_within_their_community() {
    let mut r = Registry::default();
    let (_, admin_a) = admin_of(&mut r, A);
    let (_, admin_b) = admin_of(&mut r, B);
    let InviteToken { token, .. } = r
        .create_invite(&admin_a, Role::NeighbourLeader, 3600, 1, NOW)
        .unwrap();
    let member = r.join(&token, NOW).unwrap();
    let member_view = r.member(&member.credential).unwrap();
    assert!(r
        .create_invite(&member_view, Role::Committee, 3600, 1, NOW)
        .is_err());
    assert!(r.revoke(&member_view, &admin_a.member_id).is_err());
    assert!(matches!(
        r.revoke(&admin_b, &member.member_id),
        Err(ApiRefusal::NoSuchMember)
    ));
    assert!(r.revoke(&admin_a, &admin_a.member_id).is_err());
    assert_eq!(r.members(&admin_a).unwrap().len(), 2);
    r.revoke(&admin_a, &member.member_id).unwrap();
    assert!(r.authenticate(&member.credential).is_none());
    assert!(r.member(&member.credential).unwrap().revoked);
    assert!(!r.is_active(&member.member_id));
}

#[test]
fn documents_belong_to_the_community_that_claimed_them() {
    let mut r = Registry::default();
    admin_of(&mut r, A);
    admin_of(&mut r, B);
    let doc = DocumentId::from_bytes([3; 16]);
    assert_eq!(r.owner(&doc), None);
    assert!(r.claim(&doc, &A));
    assert_eq!(r.owner(&doc), Some(A));
    assert!(matches!(
        r.create_community(doc, Role::Committee),
        Err(ApiRefusal::AlreadyRegistered)
    ));
}

#[test]
fn the_creating_phone_may_choose_its_credential_and_retry() {
    let mut r = Registry::default();
    let mine = format!("00aa11bb22cc33dd.{}", "5a".repeat(32));
    let granted = r
        .create_community_as(A, Role::Committee, Some(&mine))
        .unwrap();
    assert_eq!(granted.member_id, "00aa11bb22cc33dd");
    assert_eq!(granted.credential, mine);
    assert!(r.authenticate(&mine).is_some());
    // The answer was lost: the same request gets the same answer, nothing new is made.
    let again = r
        .create_community_as(A, Role::Committee, Some(&mine))
        .unwrap();
    assert_eq!(again.member_id, granted.member_id);
    assert_eq!(r.communities[&A.to_string()].members.len(), 1);
    // Someone else cannot take the community, nor the member id elsewhere.
    let other = format!("00aa11bb22cc33dd.{}", "6b".repeat(32));
    let taken = r.create_community_as(A, Role::Committee, Some(&other));
    assert!(matches!(taken, Err(ApiRefusal::AlreadyRegistered)));
    let taken = r.create_community_as(B, Role::Committee, Some(&other));
    assert!(matches!(taken, Err(ApiRefusal::MemberIdTaken)));
    let bad = r.create_community_as(B, Role::Committee, Some("not a credential"));
    assert!(matches!(bad, Err(ApiRefusal::MalformedCredential)));
    let stored = &r.communities[&A.to_string()].members[0].credential_sha256;
    assert!(!stored.contains(&"5a".repeat(32)), "only the hash is kept");
}

#[test]
fn an_invite_admits_its_number_of_phones_and_no_more() {
    let mut r = Registry::default();
    let (_, admin) = admin_of(&mut r, A);
    let InviteToken { token: once, .. } = r
        .create_invite(&admin, Role::GroupLeader, 3600, 1, NOW)
        .unwrap();
    let member = r.join(&once, NOW).unwrap();
    // Revoked, the phone tries the same link again: refused, and nothing is added.
    r.revoke(&admin, &member.member_id).unwrap();
    assert_eq!(r.join(&once, NOW).unwrap_err(), ApiRefusal::InviteUsedUp);
    assert_eq!(r.members(&admin).unwrap().len(), 2);
    let InviteToken { token: twice, .. } = r
        .create_invite(&admin, Role::GroupLeader, 3600, 2, NOW)
        .unwrap();
    r.join(&twice, NOW).unwrap();
    r.join(&twice, NOW).unwrap();
    assert!(r.join(&twice, NOW).is_err());
    for bad in [0, MAX_INVITE_USES + 1] {
        let refused = r.create_invite(&admin, Role::GroupLeader, 3600, bad, NOW);
        assert!(matches!(refused, Err(ApiRefusal::InvalidUses)), "{bad}");
    }
}

#[test]
fn invites_stored_without_a_use_limit_admit_one_more_phone() {
    let mut r = Registry::default();
    let (_, admin) = admin_of(&mut r, A);
    let InviteToken { token, .. } = r
        .create_invite(&admin, Role::GroupLeader, 3600, 5, NOW)
        .unwrap();
    // access.json as relays before use limits wrote it.
    let mut json = serde_json::to_value(&r).unwrap();
    for invite in json["communities"][A.to_string()]["invites"]
        .as_array_mut()
        .unwrap()
    {
        let invite = invite.as_object_mut().unwrap();
        invite.remove("max_uses");
        invite.remove("uses");
    }
    let mut old: Registry = serde_json::from_value(json).unwrap();
    old.join(&token, NOW).unwrap();
    assert!(old.join(&token, NOW).is_err());
}

#[test]
fn lookups_agree_after_joins_claims_revocations_and_a_reload() {
    let mut r = Registry::default();
    let (_, admin_a) = admin_of(&mut r, A);
    let (_, admin_b) = admin_of(&mut r, B);
    let token = r
        .create_invite(&admin_b, Role::NeighbourLeader, 3600, 2, NOW)
        .unwrap()
        .token;
    let joined = r.join(&token, NOW).unwrap();
    let doc = DocumentId::from_bytes([9; 16]);
    assert!(r.claim(&doc, &B));
    r.revoke(&admin_b, &joined.member_id).unwrap();
    let check = |r: &Registry| {
        assert_eq!(r.owner(&doc), Some(B));
        assert_eq!(r.owner(&A), Some(A));
        assert_eq!(r.owner(&DocumentId::from_bytes([8; 16])), None);
        assert!(r.is_active(&admin_a.member_id));
        assert!(!r.is_active(&joined.member_id), "revoked");
        assert!(!r.is_active("nobody"));
        let row = r.member(&joined.credential).unwrap();
        assert_eq!((row.community_doc_id, row.revoked), (B.to_string(), true));
    };
    check(&r);
    // Read back from JSON (an old `access.json`, imported once), the lookups are rebuilt.
    let reloaded: Registry = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    check(&reloaded);
    assert!(
        !serde_json::to_string(&r).unwrap().contains("index"),
        "the lookups are not stored"
    );
}
