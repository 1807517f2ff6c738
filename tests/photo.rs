//! Concern photos (issue 5) on two phones at 390×844: phone A records a
//! concern with a 3000×2000 camera-sized image, which the phone compresses
//! before storing it; B sees it after sync. Then B, offline, records one with a
//! photo, reloads, still has it, and A sees it once B is back online. A file
//! that is not an image is refused with a message and nothing typed is lost.
//! Later A adds a photo to the first concern from its page; B sees both.
//! Screenshots go to tests/artifacts/photo-*.png.

use linli_tests::photos::{choose_photo, choose_photo_in, loaded_images, shown_image, write_bmp};
use linli_tests::steps::{
    assert_styled, create_community, join, make_invite, open_concern, set_profile, show_all,
    wait_for, wait_offline_ready, wait_status, wait_title, PAGE,
};
use linli_tests::{cdp, eventually, Browser, Chromedriver, Proxy, RelayProcess};
use serde_json::Value;
use std::path::Path;

const MAX_STORED: u64 = 300 * 1024;

/// Checks what the page holds for a shown photo: a JPEG, at most 1280 px on
/// its long side, far smaller than the source. Returns (bytes, width, height).
fn assert_compressed(v: &Value, source_bytes: u64, what: &str) -> (u64, u64, u64) {
    let bytes = v["bytes"].as_u64().unwrap_or(0);
    let (w, h) = (
        v["width"].as_u64().unwrap_or(0),
        v["height"].as_u64().unwrap_or(0),
    );
    let head: Vec<u64> = v["head"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    assert_eq!(head, [0xFF, 0xD8, 0xFF], "{what}: stored photo is a JPEG");
    assert_eq!(
        v["src"].as_str(),
        Some("blob:"),
        "{what}: shown from a blob URL"
    );
    assert!(w.max(h) <= 1280 && w.min(h) > 0, "{what}: {w}×{h}");
    assert!(
        bytes > 0 && bytes < MAX_STORED && bytes * 20 < source_bytes,
        "{what}: {bytes} bytes stored from a {source_bytes} byte source"
    );
    (bytes, w, h)
}

/// Types a title on the 记录 screen.
async fn start_record(b: &Browser, title: &str) {
    b.click("[data-testid=tab-record]").await;
    wait_for(b, "[data-testid=new-concern]").await;
    b.type_into("#concern-title", title).await;
}

/// Scrolls the photo picker into view, for the screenshot.
async fn show_picker(b: &Browser) {
    b.js("document.querySelector('[data-testid=photo-picker]').scrollIntoView({block: 'center'});")
        .await;
}

async fn submit(b: &Browser) {
    b.click("[data-testid=new-concern] button[type=submit]")
        .await;
    wait_for(b, "[data-testid=search]").await;
}

async fn title_field(b: &Browser) -> String {
    b.value("#concern-title").await.unwrap_or_default()
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).expect("test image").len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_compressed_on_the_phone_and_synced_as_their_own_documents() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let landscape = files.path().join("camera.bmp");
    write_bmp(&landscape, 3000, 2000);
    let portrait = files.path().join("portrait.bmp");
    write_bmp(&portrait, 1500, 2400);
    let not_image = files.path().join("notes.jpg");
    std::fs::write(&not_image, "this is a text file, not a photo").unwrap();

    let relay = RelayProcess::serving_app(data.path());
    let a_link = Proxy::start(relay.port()).await;
    let b_link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await;
    let b = Browser::launch(&driver, "B").await;
    let first = create_community(&a, &a_link.url(), "兴东社区").await;
    // B joins as 组长: the invite sets the role.
    let invite = make_invite(&a, "group_leader", 1, &first).await;
    set_profile(&a, "王邻长", "neighbour_leader").await;
    join(&b, &invite.replace(&a_link.url(), &b_link.url())).await;
    set_profile(&b, "李组长", "group_leader").await;

    // A file that is not an image: a clear message, the typed title stays.
    start_record(&a, "三组垃圾堆放点满溢").await;
    choose_photo(&a, &not_image).await;
    wait_for(&a, "[data-testid=photo-error]").await;
    assert_eq!(title_field(&a).await, "三组垃圾堆放点满溢");
    assert!(!a.exists("[data-testid=draft-photo]").await);
    show_picker(&a).await;
    a.screenshot("photo-01-not-an-image").await;

    // A camera-sized photo: compressed on the phone, shown as a thumbnail.
    choose_photo(&a, &landscape).await;
    let thumb = shown_image(&a, "[data-testid=draft-photo] img").await;
    assert!(
        !a.exists("[data-testid=photo-error]").await,
        "error cleared"
    );
    let took_ms = a
        .attr("[data-testid=photo-picker]", "data-compress-ms")
        .await;
    assert_compressed(&thumb, size(&landscape), "A's draft thumbnail");
    show_picker(&a).await;
    a.screenshot("photo-02-draft").await;

    // The draft, photo included, survives a reload.
    a.client.refresh().await.expect("reload A");
    wait_for(&a, "[data-testid=new-concern]").await;
    shown_image(&a, "[data-testid=draft-photo] img").await;
    assert_eq!(title_field(&a).await, "三组垃圾堆放点满溢");
    submit(&a).await;
    wait_for(&a, "[data-testid=concern] [data-testid=photo-count]").await;
    a.screenshot("photo-03-list").await;
    open_concern(&a, "三组垃圾堆放点满溢").await;
    let stored = shown_image(&a, "[data-testid=concern-photo] img").await;
    let (bytes, w, h) = assert_compressed(&stored, size(&landscape), "A's stored photo");
    eprintln!(
        "photo: source {} bytes 3000×2000 BMP → stored {bytes} bytes {w}×{h} JPEG, compressed in {} ms",
        size(&landscape),
        took_ms.as_deref().unwrap_or("?")
    );
    a.screenshot("photo-04-concern-a").await;

    // B sees the concern and, once its document has synced, the photo.
    open_concern(&b, "三组垃圾堆放点满溢").await;
    let on_b = shown_image(&b, "[data-testid=concern-photo] img").await;
    assert_eq!(on_b["bytes"], stored["bytes"], "B has the same photo");
    b.screenshot("photo-05-concern-b").await;

    // B has no signal: records a concern with a photo, reloads, still has it.
    wait_offline_ready(&b).await;
    wait_status(&b, "synced").await;
    b_link.go_offline();
    wait_status(&b, "offline").await;
    start_record(&b, "五组楼道堆放杂物").await;
    choose_photo(&b, &portrait).await;
    shown_image(&b, "[data-testid=draft-photo] img").await;
    submit(&b).await;
    // Only the service worker's cache may carry the start: phones evict their HTTP cache.
    cdp::clear_http_cache(&b.client).await;
    b.client.refresh().await.expect("reload B while offline");
    wait_for(&b, "[data-testid=tab-all]").await;
    assert_styled(&b).await;
    open_concern(&b, "五组楼道堆放杂物").await;
    let offline = shown_image(&b, "[data-testid=concern-photo] img").await;
    let (_, pw, ph) = assert_compressed(&offline, size(&portrait), "B's offline photo");
    assert!(ph == 1280 && pw < ph, "portrait stays portrait: {pw}×{ph}");
    // (连接中 until its socket is refused, then 离线.)
    wait_status(&b, "offline").await;
    b.screenshot("photo-06-offline-reload-b").await;

    // Reloaded again and not looking at that concern: the photo still goes out.
    b.client.refresh().await.expect("reload B again");
    wait_for(&b, "[data-testid=tab-all]").await;
    assert_styled(&b).await;
    show_all(&b).await;

    // Back online: A sees B's concern and its photo.
    b_link.go_online();
    wait_status(&b, "synced").await;
    show_all(&a).await;
    wait_title(&a, "五组楼道堆放杂物", PAGE).await;
    open_concern(&a, "五组楼道堆放杂物").await;
    let arrived = shown_image(&a, "[data-testid=concern-photo] img").await;
    assert_eq!(
        arrived["bytes"], offline["bytes"],
        "A has B's offline photo"
    );
    eventually(PAGE, "no placeholder left on A", || async {
        (!a.exists("[data-testid=photo-syncing]").await).then_some(())
    })
    .await;
    a.screenshot("photo-07-after-reconnect-a").await;

    // The work done, A adds a photo to the first concern from its page; B sees both.
    show_all(&a).await;
    open_concern(&a, "三组垃圾堆放点满溢").await;
    shown_image(&a, "[data-testid=concern-photo] img").await;
    choose_photo_in(&a, "[data-testid=add-photo-input]", &portrait).await;
    let photos = "[data-testid=concern-photo] img";
    eventually(PAGE, "A's concern shows two photos", || async {
        (loaded_images(&a, photos).await == 2).then_some(())
    })
    .await;
    show_all(&b).await;
    open_concern(&b, "三组垃圾堆放点满溢").await;
    eventually(PAGE, "B's copy shows both photos", || async {
        (loaded_images(&b, photos).await == 2).then_some(())
    })
    .await;
    b.screenshot("photo-08-added-later-b").await;

    a.close().await;
    b.close().await;
}
