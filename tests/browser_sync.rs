//! Two phones (separate Chromium profiles) on the real app and the real relay:
//! live sync, offline editing, an offline reload, and catching up afterwards.
//! Then a JS automerge-repo peer reads the document the app created.

use linli_tests::{eventually, workspace_root, Browser, Chromedriver, Proxy, Relay};
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

const LONG: Duration = Duration::from_secs(30);

async fn titles(b: &Browser) -> Vec<String> {
    b.text_of_all("[data-testid=concern] .concern-title").await
}

async fn wait_status(b: &Browser, want: &str) {
    eventually(
        LONG,
        &format!("{} sync badge shows {want}", b.name),
        || async {
            (b.attr("[data-testid=sync-status]", "data-status")
                .await
                .as_deref()
                == Some(want))
            .then_some(())
        },
    )
    .await;
}

async fn wait_title(b: &Browser, title: &str, within: Duration) {
    eventually(within, &format!("{} lists {title:?}", b.name), || async {
        titles(b).await.iter().any(|t| t == title).then_some(())
    })
    .await;
}

/// Records a concern the way a person does: the 记录 tab, type, submit.
/// The app then shows the 全部 list.
/// Returns when the submit button was pressed.
async fn record(b: &Browser, title: &str) -> Instant {
    b.click("[data-testid=tab-record]").await;
    eventually(LONG, "record form", || async {
        b.exists("[data-testid=new-concern]").await.then_some(())
    })
    .await;
    b.type_into("#concern-title", title).await;
    let pressed = Instant::now();
    b.click("[data-testid=new-concern] button[type=submit]")
        .await;
    eventually(LONG, "back on the list after recording", || async {
        b.exists("[data-testid=search]").await.then_some(())
    })
    .await;
    pressed
}

async fn show_all(b: &Browser) {
    b.click("[data-testid=tab-all]").await;
    eventually(LONG, &format!("{} shows the 全部 list", b.name), || async {
        b.exists("[data-testid=search]").await.then_some(())
    })
    .await;
}

/// The service worker controls the page and holds the app shell, wasm included.
async fn wait_offline_ready(b: &Browser) {
    eventually(
        LONG,
        &format!("{} has the app shell cached", b.name),
        || async {
            let v = b
                .client
                .execute_async(
                    "const done = arguments[0];
                 if (!navigator.serviceWorker.controller) return done(false);
                 caches.open('linli-shell-v1').then(c => c.keys())
                   .then(keys => done(keys.some(r => r.url.endsWith('.wasm'))
                                  && keys.some(r => new URL(r.url).pathname === '/')))
                   .catch(() => done(false));",
                    vec![],
                )
                .await
                .ok()?;
            v.as_bool().unwrap_or(false).then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_sync_live_offline_and_after_reload() {
    let data = tempfile::tempdir().unwrap();
    let relay = Relay::start(data.path());
    // B reaches the relay through a proxy the test can cut ("no signal").
    let b_link = Proxy::start(relay.port).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await;
    let b = Browser::launch(&driver, "B").await;

    // A sets up the community.
    a.goto(&relay.url()).await;
    eventually(LONG, "A start screen", || async {
        a.exists("[data-testid=create-community]")
            .await
            .then_some(())
    })
    .await;
    a.screenshot("01-start").await;
    a.type_into("#community-name", "兴东社区").await;
    a.click("[data-testid=create-community] button[type=submit]")
        .await;
    eventually(LONG, "A's tab bar", || async {
        a.exists("[data-testid=tab-profile]").await.then_some(())
    })
    .await;
    a.click("[data-testid=tab-profile]").await;
    let invite = eventually(LONG, "A invite link", || async {
        a.value("[data-testid=invite-link]")
            .await
            .filter(|v| v.contains("#/join/"))
    })
    .await;
    wait_status(&a, "synced").await;

    // B joins with the invite link (through its own connection).
    b.goto(&invite.replace(&relay.url(), &b_link.url())).await;
    eventually(LONG, "B has the community", || async {
        b.exists("[data-testid=tab-all]").await.then_some(())
    })
    .await;
    wait_status(&b, "synced").await;
    show_all(&b).await;

    // A records a concern; B shows it within 2 s.
    let sent = record(&a, "三组路口井盖松动").await;
    wait_title(
        &b,
        "三组路口井盖松动",
        Duration::from_secs(2).saturating_sub(sent.elapsed()),
    )
    .await;
    eprintln!("A → B concern visible after {:?}", sent.elapsed());
    wait_status(&a, "synced").await;
    a.screenshot("02-list-synced").await;

    // B loses the relay, records a concern, and reloads with no network.
    wait_offline_ready(&b).await;
    b_link.go_offline();
    wait_status(&b, "offline").await;
    record(&b, "五组路灯不亮").await;
    wait_title(&b, "五组路灯不亮", LONG).await;
    b.client.refresh().await.expect("reload B while offline");
    eventually(
        LONG,
        "B shows both concerns after an offline reload",
        || async {
            let t = titles(&b).await;
            (t.contains(&"三组路口井盖松动".to_string()) && t.contains(&"五组路灯不亮".to_string()))
                .then_some(())
        },
    )
    .await;
    assert_eq!(
        b.attr("[data-testid=sync-status]", "data-status")
            .await
            .as_deref(),
        Some("offline"),
        "B must not claim to be synced while cut off"
    );
    b.screenshot("03-offline-reload").await;
    assert!(
        !titles(&a).await.contains(&"五组路灯不亮".to_string()),
        "A cannot have B's offline concern yet"
    );

    // The relay comes back for B: A shows B's concern.
    b_link.go_online();
    wait_status(&b, "synced").await;
    wait_title(&a, "五组路灯不亮", LONG).await;
    a.screenshot("04-after-reconnect").await;

    // A JS automerge-repo peer reads the document the app created.
    let doc_id = invite.rsplit('/').next().unwrap().to_string();
    let doc = read_with_js_peer(relay.port, &doc_id);
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

/// Runs `tests/js/read_doc.mjs` (JS `@automerge/automerge-repo` 2.x) against the relay.
fn read_with_js_peer(port: u16, doc_id: &str) -> Value {
    let script = workspace_root().join("tests/js/read_doc.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(format!("ws://127.0.0.1:{port}/sync"))
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
