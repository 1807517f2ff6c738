//! The 吹哨 report links a member makes, lists and revokes (`/api/report-links`). The place
//! is checked against the community document on the core thread: it must be a 邻 or 组 of the
//! caller's own community.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use linli_shared::api::{NewReportLink, ReportLinkRow};
use linli_shared::domain::get_unit;
use linli_shared::wire::DocumentId;

use super::{caller, now, AccessApi, ApiResult, Body};
use crate::access::ApiRefusal;

pub(super) async fn create(
    State(api): State<AccessApi>,
    headers: HeaderMap,
    Body(body): Body<NewReportLink>,
) -> ApiResult<ReportLinkRow> {
    let member = caller(&api, &headers)?;
    let community: DocumentId = member
        .community_doc_id
        .parse()
        .map_err(|_| ApiRefusal::NotADocumentId)?;
    let place = body.place.clone();
    let unit = api
        .hub
        .read(community, move |doc| get_unit(doc, &place))
        .await
        .map_err(|_| ApiRefusal::NoSuchPlace)?
        .map_err(|_| ApiRefusal::NoSuchPlace)?;
    let row = api
        .access
        .update(|r| r.create_report_link(&member, &body.place, (unit.kind, &unit.name), now()))?;
    tracing::info!(community = %member.community_doc_id, link = %row.id, by = %member.member_id, "report link made");
    Ok(Json(row))
}

pub(super) async fn list(
    State(api): State<AccessApi>,
    headers: HeaderMap,
) -> ApiResult<Vec<ReportLinkRow>> {
    let member = caller(&api, &headers)?;
    Ok(Json(api.access.read(|r| r.report_links(&member))?))
}

pub(super) async fn revoke(
    State(api): State<AccessApi>,
    Path(link_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<ReportLinkRow> {
    let member = caller(&api, &headers)?;
    let row = api
        .access
        .update(|r| r.revoke_report_link(&member, &link_id, now()))?;
    tracing::info!(community = %member.community_doc_id, link = %row.id, by = %member.member_id, "report link revoked");
    Ok(Json(row))
}
