//! The relay's access API (`/api/…`, JSON): register a community, join with an invite,
//! make, list and cancel invites, list members, make admins, revoke, get a ticket for
//! the sync socket, and make, list and revoke report links (吹哨). Credentials go in `Authorization: Bearer`.
//! Bodies are the types of [`linli_shared::api`], written and read with serde
//! (`serde-wasm-bindgen`; the browser's `JSON` does the text).

use js_sys::JSON;
use leptos::prelude::window;
use linli_shared::api::{
    self, AdminChange, Cancelled, ErrorBody, InviteToken, JoinRequest, NewCommunity, NewInvite,
    Revoked,
};
use linli_shared::domain::{CommunityView, Role};
use linli_shared::wire::DocumentId;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

pub use linli_shared::api::{ApiRefusal, Grant, InviteRow, MemberRow, ReportLinkRow, SyncTicket};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer from the relay (no network, relay down).
    Offline,
    /// The relay answered with this status, naming this refusal (`None`: one this build does
    /// not know, or an answer without one). Its English text is not kept: the app says each
    /// refusal in the user's language.
    Refused {
        status: u16,
        refusal: Option<ApiRefusal>,
    },
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

    /// An answer that is not what the API promises.
    fn unexpected() -> ApiError {
        ApiError::Refused {
            status: 0,
            refusal: None,
        }
    }
}

/// Registers `community` with this phone as its admin, under `credential`
/// (`<member id>.<secret>`, made on the phone): a retry after a lost answer
/// gets the same answer.
pub async fn register(community: DocumentId, credential: &str) -> Result<Grant, ApiError> {
    let body = NewCommunity {
        community_doc_id: community.to_string(),
        role: None,
        credential: Some(credential.into()),
    };
    grant(call("POST", api::COMMUNITIES, None, Some(&body)).await?)
}

/// Exchanges an invite token for a member credential.
pub async fn join(token: &str) -> Result<Grant, ApiError> {
    let body = JoinRequest {
        token: token.into(),
    };
    grant(call("POST", api::JOIN, None, Some(&body)).await?)
}

/// Makes an invite for `role` valid for `ttl_hours` that admits `max_uses` phones;
/// returns its token.
pub async fn create_invite(
    credential: &str,
    role: Role,
    ttl_hours: u32,
    max_uses: u32,
) -> Result<String, ApiError> {
    let body = NewInvite {
        role,
        ttl_hours: ttl_hours.into(),
        max_uses: Some(max_uses),
    };
    let answer = call("POST", api::INVITES, Some(credential), Some(&body)).await?;
    Ok(read::<InviteToken>(answer)?.token)
}

pub async fn members(credential: &str) -> Result<Vec<MemberRow>, ApiError> {
    read(call("GET", api::MEMBERS, Some(credential), None::<&()>).await?)
}

/// The community's open invites.
pub async fn invites(credential: &str) -> Result<Vec<InviteRow>, ApiError> {
    read(call("GET", api::INVITES, Some(credential), None::<&()>).await?)
}

/// Cancels an open invite: nobody more joins through it.
pub async fn cancel_invite(credential: &str, invite_id: &str) -> Result<(), ApiError> {
    let path = api::cancel_invite_path(invite_id);
    let answer = call("POST", &path, Some(credential), None::<&()>).await?;
    read::<Cancelled>(answer).map(drop)
}

/// Makes a member an admin (`admin`) or no longer one.
pub async fn set_admin(credential: &str, member_id: &str, admin: bool) -> Result<(), ApiError> {
    let path = api::admin_path(member_id);
    call(
        "POST",
        &path,
        Some(credential),
        Some(&AdminChange { admin }),
    )
    .await
    .map(drop)
}

/// A ticket for the next sync socket: the credential goes in a header, never a URL.
pub async fn sync_ticket(credential: &str) -> Result<SyncTicket, ApiError> {
    read(call("POST", api::SYNC_TICKET, Some(credential), None::<&()>).await?)
}

pub async fn revoke(credential: &str, member_id: &str) -> Result<(), ApiError> {
    let path = api::revoke_path(member_id);
    let answer = call("POST", &path, Some(credential), None::<&()>).await?;
    read::<Revoked>(answer).map(drop)
}

/// Which members of this community wrote with `actors` (hex ids; at most
/// [`api::MAX_AUTHORS_ASKED`]): the relay's actor bindings.
pub async fn authors(credential: &str, actors: &[String]) -> Result<Vec<api::Author>, ApiError> {
    let body = api::AuthorsAsked {
        actors: actors.to_vec(),
    };
    let answer = call("POST", api::AUTHORS, Some(credential), Some(&body)).await?;
    Ok(read::<api::Authors>(answer)?.authors)
}

/// The community's live report links (吹哨 QR codes).
pub async fn report_links(credential: &str) -> Result<Vec<ReportLinkRow>, ApiError> {
    read(call("GET", api::REPORT_LINKS, Some(credential), None::<&()>).await?)
}

/// Makes a report link for the 邻 or 组 `place` (a unit id).
pub async fn make_report_link(credential: &str, place: &str) -> Result<ReportLinkRow, ApiError> {
    let body = api::NewReportLink {
        place: place.into(),
    };
    read(call("POST", api::REPORT_LINKS, Some(credential), Some(&body)).await?)
}

/// Revokes a report link: its page takes no more reports.
pub async fn revoke_report_link(credential: &str, link_id: &str) -> Result<(), ApiError> {
    let path = api::revoke_report_link_path(link_id);
    let answer = call("POST", &path, Some(credential), None::<&()>).await?;
    read::<ReportLinkRow>(answer).map(drop)
}

/// The community as the relay's copy has it (a phone that has just joined shows it first).
pub async fn community_view(credential: &str) -> Result<CommunityView, ApiError> {
    read(call("GET", api::COMMUNITY_VIEW, Some(credential), None::<&()>).await?)
}

/// Whether the credential is still valid (`Err` with 401/403 when revoked).
pub async fn me(credential: &str) -> Result<bool, ApiError> {
    let answer = call("GET", api::ME, Some(credential), None::<&()>).await?;
    Ok(read::<MemberRow>(answer)?.admin)
}

/// The answer (parsed JSON) if the relay accepted the call.
async fn call(
    method: &str,
    path: &str,
    credential: Option<&str>,
    body: Option<&impl Serialize>,
) -> Result<JsValue, ApiError> {
    let headers = Headers::new().map_err(|_| ApiError::Offline)?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(credential) = credential {
        let _ = headers.set("Authorization", &format!("Bearer {credential}"));
    }
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        let json = serde_wasm_bindgen::to_value(body)
            .ok()
            .and_then(|v| JSON::stringify(&v).ok())
            .ok_or(ApiError::Offline)?;
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
        return Ok(json);
    }
    match read::<ErrorBody>(json) {
        Ok(body) => Err(ApiError::Refused {
            status: response.status(),
            refusal: body.refusal(),
        }),
        // A proxy, or a relay that is not up yet.
        Err(_) if response.status() >= 500 => Err(ApiError::Offline),
        Err(_) => Err(ApiError::Refused {
            status: response.status(),
            refusal: None,
        }),
    }
}

fn read<T: DeserializeOwned>(answer: JsValue) -> Result<T, ApiError> {
    serde_wasm_bindgen::from_value(answer).map_err(|_| ApiError::unexpected())
}

/// A grant whose community is a document id.
fn grant(answer: JsValue) -> Result<Grant, ApiError> {
    let grant: Grant = read(answer)?;
    grant
        .community_doc_id
        .parse::<DocumentId>()
        .map_err(|_| ApiError::unexpected())?;
    Ok(grant)
}
