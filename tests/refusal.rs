//! Issue 11, item 4, on two phones at 390×844 and one relay. Phone A works in 兴东社区: a
//! concern with a photo (synced), then offline another concern with a photo (its id kept
//! as unsynced) and a draft left half-typed with a photo. A then joins B's 西湖社区: the
//! draft and the unsynced photo stay with 兴东社区 (the form is empty; the relay never
//! receives that photo). Then 兴东's synced photo lands in A's list of unsynced photos the
//! way an earlier version (one list for every community) left a phone that switched, beside
//! a draft that version kept: the new version adopts both for 西湖社区; the relay refuses the
//! photo, A sets it aside, keeps it and says so, its badge never says 已同步, and its other
//! documents keep syncing — the draft, recorded, reaches B.
//! Screenshots: tests/artifacts/refusal-*.png.

use linli_shared::wire::DocumentId;
use linli_tests::photos::{choose_photo, shown_image, write_bmp};
use linli_tests::steps::{
    create_community, fill_profile, join, show_all, status, wait_for, wait_offline_ready,
    wait_status, wait_title, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, Proxy, RelayProcess};
use std::path::Path;

/// Types a title and takes a photo on the 记录 screen; returns the photo's document id
/// (as the draft keeps it on the phone).
async fn draft_with_photo(b: &Browser, title: &str, photo: &Path) -> String {
    b.click("[data-testid=tab-record]").await;
    wait_for(b, "[data-testid=new-concern]").await;
    b.type_into("#concern-title", title).await;
    choose_photo(b, photo).await;
    shown_image(b, "[data-testid=draft-photo] img").await;
    eventually(PAGE, "the draft's photo id on the phone", || async {
        b.js(
            "const k = Object.keys(localStorage).find(k => k.startsWith('linli.draft')); \
              if (!k) return null; \
              const lines = localStorage.getItem(k).split('\\n'); \
              return lines[lines.length - 1] || null;",
        )
        .await
        .as_str()
        .filter(|ids| !ids.contains(','))
        .map(str::to_string)
    })
    .await
}

async fn submit(b: &Browser) {
    b.click("[data-testid=new-concern] button[type=submit]")
        .await;
    wait_for(b, "[data-testid=search]").await;
}

/// Whether the relay ever took document `id` into a community: its registry
/// (`registry.sqlite` and its write-ahead log, ids as text) or its claim log (`owners.log`,
/// raw ids) names it.
fn relay_holds(data: &Path, id: &str) -> bool {
    let raw = id.parse::<DocumentId>().expect("a document id");
    let read = |name: &str| std::fs::read(data.join(name)).unwrap_or_default();
    let registry = [read("registry.sqlite"), read("registry.sqlite-wal")].concat();
    let registry = String::from_utf8_lossy(&registry);
    let claims = std::fs::read(data.join("owners.log")).unwrap_or_default();
    registry.contains(id) || claims.windows(16).any(|w| w == raw.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_document_is_set_aside_and_nothing_crosses_communities() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let photo = files.path().join("photo.bmp");
    write_bmp(&photo, 800, 600);
    let relay = RelayProcess::serving_app(data.path());
    let a_link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await;
    let b = Browser::launch(&driver, "B").await;

    // B's 西湖社区, and an invite for A.
    let west_invite = create_community(&b, &relay.http_url, "西湖社区").await;
    fill_profile(&b, "李邻长").await;

    // A's 兴东社区: a concern with a photo, synced.
    create_community(&a, &a_link.url(), "兴东社区").await;
    fill_profile(&a, "王邻长").await;
    let east_photo = draft_with_photo(&a, "东区路灯不亮", &photo).await;
    submit(&a).await;
    wait_status(&a, "synced").await;
    assert!(relay_holds(data.path(), &east_photo), "兴东's photo synced");

    // Offline: a concern with a photo the relay does not have, and a draft left unfinished.
    wait_offline_ready(&a).await;
    a_link.go_offline();
    wait_status(&a, "offline").await;
    let unsynced_photo = draft_with_photo(&a, "东区井盖松动", &photo).await;
    submit(&a).await;
    draft_with_photo(&a, "东区没写完的草稿", &photo).await;
    a.screenshot("refusal-01-east-draft").await;

    // A leaves the app, gets signal back and opens B's invite: it joins 西湖社区.
    a.goto("about:blank").await;
    a_link.go_online();
    join(&a, &west_invite.replace(&relay.http_url, &a_link.url())).await;
    fill_profile(&a, "王邻长").await;
    wait_status(&a, "synced").await;

    // 兴东's draft and its unsynced photo stayed with 兴东社区.
    a.click("[data-testid=tab-record]").await;
    wait_for(&a, "[data-testid=new-concern]").await;
    assert_eq!(a.value("#concern-title").await.as_deref(), Some(""));
    assert!(
        !a.exists("[data-testid=draft-photo]").await,
        "no draft photo"
    );
    assert!(
        !relay_holds(data.path(), &unsynced_photo),
        "兴东's unsynced photo was not uploaded into 西湖社区"
    );
    a.screenshot("refusal-02-west-empty-form").await;

    // What an earlier version kept for every community alike: a draft typed in 西湖社区,
    // and in its list of unsynced photos 兴东's photo (a phone that switched under it).
    a.js(&format!(
        "localStorage.setItem('linli.draft', '\\n\\n西区垃圾桶满了\\n\\n\\n'); \
         localStorage.setItem('linli.photos.unsynced', '{east_photo}'); return null;"
    ))
    .await;
    a.client
        .refresh()
        .await
        .expect("reload A: the new version starts");
    wait_for(&a, "[data-testid=tab-all]").await;

    // The relay refuses the photo again and again: set aside, said, and never 已同步.
    wait_for(&a, "[data-testid=set-aside]").await;
    let notice = a.text_of_all("[data-testid=set-aside]").await.join("");
    assert!(notice.contains("1 条记录无法同步"), "notice: {notice}");
    wait_status(&a, "set-aside").await;
    a.screenshot("refusal-03-set-aside").await;

    // The draft survived the upgrade; recorded, it reaches B: the other documents sync.
    a.click("[data-testid=tab-record]").await;
    wait_for(&a, "[data-testid=new-concern]").await;
    assert_eq!(
        a.value("#concern-title").await.as_deref(),
        Some("西区垃圾桶满了"),
        "the draft kept before the upgrade"
    );
    submit(&a).await;
    show_all(&b).await;
    wait_title(&b, "西区垃圾桶满了", PAGE).await;
    wait_status(&a, "set-aside").await;
    assert_eq!(
        a.attr("[data-testid=sync-status]", "data-set-aside")
            .await
            .as_deref(),
        Some("1")
    );
    assert!(a.exists("[data-testid=set-aside]").await);
    assert_ne!(status(&a).await.as_deref(), Some("synced"));

    // Kept on the phone, not dropped.
    let kept = a
        .js("return Object.keys(localStorage).filter(k => k.startsWith('linli.photos.unsynced')).map(k => localStorage.getItem(k)).join(',');")
        .await;
    assert!(
        kept.as_str().is_some_and(|k| k.contains(&east_photo)),
        "the set-aside photo is still listed: {kept}"
    );
    a.screenshot("refusal-04-other-documents-synced").await;

    a.close().await;
    b.close().await;
}
