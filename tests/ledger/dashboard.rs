//! Reading the 台账 dashboard on screen: its figures, bars and activity table.

use linli_tests::steps::PAGE;
use linli_tests::{eventually, Browser};

pub async fn data_value(b: &Browser, testid: &str) -> Option<String> {
    b.attr(&format!("[data-testid={testid}]"), "data-value")
        .await
}

/// Waits until the dashboard's three headline figures read `want`.
pub async fn wait_figures(b: &Browser, want: [&str; 3]) {
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
pub async fn bar(b: &Browser, testid: &str, key: &str) -> Option<(String, String)> {
    let css = format!("[data-testid={testid}] [data-key={key}]");
    Some((
        b.attr(&css, "data-raised").await?,
        b.attr(&css, "data-resolved").await?,
    ))
}

/// The activity table as rows of cell texts.
pub async fn activity(b: &Browser) -> Vec<Vec<String>> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=activity-row]'))
               .map(r => Array.from(r.cells).map(c => c.textContent.trim()));",
        )
        .await;
    serde_json::from_value(v).unwrap_or_default()
}
