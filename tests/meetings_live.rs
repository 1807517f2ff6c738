//! A 议事会 on three phones (separate Chromium profiles) through the real relay:
//! typing into one item's notes at the same time, one phone typing offline and
//! coming back, presence, votes, a decision, a follow-up and the minutes.
//! The latency benchmark (ignored; run on demand) is in `meetings_latency.rs`.

use linli_tests::steps::record;
use linli_tests::steps::*;
use linli_tests::{cdp, eventually, Browser, Chromedriver, Proxy, RelayProcess};
use serde_json::json;
use std::time::Instant;
use tokio::sync::Mutex;

/// Each test drives three Chromiums: run them one at a time on small machines.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

const TITLE: &str = "十一月小区议事会";

struct Meeting {
    relay: RelayProcess,
    _data: tempfile::TempDir,
    c_link: Proxy,
    _driver: Chromedriver,
    a: Browser,
    b: Browser,
    c: Browser,
    /// `#/m/<meeting id>`.
    hash: String,
}

/// A creates the community and a meeting with one item; B and C (C through a
/// link the test can cut) join, find the meeting in the list and check in.
async fn meeting_of_three() -> Meeting {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let c_link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let a = Browser::launch(&driver, "A").await;
    let b = Browser::launch(&driver, "B").await;
    let c = Browser::launch(&driver, "C").await;
    let invite = create_community_as(&a, &relay.http_url, "兴东社区", "王主任").await;
    join_as(&b, &invite, "李物业").await;
    join_as(
        &c,
        &invite.replace(&relay.http_url, &c_link.url()),
        "张邻长",
    )
    .await;
    let hash = create_meeting(&a, TITLE, "3栋加装电梯").await;
    open_meeting_from_list(&b, TITLE).await;
    open_meeting_from_list(&c, TITLE).await;
    Meeting {
        relay,
        _data: data,
        c_link,
        _driver: driver,
        a,
        b,
        c,
        hash,
    }
}

impl Meeting {
    async fn close(self) {
        self.a.close().await;
        self.b.close().await;
        self.c.close().await;
    }
}

/// What phone `who` types in `round`: unique, so every string can be found.
fn said(who: &str, round: usize) -> String {
    format!("[{who}{round}：同意，先问一楼住户意见]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_phones_type_into_one_item_at_once_and_converge() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let m = meeting_of_three().await;
    let (a, b, c) = (&m.a, &m.b, &m.c);

    // Presence: everyone sees the other two as here.
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

    // Three rounds of simultaneous typing into the same notes.
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

    // C is shown as editing the item on A while C's box has focus.
    c.js(&format!("document.querySelector({ITEM_NOTES:?}).focus();"))
        .await;
    eventually(PAGE, "A sees C editing the item", || async {
        a.text_of_all("[data-testid=editing-now]")
            .await
            .iter()
            .any(|t| t.contains("张邻长"))
            .then_some(())
    })
    .await;

    // Votes: B for, C against then changes to abstain; A sees the live tally.
    b.click("[data-testid=vote-for]").await;
    c.click("[data-testid=vote-against]").await;
    let tally = |want: &'static str| async move {
        eventually(PAGE, &format!("A's tally reads {want}"), || async {
            a.text_of_all("[data-testid=tally]")
                .await
                .iter()
                .any(|t| t.contains(want))
                .then_some(())
        })
        .await
    };
    tally("赞成 1 · 反对 1 · 弃权 0").await;
    c.click("[data-testid=vote-abstain]").await;
    tally("赞成 1 · 反对 0 · 弃权 1").await;

    // A records the decision: the item closes for everyone.
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

    // A follow-up owned by C, due yesterday: overdue in C's own list.
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

    // The minutes on A: attendance, the item, its decision and tally, the follow-up.
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
    cdp::execute(
        &a.client,
        "Emulation.setEmulatedMedia",
        json!({"media": "print"}),
    )
    .await;
    let shown = a
        .js(
            "return ['.topbar', '.tabbar', '[data-testid=print]', '.back']
               .filter(s => [...document.querySelectorAll(s)]
                 .some(e => e.getClientRects().length > 0));",
        )
        .await;
    assert_eq!(shown, json!([]), "print hides the app's chrome");
    a.screenshot("meetings-03b-minutes-print-media-A").await;
    cdp::execute(
        &a.client,
        "Emulation.setEmulatedMedia",
        json!({"media": ""}),
    )
    .await;
    a.click("[data-testid=minutes-actions-back]").await;
    wait_for(a, ITEM_NOTES).await;

    // B adds a second item and moves it to the top with the ▲ button: A
    // sees the new order.
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

    // A brings a concern to the item; on B the concern page lists the meeting.
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
    eventually(PAGE, "B's concern page lists the meeting", || async {
        b.text_of_all("[data-testid=concern-meetings] .meeting-title")
            .await
            .iter()
            .any(|t| t == TITLE)
            .then_some(())
    })
    .await;
    b.screenshot("meetings-06-concern-page-B").await;

    // In English, the meeting reads in English (zh-Hant and en are complete by type).
    b.js(&format!("location.hash = {:?};", m.hash)).await;
    set_value(b, "select.lang", "en").await;
    eventually(PAGE, "B's tally in English", || async {
        b.text_of_all("[data-testid=tally]")
            .await
            .iter()
            .any(|t| t == "For 1 · Against 0 · Abstain 1")
            .then_some(())
    })
    .await;
    b.screenshot("meetings-07-meeting-en-B").await;
    m.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_phone_types_offline_mid_meeting_and_everyone_converges() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let m = meeting_of_three().await;
    let (a, b, c) = (&m.a, &m.b, &m.c);
    let mut typed = vec![said("甲", 0), said("乙", 0), said("丙", 0)];
    tokio::join!(
        type_notes(a, &typed[0]),
        type_notes(b, &typed[1]),
        type_notes(c, &typed[2])
    );
    converged(&[a, b, c], &typed).await;

    // C loses signal and keeps typing; A and B type too.
    m.c_link.go_offline();
    wait_status(c, "offline").await;
    let offline = [said("丙-离线", 1), said("丙-离线", 2)];
    let online = [said("甲", 1), said("乙", 1)];
    tokio::join!(
        async {
            type_notes(c, &offline[0]).await;
            type_notes(c, &offline[1]).await;
        },
        type_notes(a, &online[0]),
        type_notes(b, &online[1]),
    );
    converged(&[a, b], &online).await;
    let a_text = notes(a).await;
    assert!(
        !a_text.contains(&offline[0]),
        "A cannot have C's offline text yet"
    );
    c.screenshot("meetings-04-offline-C").await;

    // C's signal comes back: all three end with the same text, nothing lost.
    m.c_link.go_online();
    typed.extend(offline);
    typed.extend(online);
    let reconnected = Instant::now();
    let text = converged(&[a, b, c], &typed).await;
    eprintln!(
        "converged {:?} after C reconnected ({} chars)",
        reconnected.elapsed(),
        text.chars().count()
    );
    wait_status(c, "synced").await;
    c.screenshot("meetings-05-reconnected-C").await;
    let _ = &m.relay;
    m.close().await;
}

