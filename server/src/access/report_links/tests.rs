use super::*;
use linli_shared::api::Grant;

const A: DocumentId = DocumentId::from_bytes([1; 16]);
const B: DocumentId = DocumentId::from_bytes([2; 16]);
const NOW: u64 = 1_800_000_000;

/// The admin of a new community `doc`, and a member of it in `role` (not an admin).
fn community(r: &mut Registry, doc: DocumentId, role: Role) -> (MemberRow, MemberRow) {
    let granted: Grant = r.create_community(doc, Role::Committee).unwrap();
    let admin = r.member(&granted.credential).unwrap();
    let invite = r.create_invite(&admin, role, 3600, 1, NOW).unwrap();
    let joined = r.join(&invite.token, NOW).unwrap();
    (admin, r.member(&joined.credential).unwrap())
}

#[test]
fn a_neighbourhood_leader_makes_links_for_a_neighbourhood_and_others_for_a_group_too() {
    let mut r = Registry::default();
    let (admin, leader) = community(&mut r, A, Role::NeighbourLeader);
    let link = r
        .create_report_link(&leader, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
        .unwrap();
    assert_eq!(
        (link.place.as_str(), link.made_by.as_str()),
        ("nb1", leader.member_id.as_str())
    );
    assert_eq!(link.token.len(), 32);
    let group = r.create_report_link(&leader, "g1", (UnitKind::Group, "一邻"), NOW);
    assert_eq!(group.unwrap_err(), ApiRefusal::PlaceBeyondRole);
    r.create_report_link(&admin, "g1", (UnitKind::Group, "一邻"), NOW)
        .unwrap();
    for kind in [UnitKind::Area, UnitKind::Household] {
        let refused = r.create_report_link(&admin, "x", (kind, "x"), NOW);
        assert_eq!(refused.unwrap_err(), ApiRefusal::NoSuchPlace);
    }
    let (found_in, found) = r.report_link(&link.token).unwrap();
    assert_eq!((found_in, found.row()), (A, link));
    assert_eq!(found.place_name, "一邻");
    assert_eq!(r.report_links(&leader).unwrap().len(), 2);
}

#[test]
fn a_link_is_revoked_by_its_maker_or_an_admin_and_stays_on_record() {
    let mut r = Registry::default();
    let (admin, leader) = community(&mut r, A, Role::NeighbourLeader);
    let (_, other) = {
        let invite = r
            .create_invite(&admin, Role::GroupLeader, 3600, 1, NOW)
            .unwrap();
        let joined = r.join(&invite.token, NOW).unwrap();
        ((), r.member(&joined.credential).unwrap())
    };
    let mine = r
        .create_report_link(&leader, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
        .unwrap();
    let refused = r.revoke_report_link(&other, &mine.id, NOW + 1);
    assert_eq!(refused.unwrap_err(), ApiRefusal::NotLinkMaker);
    let revoked = r.revoke_report_link(&leader, &mine.id, NOW + 2).unwrap();
    assert_eq!(revoked.revoked_at, Some(NOW + 2));
    assert!(r.report_links(&leader).unwrap().is_empty());
    let kept = r.report_link(&mine.token).unwrap().1;
    assert_eq!(kept.revoked_at, Some(NOW + 2));
    let again = r.revoke_report_link(&leader, &mine.id, NOW + 3);
    assert_eq!(again.unwrap_err(), ApiRefusal::NoSuchReportLink);

    let second = r
        .create_report_link(&leader, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
        .unwrap();
    r.revoke_report_link(&admin, &second.id, NOW + 4).unwrap();
}

#[test]
fn links_stay_in_their_community_and_survive_a_restart() {
    let mut r = Registry::default();
    let (_, in_a) = community(&mut r, A, Role::NeighbourLeader);
    let (admin_b, _) = community(&mut r, B, Role::NeighbourLeader);
    let link = r
        .create_report_link(&in_a, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
        .unwrap();
    assert!(r.report_links(&admin_b).unwrap().is_empty());
    let refused = r.revoke_report_link(&admin_b, &link.id, NOW);
    assert_eq!(refused.unwrap_err(), ApiRefusal::NoSuchReportLink);
    let stored = serde_json::to_string(&r).unwrap();
    let restarted: Registry = serde_json::from_str(&stored).unwrap();
    assert_eq!(restarted.report_link(&link.token).unwrap().0, A);
    assert!(restarted.report_link("0".repeat(32).as_str()).is_none());
}

#[test]
fn a_member_holds_a_bounded_number_of_live_links() {
    let mut r = Registry::default();
    let (_, leader) = community(&mut r, A, Role::NeighbourLeader);
    for _ in 0..MAX_LIVE_LINKS_PER_MEMBER {
        r.create_report_link(&leader, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
            .unwrap();
    }
    let refused = r.create_report_link(&leader, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW);
    assert_eq!(refused.unwrap_err(), ApiRefusal::TooManyReportLinks);
    let first = r.report_links(&leader).unwrap()[0].id.clone();
    r.revoke_report_link(&leader, &first, NOW).unwrap();
    r.create_report_link(&leader, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
        .unwrap();
}

#[test]
fn links_made_and_revoked_in_a_loop_do_not_pile_up() {
    let mut r = Registry::default();
    let (admin, _) = community(&mut r, A, Role::NeighbourLeader);
    let mut first = None;
    for _ in 0..MAX_LINKS_PER_COMMUNITY {
        let link = r
            .create_report_link(&admin, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW)
            .unwrap();
        r.revoke_report_link(&admin, &link.id, NOW).unwrap();
        first.get_or_insert(link.token);
    }
    let refused = r.create_report_link(&admin, "nb1", (UnitKind::Neighbourhood, "一邻"), NOW + 1);
    assert_eq!(refused.unwrap_err(), ApiRefusal::TooManyReportLinks);
    let first = first.unwrap();
    assert!(
        r.report_link(&first).is_some(),
        "a revoked link says so for a while"
    );
    // A month on, the revoked links are forgotten and links can be made again.
    let later = NOW + KEEP_REVOKED_SECS;
    r.create_report_link(&admin, "nb1", (UnitKind::Neighbourhood, "一邻"), later)
        .unwrap();
    assert!(r.report_link(&first).is_none());
    assert_eq!(r.communities()[&A.to_string()].report_links.len(), 1);
}
