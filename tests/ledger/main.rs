//! 台账 (committee view, issue 7) on a 390×844 phone with no network: the
//! dashboard shows this month's figures as computed by hand from what the
//! test did, a visit logged offline turns its issues into concerns in one tap,
//! and the concern ledger downloads as XLSX and CSV that read back with the
//! same rows; the fund, the monthly task list and a service-day order work
//! offline too. Screenshots go to tests/artifacts/ledger-*.png.

mod dashboard;
mod workbook;

use dashboard::{activity, bar, wait_figures};
use linli_tests::downloads::{allow_downloads, wait_download};
use linli_tests::steps::{
    act, create_community, open_concern, record, set_profile, show_all, wait_concern_status,
    wait_for, wait_offline_ready, wait_status, wait_title, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, Proxy, RelayProcess};
use std::path::{Path, PathBuf};
use workbook::{sheet_rows, unzip};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn committee_dashboard_visit_and_exports_offline_on_a_phone() {
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "ledger").await; // 两委: 王书记

    create_community(&a, &link.url(), "兴东社区").await;
    set_profile(&a, "王书记", "committee").await;
    three_concerns_one_resolved(&a).await;
    the_ledger_opens_offline(&a, &link).await;
    the_dashboard_counts_what_was_done(&a).await;
    a_visit_turns_its_issues_into_concerns(&a).await;
    let (rows, xlsx) = the_ledger_downloads_as_xlsx(&a, downloads.path()).await;
    the_csv_holds_the_same_rows(&a, downloads.path(), &rows, &xlsx).await;
    open311_has_one_request_per_concern(&a, downloads.path()).await;
    the_fund_balance_works_offline(&a).await;
    the_task_list_works_offline(&a).await;
    a_service_day_order_is_delivered(&a).await;

    link.go_online();
    wait_status(&a, "synced").await;
    a.close().await;
}

/// Three concerns; the first is claimed and resolved, and synced.
async fn three_concerns_one_resolved(a: &Browser) {
    for t in ["楼道灯坏了", "井盖松动", "车辆乱停"] {
        record(a, t).await;
    }
    open_concern(a, "楼道灯坏了").await;
    act(a, "claim", None).await;
    wait_concern_status(a, "claimed").await;
    act(a, "resolve", Some("已更换灯泡")).await;
    wait_concern_status(a, "resolved").await;
    wait_status(a, "synced").await;
}

/// No signal from here on; the app reloads from the phone alone and opens the 台账.
async fn the_ledger_opens_offline(a: &Browser, link: &Proxy) {
    wait_offline_ready(a).await;
    link.go_offline();
    wait_status(a, "offline").await;
    a.goto(&format!("{}/#/ledger", link.url())).await;
    wait_for(a, "[data-testid=dashboard]").await;
    wait_status(a, "offline").await;
}

