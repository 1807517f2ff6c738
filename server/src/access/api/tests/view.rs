//! `GET /api/view` (issue 14): a member gets its own community as the app reads it, and only
//! with a live credential.

use super::*;
use linli_shared::domain::{
    init_community, record_concern, withdraw_concern, CommunityView, Ctx, NewConcern,
};

/// Writes community `n`'s document on the relay: its name and `titles` as concerns, the
/// last one withdrawn.
async fn write_community(api: &AccessApi, n: u8, name: &'static str, titles: &'static [&str]) {
    let titles: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    write_titles(api, n, name, titles).await
}

async fn write_titles(api: &AccessApi, n: u8, name: &'static str, titles: Vec<String>) {
    let id = DocumentId::from_bytes([n; 16]);
    api.hub
        .edit(id, id, true, move |doc| {
            init_community(doc, &id.to_string(), name).unwrap();
            let ctx = Ctx::new("recorder", 1_793_548_800_000);
            for (i, title) in titles.iter().enumerate() {
                let new = NewConcern {
                    id: format!("c{i}"),
                    title: title.clone(),
                    description: "居民反映晚上出行不便，需要尽快修复。".into(),
                    ..NewConcern::default()
                };
                record_concern(doc, &ctx, new).unwrap();
            }
            withdraw_concern(doc, &ctx, &format!("c{}", titles.len() - 1), "记错了").unwrap();
            doc.commit();
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_member_gets_its_own_community_as_the_app_reads_it() {
    let api = in_memory_api(true);
    let (_, member) = community_with_member(&api, 1, Role::NeighbourLeader).await;
    let (_, other) = community_with_member(&api, 2, Role::NeighbourLeader).await;
    write_community(&api, 1, "兴东社区", &["路灯坏了", "楼道堆物", "记错的"]).await;
    write_community(&api, 2, "西河村", &["井盖松动", "重复的"]).await;

    let answer = get(&api, api::COMMUNITY_VIEW, Some(&member.credential)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let view: CommunityView = answer.read();
    let me = member.member_id.clone();
    let expected = api
        .hub
        .read(DocumentId::from_bytes([1; 16]), move |doc| {
            CommunityView::read(doc, me)
        })
        .await
        .unwrap();
    assert_eq!(view, expected);
    assert_eq!(view.name, "兴东社区");
    assert_eq!(view.me, member.member_id);
    let titles: Vec<&str> = view.concerns.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.contains(&"路灯坏了") && titles.contains(&"楼道堆物"));
    assert_eq!(view.withdrawn.len(), 1);

    // The other community's member sees its own, nothing of the first.
    let theirs: CommunityView = get(&api, api::COMMUNITY_VIEW, Some(&other.credential))
        .await
        .read();
    assert_eq!(theirs.name, "西河村");
    assert!(theirs.concerns.iter().all(|c| c.title == "井盖松动"));
}

#[tokio::test]
async fn no_view_without_a_live_credential() {
    let api = in_memory_api(true);
    let (admin, member) = community_with_member(&api, 1, Role::NeighbourLeader).await;
    write_community(&api, 1, "兴东社区", &["路灯坏了"]).await;
    for credential in [None, Some("garbage")] {
        assert_eq!(
            get(&api, api::COMMUNITY_VIEW, credential).await.refusal(),
            (
                StatusCode::UNAUTHORIZED,
                "a valid member credential is required".to_string()
            )
        );
    }
    revoke(&api, &member.member_id, Some(&admin.credential)).await;
    assert_eq!(
        get(&api, api::COMMUNITY_VIEW, Some(&member.credential))
            .await
            .refusal(),
        (
            StatusCode::FORBIDDEN,
            "this membership was revoked".to_string()
        )
    );
}

/// A community at real scale answers in a few dozen KB to a phone that accepts brotli (the
/// JSON repeats its keys for every concern), and as plain JSON to one that accepts nothing.
#[tokio::test]
async fn a_big_view_is_compressed() {
    let api = in_memory_api(true);
    let (_, member) = community_with_member(&api, 1, Role::NeighbourLeader).await;
    let titles = (0..2_000)
        .map(|i| format!("第{}组 路灯不亮 {i}", i % 40))
        .collect();
    write_titles(&api, 1, "兴东社区", titles).await;
    let ask = |coding: Option<&'static str>| {
        let mut request = Request::builder()
            .uri(api::COMMUNITY_VIEW)
            .header("authorization", format!("Bearer {}", member.credential));
        if let Some(coding) = coding {
            request = request.header("accept-encoding", coding);
        }
        routes(api.clone()).oneshot(request.body(HttpBody::empty()).unwrap())
    };
    let plain = ask(None).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let json = to_bytes(plain.into_body(), 16 << 20).await.unwrap();
    let view: CommunityView = serde_json::from_slice(&json).unwrap();
    assert_eq!(view.concerns.len(), 1_999);

    let br = ask(Some("gzip, deflate, br, zstd")).await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    let packed = to_bytes(br.into_body(), 16 << 20).await.unwrap();
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(
        &mut brotli::Decompressor::new(&packed[..], 4096),
        &mut unpacked,
    )
    .unwrap();
    assert_eq!(unpacked, json);
    assert!(
        packed.len() * 10 < json.len(),
        "{} bytes brotli for {} of JSON",
        packed.len(),
        json.len()
    );
    eprintln!(
        "2,000 concerns: {} bytes JSON, {} brotli",
        json.len(),
        packed.len()
    );

    let gz = ask(Some("gzip")).await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
}
