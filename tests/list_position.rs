//! Back from a concern, the 全部 list is where the person left it: as many pages open and
//! the same row under their thumb (a community has hundreds of concerns; scrolling back
//! down from the top each time is what a 邻长 would give up on).

use linli_shared::wire::DocumentId;
use linli_tests::seeded::{community, import, invite_to};
use linli_tests::steps::{wait_for, wait_status, PAGE};
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess};
use std::time::Duration;

const CONCERNS: usize = 120;

async fn rows(b: &Browser) -> usize {
    b.js("return document.querySelectorAll('[data-testid=concern-list] [data-testid=concern]').length;")
        .await
        .as_u64()
        .unwrap_or(0) as usize
}

async fn scroll_y(b: &Browser) -> f64 {
    b.js("return window.scrollY;").await.as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_from_a_concern_the_list_is_where_it_was() {
    let data = tempfile::tempdir().unwrap();
    let id = DocumentId::from_bytes([5; 16]);
    import(data.path(), &id, &community(&id, CONCERNS));
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let token = invite_to(&driver, &relay.http_url, &id).await;
    let b = Browser::launch(&driver, "list").await;
    b.goto(&format!("{}/#/join/{token}", relay.http_url)).await;
    wait_status(&b, "synced").await;
    b.click("[data-testid=tab-all]").await;
    eventually(PAGE, "the first page of the list", || async {
        (rows(&b).await == 50).then_some(())
    })
    .await;
    b.click("button.more").await;
    eventually(PAGE, "a second page", || async {
        (rows(&b).await == 100).then_some(())
    })
    .await;

    // The 80th row (newest first) in the middle of the screen, then opened.
    let row = 80;
    let opened = b
        .js(&format!(
            "const row = document.querySelectorAll('[data-testid=concern-list] [data-testid=concern]')[{}];
             row.scrollIntoView({{block: 'center'}});
             return row.querySelector('.concern-title').textContent.trim();",
            row - 1
        ))
        .await;
    let title = opened.as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(300)).await; // a person reads before tapping
    let y = scroll_y(&b).await;
    assert!(y > 3000.0, "row {row} is far down the list ({y} px)");
    b.js(&format!(
        "document.querySelectorAll('[data-testid=concern-list] [data-testid=concern]')[{}].querySelector('a').click();",
        row - 1
    ))
    .await;
    wait_for(&b, "[data-testid=concern-page]").await;
    assert_eq!(
        b.text_of_all("[data-testid=concern-heading]").await,
        std::slice::from_ref(&title)
    );
    eventually(PAGE, "the concern opens at its top", || async {
        (scroll_y(&b).await == 0.0).then_some(())
    })
    .await;
    b.screenshot("list-01-concern").await;

    // Back with the page's own link.
    b.click("a.back").await;
    eventually(PAGE, "two pages open again", || async {
        (rows(&b).await == 100).then_some(())
    })
    .await;
    eventually(PAGE, "the list where it was", || async {
        ((scroll_y(&b).await - y).abs() <= 2.0).then_some(())
    })
    .await;
    let under_thumb = b
        .js(
            "const r = document.elementFromPoint(195, 422).closest('[data-testid=concern]');
             return r ? r.querySelector('.concern-title').textContent.trim() : null;",
        )
        .await;
    assert_eq!(
        under_thumb.as_str(),
        Some(title.as_str()),
        "the same row mid-screen"
    );
    b.screenshot("list-02-back").await;
    b.close().await;
}
