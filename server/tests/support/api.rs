//! The relay's access API over plain HTTP/1.1 (blocking; small JSON bodies). Also used by
//! `examples/relay_bench.rs`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::Mutex;

use serde_json::{json, Value};

/// Status and JSON body of an API answer.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    /// The body as received (for answers that are not JSON, such as `/metrics`).
    pub text: String,
}

/// `method path` with an optional bearer credential and JSON body.
pub fn call(
    http_url: &str,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let host = http_url.strip_prefix("http://").expect("an http:// URL");
    let mut stream = TcpStream::connect(host).expect("connecting");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = bearer
        .map(|b| format!("Authorization: Bearer {b}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Answer {
        status,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
        text: body.to_string(),
    }
}

/// Registers `community_doc_id` (open registration); returns the admin's answer.
pub fn register(http_url: &str, community_doc_id: &str) -> Answer {
    call(
        http_url,
        "POST",
        "/api/communities",
        None,
        Some(json!({ "community_doc_id": community_doc_id })),
    )
}

/// One credential per data directory (kept across relay restarts), for tests that only need
/// a member of some community.
pub fn test_credential(http_url: &str, data: &std::path::Path) -> String {
    static KNOWN: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    let mut known = KNOWN.lock().unwrap();
    let known = known.get_or_insert_with(HashMap::new);
    known
        .entry(data.to_path_buf())
        .or_insert_with(|| {
            let bytes = *uuid::Uuid::new_v4().as_bytes();
            let doc = linli_shared::wire::DocumentId::from_bytes(bytes).to_string();
            let answer = register(http_url, &doc);
            assert_eq!(answer.status, 200, "registering: {}", answer.body);
            answer.body["credential"].as_str().unwrap().to_string()
        })
        .clone()
}
