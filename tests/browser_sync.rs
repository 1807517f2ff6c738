//! Two phones (separate Chromium profiles) on the real app and the real relay:
//! live sync, offline editing, an offline reload, and catching up afterwards.
//! Then a JS automerge-repo peer reads the document the app created.

use linli_testkit::RelayBuilder;
use linli_tests::steps::{
    assert_styled, create_community, join, make_invite, record, show_all, titles,
    wait_offline_ready, wait_status, wait_title, PAGE,
};
use linli_tests::{cdp, eventually, workspace_root, Browser, Chromedriver, Proxy};
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_sync_live_offline_and_after_reload() {
    let data = tempfile::tempdir().unwrap();
    // The relay's default: sockets open with one-use tickets only (the app, the JS peer).
    let relay = RelayBuilder::new(data.path())
        .serving_app()
        .tickets_only()
        .start();
    // B reaches the relay through a proxy the test can cut ("no signal").
    let b_link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await;
    let b = Browser::launch(&driver, "B").await;

    // A sets up the community; the relay confirms it holds it.
    let first = create_community(&a, &relay.http_url, "兴东社区").await;
    wait_status(&a, "synced").await;
    // For B and, later, a JS peer: two phones.
    let invite = make_invite(&a, "neighbour_leader", 2, &first).await;

    // B joins with the invite link (through its own connection).
    join(&b, &invite.replace(&relay.http_url, &b_link.url())).await;
    wait_status(&b, "synced").await;
    show_all(&b).await;

    // A records a concern; B shows it within 2 s.
    let sent = record(&a, "三组路口井盖松动").await;
    let budget = Duration::from_secs(2).saturating_sub(sent.elapsed());
    wait_title(&b, "三组路口井盖松动", budget).await;
    eprintln!("A → B concern visible after {:?}", sent.elapsed());
    wait_status(&a, "synced").await;
    a.screenshot("sync-01-list-synced").await;

    // B loses the relay, records a concern, and reloads with no network.
    wait_offline_ready(&b).await;
    b_link.go_offline();
    wait_status(&b, "offline").await;
    record(&b, "五组路灯不亮").await;
    wait_title(&b, "五组路灯不亮", PAGE).await;
    // Only the service worker's cache may carry the start: phones evict their HTTP cache.
    cdp::clear_http_cache(&b.client).await;
    b.client.refresh().await.expect("reload B while offline");
    eventually(
        PAGE,
        "B shows both concerns after an offline reload",
        || async {
            let t = titles(&b).await;
            (t.contains(&"三组路口井盖松动".to_string()) && t.contains(&"五组路灯不亮".to_string()))
                .then_some(())
        },
    )
    .await;
    // B must not claim to be synced while cut off (连接中 until its socket is refused).
    wait_status(&b, "offline").await;
    b.screenshot("sync-02-offline-reload").await;
    assert_styled(&b).await;
    assert!(
        !titles(&a).await.contains(&"五组路灯不亮".to_string()),
        "A cannot have B's offline concern yet"
    );

    // The relay comes back for B: A shows B's concern.
    b_link.go_online();
    wait_status(&b, "synced").await;
    wait_title(&a, "五组路灯不亮", PAGE).await;
    a.screenshot("sync-03-after-reconnect").await;

    // A JS automerge-repo peer joins with the invite like a new member and reads
    // the document the app created.
    let token = invite.rsplit('/').next().unwrap();
    let joined = relay.api().join(token).ok();
    let doc = read_with_js_peer(
        &relay.http_url,
        &joined.credential,
        &joined.community_doc_id,
    );
    let text = doc.to_string();
    for title in ["三组路口井盖松动", "五组路灯不亮", "兴东社区"] {
        assert!(
            text.contains(title),
            "JS peer's copy lacks {title:?}: {text}"
        );
    }

    a.close().await;
    b.close().await;
}

/// Runs `tests/js/read_doc.mjs` (JS `@automerge/automerge-repo` 2.x) against the relay at
/// `http_url` as the member holding `credential` (it connects with one-use tickets).
fn read_with_js_peer(http_url: &str, credential: &str, doc_id: &str) -> Value {
    let script = workspace_root().join("tests/js/read_doc.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(http_url)
        .env("LINLI_CREDENTIAL", credential)
        .arg(format!("automerge:{doc_id}"))
        .output()
        .expect("run node (scripts/tools.sh installs it with the npm packages)");
    assert!(
        out.status.success(),
        "JS peer failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("JS peer prints the document as JSON")
}
