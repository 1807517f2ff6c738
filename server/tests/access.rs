//! Community-scoped access with the real binary: two communities, each with its own member;
//! every path into the other community's documents fails; revocation; invites. Registration and
//! secrets in the relay's output: secrets.rs.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::domain::Role;
use linli_shared::wire::client::Event;
use linli_shared::wire::presence::{presence_frame, Presence};
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::RelayProcess;

const QUIET: Duration = Duration::from_millis(700);

/// A writes `secret` into a new document of community A; returns it.
async fn a_document(a: &mut NativeClient) -> linli_shared::wire::DocumentId {
    let doc = new_doc_id();
    a.edit(doc, |d| {
        d.put(ROOT, "phone", "13800000000").map(drop).unwrap()
    })
    .await;
    a.wait_until("stored", |c| c.is_synced(doc)).await;
    doc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_communitys_documents_are_never_served_written_or_forwarded() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let (ca, cb) = (relay.community(), relay.community());
    let mut a = relay.member(&ca.admin, "a").await;
    let doc = a_document(&mut a).await;

    // request: answered like a missing document, exactly as for a random id.
    let mut b = relay.member(&cb.admin, "b").await;
    b.open(doc).await;
    b.wait_until("doc-unavailable", |c| {
        c.events.contains(&Event::Unavailable(doc))
    })
    .await;
    let guess = new_doc_id();
    b.open(guess).await;
    b.wait_until("doc-unavailable", |c| {
        c.events.contains(&Event::Unavailable(guess))
    })
    .await;
    assert!(b.string(doc, "phone").is_none());
    // … and the community document of A too.
    let a_community = ca.doc.parse().unwrap();
    b.open(a_community).await;
    b.wait_until("doc-unavailable", |c| {
        c.events.contains(&Event::Unavailable(a_community))
    })
    .await;

    // ephemeral: never reaches A (B's own, legitimate ephemeral on its own doc is fine).
    let presence = Presence {
        member: "b".into(),
        editing: None,
        leaving: false,
    };
    let frame = presence_frame(&b.client, doc, "s", 1, &presence).unwrap();
    b.send(vec![frame]).await;
    assert!(a.pump_for(QUIET).await.is_none());
    assert!(
        !a.events
            .iter()
            .any(|e| matches!(e, Event::Ephemeral { .. })),
        "{:?}",
        a.events
    );
    // Control: a member of A's community who syncs the document does reach A.
    let mut a2 = relay.member(&ca.admin, "a2").await;
    a2.open(doc).await;
    a2.wait_until("the document arrives", |c| c.string(doc, "phone").is_some())
        .await;
    // Its presence names its own member (the relay drops presence in another's name).
    let own = Presence {
        member: ca.admin.split('.').next().unwrap().into(),
        ..presence
    };
    let frame = presence_frame(&a2.client, doc, "s2", 1, &own).unwrap();
    a2.send(vec![frame]).await;
    a.wait_until("A2's presence", |c| {
        c.events
            .iter()
            .any(|e| matches!(e, Event::Ephemeral { .. }))
    })
    .await;

    // sync with changes: doc-unavailable (the answer for a missing document), nothing
    // written — and the socket keeps syncing B's own documents.
    let mut writer = relay.member(&cb.admin, "b-writer").await;
    writer
        .edit(doc, |d| {
            d.put(ROOT, "phone", "overwritten").map(drop).unwrap()
        })
        .await;
    writer
        .wait_until("doc-unavailable", |c| {
            c.events.contains(&Event::Unavailable(doc))
        })
        .await;
    a_document(&mut writer).await;
    let mut reader = relay.member(&ca.admin, "a-reader").await;
    reader.open(doc).await;
    reader
        .wait_until("the document arrives", |c| c.string(doc, "phone").is_some())
        .await;
    assert_eq!(reader.string(doc, "phone").as_deref(), Some("13800000000"));

    // B may create its own documents; A cannot see those either.
    let mut b2 = relay.member(&cb.admin, "b2").await;
    let own = a_document(&mut b2).await;
    reader.open(own).await;
    reader
        .wait_until("doc-unavailable", |c| {
            c.events.contains(&Event::Unavailable(own))
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrades_need_a_valid_credential() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let c = relay.community();
    let base = relay.sync_url_with("");
    let (id, secret) = c.admin.split_once('.').unwrap();
    let wrong = format!("{id}.{}", secret.chars().rev().collect::<String>());
    for url in [
        base.replace("?token=", ""),
        base.clone(),
        relay.sync_url_with(&wrong),
        relay.sync_url_with(id),
    ] {
        let refused = tokio_tungstenite::connect_async(&url)
            .await
            .expect_err("refused");
        assert!(refused.to_string().contains("401"), "{refused}");
    }
    assert_eq!(relay.api().me(&wrong).status, 401);
    let me = relay.api().me(&c.admin).ok();
    assert!(me.admin);
    assert_eq!(me.community_doc_id, c.doc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invites_expire_and_revoked_members_are_cut_off() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let c = relay.community();
    let token = relay.invite_for(&c.admin, Role::GroupLeader, 1.0, Some(2));
    let joined = relay.join(&token).ok();
    assert_eq!(joined.role, Role::GroupLeader);
    assert_eq!(joined.community_doc_id, c.doc);
    let second = relay.join(&token);
    assert_eq!(
        second.status, 200,
        "an invite admits the phones it was made for"
    );
    let (credential, member_id) = (joined.credential, joined.member_id);

    // Members are not admins.
    let refused = relay.api().invite(&credential, Role::Committee, 1.0, None);
    assert_eq!(refused.status, 403);

    // The member syncs the community document, then is revoked: socket closed.
    let mut phone = relay.member(&credential, "phone").await;
    let doc = c.doc.parse().unwrap();
    phone
        .edit(doc, |d| d.put(ROOT, "name", "兴东").map(drop).unwrap())
        .await;
    phone.wait_until("stored", |c| c.is_synced(doc)).await;
    assert_eq!(relay.api().members(&c.admin).ok().len(), 3);
    assert_eq!(relay.api().revoke(&c.admin, &member_id).status, 200);
    let reason = phone
        .pump_for(Duration::from_secs(10))
        .await
        .expect("the relay closes the revoked socket");
    assert!(reason.contains("revoked"), "{reason}");
    // The revoked phone cannot come back through the link it joined with: used up.
    let rejoin = relay.join(&token);
    assert_eq!(rejoin.status, 403, "{}", rejoin.text);
    assert!(rejoin.error().contains("used up"));
    let again = tokio_tungstenite::connect_async(relay.sync_url_with(&credential)).await;
    assert!(again.expect_err("refused").to_string().contains("401"));
    assert_eq!(relay.api().me(&credential).status, 403);
    // The other phone of the same invite is unaffected.
    let other = &second.ok().credential;
    let mut kept = relay.member(other, "kept").await;
    kept.open(doc).await;
    kept.wait_until("the community arrives", |c| c.string(doc, "name").is_some())
        .await;

    // Revocation survives a restart (the registry is stored).
    drop(kept);
    relay.kill();
    let relay = RelayProcess::start(data.path());
    assert!(
        tokio_tungstenite::connect_async(relay.sync_url_with(&credential))
            .await
            .is_err()
    );
    assert!(tokio_tungstenite::connect_async(relay.sync_url_with(other))
        .await
        .is_ok());

    // An invite made without a number admits one phone, also after a restart.
    let single = relay.invite(&c.admin, Role::NeighbourLeader, 1.0);
    assert_eq!(relay.join(&single).status, 200);
    relay.kill();
    let relay = RelayProcess::start(data.path());
    assert_eq!(relay.join(&single).status, 403, "used up across a restart");

    // Expired and unknown invites.
    let short = relay.invite(&c.admin, Role::NeighbourLeader, 0.0005);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let expired = relay.join(&short);
    assert_eq!(expired.status, 403);
    assert!(expired.error().contains("expired"));
    assert_eq!(relay.join("0011.abc").status, 403);
}
