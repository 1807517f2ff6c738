//! A community on the real relay as the access tests use it: registered, with invites,
//! joins and members' sockets.

use super::api::{call, register};
use super::native_client::{new_doc_id, NativeClient};
use super::relay_process::RelayProcess;
use serde_json::json;

/// A registered community: its document id and its admin's credential.
pub struct Community {
    pub doc: String,
    pub admin: String,
}

pub fn community(relay: &RelayProcess) -> Community {
    let doc = new_doc_id().to_string();
    let answer = register(&relay.http_url, &doc);
    assert_eq!(answer.status, 200, "{}", answer.body);
    Community {
        doc,
        admin: answer.body["credential"].as_str().unwrap().into(),
    }
}

pub fn invite(relay: &RelayProcess, admin: &str, role: &str, ttl_hours: f64) -> String {
    invite_for(relay, admin, role, ttl_hours, None)
}

/// An invite for `uses` phones (the relay's default, one, when `None`).
pub fn invite_for(
    relay: &RelayProcess,
    admin: &str,
    role: &str,
    ttl_hours: f64,
    uses: Option<u32>,
) -> String {
    let mut body = json!({ "role": role, "ttl_hours": ttl_hours });
    if let Some(uses) = uses {
        body["max_uses"] = uses.into();
    }
    let answer = call(
        &relay.http_url,
        "POST",
        "/api/invites",
        Some(admin),
        Some(body),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["token"].as_str().unwrap().into()
}

pub fn join(relay: &RelayProcess, token: &str) -> super::api::Answer {
    call(
        &relay.http_url,
        "POST",
        "/api/join",
        None,
        Some(json!({ "token": token })),
    )
}

pub async fn member(relay: &RelayProcess, credential: &str, name: &str) -> NativeClient {
    let mut client = NativeClient::new(name);
    client.connect(&relay.sync_url_with(credential)).await;
    client
}
