//! A resident's side of a report link (吹哨) as the tests drive it without a browser: the form
//! post a phone makes (multipart, the photo last), the tracking page, the rating; and the
//! member's calls that make and revoke links.

use std::io::{Read, Write};
use std::net::TcpStream;

use automerge::AutoCommit;
use linli_shared::api::{self, NewReportLink, ReportLinkRow};
use linli_shared::domain::{add_unit, init_community, Ctx, OrgUnit, Role, UnitKind};

use linli_shared::wire::DocumentId;

use crate::api::{Answer, ApiClient};
use crate::community::Community;
use crate::relay::RelayProcess;

/// The 邻 of [`org_tree`], where report links go.
pub const NEIGHBOURHOOD: &str = "nb1";
/// The 组 of [`org_tree`].
pub const GROUP: &str = "g1";

/// The smallest org tree a report link needs, as a community admin writes it: 片 `a1` (一片) ›
/// 组 [`GROUP`] (一组) › 邻 [`NEIGHBOURHOOD`] (东一邻).
pub fn org_tree(doc: &mut AutoCommit) {
    init_community(doc, "xd", "兴东社区").unwrap();
    let ctx = Ctx::new("admin", 0).with_role(Some(Role::Committee));
    let unit = |id: &str, kind, name: &str, parent: Option<&str>| OrgUnit {
        id: id.into(),
        kind,
        name: name.into(),
        parent: parent.map(Into::into),
    };
    add_unit(doc, &ctx, unit("a1", UnitKind::Area, "一片", None)).unwrap();
    add_unit(doc, &ctx, unit(GROUP, UnitKind::Group, "一组", Some("a1"))).unwrap();
    let nb = unit(
        NEIGHBOURHOOD,
        UnitKind::Neighbourhood,
        "东一邻",
        Some(GROUP),
    );
    add_unit(doc, &ctx, nb).unwrap();
}

impl RelayProcess {
    /// A fresh community whose admin's phone wrote [`org_tree`], stored; and its document id.
    pub async fn community_with_org_tree(&self) -> (Community, DocumentId) {
        let community = self.community();
        let doc: DocumentId = community.doc.parse().expect("a document id");
        let mut admin = self.member(&community.admin, "admin").await;
        admin.edit(doc, org_tree).await;
        admin
            .wait_until("the org tree is stored", |c| c.is_synced(doc))
            .await;
        (community, doc)
    }
}

impl ApiClient {
    /// Makes a report link for `place` (a 邻 or 组 unit id).
    pub fn make_report_link(&self, credential: &str, place: &str) -> Answer<ReportLinkRow> {
        let body = NewReportLink {
            place: place.to_string(),
        };
        self.call("POST", api::REPORT_LINKS, Some(credential), Some(&body))
    }

    pub fn revoke_report_link(&self, credential: &str, link_id: &str) -> Answer<ReportLinkRow> {
        let path = api::revoke_report_link_path(link_id);
        self.call("POST", &path, Some(credential), None::<&()>)
    }
}

/// What a resident page answered.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    /// The `Location` of a redirect.
    pub location: Option<String>,
    pub html: String,
}

/// `GET path` on the relay at `http_url`, as a phone's browser in zh-CN.
pub fn open_page(http_url: &str, path: &str) -> Page {
    exchange(http_url, "GET", path, "", &[])
}

/// Posts the report form of the link `token`: `fields` (text, category, name, phone, nonce)
/// and an optional photo, last.
pub fn post_report(
    http_url: &str,
    token: &str,
    fields: &[(&str, &str)],
    photo: Option<&[u8]>,
) -> Page {
    const BOUNDARY: &str = "linliTestBoundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        let part = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        );
        body.extend_from_slice(part.as_bytes());
    }
    if let Some(bytes) = photo {
        let head = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        );
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    exchange(
        http_url,
        "POST",
        &api::report_page_path(token),
        &content_type,
        &body,
    )
}

/// Rates on the tracking page at `path` (`/t/<token>`).
pub fn post_rating(http_url: &str, path: &str, stars: u8, comment: &str) -> Page {
    let body = format!("stars={stars}&comment={}", encode(comment));
    let form = "application/x-www-form-urlencoded";
    exchange(http_url, "POST", path, form, body.as_bytes())
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn exchange(http_url: &str, method: &str, path: &str, content_type: &str, body: &[u8]) -> Page {
    let host = http_url.strip_prefix("http://").expect("an http:// URL");
    let mut stream = TcpStream::connect(host).expect("connecting to the relay");
    let content_type = if content_type.is_empty() {
        String::new()
    } else {
        format!("Content-Type: {content_type}\r\n")
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Accept-Language: zh-CN,zh;q=0.9\r\n{content_type}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    let (head, html) = text.split_once("\r\n\r\n").expect("a complete response");
    let location = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .map(str::to_string);
    Page {
        status: head.split(' ').nth(1).unwrap().parse().unwrap(),
        location,
        html: html.to_string(),
    }
}
