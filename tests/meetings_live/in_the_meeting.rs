//! What the three phones do in one meeting, step by step (the first test of main.rs).

use linli_tests::eventually;
use linli_tests::{cdp, steps::*};
use serde_json::json;
use std::time::Instant;

use crate::{said, Meeting, TITLE};

/// Presence: everyone sees the other two as here.
pub async fn everyone_sees_who_is_here(m: &Meeting) {
    let (a, b) = (&m.a, &m.b);
    for (p, others) in [(a, ["李物业", "张邻长"]), (b, ["王主任", "张邻长"])] {
        eventually(PAGE, &format!("{} sees who is here", p.name), || async {
            let here = p.text_of_all("[data-testid=present]").await;
            others
                .iter()
                .all(|o| here.iter().any(|h| h == o))
                .then_some(())
        })
        .await;
    }
}

/// Three rounds of simultaneous typing into the same notes converge on every phone.
pub async fn three_rounds_of_typing_converge(m: &Meeting) {
    let (a, b, c) = (&m.a, &m.b, &m.c);
    let started = Instant::now();
    let mut typed = Vec::new();
    for round in 0..3 {
        let (sa, sb, sc) = (said("甲", round), said("乙", round), said("丙", round));
        tokio::join!(type_notes(a, &sa), type_notes(b, &sb), type_notes(c, &sc));
        typed.extend([sa, sb, sc]);
    }
    // While C is typing, A sees that C is editing this item.
    let text = converged(&[a, b, c], &typed).await;
    eprintln!(
        "3 phones × 3 rounds typed and converged in {:?} ({} chars)",
        started.elapsed(),
        text.chars().count()
    );
    a.screenshot("meetings-01-notes-converged-A").await;
    c.screenshot("meetings-01-notes-converged-C").await;
}

/// C is shown as editing the item on A while C's box has focus.
pub async fn a_sees_c_editing_the_item(m: &Meeting) {
    let (a, c) = (&m.a, &m.c);
    c.js(&format!("document.querySelector({ITEM_NOTES:?}).focus();"))
        .await;
    wait_text_containing(a, "[data-testid=editing-now]", "张邻长").await;
}

/// Votes: B for, C against then changes to abstain; A sees the live tally.
pub async fn a_sees_the_live_tally(m: &Meeting) {
    let (a, b, c) = (&m.a, &m.b, &m.c);
    b.click("[data-testid=vote-for]").await;
    c.click("[data-testid=vote-against]").await;
    let tally = "[data-testid=tally]";
    wait_text_containing(a, tally, "赞成 1 · 反对 1 · 弃权 0").await;
    c.click("[data-testid=vote-abstain]").await;
    wait_text_containing(a, tally, "赞成 1 · 反对 0 · 弃权 1").await;
}

/// A records the decision: the item closes for everyone.
pub async fn the_decision_closes_the_item(m: &Meeting) {
    let (a, c) = (&m.a, &m.c);
    fill(
        a,
        "[data-testid=decide] textarea",
        "同意加装，费用按楼层分摊",
    )
    .await;
    a.click("[data-testid=decide] button[type=submit]").await;
    eventually(
        PAGE,
        "C sees the decision and can no longer vote",
        || async {
            let decided = c
                .text_of_all("[data-testid=decision]")
                .await
                .iter()
                .any(|t| t == "同意加装，费用按楼层分摊");
            let disabled = c
                .js("return document.querySelector('[data-testid=vote-for]').disabled;")
                .await
                .as_bool()
                == Some(true);
            (decided && disabled).then_some(())
        },
    )
    .await;
}

/// A follow-up owned by C, due yesterday: overdue in C's own list.
pub async fn an_overdue_follow_up_is_in_cs_list(m: &Meeting) {
    let (a, c) = (&m.a, &m.c);
    fill(a, "#fu-title", "联系电梯公司报价").await;
    let c_id = a
        .js("return Array.from(document.querySelectorAll('#fu-owner option')).find(o => o.textContent === '张邻长').value;")
        .await;
    set_value(a, "#fu-owner", c_id.as_str().expect("C is a participant")).await;
    set_value(a, "#fu-due", "2020-01-31").await;
    a.click("[data-testid=add-follow-up] button[type=submit]")
        .await;
    c.click("[data-testid=tab-meetings]").await;
    eventually(PAGE, "C's own list shows the overdue follow-up", || async {
        let t = c.text_of_all("[data-testid=my-follow-up]").await;
        let overdue = c
            .exists("[data-testid=my-follow-up] [data-testid=follow-up-overdue]")
            .await;
        (t.iter().any(|t| t.contains("联系电梯公司报价")) && overdue).then_some(())
    })
    .await;
    c.screenshot("meetings-02-my-follow-ups-C").await;
}

