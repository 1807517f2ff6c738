use super::*;

fn author(role: Option<Role>, admin: bool) -> Author<'static> {
    Author {
        member: "me",
        role,
        admin,
    }
}

const NEIGHBOUR: Author<'static> = Author {
    member: "me",
    role: Some(Role::NeighbourLeader),
    admin: false,
};

#[test]
fn a_member_claims_up_to_its_own_level_and_no_higher() {
    for role in Role::ALL {
        let a = author(Some(*role), false);
        for level in Level::ALL {
            let got = may(&a, &Act::Claim { level: *level });
            let own = if *role == Role::Town {
                Level::City
            } else {
                level_of(*role)
            };
            assert_eq!(got.is_ok(), *level <= own, "{role} claims {level}");
            assert_eq!(got, may(&a, &Act::ResolveOnTheSpot { level: *level }));
        }
    }
    assert_eq!(
        may(
            &NEIGHBOUR,
            &Act::Claim {
                level: Level::Group
            }
        ),
        Err(Rule::AboveOwnLevel)
    );
    // An admin answers for the community, whatever role it also holds.
    let admin = author(Some(Role::NeighbourLeader), true);
    assert!(may(
        &admin,
        &Act::Claim {
            level: Level::Committee
        }
    )
    .is_ok());
    assert!(may(&admin, &Act::Claim { level: Level::Town }).is_err());
}

#[test]
fn escalation_reaches_one_tier_past_the_member() {
    let reach = |role| author(Some(role), false).reach();
    assert_eq!(reach(Role::NeighbourLeader), Level::Committee);
    assert_eq!(reach(Role::AreaLeader), Level::Committee);
    assert_eq!(reach(Role::Committee), Level::Town);
    assert_eq!(reach(Role::Town), Level::City);
    assert!(may(
        &NEIGHBOUR,
        &Act::Escalate {
            to: Level::Committee
        }
    )
    .is_ok());
    assert_eq!(
        may(&NEIGHBOUR, &Act::Escalate { to: Level::Town }),
        Err(Rule::BeyondReach)
    );
}

#[test]
fn the_residents_verdict_is_recorded_by_its_raiser_resolver_or_a_manager() {
    let act = |resolved_by| Act::CloseTheLoop {
        raised_by: "raiser",
        resolved_by,
    };
    assert_eq!(
        may(&NEIGHBOUR, &act(Some("other"))),
        Err(Rule::NotRaiserOrResolver)
    );
    assert!(may(&NEIGHBOUR, &act(Some("me"))).is_ok());
    let raiser = Author {
        member: "raiser",
        ..NEIGHBOUR
    };
    assert!(may(&raiser, &act(None)).is_ok());
    assert!(may(&author(Some(Role::Committee), false), &act(None)).is_ok());
    assert!(may(&author(Some(Role::AreaLeader), true), &act(None)).is_ok());
}

#[test]
fn the_org_tree_members_and_funds_are_the_managers() {
    for act in [Act::EditOrgTree, Act::AllocateFund] {
        for role in [Role::NeighbourLeader, Role::GroupLeader, Role::AreaLeader] {
            assert_eq!(
                may(&author(Some(role), false), &act),
                Err(Rule::ManagersOnly)
            );
            assert!(may(&author(Some(role), true), &act).is_ok(), "an admin may");
        }
        for role in [Role::Committee, Role::Town] {
            assert!(may(&author(Some(role), false), &act).is_ok());
        }
    }
    let other = Act::EditMember {
        member: "someone",
        role: Role::NeighbourLeader,
    };
    assert_eq!(may(&NEIGHBOUR, &other), Err(Rule::ManagersOnly));
    assert!(may(&author(Some(Role::Committee), false), &other).is_ok());
}

#[test]
fn a_member_edits_only_its_own_record_in_its_own_role() {
    let own = |role| Act::EditMember { member: "me", role };
    assert!(may(&NEIGHBOUR, &own(Role::NeighbourLeader)).is_ok());
    assert_eq!(may(&NEIGHBOUR, &own(Role::Town)), Err(Rule::OwnRoleOnly));
    // No role known: the lowest.
    assert!(may(&author(None, false), &own(Role::NeighbourLeader)).is_ok());
    assert_eq!(
        may(&author(None, false), &own(Role::Committee)),
        Err(Rule::OwnRoleOnly)
    );
    assert!(may(&author(None, true), &own(Role::Committee)).is_ok());
}

#[test]
fn meetings_are_convened_by_group_leaders_and_above_and_decided_by_their_convenor() {
    assert_eq!(
        may(&NEIGHBOUR, &Act::CreateMeeting),
        Err(Rule::ConvenorsOnly)
    );
    assert!(may(&author(None, true), &Act::CreateMeeting).is_ok());
    for role in &Role::ALL[1..] {
        assert!(may(&author(Some(*role), false), &Act::CreateMeeting).is_ok());
    }
    let group = author(Some(Role::GroupLeader), false);
    assert!(may(&group, &Act::Decide { convenor: "me" }).is_ok());
    assert_eq!(
        may(&group, &Act::Decide { convenor: "other" }),
        Err(Rule::NotConvenor)
    );
    assert!(may(
        &author(Some(Role::Town), false),
        &Act::Decide { convenor: "other" }
    )
    .is_ok());
}
