//! Waiting until the screen shows something; each fails after [`PAGE`] with what it waited
//! for.

use std::time::{Duration, Instant};

use linli_testkit::timeouts::PAGE;

use super::find::{concern_status, notes, status, titles};
use crate::{eventually, Browser};

/// Waits until `css` matches an element.
pub async fn wait_for(b: &Browser, css: &str) {
    eventually(PAGE, &format!("{} shows {css}", b.name), || async {
        b.exists(css).await.then_some(())
    })
    .await;
}

/// Waits until an element `css` matches reads exactly `want`.
pub async fn wait_text(b: &Browser, css: &str, want: &str) {
    eventually(
        PAGE,
        &format!("{} shows {want:?} in {css}", b.name),
        || async {
            b.text_of_all(css)
                .await
                .iter()
                .any(|t| t == want)
                .then_some(())
        },
    )
    .await;
}

/// Waits until an element `css` matches contains `part` in its text.
pub async fn wait_text_containing(b: &Browser, css: &str, part: &str) {
    let what = format!("{} shows {part:?} within {css}", b.name);
    eventually(PAGE, &what, || async {
        b.text_of_all(css)
            .await
            .iter()
            .any(|t| t.contains(part))
            .then_some(())
    })
    .await;
}

/// Waits until the sync badge shows `want`.
pub async fn wait_status(b: &Browser, want: &str) {
    eventually(PAGE, &format!("{} sync badge {want}", b.name), || async {
        (status(b).await.as_deref() == Some(want)).then_some(())
    })
    .await;
}

/// Waits until the concern list shows `title`; `within` is a latency bound when a test
/// states one, else [`PAGE`].
pub async fn wait_title(b: &Browser, title: &str, within: Duration) {
    eventually(within, &format!("{} lists {title:?}", b.name), || async {
        titles(b).await.iter().any(|t| t == title).then_some(())
    })
    .await;
}

/// Waits until the open concern page's status is `want`.
pub async fn wait_concern_status(b: &Browser, want: &str) {
    eventually(
        PAGE,
        &format!("{} concern status {want}", b.name),
        || async { (concern_status(b).await.as_deref() == Some(want)).then_some(()) },
    )
    .await;
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

/// Waits until the service worker controls the page and holds the app shell, wasm included.
pub async fn wait_offline_ready(b: &Browser) {
    eventually(PAGE, &format!("{} has the app shell cached", b.name), || {
        b.js_async_true(
            "const done = arguments[0];
             if (!navigator.serviceWorker.controller) return done(false);
             caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
               .then(lists => { const keys = lists.flat();
                 done(keys.some(r => r.url.endsWith('.wasm')) && keys.some(r => new URL(r.url).pathname === '/')); })
               .catch(() => done(false));",
        )
    })
    .await;
}

/// Waits until every phone shows the same meeting notes, containing every string; returns
/// them.
pub async fn converged(phones: &[&Browser], strings: &[String]) -> String {
    let start = Instant::now();
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
        if start.elapsed() > PAGE {
            panic!("notes did not converge: missing {missing:?}; texts {texts:#?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
