//! The relay's access API (`/api/…`, see `server/src/access/api.rs`) over plain HTTP/1.1:
//! blocking, small JSON bodies. One client for the relay tests, the browser tests' non-browser
//! peers and the benchmarks.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Status and body of an answer.
pub struct Answer {
    pub status: u16,
    /// The body as JSON (`Null` if it is not JSON).
    pub body: Value,
    /// The body as received (for answers that are not JSON, such as `/metrics`).
    pub text: String,
}

impl Answer {
    /// The body as `T`; fails unless the status is 200 and the body has that shape.
    pub fn parse<T: DeserializeOwned>(&self) -> T {
        assert_eq!(self.status, 200, "{}", self.text);
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected answer {}: {e}", self.text))
    }

    /// The refusal's message (`{"error": …}`), empty if there is none.
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    /// A string field of a successful answer.
    pub fn field(&self, name: &str) -> String {
        assert_eq!(self.status, 200, "{}", self.text);
        self.body[name]
            .as_str()
            .unwrap_or_else(|| panic!("no string {name:?} in {}", self.text))
            .to_string()
    }
}

/// The access API of the relay at `http_url`.
#[derive(Clone, Debug)]
pub struct ApiClient {
    http_url: String,
}

impl ApiClient {
    /// `http://127.0.0.1:<port>`
    pub fn new(http_url: &str) -> ApiClient {
        ApiClient {
            http_url: http_url.to_string(),
        }
    }

    /// `method path` with an optional bearer credential and JSON body, as they are (for
    /// requests the typed calls below do not make: wrong ones).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let host = self
            .http_url
            .strip_prefix("http://")
            .expect("an http:// URL");
        let mut stream = TcpStream::connect(host).expect("connecting to the relay");
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

    /// Registers a community (open registration, or `operator` = the `--admin-token`);
    /// a successful answer grants its first admin.
    pub fn register(&self, community_doc_id: &str, operator: Option<&str>) -> Answer {
        let body = json!({ "community_doc_id": community_doc_id });
        self.call("POST", "/api/communities", operator, Some(body))
    }

    /// An invite for `role`, valid `ttl_hours`, admitting `max_uses` phones (the relay's
    /// default, one, when `None`).
    pub fn invite(&self, admin: &str, role: &str, ttl_hours: f64, max_uses: Option<u32>) -> Answer {
        let mut body = json!({ "role": role, "ttl_hours": ttl_hours });
        if let Some(uses) = max_uses {
            body["max_uses"] = uses.into();
        }
        self.call("POST", "/api/invites", Some(admin), Some(body))
    }

    /// Exchanges an invite token for a membership.
    pub fn join(&self, token: &str) -> Answer {
        self.call("POST", "/api/join", None, Some(json!({ "token": token })))
    }

    /// The caller's membership.
    pub fn me(&self, credential: &str) -> Answer {
        self.call("GET", "/api/me", Some(credential), None)
    }

    /// The admin's community's members.
    pub fn members(&self, admin: &str) -> Answer {
        self.call("GET", "/api/members", Some(admin), None)
    }

    /// Revokes a member (the relay closes their sockets).
    pub fn revoke(&self, admin: &str, member_id: &str) -> Answer {
        let path = format!("/api/members/{member_id}/revoke");
        self.call("POST", &path, Some(admin), None)
    }

    /// The relay's `/metrics` text.
    pub fn metrics(&self) -> String {
        self.call("GET", "/metrics", None, None).text
    }
}

/// One credential per data directory (kept across relay restarts), for tests that only need
/// a member of some community.
pub fn test_credential(http_url: &str, data: &Path) -> String {
    static KNOWN: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    let mut known = KNOWN.lock().unwrap();
    let known = known.get_or_insert_with(HashMap::new);
    known
        .entry(data.to_path_buf())
        .or_insert_with(|| {
            let doc = crate::native_client::new_doc_id().to_string();
            ApiClient::new(http_url)
                .register(&doc, None)
                .field("credential")
        })
        .clone()
}
