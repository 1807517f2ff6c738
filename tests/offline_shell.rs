//! The app shell survives a lying network. In a village lane the phone's network
//! may be a captive portal (every request answered with a WiFi login page, 200 OK)
//! or a broken gateway (502). The service worker never stores either as the app,
//! never prunes the real assets because of them, and the app still starts from its
//! cache behind them — then syncs as soon as the relay is reachable again.

use linli_tests::steps::{
    create_community, record, wait_offline_ready, wait_status, wait_title, PAGE,
};
use linli_tests::{cdp, eventually, Browser, Chromedriver, Proxy, RelayProcess};

const CONCERN: &str = "三组路口井盖松动";

/// Makes the phone's network lie in one way.
type Lie = fn(&Proxy);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_captive_portal_or_a_bad_gateway_never_replaces_the_app() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let network = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let phone = Browser::launch(&driver, "A").await;

    create_community(&phone, &network.url(), "兴东社区").await;
    record(&phone, CONCERN).await;
    wait_status(&phone, "synced").await;
    wait_offline_ready(&phone).await;

    let lies: [(&str, Lie); 2] = [
        ("captive-portal", Proxy::act_as_captive_portal),
        ("bad-gateway", Proxy::act_as_bad_gateway),
    ];
    for (name, lie) in lies {
        lie(&network);
        reload_without_http_cache(&phone).await;
        wait_title(&phone, CONCERN, PAGE).await;
        wait_status(&phone, "offline").await;
        phone.screenshot(&format!("shell-{name}")).await;
        assert_cached_shell_is_the_app(&phone, name).await;
    }

    // No network at all: every asset is still cached (nothing was pruned).
    network.go_offline();
    reload_without_http_cache(&phone).await;
    wait_title(&phone, CONCERN, PAGE).await;

    // The relay is reachable again: the phone syncs by itself.
    network.go_online();
    wait_status(&phone, "synced").await;
    phone.close().await;
}

/// A reload served only by the service worker: phones evict their HTTP cache.
async fn reload_without_http_cache(phone: &Browser) {
    cdp::clear_http_cache(&phone.client).await;
    phone.client.refresh().await.expect("reload");
}

/// The cached "/" is still the app's shell, and every asset it names is cached.
async fn assert_cached_shell_is_the_app(phone: &Browser, network: &str) {
    let missing = eventually(PAGE, "read the service worker's cache", || async {
        phone
            .js_async(
                "const done = arguments[0];
                 caches.match('/').then(r => r ? r.text() : '')
                   .then(async html => {
                     const names = [...html.matchAll(/[\"'](\\/[^\"'#?]+\\.(?:wasm|js|css))[\"']/g)].map(m => m[1]);
                     if (!names.some(n => n.endsWith('.wasm'))) return done(['the shell itself: ' + html.slice(0, 80)]);
                     const absent = [];
                     for (const n of names) if (!(await caches.match(n))) absent.push(n);
                     done(absent);
                   })
                   .catch(e => done(null));",
            )
            .await
            .filter(|v| v.is_array())
    })
    .await;
    assert_eq!(
        missing,
        serde_json::json!([]),
        "behind a {network}, the cached shell must stay the app with all its assets"
    );
}
