//! A 议事会 on three phones (separate Chromium profiles) through the real relay:
//! typing into one item's notes at the same time, one phone typing offline and
//! coming back, presence, votes, a decision, a follow-up and the minutes.
//! The latency benchmark (ignored; run on demand) is in `meetings_latency.rs`.

mod in_the_meeting;

use in_the_meeting::*;
use linli_tests::steps::*;
use linli_tests::{Browser, Chromedriver, Proxy, RelayProcess};
use std::time::Instant;
use tokio::sync::Mutex;

/// Each test drives three Chromiums: run them one at a time on small machines.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

pub const TITLE: &str = "十一月小区议事会";

pub struct Meeting {
    pub relay: RelayProcess,
    _data: tempfile::TempDir,
    pub c_link: Proxy,
    _driver: Chromedriver,
    pub a: Browser,
    pub b: Browser,
    pub c: Browser,
    /// `#/m/<meeting id>`.
    pub hash: String,
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
pub fn said(who: &str, round: usize) -> String {
    format!("[{who}{round}：同意，先问一楼住户意见]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_phones_type_into_one_item_at_once_and_converge() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let m = meeting_of_three().await;

    everyone_sees_who_is_here(&m).await;
    three_rounds_of_typing_converge(&m).await;
    a_sees_c_editing_the_item(&m).await;
    a_sees_the_live_tally(&m).await;
    the_decision_closes_the_item(&m).await;
    an_overdue_follow_up_is_in_cs_list(&m).await;
    the_minutes_hold_the_meeting(&m).await;
    a_moved_item_moves_everywhere(&m).await;
    a_linked_concern_lists_the_meeting(&m).await;
    the_meeting_reads_in_english(&m).await;
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
