//! The API types against the JSON text the relay, the app and the JS peers exchange.

use serde_json::{json, Value};

use super::*;

fn text<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn read<T: for<'de> Deserialize<'de>>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

#[test]
fn roles_travel_as_their_stored_strings() {
    for role in Role::ALL {
        assert_eq!(text(role), json!(role.as_str()));
        assert_eq!(read::<Role>(json!(role.as_str())), *role);
    }
    let unknown = serde_json::from_value::<Role>(json!("mayor")).unwrap_err();
    assert!(
        unknown.to_string().contains("unknown variant `mayor`"),
        "{unknown}"
    );
    assert!(serde_json::from_value::<Role>(json!(3)).is_err());
}

#[test]
fn a_new_community_leaves_out_what_is_not_given() {
    let app = NewCommunity {
        community_doc_id: "4NMNnkMhL8jXrdJ9jamS58PAVdXu".into(),
        role: None,
        credential: Some("0011aabb.ff".into()),
    };
    assert_eq!(
        text(&app),
        json!({"community_doc_id": "4NMNnkMhL8jXrdJ9jamS58PAVdXu", "credential": "0011aabb.ff"})
    );
    let bare: NewCommunity = read(json!({"community_doc_id": "x"}));
    assert_eq!((bare.role, bare.credential), (None, None));
    let with_null: NewCommunity = read(json!({"community_doc_id": "x", "role": null}));
    assert_eq!(with_null.role, None);
    let town: NewCommunity = read(json!({"community_doc_id": "x", "role": "town"}));
    assert_eq!(town.role, Some(Role::Town));
}

#[test]
fn invites_as_the_app_and_the_js_peer_send_them() {
    let js: NewInvite = read(json!({"role": "neighbour_leader", "ttl_hours": 1}));
    assert_eq!(
        js,
        NewInvite {
            role: Role::NeighbourLeader,
            ttl_hours: 1.0,
            max_uses: None
        }
    );
    let quarter: NewInvite =
        read(json!({"role": "group_leader", "ttl_hours": 0.25, "max_uses": 3}));
    assert_eq!((quarter.ttl_hours, quarter.max_uses), (0.25, Some(3)));
    assert_eq!(
        text(&quarter),
        json!({"role": "group_leader", "ttl_hours": 0.25, "max_uses": 3})
    );
    assert!(serde_json::from_value::<NewInvite>(json!({"role": "boss", "ttl_hours": 1})).is_err());
    let answer: InviteToken =
        read(json!({"id": "ab", "token": "ab.cd", "expires_at": 1_700_000_000u64, "max_uses": 1}));
    assert_eq!(
        (answer.id.as_str(), answer.expires_at),
        ("ab", 1_700_000_000)
    );
}

#[test]
fn grants_rows_and_refusals_read_back() {
    let grant = json!({
        "community_doc_id": "4NMNnkMhL8jXrdJ9jamS58PAVdXu",
        "member_id": "0011aabb",
        "credential": "0011aabb.ff",
        "role": "group_leader",
        "admin": false,
    });
    let g: Grant = read(grant.clone());
    assert_eq!(g.role, Role::GroupLeader);
    assert_eq!(text(&g), grant);
    let mut older = grant.clone();
    older.as_object_mut().unwrap().remove("admin");
    assert!(
        !read::<Grant>(older).admin,
        "a grant that does not say is no admin's"
    );

    let rows = json!([
        {"community_doc_id": "c", "member_id": "a", "role": "committee", "admin": true, "revoked": false},
        {"community_doc_id": "c", "member_id": "b", "role": "neighbour_leader", "admin": false, "revoked": true},
    ]);
    let read_rows: Vec<MemberRow> = read(rows.clone());
    assert_eq!(
        read_rows[0].invite_id, None,
        "the first admin came by no invite"
    );
    assert_eq!(read_rows[1].role, Role::NeighbourLeader);
    assert!(read_rows[1].revoked && !read_rows[1].admin);
    assert_eq!(text(&read_rows), rows);

    assert_eq!(
        text(&Revoked {
            revoked: "b".into()
        }),
        json!({"revoked": "b"})
    );
    let refusal: ErrorBody = read(json!({"error": "a valid member credential is required"}));
    assert_eq!(refusal.error, "a valid member credential is required");
    assert_eq!(revoke_path("0011aabb"), "/api/members/0011aabb/revoke");
    assert_eq!(
        REVOKE_ROUTE.replace("{member_id}", "0011aabb"),
        revoke_path("0011aabb")
    );
}

#[test]
fn invite_admin_and_ticket_paths_match_their_routes() {
    let route = |r: &str, key: &str| r.replace(key, "0011aabb");
    assert_eq!(route(ADMIN_ROUTE, "{member_id}"), admin_path("0011aabb"));
    assert_eq!(
        route(CANCEL_INVITE_ROUTE, "{invite_id}"),
        cancel_invite_path("0011aabb")
    );
    assert_eq!(
        route(OPERATOR_INVITE_ROUTE, "{community_doc_id}"),
        operator_invite_path("0011aabb")
    );
    let row = json!({"community_doc_id": "c", "member_id": "b", "role": "town", "admin": false,
        "revoked": false, "invite_id": "ee33", "invited_by": OPERATOR});
    assert_eq!(text(&read::<MemberRow>(row.clone())), row);
    assert_eq!(text(&OperatorInvite::default()), json!({}));
    assert_eq!(
        read::<AdminChange>(json!({"admin": true})),
        AdminChange { admin: true }
    );
}
