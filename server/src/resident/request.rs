//! What the resident pages read off a request (language, the sender's address) and the few
//! answers they share.

use std::net::{IpAddr, SocketAddr};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::ConnectInfo;
use axum::http::header::{ACCEPT_LANGUAGE, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use linli_i18n::Lang;
use linli_shared::api::TRACKING_PREFIX;

use super::limits::Verdict;

/// The TCP peer, as `serve` records it.
pub type Peer = Option<Extension<ConnectInfo<SocketAddr>>>;

/// Who a limit counts: the TCP peer's address, or the client's as a trusted proxy reports it
/// (`X-Forwarded-For`, the last hop, which the proxy appended; else `X-Real-IP`). IPv6
/// addresses count by their /64 (one phone gets a whole /64).
pub fn sender(peer: &Peer, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    let Some(Extension(ConnectInfo(peer))) = peer else {
        return "unknown".into();
    };
    let mut ip = peer.ip();
    if trusted.contains(&ip) {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .or_else(|| headers.get("x-real-ip").and_then(|v| v.to_str().ok()));
        if let Some(client) = forwarded.and_then(|v| v.trim().parse::<IpAddr>().ok()) {
            ip = client;
        }
    }
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The page's language from `Accept-Language`: traditional Chinese for zh-TW/HK/MO/Hant,
/// English when the first choice is English, simplified Chinese otherwise.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let first = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|tag| {
            tag.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let traditional = ["zh-tw", "zh-hk", "zh-mo", "zh-hant"];
    if traditional.iter().any(|t| first.starts_with(t)) {
        Lang::ZhHant
    } else if first.starts_with("en") {
        Lang::En
    } else {
        Lang::ZhHans
    }
}

/// `303` to the tracking page of `tracking` with `query`.
pub fn see_other(tracking: &str, query: &str) -> Response {
    let location = format!("{TRACKING_PREFIX}{tracking}?{query}");
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// The stricter of two verdicts.
pub fn worse(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Refused, _) | (_, Verdict::Refused) => Verdict::Refused,
        (Verdict::Slowed, _) | (_, Verdict::Slowed) => Verdict::Slowed,
        _ => Verdict::Go,
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(peer: &str, headers: &[(&'static str, &str)], trusted: &[&str]) -> String {
        let peer: SocketAddr = peer.parse().unwrap();
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        let trusted: Vec<IpAddr> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        sender(&Some(Extension(ConnectInfo(peer))), &map, &trusted)
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_nobody_else_can() {
        let xff = [("x-forwarded-for", "6.6.6.6, 203.0.113.9")];
        assert_eq!(from("10.0.0.2:1", &xff, &["10.0.0.2"]), "203.0.113.9");
        assert_eq!(
            from("10.0.0.3:1", &xff, &["10.0.0.2"]),
            "10.0.0.3",
            "not trusted"
        );
        let real = [("x-real-ip", "198.51.100.7")];
        assert_eq!(from("10.0.0.2:1", &real, &["10.0.0.2"]), "198.51.100.7");
        assert_eq!(
            from("10.0.0.2:1", &[("x-forwarded-for", "junk")], &["10.0.0.2"]),
            "10.0.0.2"
        );
        // One phone's IPv6 addresses count as one.
        let a = from("[2001:db8:1:2:aaaa::1]:1", &[], &[]);
        assert_eq!(a, from("[2001:db8:1:2:bbbb::9]:1", &[], &[]));
        assert_ne!(a, from("[2001:db8:1:3::1]:1", &[], &[]));
    }
}
