//! A phone whose storage is full. The browser profile lives on a real, small
//! filesystem that the test fills up, so writing a new concern to IndexedDB
//! really fails. The app says so plainly, keeps the concern on screen, still
//! sends it to the relay (another phone receives it), and saves it by itself
//! once space is freed.

use linli_tests::flows::{
    create_community, join, record, show_all, wait_for, wait_status, wait_title, LONG,
};
use linli_tests::{eventually, Browser, Chromedriver, Relay, SmallDisk};

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
    let relay = Relay::start(data.path());
    let driver = Chromedriver::start();
    let disk = SmallDisk::mount(64 << 20);
    let a = Browser::launch_with_profile(&driver, "A", disk.path()).await;
    let invite = create_community(&a, &relay.url(), "兴东社区").await;
    wait_status(&a, "synced").await;

    // The phone fills up (other apps); then a concern with details bigger
    // than the room left, in characters that do not compress. (Chromium's
    // quota is far larger than this disk: it is the disk that is full.)
    disk.fill_leaving(1 << 20);
    let (used, quota) = estimate(&a).await;
    let room = disk.free_bytes() as f64;
    eprintln!("phone storage: {used} B used, quota {quota} B, {room} B free on its disk");
    // Automerge deflates changes: random CJK text keeps ~60% of its 3 bytes a
    // character, so a character per free byte overflows the disk for sure.
    let chars = room as u64 + 100_000;
    a.click("[data-testid=tab-record]").await;
    wait_for(&a, "#concern-details").await;
    a.js(&format!(
        "let s = ''; let x = 12345;
         for (let i = 0; i < {chars}; i++) {{ x = (x * 1103515245 + 12345) % 2147483648;
           s += String.fromCharCode(0x4e00 + (x % 20000)); }}
         const d = document.querySelector('#concern-details'); d.value = s;
         d.dispatchEvent(new Event('input', {{bubbles: true}}));"
    ))
    .await;
    record(&a, "三组路口井盖松动").await;

    // A clear message, and the concern is still there.
    let text = eventually(LONG, "storage error banner", || async {
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
    wait_title(&a, "三组路口井盖松动", LONG).await;
    a.screenshot("storage-full").await;

    // Not lost: the relay has it, and another phone receives it.
    wait_status(&a, "synced").await;
    let b = Browser::launch(&driver, "B").await;
    join(&b, &invite).await;
    show_all(&b).await;
    wait_title(&b, "三组路口井盖松动", LONG).await;

    // Space comes back: the automatic retry saves it and the banner goes away.
    std::fs::remove_file(disk.path().join("filler")).expect("free the disk");
    eventually(LONG, "saved after the retry, banner gone", || async {
        (!a.exists("[data-testid=storage-error]").await).then_some(())
    })
    .await;

    a.close().await;
    b.close().await;
}
