//! Residents' phone numbers never leave a concern's own page (issue 16), on a
//! 390×844 phone: concerns whose titles hold a mobile written with spaces,
//! with dashes, with +86, and a landline show only masked numbers in the 全部
//! list, the meeting's concern picker and linked concern, the printable 纪要
//! and the CSV export; searching finds the reporter's name but never a hidden
//! digit; a title is cut at its limit as it is typed. Screenshots go to
//! tests/artifacts/privacy-*.png.

use linli_tests::downloads::{allow_downloads, wait_download};
use linli_tests::steps::{create_community_as, create_meeting, show_all, titles, wait_for, PAGE};
use linli_tests::{eventually, Browser, Chromedriver, Proxy, RelayProcess};

/// (title as typed, as every list shows it, the digits that must never show).
const PHONES: [(&str, &str, &str); 4] = [
    (
        "张阿姨 138 1234 5678 楼道灯坏了",
        "张阿姨 138 **** 5678 楼道灯坏了",
        "1234",
    ),
    (
        "井盖松动 李叔139-8765-4321",
        "井盖松动 李叔139-****-4321",
        "8765",
    ),
    (
        "车辆乱停 +86 137 2468 1357",
        "车辆乱停 +86 137 **** 1357",
        "2468",
    ),
    ("漏水 物业0731-83819753", "漏水 物业0731-****9753", "8381"),
];

/// The resident's contact as typed in 反映人, and the digits it hides.
const REPORTER: &str = "王大妈 136 0000 9999";
const REPORTER_HIDDEN: &str = "0000";

/// Fails naming `what` if `text` shows any digit group that must be hidden. Record ids
/// (32 random hex digits, e.g. the CSV's 编号 column) are left out: one may hold "8765" by chance.
fn assert_masked(what: &str, text: &str) {
    let text = &without_ids(text);
    for hidden in PHONES.iter().map(|p| p.2).chain([REPORTER_HIDDEN]) {
        assert!(
            !text.contains(hidden),
            "{what} shows hidden digits {hidden}: {text}"
        );
    }
}

