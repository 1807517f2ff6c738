//! The relay's access API (`/api/…`, JSON): register a community, join with an invite,
//! make invites, list and revoke members. Credentials go in `Authorization: Bearer`.

use js_sys::{Object, Reflect, JSON};
use leptos::prelude::window;
use linli_shared::wire::DocumentId;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer from the relay (no network, relay down).
    Offline,
    /// The relay answered with this status and error text.
    Refused { status: u16, message: String },
}

impl ApiError {
    /// The relay refused the credential (unknown or revoked).
    pub fn is_unauthorized(&self) -> bool {
        matches!(
            self,
            ApiError::Refused {
                status: 401 | 403,
                ..
            }
        )
    }
}

/// A member credential as the relay handed it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub community: DocumentId,
    pub member_id: String,
    pub credential: String,
    /// The role the relay granted (an invite's role; `Role::as_str`).
    pub role: String,
    /// Joined as an admin (the operator's admin invite), or the community's creator.
    pub admin: bool,
}

/// One row of `GET /api/members`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub member_id: String,
    pub role: String,
    pub admin: bool,
    pub revoked: bool,
    /// The admin who made the invite that admitted the member (`api::OPERATOR` for the
    /// relay operator's; empty for the community's creator).
    pub invited_by: String,
}

/// One open invite of `GET /api/invites` (never its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRow {
    pub id: String,
    pub role: String,
    /// Joining makes an admin (the operator's invite).
    pub admin: bool,
    pub max_uses: u32,
    pub uses: u32,
    /// Unix seconds.
    pub expires_at: u64,
}

/// A one-use ticket that opens one sync socket (`/sync?ticket=`), and whether the
/// member is an admin now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncTicket {
    pub ticket: String,
    pub admin: bool,
}

/// Registers `community` with this phone as its admin, under `credential`
/// (`<member id>.<secret>`, made on the phone): a retry after a lost answer
/// gets the same answer.
pub async fn register(community: DocumentId, credential: &str) -> Result<Grant, ApiError> {
    let body = object(&[
        ("community_doc_id", &community.to_string()),
        ("credential", credential),
    ]);
    grant(call("POST", "/api/communities", None, Some(body)).await?)
}

/// Exchanges an invite token for a member credential.
pub async fn join(token: &str) -> Result<Grant, ApiError> {
    grant(call("POST", "/api/join", None, Some(object(&[("token", token)]))).await?)
}

/// Makes an invite for `role` (a `Role::as_str`) valid for `ttl_hours` that admits
/// `max_uses` phones; returns its token.
pub async fn create_invite(
    credential: &str,
    role: &str,
    ttl_hours: u32,
    max_uses: u32,
) -> Result<String, ApiError> {
    let body = object(&[("role", role)]);
    let _ = Reflect::set(&body, &"ttl_hours".into(), &JsValue::from(ttl_hours));
    let _ = Reflect::set(&body, &"max_uses".into(), &JsValue::from(max_uses));
    let answer = call("POST", "/api/invites", Some(credential), Some(body)).await?;
    Ok(text(&answer, "token"))
}

pub async fn members(credential: &str) -> Result<Vec<MemberRow>, ApiError> {
    let answer = call("GET", "/api/members", Some(credential), None).await?;
    let rows = js_sys::Array::from(&answer)
        .iter()
        .map(|row| MemberRow {
            member_id: text(&row, "member_id"),
            role: text(&row, "role"),
            admin: flag(&row, "admin"),
            revoked: flag(&row, "revoked"),
            invited_by: text(&row, "invited_by"),
        })
        .collect();
    Ok(rows)
}

/// The community's open invites.
pub async fn invites(credential: &str) -> Result<Vec<InviteRow>, ApiError> {
    let answer = call("GET", "/api/invites", Some(credential), None).await?;
    let number = |v: &JsValue, key: &str| {
        Reflect::get(v, &key.into())
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(0.0)
    };
    let rows = js_sys::Array::from(&answer)
        .iter()
        .map(|row| InviteRow {
            id: text(&row, "id"),
            role: text(&row, "role"),
            admin: flag(&row, "admin"),
            max_uses: number(&row, "max_uses") as u32,
            uses: number(&row, "uses") as u32,
            expires_at: number(&row, "expires_at") as u64,
        })
        .collect();
    Ok(rows)
}

/// Cancels an open invite: nobody more joins through it.
pub async fn cancel_invite(credential: &str, invite_id: &str) -> Result<(), ApiError> {
    let path = format!("/api/invites/{invite_id}/cancel");
    call("POST", &path, Some(credential), None).await.map(drop)
}

/// Makes a member an admin (`admin`) or no longer one.
pub async fn set_admin(credential: &str, member_id: &str, admin: bool) -> Result<(), ApiError> {
    let body = Object::new();
    let _ = Reflect::set(&body, &"admin".into(), &JsValue::from(admin));
    let path = format!("/api/members/{member_id}/admin");
    call("POST", &path, Some(credential), Some(body))
        .await
        .map(drop)
}

/// A ticket for the next sync socket: the credential goes in a header, never a URL.
pub async fn sync_ticket(credential: &str) -> Result<SyncTicket, ApiError> {
    let answer = call("POST", "/api/sync-ticket", Some(credential), None).await?;
    Ok(SyncTicket {
        ticket: text(&answer, "ticket"),
        admin: flag(&answer, "admin"),
    })
}

pub async fn revoke(credential: &str, member_id: &str) -> Result<(), ApiError> {
    let path = format!("/api/members/{member_id}/revoke");
    call("POST", &path, Some(credential), None).await.map(drop)
}

/// Whether the credential is still valid (`Err` with 401/403 when revoked).
pub async fn me(credential: &str) -> Result<bool, ApiError> {
    let answer = call("GET", "/api/me", Some(credential), None).await?;
    Ok(flag(&answer, "admin"))
}

async fn call(
    method: &str,
    path: &str,
    credential: Option<&str>,
    body: Option<Object>,
) -> Result<JsValue, ApiError> {
    let headers = Headers::new().map_err(|_| ApiError::Offline)?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(credential) = credential {
        let _ = headers.set("Authorization", &format!("Bearer {credential}"));
    }
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        let json = JSON::stringify(&body).map_err(|_| ApiError::Offline)?;
        init.set_body(&json);
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| ApiError::Offline)?;
    let response: Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::Offline)?
        .unchecked_into();
    let json = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    if response.ok() {
        Ok(json)
    } else if response.status() >= 500 && json.is_null() {
        Err(ApiError::Offline) // a proxy or a relay that is not up yet
    } else {
        Err(ApiError::Refused {
            status: response.status(),
            message: text(&json, "error"),
        })
    }
}

fn grant(answer: JsValue) -> Result<Grant, ApiError> {
    let refused = || ApiError::Refused {
        status: 0,
        message: "unexpected answer".into(),
    };
    Ok(Grant {
        community: text(&answer, "community_doc_id")
            .parse()
            .map_err(|_| refused())?,
        member_id: text(&answer, "member_id"),
        credential: text(&answer, "credential"),
        role: text(&answer, "role"),
        admin: flag(&answer, "admin"),
    })
}

fn object(fields: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
    }
    o
}

fn text(v: &JsValue, key: &str) -> String {
    if v.is_null() || v.is_undefined() {
        return String::new();
    }
    Reflect::get(v, &key.into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn flag(v: &JsValue, key: &str) -> bool {
    if v.is_null() || v.is_undefined() {
        return false;
    }
    Reflect::get(v, &key.into())
        .ok()
        .and_then(|b| b.as_bool())
        .unwrap_or(false)
}
