//! The relay's access API from a test: what a phone does over HTTP, for test
//! peers that are not browsers (the JS automerge-repo peer).

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;

/// `POST path` with a JSON body on the relay at `port`; returns (status, body).
pub fn post(port: u16, path: &str, bearer: Option<&str>, body: Value) -> (u16, Value) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the relay");
    let body = body.to_string();
    let auth = bearer
        .map(|b| format!("Authorization: Bearer {b}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// A member joining with the token of an invite link (`…/#/join/<token>`):
/// returns (community document id, credential).
pub fn join_with_invite(port: u16, invite_link: &str) -> (String, String) {
    let token = invite_link.rsplit('/').next().unwrap();
    let (status, body) = post(port, "/api/join", None, json!({ "token": token }));
    assert_eq!(status, 200, "joining with the invite: {body}");
    (
        body["community_doc_id"].as_str().unwrap().to_string(),
        body["credential"].as_str().unwrap().to_string(),
    )
}
