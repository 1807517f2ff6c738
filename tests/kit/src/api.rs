//! The relay's access API (`/api/…`, [`linli_shared::api`]) over plain HTTP/1.1: blocking,
//! small JSON bodies, requests and answers typed with the same types the relay and the app
//! use. One client for the relay tests, the browser tests' non-browser peers and the
//! benchmarks.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::marker::PhantomData;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use linli_shared::api::{
    self, AdminChange, Authors, AuthorsAsked, Cancelled, ErrorBody, Grant, InviteRow, InviteToken,
    JoinRequest, MemberRow, NewCommunity, NewInvite, OperatorInvite, Revoked, SyncTicket,
};
use linli_shared::domain::Role;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The status and body of an answer whose body is a `T` when the call succeeded.
pub struct Answer<T = Value> {
    pub status: u16,
    /// The body as received.
    pub text: String,
    body: PhantomData<T>,
}

impl<T: DeserializeOwned> Answer<T> {
    /// The body; fails unless the status is 200 and the body is a `T`.
    pub fn ok(&self) -> T {
        assert_eq!(self.status, 200, "{}", self.text);
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("unexpected answer {}: {e}", self.text))
    }

    /// The refusal's message; fails unless the body is an [`ErrorBody`].
    pub fn error(&self) -> String {
        let body: ErrorBody = serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not a refusal ({}): {}: {e}", self.status, self.text));
        body.error
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

    /// `method path` with an optional bearer credential and body, as they are (for what the
    /// typed calls below do not send: wrong requests, `/metrics`).
    pub fn call<T>(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<&impl Serialize>,
    ) -> Answer<T> {
        let host = self
            .http_url
            .strip_prefix("http://")
            .expect("an http:// URL");
        let mut stream = TcpStream::connect(host).expect("connecting to the relay");
        let body = body
            .map(|b| serde_json::to_string(b).expect("a JSON body"))
            .unwrap_or_default();
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
        Answer {
            status: head.split(' ').nth(1).unwrap().parse().unwrap(),
            text: body.to_string(),
            body: PhantomData,
        }
    }

    /// Registers a community (open registration, or `operator` = the `--admin-token`); the
    /// caller becomes its first admin.
    pub fn register(&self, community_doc_id: &str, operator: Option<&str>) -> Answer<Grant> {
        let body = NewCommunity {
            community_doc_id: community_doc_id.to_string(),
            role: None,
            credential: None,
        };
        self.call("POST", api::COMMUNITIES, operator, Some(&body))
    }

    /// An invite for `role`, valid `ttl_hours`, admitting `max_uses` phones (the relay's
    /// default, one, when `None`).
    pub fn invite(
        &self,
        admin: &str,
        role: Role,
        ttl_hours: f64,
        max_uses: Option<u32>,
    ) -> Answer<InviteToken> {
        let body = NewInvite {
            role,
            ttl_hours,
            max_uses,
        };
        self.call("POST", api::INVITES, Some(admin), Some(&body))
    }

    /// Exchanges an invite token for a membership.
    pub fn join(&self, token: &str) -> Answer<Grant> {
        let body = JoinRequest {
            token: token.to_string(),
        };
        self.call("POST", api::JOIN, None, Some(&body))
    }

    /// The caller's membership.
    pub fn me(&self, credential: &str) -> Answer<MemberRow> {
        self.call("GET", api::ME, Some(credential), None::<&()>)
    }

    /// The admin's community's members.
    pub fn members(&self, admin: &str) -> Answer<Vec<MemberRow>> {
        self.call("GET", api::MEMBERS, Some(admin), None::<&()>)
    }

    /// Revokes a member (the relay closes their sockets).
    pub fn revoke(&self, admin: &str, member_id: &str) -> Answer<Revoked> {
        self.call(
            "POST",
            &api::revoke_path(member_id),
            Some(admin),
            None::<&()>,
        )
    }

    /// The admin's community's open invites.
    pub fn open_invites(&self, admin: &str) -> Answer<Vec<InviteRow>> {
        self.call("GET", api::INVITES, Some(admin), None::<&()>)
    }

    /// Cancels an open invite by its id.
    pub fn cancel_invite(&self, admin: &str, invite_id: &str) -> Answer<Cancelled> {
        let path = api::cancel_invite_path(invite_id);
        self.call("POST", &path, Some(admin), None::<&()>)
    }

    /// Makes a member an admin (`true`) or no longer one.
    pub fn set_admin(&self, admin: &str, member_id: &str, make: bool) -> Answer<MemberRow> {
        let body = AdminChange { admin: make };
        self.call(
            "POST",
            &api::admin_path(member_id),
            Some(admin),
            Some(&body),
        )
    }

    /// The operator's one-use admin invite for a community (`operator` = the `--admin-token`).
    pub fn operator_invite(&self, operator: &str, community_doc_id: &str) -> Answer<InviteToken> {
        let path = api::operator_invite_path(community_doc_id);
        self.call(
            "POST",
            &path,
            Some(operator),
            Some(&OperatorInvite::default()),
        )
    }

    /// A one-use ticket that opens one `/sync` socket.
    pub fn sync_ticket(&self, credential: &str) -> Answer<SyncTicket> {
        self.call("POST", api::SYNC_TICKET, Some(credential), None::<&()>)
    }

    /// Which members of the caller's community wrote with `actors` (hex ids).
    pub fn authors(&self, credential: &str, actors: &[String]) -> Answer<Authors> {
        let body = AuthorsAsked {
            actors: actors.to_vec(),
        };
        self.call("POST", api::AUTHORS, Some(credential), Some(&body))
    }

    /// The relay's `/metrics` text.
    pub fn metrics(&self) -> String {
        self.call::<()>("GET", "/metrics", None, None::<&()>).text
    }

    /// One value of the relay's `/metrics` now.
    pub fn metric(&self, name: &str) -> f64 {
        metric(&self.metrics(), name)
    }
}

/// The value of `name` in a `/metrics` text (Prometheus text format); fails if it is missing.
pub fn metric(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from:\n{metrics}"))
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
                .ok()
                .credential
        })
        .clone()
}
