use super::*;
use crate::access::ApiRefusal;
use linli_shared::api::InviteToken;
use linli_shared::api::MemberRow;
use linli_shared::domain::Role;

const A: DocumentId = DocumentId::from_bytes([1; 16]);
const B: DocumentId = DocumentId::from_bytes([2; 16]);
const NEW: DocumentId = DocumentId::from_bytes([3; 16]);

fn setup() -> (CommunityRules, Access, Principal, Principal) {
    let access = Access::in_memory();
    let a = access
        .update(|r| r.create_community(A, Role::Committee))
        .unwrap();
    let b = access
        .update(|r| r.create_community(B, Role::Committee))
        .unwrap();
    let pa = access.authenticate(&a.credential).unwrap();
    let pb = access.authenticate(&b.credential).unwrap();
    (CommunityRules::new(access.clone()), access, pa, pb)
}

#[test]
fn members_reach_their_own_community_documents_only() {
    let (rules, _, a, b) = setup();
    for action in [
        Action::Request,
        Action::Sync,
        Action::Create,
        Action::Ephemeral,
    ] {
        assert!(rules.authorize(Some(&a), &A, action));
        assert!(!rules.authorize(Some(&a), &B, action), "{action:?}");
        assert!(!rules.authorize(Some(&b), &A, action), "{action:?}");
        assert!(!rules.authorize(None, &A, action));
    }
}

#[test]
fn a_sync_creates_an_unknown_document_for_the_member_community() {
    let (rules, access, a, b) = setup();
    assert!(!rules.authorize(Some(&a), &NEW, Action::Request));
    assert!(!rules.authorize(Some(&a), &NEW, Action::Ephemeral));
    assert_eq!(
        access.read(|r| r.owner(&NEW)),
        None,
        "requests claim nothing"
    );
    assert!(
        !rules.authorize(Some(&a), &NEW, Action::Sync),
        "stored but unowned"
    );
    assert_eq!(access.read(|r| r.owner(&NEW)), None);
    assert!(rules.authorize(Some(&a), &NEW, Action::Create));
    assert_eq!(access.read(|r| r.owner(&NEW)), Some(A));
    assert!(rules.authorize(Some(&a), &NEW, Action::Sync));
    assert!(!rules.authorize(Some(&b), &NEW, Action::Sync));
    assert!(!rules.authorize(Some(&b), &NEW, Action::Create));
    assert!(!rules.authorize(Some(&b), &NEW, Action::Request));
}

#[test]
fn a_revoked_member_is_refused_even_on_an_open_connection() {
    let (rules, access, a, _) = setup();
    let admin = access
        .read(|r| {
            r.members(&MemberRow {
                community_doc_id: A.to_string(),
                member_id: a.member_id.clone(),
                role: Role::Committee,
                admin: true,
                revoked: false,
                invite_id: None,
                invited_by: None,
            })
        })
        .unwrap();
    assert_eq!(admin.len(), 1);
    let InviteToken { token, .. } = access
        .update(|r| r.create_invite(&admin[0], Role::GroupLeader, 3600, 1, 0))
        .unwrap();
    let joined = access.update(|r| r.join(&token, 0)).unwrap();
    let member = access.authenticate(&joined.credential).unwrap();
    assert!(rules.authorize(Some(&member), &A, Action::Sync));
    access
        .update(|r| r.revoke(&admin[0], &member.member_id))
        .unwrap();
    assert!(!rules.authorize(Some(&member), &A, Action::Request));
    assert!(access.authenticate(&joined.credential).is_none());
    assert_eq!(
        access.update(|r| r.revoke(&admin[0], "nobody")),
        Err(ApiRefusal::NoSuchMember)
    );
}
