//! Steps the meeting tests take on a simulated phone: set up or join the
//! community, fill in the profile, create and open a meeting, type notes.

use crate::{eventually, Browser};
use std::time::Duration;

pub const LONG: Duration = Duration::from_secs(40);

/// The notes box of the first agenda item.
pub const ITEM_NOTES: &str = "[data-testid=agenda-item] textarea[data-testid=notes]";

pub async fn wait_for(b: &Browser, css: &str) {
    eventually(LONG, &format!("{} shows {css}", b.name), || async {
        b.exists(css).await.then_some(())
    })
    .await;
}

pub async fn wait_status(b: &Browser, want: &str) {
    eventually(LONG, &format!("{} sync badge {want}", b.name), || async {
        (b.attr("[data-testid=sync-status]", "data-status")
            .await
            .as_deref()
            == Some(want))
        .then_some(())
    })
    .await;
}

/// Sets a form control's value the way a picker does, then fires its events.
pub async fn set_value(b: &Browser, css: &str, value: &str) {
    b.js(&format!(
        "const e = document.querySelector({css:?}); e.value = {value:?};
         e.dispatchEvent(new Event('input', {{bubbles: true}}));
         e.dispatchEvent(new Event('change', {{bubbles: true}}));"
    ))
    .await;
}

/// Says "who am I" on the 我 tab (the app prompts for it on first use).
pub async fn fill_profile(b: &Browser, name: &str) {
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=profile-form]").await;
    b.type_into("#member-name", name).await;
    b.click("[data-testid=save-profile]").await;
    wait_for(b, "[data-testid=my-profile]").await;
}

/// Creates the community on `b` and returns its invite link.
pub async fn create_community(b: &Browser, url: &str, name: &str, me: &str) -> String {
    b.goto(url).await;
    wait_for(b, "[data-testid=create-community]").await;
    b.type_into("#community-name", name).await;
    b.click("[data-testid=create-community] button[type=submit]")
        .await;
    wait_for(b, "[data-testid=tab-profile]").await;
    fill_profile(b, me).await;
    // Admins make invites on 我 (community access, issue 4); this one admits the two
    // other phones of the meeting tests.
    wait_for(b, "[data-testid=create-invite]").await;
    let invite = crate::flows::make_invite(b, "neighbour_leader", 2, "").await;
    wait_status(b, "synced").await;
    invite
}

/// Opens an invite link on `b` (through `base`, its own way to the relay).
pub async fn join(b: &Browser, invite: &str, relay_url: &str, base: &str, me: &str) {
    b.goto(&invite.replace(relay_url, base)).await;
    wait_for(b, "[data-testid=tab-meetings]").await;
    fill_profile(b, me).await;
}

/// Creates a meeting with one agenda item; returns the meeting's `#/m/<id>`.
pub async fn create_meeting(b: &Browser, title: &str, item: &str) -> String {
    b.click("[data-testid=tab-meetings]").await;
    b.click("[data-testid=new-meeting-open]").await;
    b.type_into("#meeting-title", title).await;
    b.type_into("#meeting-place", "社区活动室").await;
    b.click("[data-testid=create-meeting]").await;
    wait_for(b, "[data-testid=meeting-page]").await;
    fill(b, "#new-item", item).await;
    b.click("[data-testid=add-item] button[type=submit]").await;
    wait_for(b, ITEM_NOTES).await;
    b.js("return location.hash;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Finds the meeting in the 议事 list (through the community's meeting index),
/// opens it and checks in.
pub async fn open_meeting_from_list(b: &Browser, title: &str) {
    b.click("[data-testid=tab-meetings]").await;
    let css = "[data-testid=meeting] a";
    eventually(
        LONG,
        &format!("{} lists meeting {title}", b.name),
        || async {
            b.text_of_all("[data-testid=meeting] .meeting-title")
                .await
                .iter()
                .any(|t| t == title)
                .then_some(())
        },
    )
    .await;
    b.click(css).await;
    wait_for(b, ITEM_NOTES).await;
    wait_for(b, "[data-testid=check-in]").await;
    b.click("[data-testid=check-in]").await;
    wait_for(b, "[data-testid=checked-in]").await;
}

/// The notes box's value.
pub async fn notes(b: &Browser) -> String {
    b.value(ITEM_NOTES).await.unwrap_or_default()
}

/// Types into the notes like a person: the first time they tap after the
/// text; then they keep typing where their caret is (others' text arriving
/// meanwhile must not move it).
pub async fn type_notes(b: &Browser, text: &str) {
    b.js(&format!(
        "const e = document.querySelector({ITEM_NOTES:?});
         if (document.activeElement !== e) {{
           e.focus(); e.setSelectionRange(e.value.length, e.value.length);
         }}"
    ))
    .await;
    let el = b
        .client
        .find(fantoccini::Locator::Css(ITEM_NOTES))
        .await
        .expect("notes box");
    el.send_keys(text).await.expect("type notes");
}

/// Waits until every phone shows the same notes, containing every string.
pub async fn converged(phones: &[&Browser], strings: &[String]) -> String {
    let start = std::time::Instant::now();
    loop {
        let mut texts = Vec::new();
        for p in phones {
            texts.push(notes(p).await);
        }
        let same = texts.windows(2).all(|w| w[0] == w[1]);
        let missing: Vec<&String> = strings
            .iter()
            .filter(|s| !texts[0].contains(s.as_str()))
            .collect();
        if same && missing.is_empty() {
            return texts.swap_remove(0);
        }
        if start.elapsed() > LONG {
            panic!("notes did not converge: missing {missing:?}; texts {texts:#?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Brings a field into view above the fixed tab bar, then types into it.
pub async fn fill(b: &Browser, css: &str, text: &str) {
    b.js(&format!(
        "document.querySelector({css:?}).scrollIntoView({{block: 'center'}});"
    ))
    .await;
    b.type_into(css, text).await;
}

/// The titles of the meeting's agenda items, in order.
pub async fn item_titles(p: &Browser) -> Vec<String> {
    p.text_of_all("[data-testid=agenda-item] .item-title").await
}
