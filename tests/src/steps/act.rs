//! What a person does in the app: create or join a community, fill in who they are,
//! record and act on concerns, hold a meeting.

use std::time::Instant;

use linli_testkit::timeouts::PAGE;

use super::check::{wait_for, wait_status, wait_text, wait_title};
use super::find::ITEM_NOTES;
use crate::{eventually, Browser};

/// Creates a community on the start screen (the app registers it with the relay) and waits
/// for the tab bar.
async fn start_community(b: &Browser, url: &str, name: &str) {
    b.goto(url).await;
    wait_for(b, "[data-testid=create-community]").await;
    b.screenshot(&format!("{}-start", b.name)).await;
    b.type_into("#community-name", name).await;
    b.click("[data-testid=create-community] button[type=submit]")
        .await;
    wait_for(b, "[data-testid=tab-profile]").await;
}

/// Creates a community on the start screen; returns an invite link (role 邻长, one phone)
/// made on the 我 screen.
pub async fn create_community(b: &Browser, url: &str, name: &str) -> String {
    start_community(b, url, name).await;
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=create-invite]").await;
    b.click("[data-testid=create-invite]").await;
    let invite = eventually(PAGE, "invite link", || async {
        b.value("[data-testid=invite-link]")
            .await
            .filter(|v| v.contains("#/join/"))
    })
    .await;
    // The link and its QR code scrolled the page; the next screen starts at the top.
    b.js("window.scrollTo(0, 0);").await;
    invite
}

/// Creates a community as `me` (the profile filled in) and returns an invite link admitting
/// two 邻长 phones, once the community is synced: the meeting tests' start.
pub async fn create_community_as(b: &Browser, url: &str, name: &str, me: &str) -> String {
    start_community(b, url, name).await;
    fill_profile(b, me).await;
    // Admins make invites on 我 (community access, issue 4).
    wait_for(b, "[data-testid=create-invite]").await;
    let invite = make_invite(b, "neighbour_leader", 2, "").await;
    wait_status(b, "synced").await;
    invite
}

/// Makes a new invite on the 我 screen for `role` (e.g. `group_leader`) admitting `uses`
/// phones; returns its link (a link other than `previous`).
pub async fn make_invite(b: &Browser, role: &str, uses: u32, previous: &str) -> String {
    set_value(b, "#invite-role", role).await;
    set_value(b, "#invite-uses", &uses.to_string()).await;
    b.click("[data-testid=create-invite]").await;
    let link = eventually(PAGE, "a new invite link", || async {
        b.value("[data-testid=invite-link]")
            .await
            .filter(|v| v.contains("#/join/") && v != previous)
    })
    .await;
    b.js("window.scrollTo(0, 0);").await;
    link
}

/// Opens an invite link (the app exchanges it for a member credential) and waits until the
/// community has arrived.
pub async fn join(b: &Browser, invite: &str) {
    b.goto(invite).await;
    wait_for(b, "[data-testid=tab-all]").await;
}

/// The 我 screen, freshly mounted (the member list loads when it opens).
pub async fn open_profile(b: &Browser) {
    show_all(b).await;
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=member-list]").await;
}

/// Joins with an invite link and says who they are.
pub async fn join_as(b: &Browser, invite: &str, me: &str) {
    join(b, invite).await;
    fill_profile(b, me).await;
}

/// Says "who am I" on the 我 tab (the app prompts for it on first use).
pub async fn fill_profile(b: &Browser, name: &str) {
    profile(b, name, None).await;
}

/// Fills in 我的资料 (name and role code, e.g. `group_leader`).
pub async fn set_profile(b: &Browser, name: &str, role: &str) {
    profile(b, name, Some(role)).await;
}

async fn profile(b: &Browser, name: &str, role: Option<&str>) {
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=profile-form]").await;
    b.type_into("#member-name", name).await;
    if let Some(role) = role {
        set_value(b, "#member-role", role).await;
    }
    b.click("[data-testid=save-profile]").await;
    wait_for(b, "[data-testid=my-profile]").await;
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

