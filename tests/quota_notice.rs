//! Issue 11, item 3, on the phone: a community at its storage quota. The relay (started with
//! a small `--quota-bytes-per-community`) takes the community but refuses a concern's photo;
//! the phone keeps the concern and its photo, says in words why they do not sync (the quota
//! banner, through i18n), and never claims 已同步. Screenshot: tests/artifacts/quota-*.png.
//! And once the limit frees up while the socket stays open (here: the relay's disk gets room
//! again), the phone sends the refused change again by itself.

use linli_testkit::small_disk::SmallDisk;
use linli_testkit::RelayBuilder;
use linli_tests::photos::{choose_photo, shown_image, write_bmp};
use linli_tests::steps::{create_community, record, status, wait_for, wait_status, PAGE};
use linli_tests::{eventually, Browser, Chromedriver};

/// Room for a new community's documents, not for a photo (tens of KB).
const QUOTA_BYTES: &str = "24576";
const MIB: u64 = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_community_over_its_quota_is_told_why_and_keeps_its_records() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayBuilder::new(data.path())
        .serving_app()
        .args(&["--quota-bytes-per-community", QUOTA_BYTES])
        .start();
    let driver = Chromedriver::start();
    let phone = Browser::launch(&driver, "A").await;
    create_community(&phone, &relay.http_url, "兴东社区").await;
    record(&phone, "三组路口井盖松动").await;
    wait_status(&phone, "synced").await;
    assert!(!phone.exists("[data-testid=quota]").await);

    // A concern with a photo: more than the community may store.
    let photo = data.path().join("photo.bmp");
    write_bmp(&photo, 1600, 1200);
    phone.click("[data-testid=tab-record]").await;
    wait_for(&phone, "[data-testid=new-concern]").await;
    phone.type_into("#concern-title", "五组路灯不亮").await;
    choose_photo(&phone, &photo).await;
    shown_image(&phone, "[data-testid=draft-photo] img").await;
    phone
        .click("[data-testid=new-concern] button[type=submit]")
        .await;

    let notice = eventually(PAGE, "the quota banner", || async {
        phone
            .text_of_all("[data-testid=quota]")
            .await
            .into_iter()
            .next()
    })
    .await;
    assert!(
        notice.contains("存储空间已用完") && notice.contains("已保留在本机"),
        "{notice}"
    );
    phone.screenshot("quota-banner").await;
    assert_ne!(status(&phone).await.as_deref(), Some("synced"));
    // Kept on the phone: the concern is listed, and the relay stored no more than its quota.
    assert!(phone
        .text_of_all("[data-testid=concern] .concern-title")
        .await
        .contains(&"五组路灯不亮".to_string()));
    phone.close().await;
}

/// The first banner text on the page, once there is one.
async fn quota_banner(phone: &Browser) -> String {
    eventually(PAGE, "the quota banner", || async {
        phone
            .text_of_all("[data-testid=quota]")
            .await
            .into_iter()
            .next()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_refused_for_a_full_relay_disk_is_sent_again_once_there_is_room() {
    let disk = SmallDisk::mount(32 * MIB);
    let relay = RelayBuilder::new(&disk.path().join("relay"))
        .serving_app()
        .args(&["--disk-reserve-bytes", &(4 * MIB).to_string()])
        .start();
    let driver = Chromedriver::start();
    let phone = Browser::launch(&driver, "A").await;
    create_community(&phone, &relay.http_url, "兴东社区").await;
    wait_status(&phone, "synced").await;

    // Another program fills the relay's disk into its reserve: the next concern is refused.
    disk.fill_leaving(MIB);
    record(&phone, "五组路灯不亮").await;
    let notice = quota_banner(&phone).await;
    assert!(notice.contains("服务器存储空间不足"), "{notice}");
    assert_ne!(status(&phone).await.as_deref(), Some("synced"));

    // Room again, with no new edit and no reconnect: the phone tries again by itself.
    disk.free_filler();
    wait_status(&phone, "synced").await;
    assert!(!phone.exists("[data-testid=quota]").await);
    phone.close().await;
}
