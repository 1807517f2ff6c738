//! The `/sync` upgrade with one-use tickets, with the real binary: a ticket opens one socket
//! that syncs; the same ticket again, an expired one, or one of a member revoked since it was
//! made is refused (`401`). A credential in the URL (`?token=`) is refused unless the operator
//! allows it (`--allow-credential-in-url`, for older JS clients).

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::domain::Role;
use linli_testkit::native_client::NativeClient;
use linli_testkit::RelayBuilder;

async fn refused(url: &str) {
    let error = tokio_tungstenite::connect_async(url)
        .await
        .expect_err("the upgrade is refused");
    assert!(error.to_string().contains("401"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_opens_one_socket_once_and_only_while_it_is_fresh() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayBuilder::new(data.path())
        .tickets_only()
        .args(&["--sync-ticket-secs", "1"])
        .start();
    let api = relay.api();
    let c = relay.community();
    let doc = c.doc.parse().unwrap();

    let ticket = api.sync_ticket(&c.admin).ok();
    assert_eq!(ticket.expires_in_secs, 1);
    assert!(ticket.admin);
    let url = relay.ticket_url_with(&ticket.ticket);
    let secret = c.admin.rsplit('.').next().unwrap();
    assert!(!url.contains(secret), "no credential in the URL");
    let mut phone = NativeClient::new("phone");
    phone.connect(&url).await;
    phone
        .edit(doc, |d| d.put(ROOT, "name", "兴东").map(drop).unwrap())
        .await;
    phone.wait_until("stored", |p| p.is_synced(doc)).await;

    // Replayed, while the first socket is still open: refused.
    refused(&url).await;

    // Expired: a ticket left unused past its lifetime is refused; a fresh one works.
    let stale = relay.ticket_url(&c.admin);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    refused(&stale).await;
    let mut second = NativeClient::new("second");
    second.connect(&relay.ticket_url(&c.admin)).await;
    second.open(doc).await;
    second
        .wait_until("the document arrives", |p| p.string(doc, "name").is_some())
        .await;

    // A member revoked after getting a ticket: the ticket no longer opens anything, and no
    // new ticket is made.
    let token = relay.invite(&c.admin, Role::GroupLeader, 1.0);
    let member = relay.join(&token).ok();
    let held = relay.ticket_url(&member.credential);
    assert_eq!(api.revoke(&c.admin, &member.member_id).status, 200);
    refused(&held).await;
    assert_eq!(api.sync_ticket(&member.credential).status, 403);
    assert_eq!(api.sync_ticket("0011.00").status, 401);
    refused(&relay.ticket_url_with("t.0000")).await;

    // A working credential in the URL: refused by default.
    refused(&relay.sync_url_with(&c.admin)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_in_the_url_works_only_where_the_operator_allows_it() {
    let data = tempfile::tempdir().unwrap();
    let builder = RelayBuilder::new(data.path()).tickets_only();
    let relay = builder.start();
    let c = relay.community();
    let doc = c.doc.parse().unwrap();
    refused(&relay.sync_url_with(&c.admin)).await;
    relay.kill();

    let relay = builder.args(&["--allow-credential-in-url"]).start();
    let mut js_like = NativeClient::new("js");
    js_like.connect(&relay.sync_url_with(&c.admin)).await;
    js_like
        .edit(doc, |d| d.put(ROOT, "name", "兴东").map(drop).unwrap())
        .await;
    js_like.wait_until("stored", |p| p.is_synced(doc)).await;
}
