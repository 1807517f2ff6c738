//! 台账 (committee view, issue 7) on a 390×844 phone with no network: the
//! dashboard shows this month's figures as computed by hand from what the
//! test did, a visit logged offline turns its issues into concerns in one tap,
//! and the concern ledger downloads as XLSX and CSV that read back with the
//! same rows; the fund, the monthly task list and a service-day order work
//! offline too. Screenshots go to tests/artifacts/ledger-*.png.

use linli_tests::downloads::{allow_downloads, wait_download};
use linli_tests::steps::{
    act, create_community, open_concern, record, show_all, wait_concern_status, wait_for,
    wait_offline_ready, wait_status, wait_title, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, Proxy, RelayProcess};
use std::io::Read;

async fn data_value(b: &Browser, testid: &str) -> Option<String> {
    b.attr(&format!("[data-testid={testid}]"), "data-value")
        .await
}

/// Waits until the dashboard's three headline figures read `want`.
async fn wait_figures(b: &Browser, want: [&str; 3]) {
    eventually(
        PAGE,
        &format!("dashboard raised/resolved/open = {want:?}"),
        || async {
            let got = [
                data_value(b, "fig-raised").await?,
                data_value(b, "fig-resolved").await?,
                data_value(b, "fig-open").await?,
            ];
            (got == want.map(String::from)).then_some(())
        },
    )
    .await;
}

/// (data-raised, data-resolved) of the bar with `key` in chart `testid`.
async fn bar(b: &Browser, testid: &str, key: &str) -> Option<(String, String)> {
    let css = format!("[data-testid={testid}] [data-key={key}]");
    Some((
        b.attr(&css, "data-raised").await?,
        b.attr(&css, "data-resolved").await?,
    ))
}

/// The activity table as rows of cell texts.
async fn activity(b: &Browser) -> Vec<Vec<String>> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=activity-row]'))
               .map(r => Array.from(r.cells).map(c => c.textContent.trim()));",
        )
        .await;
    serde_json::from_value(v).unwrap_or_default()
}

