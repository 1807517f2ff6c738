//! Issue 16 on one phone at 390×844, in one browser session: a meeting
//! recorded by mistake is deleted and leaves the list; a concern is withdrawn,
//! leaves 全部 and shows its reason on its own page; a linked concern is
//! unlinked from an agenda item; the org editor's second add under the shown
//! parent succeeds; 大字模式 grows the computed font size and survives a
//! reload; screen-reader names are Chinese in zh-Hans. Screenshots:
//! tests/artifacts/records-*.png.

use linli_tests::steps::{
    create_community_as, create_meeting, open_concern, record, set_value, show_all, titles,
    wait_for, wait_text_containing, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess};

async fn font_px(b: &Browser) -> f64 {
    b.js("return parseFloat(getComputedStyle(document.documentElement).fontSize);")
        .await
        .as_f64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn records_made_by_mistake_are_taken_back_and_the_app_reads_well() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let b = Browser::launch(&driver, "records").await;
    create_community_as(&b, &relay.http_url, "兴东社区", "王邻长").await;

    // Screen-reader names are Chinese.
    let lang = b.attr("select.lang", "aria-label").await;
    assert_eq!(lang.as_deref(), Some("语言"));
    show_all(&b).await;
    for f in ["status", "level", "category"] {
        let name = b
            .attr(&format!("[data-testid=filter-{f}]"), "aria-label")
            .await;
        assert!(name.is_some_and(|n| n.starts_with('按')), "filter-{f}");
    }

    // The org editor: two 组 under the 片 it shows.
    b.click("[data-testid=tab-profile]").await;
    wait_for(&b, "[data-testid=add-unit]").await;
    b.type_into("[data-testid=unit-name]", "一片").await;
    b.click("[data-testid=add-unit] button[type=submit]").await;
    wait_text_containing(&b, "[data-testid=org-tree] li", "一片").await;
    set_value(&b, "[data-testid=unit-kind]", "group").await;
    let area = eventually(PAGE, "a 片 to pick", || async {
        b.js("const o = document.querySelector('[data-testid=unit-parent] option[value]:not([value=\"\"])'); return o ? o.value : null;")
            .await
            .as_str()
            .map(str::to_string)
    })
    .await;
    set_value(&b, "[data-testid=unit-parent]", &area).await;
    for name in ["一组", "二组"] {
        b.type_into("[data-testid=unit-name]", name).await;
        b.click("[data-testid=add-unit] button[type=submit]").await;
        wait_text_containing(&b, "[data-testid=org-tree] li", name).await;
        assert_eq!(
            b.value("[data-testid=unit-parent]").await.as_deref(),
            Some(area.as_str()),
            "shown parent after adding {name}"
        );
    }
    assert!(
        !b.exists("[data-testid=add-unit] .error").await,
        "no refusal"
    );
    b.screenshot("records-org-editor").await;

    // 大字模式 grows the text and survives a reload.
    let before = font_px(&b).await;
    b.click("[data-testid=large-text]").await;
    eventually(PAGE, "larger text", || async {
        (font_px(&b).await > before + 2.0).then_some(())
    })
    .await;
    b.js("location.reload();").await;
    wait_for(&b, "[data-testid=tab-all]").await;
    assert!(font_px(&b).await > before + 2.0, "kept across reload");
    b.screenshot("records-large-text").await;
    b.click("[data-testid=tab-profile]").await;
    wait_for(&b, "[data-testid=large-text]").await;
    b.click("[data-testid=large-text]").await;

    // A concern withdrawn: gone from 全部, its reason on its page.
    record(&b, "楼道灯不亮").await;
    record(&b, "录错的一条").await;
    open_concern(&b, "录错的一条").await;
    b.click("[data-testid=withdraw-open]").await;
    b.type_into("[data-testid=withdraw-reason]", "重复录入")
        .await;
    b.click("[data-testid=withdraw-confirm]").await;
    wait_for(&b, "[data-testid=withdrawn-banner]").await;
    let reason = b.text_of_all("[data-testid=withdrawn-reason]").await;
    assert!(reason.iter().any(|r| r.contains("重复录入")), "{reason:?}");
    b.screenshot("records-withdrawn-concern").await;
    show_all(&b).await;
    eventually(PAGE, "withdrawn concern leaves 全部", || async {
        let t = titles(&b).await;
        (t.contains(&"楼道灯不亮".to_string()) && !t.contains(&"录错的一条".to_string()))
            .then_some(())
    })
    .await;

    // A concern linked to an agenda item, then unlinked.
    create_meeting(&b, "十二月议事会", "路灯").await;
    set_value(&b, "[data-testid=link-concern]", "").await;
    let concern = b
        .js("const o = document.querySelector('[data-testid=link-concern] option:not([value=\"\"])'); return o.value;")
        .await;
    set_value(&b, "[data-testid=link-concern]", concern.as_str().unwrap()).await;
    wait_for(&b, "[data-testid=linked-concern]").await;
    // The picker is back on its placeholder (or gone: nothing left to link).
    assert_eq!(
        b.value("[data-testid=link-concern]")
            .await
            .filter(|v| !v.is_empty()),
        None,
        "the picker shows no other concern"
    );
    b.click("[data-testid=unlink-concern]").await;
    eventually(PAGE, "unlinked", || async {
        (!b.exists("[data-testid=linked-concern]").await).then_some(())
    })
    .await;

    // The meeting deleted: gone from the list.
    b.click("[data-testid=meeting-withdraw-open]").await;
    b.type_into(
        "[data-testid=meeting-take-back] [data-testid=withdraw-reason]",
        "建重了",
    )
    .await;
    b.click("[data-testid=meeting-take-back] [data-testid=withdraw-confirm]")
        .await;
    wait_for(&b, "[data-testid=withdrawn-banner]").await;
    b.screenshot("records-withdrawn-meeting").await;
    b.click("[data-testid=tab-meetings]").await;
    eventually(PAGE, "meeting leaves the list", || async {
        (!b.text_of_all("[data-testid=meeting] .meeting-title")
            .await
            .iter()
            .any(|t| t == "十二月议事会"))
        .then_some(())
    })
    .await;
    b.screenshot("records-meetings").await;
    b.close().await;
}