/// `text` with every run of 16 or more hex digits (an id, never a phone number) cut out.
fn without_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        if run.len() < 16 {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

async fn page_text(b: &Browser) -> String {
    b.js("return document.body.innerText;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Records a concern through the 记录 form, with a reporter when given.
async fn record_with(b: &Browser, title: &str, reporter: Option<&str>) {
    b.click("[data-testid=tab-record]").await;
    wait_for(b, "[data-testid=new-concern]").await;
    b.type_into("#concern-title", title).await;
    if let Some(r) = reporter {
        b.type_into("#concern-reporter", r).await;
    }
    b.click("[data-testid=new-concern] button[type=submit]")
        .await;
    wait_for(b, "[data-testid=search]").await;
}

/// Types `text` into the 全部 search box; waits until the list shows `want`.
async fn search_shows(b: &Browser, text: &str, want: &[&str]) {
    b.js(&format!(
        "const e = document.querySelector('[data-testid=search]'); e.value = {text:?};
         e.dispatchEvent(new Event('input', {{bubbles: true}}));"
    ))
    .await;
    eventually(PAGE, &format!("search {text:?} lists {want:?}"), || async {
        (titles(b).await == want).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_numbers_stay_masked_outside_the_concern_page() {
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "privacy").await;
    create_community_as(&a, &link.url(), "兴东社区", "王书记").await;

    // A pasted 150-character title is cut at 100 as it is typed, and the count says so.
    a.click("[data-testid=tab-record]").await;
    wait_for(&a, "[data-testid=new-concern]").await;
    a.type_into("#concern-title", &"长".repeat(150)).await;
    let typed = a.value("#concern-title").await.unwrap_or_default();
    assert_eq!(typed.chars().count(), 100, "title cut at its limit");
    eventually(PAGE, "the count shows 100/100", || async {
        let t = a.text_of_all("[data-testid=length-count]").await;
        (t == ["100/100"]).then_some(())
    })
    .await;
    a.screenshot("privacy-01-title-limit").await;
    a.click("[data-testid=new-concern] button[type=submit]")
        .await;
    wait_for(&a, "[data-testid=search]").await;

    for (i, (title, _, _)) in PHONES.iter().enumerate() {
        record_with(&a, title, (i == 0).then_some(REPORTER)).await;
    }

    // 全部: every number masked, the long title clamped to a few lines.
    show_all(&a).await;
    eventually(PAGE, "the list shows the masked titles", || async {
        let shown = titles(&a).await;
        PHONES
            .iter()
            .all(|p| shown.iter().any(|t| t == p.1))
            .then_some(())
    })
    .await;
    assert_masked("全部", &page_text(&a).await);
    let card_height = a
        .js("return Math.max(...Array.from(document.querySelectorAll('[data-testid=concern] .concern-title')).map(e => e.getBoundingClientRect().height));")
        .await
        .as_f64()
        .unwrap();
    assert!(
        card_height < 120.0,
        "a title is at most a few lines: {card_height}px"
    );
    a.screenshot("privacy-02-list").await;

    // Search finds the reporter by name, a number only by what the card shows.
    search_shows(&a, "王大妈", &[PHONES[0].1]).await;
    search_shows(&a, "5678", &[PHONES[0].1]).await;
    // Hidden digits find nothing, neither the title's nor the reporter's.
    search_shows(&a, "1234", &[]).await;
    search_shows(&a, "13812345678", &[]).await;
    search_shows(&a, "0000 9999", &[]).await;
    a.screenshot("privacy-03-search").await;
    search_shows(&a, "9999", &[PHONES[0].1]).await;

    // The meeting's picker and linked concern, then the 纪要.
    create_meeting(&a, "十一月议事会", "楼道与停车").await;
    wait_for(&a, "[data-testid=link-concern]").await;
    let options = a
        .text_of_all("[data-testid=link-concern] option")
        .await
        .join("\n");
    assert!(options.contains(PHONES[0].1), "picker lists {options}");
    assert_masked("the concern picker", &options);
    a.js(&format!(
        "const s = document.querySelector('[data-testid=link-concern]');
         const o = Array.from(s.options).find(o => o.textContent.trim() === {:?});
         s.value = o.value; s.dispatchEvent(new Event('change', {{bubbles: true}}));",
        PHONES[3].1
    ))
    .await;
    eventually(PAGE, "the agenda shows the linked concern", || async {
        let linked = a.text_of_all(".linked-concerns a").await;
        (linked == [PHONES[3].1]).then_some(())
    })
    .await;
    assert_masked("the meeting page", &page_text(&a).await);
    a.screenshot("privacy-04-agenda").await;
    a.click("[data-testid=view-minutes]").await;
    wait_for(&a, "[data-testid=minutes]").await;
    let minutes = page_text(&a).await;
    assert!(
        minutes.contains(PHONES[3].1),
        "纪要 names the concern: {minutes}"
    );
    assert_masked("纪要", &minutes);
    a.screenshot("privacy-05-minutes").await;

    // The concern ledger as CSV: titles and the reporter masked.
    allow_downloads(&a, downloads.path()).await;
    a.goto(&format!("{}/#/ledger", link.url())).await;
    wait_for(&a, "[data-testid=ledger-export]").await;
    a.click("[data-testid=ledger-export]").await;
    wait_for(&a, "[data-testid=csv-ledger]").await;
    a.click("[data-testid=csv-ledger]").await;
    let csv = std::fs::read_to_string(wait_download(downloads.path(), ".csv").await).unwrap();
    for (_, shown, _) in PHONES {
        assert!(csv.contains(shown), "CSV holds {shown}: {csv}");
    }
    assert!(
        csv.contains("王大妈 136 **** 9999"),
        "reporter masked: {csv}"
    );
    assert_masked("the CSV", &csv);
    a.screenshot("privacy-06-export").await;
    a.close().await;
}