/// Cell texts of every row of a worksheet (inline strings and numbers).
fn sheet_rows(xml: &str) -> Vec<Vec<String>> {
    xml.split("<row ")
        .skip(1)
        .map(|row| {
            row.split("<c ")
                .skip(1)
                .map(|c| {
                    let pick = |open: &str, close: &str| {
                        let s = &c[c.find(open)?..];
                        Some(s[s.find('>')? + 1..s.find(close)?].to_string())
                    };
                    pick("<t", "</t>")
                        .or_else(|| pick("<v", "</v>"))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

fn unzip(bytes: Vec<u8>, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the .xlsx is a zip");
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the workbook"))
        .read_to_string(&mut s)
        .expect("utf-8 part");
    s
}

/// 我的资料 as `flows::set_profile` fills it, but with the name field scrolled
/// to the middle first: on the profile screen it can sit under the sticky
/// header, which then takes the tap.
async fn fill_profile(b: &Browser, name: &str, role: &str) {
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=profile-form]").await;
    b.js("document.querySelector('#member-name').scrollIntoView({block: 'center'});")
        .await;
    b.type_into("#member-name", name).await;
    b.js(&format!(
        "const s = document.querySelector('#member-role'); s.value = {role:?};
         s.dispatchEvent(new Event('change', {{bubbles: true}}));"
    ))
    .await;
    b.click("[data-testid=save-profile]").await;
    wait_for(b, "[data-testid=my-profile]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn committee_dashboard_visit_and_exports_offline_on_a_phone() {
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "ledger").await; // 两委: 王书记

    create_community(&a, &link.url(), "兴东社区").await;
    fill_profile(&a, "王书记", "committee").await;
    // Three concerns; the first is claimed and resolved.
    for t in ["楼道灯坏了", "井盖松动", "车辆乱停"] {
        record(&a, t).await;
    }
    open_concern(&a, "楼道灯坏了").await;
    act(&a, "claim", None).await;
    wait_concern_status(&a, "claimed").await;
    act(&a, "resolve", Some("已更换灯泡")).await;
    wait_concern_status(&a, "resolved").await;
    wait_status(&a, "synced").await;

    // No signal from here on; the app reloads from the phone alone.
    wait_offline_ready(&a).await;
    link.go_offline();
    wait_status(&a, "offline").await;
    a.goto(&format!("{}/#/ledger", link.url())).await;
    wait_for(&a, "[data-testid=dashboard]").await;
    wait_status(&a, "offline").await;

    // By hand: 3 raised this month, 1 resolved, 2 open; all at 邻 level, in the
    // default category; 王书记 recorded 3, claimed 1, resolved 1.
    wait_figures(&a, ["3", "1", "2"]).await;
    assert_eq!(
        a.attr("[data-testid=dashboard]", "data-span")
            .await
            .as_deref(),
        Some("month")
    );
    assert_eq!(
        bar(&a, "by-level", "neighbour").await,
        Some(("3".into(), "1".into()))
    );
    assert_eq!(
        bar(&a, "by-category", "other").await,
        Some(("3".into(), "1".into()))
    );
    // No place given: one bar, "未注明", by 片 and by 组 alike.
    for chart in ["by-area", "by-group"] {
        assert_eq!(
            bar(&a, chart, "\"\"").await,
            Some(("3".into(), "1".into())),
            "{chart}"
        );
    }
    assert_eq!(
        a.text_of_all("[data-testid=by-level] .chart-label").await,
        ["邻"]
    );
    let median = a.text_of_all("[data-testid=median-resolve]").await;
    assert!(
        median[0].ends_with("分钟"),
        "resolved within minutes: {median:?}"
    );
    assert_eq!(a.text_of_all("[data-testid=satisfaction]").await, ["—"]);
    assert!(
        a.exists("[data-testid=trend] .trend-point[data-raised='3']")
            .await
    );
    assert_eq!(activity(&a).await, [["王书记", "3", "1", "1", "0", "0"]]);
    a.screenshot("ledger-01-dashboard-offline").await;
    a.js("window.scrollTo(0, document.body.scrollHeight)").await;
    a.screenshot("ledger-02-dashboard-charts").await;

    // A visit whose two issues become concerns in the same tap.
    a.click("[data-testid=ledger-visits]").await;
    wait_for(&a, "[data-testid=visit-form]").await;
    a.type_into("#visit-note", "看望独居老人，身体好").await;
    a.type_into("#visit-issues", "楼道堆放杂物\n门口路灯不亮")
        .await;
    a.click("[data-testid=visit-form] button[type=submit]")
        .await;
    wait_for(&a, "[data-testid=visit-saved]").await;
    assert_eq!(
        a.attr("[data-testid=visit]", "data-concerns")
            .await
            .as_deref(),
        Some("2")
    );
    a.screenshot("ledger-03-visit-logged").await;
    show_all(&a).await;
    wait_title(&a, "楼道堆放杂物", PAGE).await;
    wait_title(&a, "门口路灯不亮", PAGE).await;

    // The dashboard counts them, and the visit.
    a.click("[data-testid=tab-ledger]").await;
    wait_figures(&a, ["5", "1", "4"]).await;
    assert_eq!(activity(&a).await, [["王书记", "5", "1", "1", "1", "0"]]);
    a.screenshot("ledger-04-dashboard-after-visit").await;

    // The ledger downloads as XLSX and CSV, still offline.
    allow_downloads(&a, downloads.path()).await;
    a.click("[data-testid=ledger-export]").await;
    wait_for(&a, "[data-testid=export]").await;
    assert_eq!(
        a.attr(
            "[data-testid=export-ledger] [data-testid=rows]",
            "data-rows"
        )
        .await
        .as_deref(),
        Some("5")
    );
    a.screenshot("ledger-05-export").await;
    a.click("[data-testid=xlsx-ledger]").await;
    let xlsx = wait_download(downloads.path(), ".xlsx").await;
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(unzip(bytes.clone(), "xl/workbook.xml").contains("name=\"民情台账\""));
    let rows = sheet_rows(&unzip(bytes, "xl/worksheets/sheet1.xml"));
    assert_eq!(rows.len(), 6, "header + 5 concerns: {rows:?}");
    assert_eq!(rows[0][..3], ["编号", "反映时间", "事项"]);
    let mut titles: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    titles.sort_unstable();
    assert_eq!(
        titles,
        [
            "井盖松动",
            "楼道堆放杂物",
            "楼道灯坏了",
            "车辆乱停",
            "门口路灯不亮"
        ]
    );
    let fixed = rows.iter().find(|r| r[2] == "楼道灯坏了").unwrap();
    assert_eq!(
        (fixed[8].as_str(), fixed[9].as_str(), fixed[12].as_str()),
        ("已办结", "王书记", "已更换灯泡")
    );
    assert!(rows[1..].iter().all(|r| r[6] == "王书记"), "recorded by");

    a.click("[data-testid=csv-ledger]").await;
    let csv = std::fs::read_to_string(wait_download(downloads.path(), ".csv").await).unwrap();
    assert!(csv.starts_with('\u{FEFF}'), "BOM for Excel");
    let lines: Vec<&str> = csv.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(lines.len(), 6);
    for r in &rows[1..] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("{},", r[0]))),
            "CSV holds {}",
            r[0]
        );
    }
    eprintln!(
        "xlsx {} bytes, csv {} bytes",
        std::fs::metadata(&xlsx).unwrap().len(),
        csv.len()
    );

    // Open311 GeoReport v2: one request per concern, open/closed by status.
    a.click("[data-testid=open311]").await;
    let json = std::fs::read_to_string(wait_download(downloads.path(), ".json").await).unwrap();
    let requests: Vec<serde_json::Value> = serde_json::from_str(&json).expect("GeoReport JSON");
    assert_eq!(requests.len(), 5);
    let closed: Vec<&str> = requests
        .iter()
        .filter(|r| r["status"] == "closed")
        .filter_map(|r| r["description"].as_str())
        .collect();
    assert_eq!(closed, ["楼道灯坏了"]);
    assert!(requests.iter().all(|r| r["requested_datetime"]
        .as_str()
        .is_some_and(|t| t.ends_with("+08:00"))));

    // The micro-fund: 两委 sets 王书记's 200 yuan, 王书记 spends 35.5.
    a.click("[data-testid=ledger-fund]").await;
    wait_for(&a, "[data-testid=allocation-form]").await;
    a.js(
        "const s = document.querySelector('[data-testid=allocation-form] select');
          s.value = s.options[1].value; s.dispatchEvent(new Event('change', {bubbles: true}));",
    )
    .await;
    a.click("[data-testid=allocation-form] button[type=submit]")
        .await;
    a.type_into("#expense-amount", "35.5").await;
    a.type_into("#expense-purpose", "买灯泡").await;
    a.click("[data-testid=expense-form] button[type=submit]")
        .await;
    eventually(PAGE, "balance 200 - 35.50 = 164.50", || async {
        (a.attr("[data-testid=fund-row]", "data-balance")
            .await
            .as_deref()
            == Some("16450"))
        .then_some(())
    })
    .await;
    a.screenshot("ledger-06-fund").await;

    // This month's task list: add one, tick it off.
    a.click("[data-testid=ledger-tasks]").await;
    wait_for(&a, "[data-testid=task-form]").await;
    a.type_into("#task-title", "走访5户独居老人").await;
    a.click("[data-testid=task-form] button[type=submit]").await;
    wait_for(&a, "[data-testid=task-done]").await;
    a.click("[data-testid=task-done]").await;
    wait_for(&a, "[data-testid=task][data-done=true]").await;
    a.screenshot("ledger-07-tasks").await;

    // Service day: a resident's order, taken and delivered; the phone number masked.
    a.click("[data-testid=ledger-service]").await;
    wait_for(&a, "[data-testid=order-form]").await;
    a.type_into("#order-request", "上门理发").await;
    a.type_into("#order-resident", "张阿姨 13812345678").await;
    a.click("[data-testid=order-form] button[type=submit]")
        .await;
    wait_for(&a, "[data-testid=order][data-state=open]").await;
    let shown = a.text_of_all("[data-testid=order]").await.join(" ");
    assert!(
        shown.contains("138****5678") && !shown.contains("13812345678"),
        "{shown}"
    );
    a.click("[data-testid=order-take]").await;
    wait_for(&a, "[data-testid=order][data-state=taken]").await;
    a.click("[data-testid=order-done]").await;
    wait_for(&a, "[data-testid=order][data-state=done]").await;
    a.screenshot("ledger-08-service-day").await;

    link.go_online();
    wait_status(&a, "synced").await;
    a.close().await;
}