/// The minutes on A hold attendance, the item, its decision and tally, the follow-up; printed, they stand alone.
pub async fn the_minutes_hold_the_meeting(m: &Meeting) {
    let a = &m.a;
    a.click("[data-testid=view-minutes]").await;
    wait_for(a, "[data-testid=minutes]").await;
    let minutes = a.text_of_all("[data-testid=minutes]").await.join("\n");
    for want in [
        "王主任",
        "李物业",
        "张邻长",
        "3栋加装电梯",
        "同意加装，费用按楼层分摊",
        "赞成 1 · 反对 0 · 弃权 1",
        "联系电梯公司报价",
        &said("乙", 2),
    ] {
        assert!(minutes.contains(want), "minutes lack {want:?}");
    }
    a.screenshot("meetings-03-minutes-A").await;
    // Printed, the minutes stand alone: no bars, no buttons.
    cdp::emulate_media(&a.client, "print").await;
    let shown = a
        .js(
            "return ['.topbar', '.tabbar', '[data-testid=print]', '.back']
               .filter(s => [...document.querySelectorAll(s)]
                 .some(e => e.getClientRects().length > 0));",
        )
        .await;
    assert_eq!(shown, json!([]), "print hides the app's chrome");
    a.screenshot("meetings-03b-minutes-print-media-A").await;
    cdp::emulate_media(&a.client, "").await;
    a.click("[data-testid=minutes-actions-back]").await;
    wait_for(a, ITEM_NOTES).await;
}

/// B adds a second item and moves it to the top with the ▲ button: A sees the new order.
pub async fn a_moved_item_moves_everywhere(m: &Meeting) {
    let (a, b) = (&m.a, &m.b);
    fill(b, "#new-item", "停车位划线").await;
    b.click("[data-testid=add-item] button[type=submit]").await;
    eventually(PAGE, "B lists the second item", || async {
        (item_titles(b).await.len() == 2).then_some(())
    })
    .await;
    b.click("[data-testid=agenda-item]:nth-child(2) [data-testid=move-up]")
        .await;
    eventually(PAGE, "A shows the moved item first", || async {
        (item_titles(a).await == ["停车位划线", "3栋加装电梯"]).then_some(())
    })
    .await;
}

/// A brings a concern to the item; on B the concern page lists the meeting.
pub async fn a_linked_concern_lists_the_meeting(m: &Meeting) {
    let (a, b) = (&m.a, &m.b);
    record(a, "3栋电梯经常停运").await;
    a.js(&format!("location.hash = {:?};", m.hash)).await;
    wait_for(a, "[data-testid=link-concern]").await;
    let concern_id = a
        .js("return Array.from(document.querySelectorAll('[data-testid=link-concern] option')).find(o => o.textContent === '3栋电梯经常停运').value;")
        .await;
    set_value(
        a,
        "[data-testid=agenda-item]:nth-child(2) [data-testid=link-concern]",
        concern_id.as_str().expect("the concern is offered"),
    )
    .await;
    eventually(PAGE, "B shows the linked concern", || async {
        b.exists(".linked-concerns a").await.then_some(())
    })
    .await;
    b.click(".linked-concerns a").await;
    // B's concern page lists the meeting.
    wait_text(b, "[data-testid=concern-meetings] .meeting-title", TITLE).await;
    b.screenshot("meetings-06-concern-page-B").await;
}

/// In English, the meeting reads in English (zh-Hant and en are complete by type).
pub async fn the_meeting_reads_in_english(m: &Meeting) {
    let b = &m.b;
    b.js(&format!("location.hash = {:?};", m.hash)).await;
    set_value(b, "select.lang", "en").await;
    wait_text(b, "[data-testid=tally]", "For 1 · Against 0 · Abstain 1").await;
    b.screenshot("meetings-07-meeting-en-B").await;
}
