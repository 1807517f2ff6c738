//! What a representative does in the app, as steps the browser tests share.

use crate::{eventually, Browser};
use std::time::{Duration, Instant};

pub const LONG: Duration = Duration::from_secs(30);

/// Waits until `css` matches an element.
pub async fn wait_for(b: &Browser, css: &str) {
    eventually(LONG, &format!("{}: {css}", b.name), || async {
        b.exists(css).await.then_some(())
    })
    .await;
}

pub async fn status(b: &Browser) -> Option<String> {
    b.attr("[data-testid=sync-status]", "data-status").await
}

pub async fn wait_status(b: &Browser, want: &str) {
    eventually(
        LONG,
        &format!("{} sync badge shows {want}", b.name),
        || async { (status(b).await.as_deref() == Some(want)).then_some(()) },
    )
    .await;
}

/// Titles in the list on screen.
pub async fn titles(b: &Browser) -> Vec<String> {
    b.text_of_all("[data-testid=concern] .concern-title").await
}

pub async fn wait_title(b: &Browser, title: &str, within: Duration) {
    eventually(within, &format!("{} lists {title:?}", b.name), || async {
        titles(b).await.iter().any(|t| t == title).then_some(())
    })
    .await;
}

/// Creates a community on the start screen (the app registers it with the
/// relay); returns an invite link (role 邻长) made on the 我 screen.
pub async fn create_community(b: &Browser, url: &str, name: &str) -> String {
    b.goto(url).await;
    wait_for(b, "[data-testid=create-community]").await;
    b.screenshot(&format!("{}-start", b.name)).await;
    b.type_into("#community-name", name).await;
    b.click("[data-testid=create-community] button[type=submit]")
        .await;
    wait_for(b, "[data-testid=tab-profile]").await;
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=create-invite]").await;
    b.click("[data-testid=create-invite]").await;
    let invite = eventually(LONG, "invite link", || async {
        b.value("[data-testid=invite-link]")
            .await
            .filter(|v| v.contains("#/join/"))
    })
    .await;
    // The link and its QR code scrolled the page; the next screen starts at the top.
    b.js("window.scrollTo(0, 0);").await;
    invite
}

/// Makes a new invite on the 我 screen for `role` (e.g. `group_leader`) admitting `uses`
/// phones; returns its link (a link other than `previous`).
pub async fn make_invite(b: &Browser, role: &str, uses: u32, previous: &str) -> String {
    b.js(&format!(
        "const s = document.querySelector('#invite-role'); s.value = {role:?};
         s.dispatchEvent(new Event('change', {{bubbles: true}}));
         const n = document.querySelector('#invite-uses'); n.value = '{uses}';
         n.dispatchEvent(new Event('change', {{bubbles: true}}));"
    ))
    .await;
    b.click("[data-testid=create-invite]").await;
    let link = eventually(LONG, "a new invite link", || async {
        b.value("[data-testid=invite-link]")
            .await
            .filter(|v| v.contains("#/join/") && v != previous)
    })
    .await;
    b.js("window.scrollTo(0, 0);").await;
    link
}

/// Opens an invite link (the app exchanges it for a member credential) and
/// waits until the community has arrived.
pub async fn join(b: &Browser, invite: &str) {
    b.goto(invite).await;
    wait_for(b, "[data-testid=tab-all]").await;
}

/// Fills in 我的资料 (name and role code, e.g. `group_leader`).
pub async fn set_profile(b: &Browser, name: &str, role: &str) {
    b.click("[data-testid=tab-profile]").await;
    wait_for(b, "[data-testid=profile-form]").await;
    b.type_into("#member-name", name).await;
    b.js(&format!(
        "const s = document.querySelector('#member-role'); s.value = {role:?};
         s.dispatchEvent(new Event('change', {{bubbles: true}}));"
    ))
    .await;
    b.click("[data-testid=save-profile]").await;
    wait_for(b, "[data-testid=my-profile]").await;
}

/// Records a concern the way a person does: the 记录 tab, type, submit. The
/// app then shows the 全部 list. Returns when the button was pressed.
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

pub async fn show_all(b: &Browser) {
    b.click("[data-testid=tab-all]").await;
    wait_for(b, "[data-testid=search]").await;
}

/// Opens the concern with this title from the 全部 list.
pub async fn open_concern(b: &Browser, title: &str) {
    show_all(b).await;
    wait_title(b, title, LONG).await;
    b.js(&format!(
        "for (const row of document.querySelectorAll('[data-testid=concern]')) {{
           if (row.querySelector('.concern-title').textContent.trim() === {title:?}) {{
             row.querySelector('a').click(); return; }} }}"
    ))
    .await;
    wait_for(b, "[data-testid=concern-page]").await;
}

/// The kinds of the events on the open concern page's timeline, in order.
pub async fn timeline(b: &Browser) -> Vec<String> {
    let v = b
        .js("return Array.from(document.querySelectorAll('[data-testid=timeline] .event')).map(e => e.dataset.kind);")
        .await;
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub async fn concern_status(b: &Browser) -> Option<String> {
    b.attr(
        "[data-testid=concern-page] [data-testid=status]",
        "data-status",
    )
    .await
}

pub async fn wait_concern_status(b: &Browser, want: &str) {
    eventually(
        LONG,
        &format!("{} concern status {want}", b.name),
        || async { (concern_status(b).await.as_deref() == Some(want)).then_some(()) },
    )
    .await;
}

/// Presses an action button, fills its form's text (if any) and confirms.
/// Feedback has no default score: it gives 5 stars, as a satisfied resident would.
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

/// Fails unless the page is styled: the document counts a sheet for every
/// `<link rel=stylesheet>` and, since Chromium counts one whose load failed too, rules
/// only our CSS sets are applied: the red top bar (`.topbar` in style/main.css) and the
/// tab bar fixed at the bottom (`.tabbar`). An offline start without the CSS showed the
/// bare HTML.
pub async fn assert_styled(b: &Browser) {
    let probe = "const links = [...document.querySelectorAll('link[rel=stylesheet]')];
        const css = (sel, prop) => { const e = document.querySelector(sel);
            return e ? getComputedStyle(e)[prop] : null; };
        return { links: links.length, sheets: document.styleSheets.length,
                 missing: links.filter(l => !l.sheet).map(l => l.getAttribute('href')),
                 topbar: css('.topbar', 'backgroundColor'), tabbar: css('.tabbar', 'position') };";
    let start = Instant::now();
    loop {
        let v = b.js(probe).await;
        let links = v["links"].as_u64().unwrap_or(0);
        let styled = links > 0
            && v["sheets"].as_u64().unwrap_or(0) >= links
            && v["missing"].as_array().is_some_and(|m| m.is_empty())
            && v["topbar"] == "rgb(181, 55, 43)"
            && v["tabbar"] == "fixed";
        if styled {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{} is unstyled (stylesheets not applied): {v}",
            b.name
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The service worker controls the page and holds the app shell, wasm included.
pub async fn wait_offline_ready(b: &Browser) {
    eventually(LONG, &format!("{} has the app shell cached", b.name), || async {
        let v = b
            .client
            .execute_async(
                "const done = arguments[0];
                 if (!navigator.serviceWorker.controller) return done(false);
                 caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
                   .then(lists => { const keys = lists.flat();
                     done(keys.some(r => r.url.endsWith('.wasm')) && keys.some(r => new URL(r.url).pathname === '/')); })
                   .catch(() => done(false));",
                vec![],
            )
            .await
            .ok()?;
        v.as_bool().unwrap_or(false).then_some(())
    })
    .await;
}
