//! Invites and admins with the real binary: open invites listed without their tokens and
//! cancelled, members that record their invite, several admins (always one), and the
//! operator's recovery of a community whose every admin phone is lost — through the API with
//! `--admin-token` and through `linli-relay --admin-invite` on a stopped relay's data.

use std::process::Command;
use std::time::Duration;

use linli_shared::api::OPERATOR;
use linli_shared::domain::Role;
use linli_testkit::relay::relay_binary;
use linli_testkit::{RelayBuilder, RelayProcess};

#[test]
fn open_invites_are_listed_and_cancelled_and_a_community_has_several_admins() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let api = relay.api();
    let c = relay.community();
    let meeting = api
        .invite(&c.admin, Role::NeighbourLeader, 2.0, Some(3))
        .ok();
    let single = api.invite(&c.admin, Role::GroupLeader, 1.0, None).ok();
    let joined = relay.join(&meeting.token).ok();

    let listed = api.open_invites(&c.admin);
    for token in [&meeting.token, &single.token] {
        let secret = token.rsplit('.').next().unwrap();
        assert!(!listed.text.contains(secret), "{}", listed.text);
    }
    let rows = listed.ok();
    let seen: Vec<(&str, u32, u32)> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.uses, r.max_uses))
        .collect();
    assert_eq!(
        seen,
        [(meeting.id.as_str(), 1, 3), (single.id.as_str(), 0, 1)]
    );
    assert_eq!(api.open_invites(&joined.credential).status, 403);

    // Cancelled: the link admits nobody more; the phone it admitted stays.
    assert_eq!(
        api.cancel_invite(&joined.credential, &meeting.id).status,
        403
    );
    assert_eq!(
        api.cancel_invite(&c.admin, &meeting.id).ok().cancelled,
        meeting.id
    );
    let refused = relay.join(&meeting.token);
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(api.open_invites(&c.admin).ok().len(), 1);
    let members = api.members(&c.admin).ok();
    let member = members
        .iter()
        .find(|m| m.member_id == joined.member_id)
        .expect("the joined member is listed");
    assert!(!member.revoked);
    assert_eq!(member.invite_id.as_deref(), Some(meeting.id.as_str()));
    assert_eq!(
        member.invited_by.as_deref(),
        Some(c.admin.split('.').next().unwrap())
    );

    // A second admin; the first steps down; the last one cannot.
    let promoted = api.set_admin(&c.admin, &joined.member_id, true).ok();
    assert!(promoted.admin);
    assert_eq!(
        api.invite(&joined.credential, Role::Town, 1.0, None).status,
        200
    );
    let first = c.admin.split('.').next().unwrap();
    assert!(!api.set_admin(&joined.credential, first, false).ok().admin);
    let last = api.set_admin(&joined.credential, &joined.member_id, false);
    assert_eq!(last.status, 409);
    assert!(last.error().contains("at least one admin"), "{}", last.text);

    // All of it is stored.
    relay.kill();
    let relay = RelayProcess::start(data.path());
    let api = relay.api();
    assert!(api.me(&joined.credential).ok().admin);
    assert!(!api.me(&c.admin).ok().admin);
    assert_eq!(api.members(&c.admin).status, 403);
    assert_eq!(
        relay.join(&meeting.token).status,
        403,
        "cancelled across a restart"
    );
    assert_eq!(
        relay.join(&single.token).status,
        200,
        "the other invite still works"
    );
}

#[test]
fn the_operator_gives_a_community_whose_admin_phones_are_lost_a_new_admin() {
    let data = tempfile::tempdir().unwrap();
    let operator = "operator-recovery-0123456789";
    let mut relay = RelayBuilder::new(data.path())
        .closed_registration(operator)
        .start();
    let api = relay.api();
    let doc = linli_testkit::new_doc_id().to_string();
    let lost = api.register(&doc, Some(operator)).ok();

    // Through the API: only with the operator token.
    assert_eq!(api.operator_invite(&lost.credential, &doc).status, 403);
    assert_eq!(api.operator_invite("guess", &doc).status, 403);
    let made = api.operator_invite(operator, &doc).ok();
    assert_eq!(made.max_uses, 1);
    let rescued = relay.join(&made.token).ok();
    assert!(rescued.admin && rescued.community_doc_id == doc);
    assert_eq!(relay.join(&made.token).status, 403, "one phone only");
    assert_eq!(api.revoke(&rescued.credential, &lost.member_id).status, 200);
    let rows = api.members(&rescued.credential).ok();
    assert_eq!(rows[1].invited_by.as_deref(), Some(OPERATOR));

    // On the command line: refused while the relay holds the data directory…
    let cli = |extra: &[&str]| {
        Command::new(relay_binary())
            .arg("--data")
            .arg(data.path())
            .args(["--admin-invite", &doc])
            .args(extra)
            .env("RUST_LOG", "info")
            .output()
            .expect("running linli-relay --admin-invite")
    };
    let busy = cli(&[]);
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("admin-invite"),
        "the refusal says how to do it with the relay running: {}",
        String::from_utf8_lossy(&busy.stderr)
    );
    // …and with the relay stopped, a link for the app's address.
    assert!(relay.terminate(Duration::from_secs(30)));
    let printed = cli(&["--app-url", "https://linli.example/"]);
    assert!(printed.status.success(), "{printed:?}");
    let link = String::from_utf8(printed.stdout).unwrap();
    let token = link
        .trim()
        .strip_prefix("https://linli.example/#/join/")
        .unwrap_or_else(|| panic!("unexpected link: {link}"));
    let relay = RelayBuilder::new(data.path())
        .closed_registration(operator)
        .start();
    let second = relay.join(token).ok();
    assert!(second.admin);
    assert_eq!(relay.api().members(&second.credential).ok().len(), 3);
    assert_eq!(relay.join(token).status, 403);
}