/// Brings a field into view above the fixed tab bar, then types into it.
pub async fn fill(b: &Browser, css: &str, text: &str) {
    b.js(&format!(
        "document.querySelector({css:?}).scrollIntoView({{block: 'center'}});"
    ))
    .await;
    b.type_into(css, text).await;
}

/// Records a concern the way a person does: the 记录 tab, type, submit. The app then shows
/// the 全部 list. Returns when the button was pressed.
pub async fn record(b: &Browser, title: &str) -> Instant {
    b.click("[data-testid=tab-record]").await;
    wait_for(b, "[data-testid=new-concern]").await;
    b.type_into("#concern-title", title).await;
    let pressed = Instant::now();
    b.click("[data-testid=new-concern] button[type=submit]")
        .await;
    wait_for(b, "[data-testid=search]").await;
    pressed
}

/// Opens the 全部 list.
pub async fn show_all(b: &Browser) {
    b.click("[data-testid=tab-all]").await;
    wait_for(b, "[data-testid=search]").await;
}

/// Opens the concern with this title from the 全部 list.
pub async fn open_concern(b: &Browser, title: &str) {
    show_all(b).await;
    wait_title(b, title, PAGE).await;
    b.js(&format!(
        "for (const row of document.querySelectorAll('[data-testid=concern]')) {{
           if (row.querySelector('.concern-title').textContent.trim() === {title:?}) {{
             row.querySelector('a').click(); return; }} }}"
    ))
    .await;
    wait_for(b, "[data-testid=concern-page]").await;
}

/// Presses an action button of the open concern, fills its form's text (if any) and
/// confirms. Feedback has no default score: it gives 5 stars, as a satisfied resident would.
pub async fn act(b: &Browser, action: &str, text: Option<&str>) {
    b.click(&format!("[data-testid=actions] [data-testid={action}]"))
        .await;
    if let Some(t) = text {
        wait_for(b, "#action-text").await;
        if action == "feedback" {
            b.click("[data-testid=stars] [data-star='5']").await;
        }
        b.type_into("#action-text", t).await;
        b.click("[data-testid=confirm]").await;
    }
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

/// Finds the meeting in the 议事 list (through the community's meeting index), opens it and
/// checks in.
pub async fn open_meeting_from_list(b: &Browser, title: &str) {
    b.click("[data-testid=tab-meetings]").await;
    wait_text(b, "[data-testid=meeting] .meeting-title", title).await;
    b.click("[data-testid=meeting] a").await;
    wait_for(b, ITEM_NOTES).await;
    wait_for(b, "[data-testid=check-in]").await;
    b.click("[data-testid=check-in]").await;
    wait_for(b, "[data-testid=checked-in]").await;
}

/// Types into the notes like a person: the first time they tap after the text; then they
/// keep typing where their caret is (others' text arriving meanwhile must not move it).
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

/// Taps 复制链接 (`[data-testid=copy-{what}]`) and checks `link` left the phone: copied to
/// the clipboard, or (the browser refusing the clipboard) selected in the field `input` for a
/// long press.
pub async fn copy_link(b: &Browser, what: &str, input: &str, link: &str) {
    b.click(&format!("[data-testid=copy-{what}]")).await;
    wait_for(b, "[data-testid=copy-result]").await;
    let copied = b.attr("[data-testid=copy-result]", "data-copied").await;
    if copied.as_deref() == Some("selected") {
        let selected = b
            .js(&format!(
                "const e = document.querySelector({input:?});
                 return e.value.substring(e.selectionStart, e.selectionEnd);"
            ))
            .await;
        assert_eq!(selected.as_str(), Some(link), "the link selected");
    } else {
        assert_eq!(copied.as_deref(), Some("clipboard"));
        let value = b
            .js(&format!("return document.querySelector({input:?}).value;"))
            .await;
        assert_eq!(
            value.as_str(),
            Some(link),
            "the link shown beside the button"
        );
    }
}