/// Pinyin input: while B composes (the box holds raw "zhong"), A's typing
/// arrives; B's box is left alone until composition ends, then both merge.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn remote_typing_waits_for_the_end_of_a_pinyin_composition() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let m = meeting_of_three().await;
    let (a, b) = (&m.a, &m.b);
    let first = said("乙", 0);
    type_notes(b, &first).await;
    converged(&[a, b], std::slice::from_ref(&first)).await;

    // B starts composing at the end of the text (what an IME does to the box).
    b.js(&format!(
        "const e = document.querySelector({ITEM_NOTES:?});
         e.focus(); e.setSelectionRange(e.value.length, e.value.length);
         e.dispatchEvent(new CompositionEvent('compositionstart', {{data: ''}}));
         e.setRangeText('zhong', e.selectionStart, e.selectionEnd, 'end');
         e.dispatchEvent(new InputEvent('input', {{bubbles: true, isComposing: true,
           inputType: 'insertCompositionText', data: 'zhong'}}));"
    ))
    .await;
    let remote = said("甲", 1);
    type_notes(a, &remote).await;
    wait_status(a, "synced").await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let during = notes(b).await;
    assert!(
        during.ends_with("zhong") && !during.contains(&remote),
        "B's box changed under the composition: {during:?}"
    );
    assert!(
        !notes(a).await.contains("zhong"),
        "uncommitted pinyin must not be sent"
    );

    // The IME commits 中: B applies it and shows A's text, caret after 中.
    b.js(&format!(
        "const e = document.querySelector({ITEM_NOTES:?});
         e.setRangeText('中', e.selectionStart - 5, e.selectionEnd, 'end');
         e.dispatchEvent(new InputEvent('input', {{bubbles: true, isComposing: true,
           inputType: 'insertCompositionText', data: '中'}}));
         e.dispatchEvent(new CompositionEvent('compositionend', {{data: '中'}}));"
    ))
    .await;
    // 中 and A's text were typed concurrently at the same place: Automerge
    // orders such inserts by actor id, so either may come first.
    let text = converged(&[a, b, &m.c], &[first.clone(), remote.clone(), "中".into()]).await;
    assert!(!text.contains("zhong"), "{text:?}");
    assert_eq!(text.matches('中').count(), 1, "中 once: {text:?}");
    assert!(
        text.contains(&format!("{first}中")) || text.contains(&format!("{remote}中")),
        "中 follows the text B saw or the concurrent one: {text:?}"
    );
    let caret_after_zhong = b
        .js(&format!(
            "const e = document.querySelector({ITEM_NOTES:?});
             return e.value.slice(0, e.selectionStart).endsWith('中');"
        ))
        .await;
    assert_eq!(
        caret_after_zhong.as_bool(),
        Some(true),
        "B's caret stays after 中"
    );
    m.close().await;
}
