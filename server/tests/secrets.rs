//! The operator token and the relay's output, with the real binary: closed registration
//! needs the token, and no credential, invite token, sync ticket or operator token is ever
//! printed.

use std::time::Duration;

use linli_shared::domain::Role;
use linli_testkit::native_client::new_doc_id;
use linli_testkit::RelayBuilder;

const QUIET: Duration = Duration::from_millis(700);

#[test]
fn closed_registration_needs_the_operator_token() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayBuilder::new(data.path())
        .closed_registration("operator-secret-1234")
        .start();
    let api = relay.api();
    let doc = new_doc_id().to_string();
    assert_eq!(api.register(&doc, None).status, 403);
    let wrong = api.register(&doc, Some("guess"));
    assert_eq!(wrong.status, 403);
    let ok = api.register(&doc, Some("operator-secret-1234"));
    assert_eq!(ok.status, 200, "{}", ok.text);
}

/// Every flow, with the relay logging at `trace`: no credential, invite token or operator
/// token appears in anything it prints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_appear_in_the_relays_output() {
    let data = tempfile::tempdir().unwrap();
    let admin_token = "operator-0123456789abcdef";
    let mut relay = RelayBuilder::new(data.path())
        .env("LINLI_ADMIN_TOKEN", admin_token)
        .logging("trace")
        .start();
    let api = relay.api();

    let c = relay.community();
    let token = relay.invite(&c.admin, Role::AreaLeader, 1.0);
    let joined = relay.join(&token).ok();
    let credential = joined.credential;
    let mut phone = relay.member(&credential, "phone").await;
    let doc = c.doc.parse().unwrap();
    phone.open(doc).await;
    let _ = phone.pump_for(QUIET).await;
    let wrong = format!("{}0", &credential[..credential.len() - 1]);
    let _ = tokio_tungstenite::connect_async(relay.sync_url_with(&wrong)).await;
    let _ = api.me(&wrong);
    let _ = relay.join(&format!("{}0", &token[..token.len() - 1]));
    api.revoke(&c.admin, &joined.member_id);
    let _ = phone.pump_for(QUIET).await;
    let _ = tokio_tungstenite::connect_async(relay.sync_url_with(&credential)).await;
    let other = new_doc_id().to_string();
    api.register(&other, Some(admin_token));
    // A ticket opens a socket, then is replayed; the operator's admin invite is made and used.
    let ticket = api.sync_ticket(&c.admin).ok().ticket;
    let mut by_ticket = linli_testkit::NativeClient::new("by-ticket");
    by_ticket.connect(&relay.ticket_url_with(&ticket)).await;
    by_ticket.open(doc).await;
    let _ = by_ticket.pump_for(QUIET).await;
    let replayed = tokio_tungstenite::connect_async(relay.ticket_url_with(&ticket)).await;
    assert!(replayed.is_err(), "a replayed ticket is refused");
    let rescue = api.operator_invite(admin_token, &c.doc).ok().token;
    let rescued = relay.join(&rescue).ok().credential;

    assert!(
        relay.terminate(Duration::from_secs(30)),
        "the relay stops on SIGTERM"
    );
    let printed = relay.final_output();
    assert!(
        printed.contains("member revoked"),
        "the relay logged the flows:\n{printed}"
    );
    for (name, secret) in [
        ("admin credential", c.admin.as_str()),
        ("invite", &token),
        ("member credential", &credential),
        ("wrong credential", &wrong),
        ("operator token", admin_token),
        ("sync ticket", &ticket),
        ("operator's admin invite", &rescue),
        ("rescued admin's credential", &rescued),
    ] {
        let tail = secret.rsplit('.').next().unwrap();
        assert!(
            !printed.contains(tail),
            "the {name} appears in the relay's output:\n{printed}"
        );
    }
    for query in ["token=", "ticket="] {
        assert!(
            !printed.contains(query),
            "a query string was logged:\n{printed}"
        );
    }
}
