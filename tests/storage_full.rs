//! A phone whose storage is full. The browser profile lives on a real, small
//! filesystem that the test fills up, so writing a new concern to IndexedDB
//! really fails. The app says so plainly, keeps the concern on screen, still
//! sends it to the relay (another phone receives it), and saves it by itself
//! once space is freed.

use linli_shared::domain::MAX_DESCRIPTION_CHARS;
use linli_tests::steps::{
    create_community, join, record, show_all, wait_for, wait_status, wait_title, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess, SmallDisk};

/// Room left on the phone's disk: a few concerns' worth at the details limit.
const ROOM: u64 = 64 << 10;
/// Bounds the test: concerns of ~6 KB each overflow the room long before this.
const MAX_CONCERNS: usize = 40;

/// (usage, quota) as the page sees them.
async fn estimate(b: &Browser) -> (f64, f64) {
    let v = b
        .client
        .execute_async(
            "const done = arguments[0];
             navigator.storage.estimate().then(e => done([e.usage, e.quota]));",
            vec![],
        )
        .await
        .expect("storage estimate");
    (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_phone_says_so_and_loses_nothing() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let disk = SmallDisk::mount(64 << 20);
    let a = Browser::launch_with_profile(&driver, "A", disk.path()).await;
    let invite = create_community(&a, &relay.http_url, "兴东社区").await;
    wait_status(&a, "synced").await;

    // The phone fills up (other apps), leaving a little room; then concerns
    // with details at the domain's limit, in characters that do not compress,
    // until a save fails. (Chromium's quota is far larger than this disk: it
    // is the disk that is full.)
    disk.fill_leaving(ROOM);
    let (used, quota) = estimate(&a).await;
    let room = disk.free_bytes();
    eprintln!("phone storage: {used} B used, quota {quota} B, {room} B free on its disk");
    let mut title = String::new();
    for n in 1..=MAX_CONCERNS {
        a.click("[data-testid=tab-record]").await;
        wait_for(&a, "#concern-details").await;
        a.js(&format!(
            "let s = ''; let x = {seed};
             for (let i = 0; i < {chars}; i++) {{ x = (x * 1103515245 + 12345) % 2147483648;
               s += String.fromCharCode(0x4e00 + (x % 20000)); }}
             const d = document.querySelector('#concern-details'); d.value = s;
             d.dispatchEvent(new Event('input', {{bubbles: true}}));",
            seed = 12345 + n,
            chars = MAX_DESCRIPTION_CHARS,
        ))
        .await;
        title = format!("三组路口井盖松动{n}");
        record(&a, &title).await;
        if a.exists("[data-testid=storage-error]").await {
            eprintln!("the save of concern {n} failed");
            break;
        }
    }

    // A clear message, and the concern is still there.
    let text = eventually(PAGE, "storage error banner", || async {
        let t = a.text_of_all("[data-testid=storage-error]").await;
        t.into_iter().next()
    })
    .await;
    // Chromium reports a full disk as an IO error (a full quota would say
    // QuotaExceeded); either way the message names the likely cause.
    assert!(
        text.contains("保存到本机失败") && text.contains("存储空间"),
        "says saving failed and why: {text}"
    );
    wait_title(&a, &title, PAGE).await;
    a.screenshot("storage-full").await;

    // Not lost: the relay has it, and another phone receives it.
    wait_status(&a, "synced").await;
    let b = Browser::launch(&driver, "B").await;
    join(&b, &invite).await;
    show_all(&b).await;
    wait_title(&b, &title, PAGE).await;

    // Space comes back: the automatic retry saves it and the banner goes away.
    disk.free_filler();
    eventually(PAGE, "saved after the retry, banner gone", || async {
        (!a.exists("[data-testid=storage-error]").await).then_some(())
    })
    .await;

    a.close().await;
    b.close().await;
}