/// The dashboard's figures, bars and activity as counted by hand.
async fn the_dashboard_counts_what_was_done(a: &Browser) {
    // By hand: 3 raised this month, 1 resolved, 2 open; all at 邻 level, in the
    // default category; 王书记 recorded 3, claimed 1, resolved 1.
    wait_figures(a, ["3", "1", "2"]).await;
    assert_eq!(
        a.attr("[data-testid=dashboard]", "data-span")
            .await
            .as_deref(),
        Some("month")
    );
    assert_eq!(
        bar(a, "by-level", "neighbour").await,
        Some(("3".into(), "1".into()))
    );
    assert_eq!(
        bar(a, "by-category", "other").await,
        Some(("3".into(), "1".into()))
    );
    // No place given: one bar, "未注明", by 片 and by 组 alike.
    for chart in ["by-area", "by-group"] {
        assert_eq!(
            bar(a, chart, "\"\"").await,
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
    assert_eq!(activity(a).await, [["王书记", "3", "1", "1", "0", "0"]]);
    a.screenshot("ledger-01-dashboard-offline").await;
    a.js("window.scrollTo(0, document.body.scrollHeight)").await;
    a.screenshot("ledger-02-dashboard-charts").await;
}

/// A visit whose two issues become concerns in the same tap; the dashboard counts them, and the visit.
async fn a_visit_turns_its_issues_into_concerns(a: &Browser) {
    a.click("[data-testid=ledger-visits]").await;
    wait_for(a, "[data-testid=visit-form]").await;
    a.type_into("#visit-note", "看望独居老人，身体好").await;
    a.type_into("#visit-issues", "楼道堆放杂物\n门口路灯不亮")
        .await;
    a.click("[data-testid=visit-form] button[type=submit]")
        .await;
    wait_for(a, "[data-testid=visit-saved]").await;
    assert_eq!(
        a.attr("[data-testid=visit]", "data-concerns")
            .await
            .as_deref(),
        Some("2")
    );
    a.screenshot("ledger-03-visit-logged").await;
    show_all(a).await;
    wait_title(a, "楼道堆放杂物", PAGE).await;
    wait_title(a, "门口路灯不亮", PAGE).await;

    // The dashboard counts them, and the visit.
    a.click("[data-testid=tab-ledger]").await;
    wait_figures(a, ["5", "1", "4"]).await;
    assert_eq!(activity(a).await, [["王书记", "5", "1", "1", "1", "0"]]);
    a.screenshot("ledger-04-dashboard-after-visit").await;
}

/// The ledger downloads as XLSX, still offline, with the rows as recorded; returns its rows and path.
async fn the_ledger_downloads_as_xlsx(
    a: &Browser,
    downloads: &Path,
) -> (Vec<Vec<String>>, PathBuf) {
    allow_downloads(a, downloads).await;
    a.click("[data-testid=ledger-export]").await;
    wait_for(a, "[data-testid=export]").await;
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
    let xlsx = wait_download(downloads, ".xlsx").await;
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

    (rows, xlsx)
}

/// The CSV download holds the same concerns as the XLSX.
async fn the_csv_holds_the_same_rows(
    a: &Browser,
    downloads: &Path,
    rows: &[Vec<String>],
    xlsx: &Path,
) {
    a.click("[data-testid=csv-ledger]").await;
    let csv = std::fs::read_to_string(wait_download(downloads, ".csv").await).unwrap();
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
        std::fs::metadata(xlsx).unwrap().len(),
        csv.len()
    );
}

/// Open311 GeoReport v2: one request per concern, open/closed by status.
async fn open311_has_one_request_per_concern(a: &Browser, downloads: &Path) {
    a.click("[data-testid=open311]").await;
    let json = std::fs::read_to_string(wait_download(downloads, ".json").await).unwrap();
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
}

/// The micro-fund: 两委 sets 王书记's 200 yuan, 王书记 spends 35.5.
async fn the_fund_balance_works_offline(a: &Browser) {
    a.click("[data-testid=ledger-fund]").await;
    wait_for(a, "[data-testid=allocation-form]").await;
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
}

/// This month's task list: add one, tick it off.
async fn the_task_list_works_offline(a: &Browser) {
    a.click("[data-testid=ledger-tasks]").await;
    wait_for(a, "[data-testid=task-form]").await;
    a.type_into("#task-title", "走访5户独居老人").await;
    a.click("[data-testid=task-form] button[type=submit]").await;
    wait_for(a, "[data-testid=task-done]").await;
    a.click("[data-testid=task-done]").await;
    wait_for(a, "[data-testid=task][data-done=true]").await;
    a.screenshot("ledger-07-tasks").await;
}

/// Service day: a resident's order, taken and delivered; the phone number masked.
async fn a_service_day_order_is_delivered(a: &Browser) {
    a.click("[data-testid=ledger-service]").await;
    wait_for(a, "[data-testid=order-form]").await;
    a.type_into("#order-request", "上门理发").await;
    a.type_into("#order-resident", "张阿姨 13812345678").await;
    a.click("[data-testid=order-form] button[type=submit]")
        .await;
    wait_for(a, "[data-testid=order][data-state=open]").await;
    let shown = a.text_of_all("[data-testid=order]").await.join(" ");
    assert!(
        shown.contains("138****5678") && !shown.contains("13812345678"),
        "{shown}"
    );
    a.click("[data-testid=order-take]").await;
    wait_for(a, "[data-testid=order][data-state=taken]").await;
    a.click("[data-testid=order-done]").await;
    wait_for(a, "[data-testid=order][data-state=done]").await;
    a.screenshot("ledger-08-service-day").await;
}
