//! The operator token and the relay's output, with the real binary: closed registration
//! needs the token, and no credential, invite token or operator token is ever printed.

mod support;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use support::api::{call, register};
use support::community::{community, invite, join, member};
use support::native_client::new_doc_id;
use support::relay_process::RelayProcess;

const QUIET: Duration = Duration::from_millis(700);

#[test]
fn closed_registration_needs_the_operator_token() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start_closed(data.path(), "operator-secret-1234");
    let doc = new_doc_id().to_string();
    assert_eq!(register(&relay.http_url, &doc).status, 403);
    let body = Some(json!({ "community_doc_id": doc }));
    let wrong = call(
        &relay.http_url,
        "POST",
        "/api/communities",
        Some("guess"),
        body.clone(),
    );
    assert_eq!(wrong.status, 403);
    let ok = call(
        &relay.http_url,
        "POST",
        "/api/communities",
        Some("operator-secret-1234"),
        body,
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
}

/// Every flow, with the relay logging at `trace`: no credential, invite token or operator
/// token appears in anything it prints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_appear_in_the_relays_output() {
    let data = tempfile::tempdir().unwrap();
    let admin_token = "operator-0123456789abcdef";
    let mut child = Command::new(env!("CARGO_BIN_EXE_linli-relay"))
        .args(["--addr", "127.0.0.1:0", "--open-registration", "--data"])
        .arg(data.path())
        .arg("--dist")
        .arg(data.path().join("no-dist"))
        .env("RUST_LOG", "trace")
        .env("LINLI_ADMIN_TOKEN", admin_token)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let http_url = String::from_utf8(first)
        .unwrap()
        .replace("linli-relay listening on ", "");
    let relay = RelayProcess::attach(&http_url, data.path());

    let c = community(&relay);
    let token = invite(&relay, &c.admin, "area_leader", 1.0);
    let joined = join(&relay, &token);
    let credential = joined.body["credential"].as_str().unwrap().to_string();
    let mut phone = member(&relay, &credential, "phone").await;
    let doc = c.doc.parse().unwrap();
    phone.open(doc).await;
    let _ = phone.pump_for(QUIET).await;
    let wrong = format!("{}0", &credential[..credential.len() - 1]);
    let _ = tokio_tungstenite::connect_async(relay.sync_url_with(&wrong)).await;
    let _ = call(&relay.http_url, "GET", "/api/me", Some(&wrong), None);
    let _ = join(&relay, &format!("{}0", &token[..token.len() - 1]));
    let member_id = joined.body["member_id"].as_str().unwrap();
    call(
        &relay.http_url,
        "POST",
        &format!("/api/members/{member_id}/revoke"),
        Some(&c.admin),
        None,
    );
    let _ = phone.pump_for(QUIET).await;
    let _ = tokio_tungstenite::connect_async(relay.sync_url_with(&credential)).await;
    let other = new_doc_id().to_string();
    call(
        &relay.http_url,
        "POST",
        "/api/communities",
        Some(admin_token),
        Some(json!({ "community_doc_id": other })),
    );

    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let mut printed = String::from_utf8_lossy(&output.stderr).into_owned();
    stdout.read_to_string(&mut printed).unwrap();
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
    ] {
        let tail = secret.rsplit('.').next().unwrap();
        assert!(
            !printed.contains(tail),
            "the {name} appears in the relay's output:\n{printed}"
        );
    }
    assert!(
        !printed.contains("token="),
        "a query string was logged:\n{printed}"
    );
}
