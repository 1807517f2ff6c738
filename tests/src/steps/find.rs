//! Where things are on screen, and what they show right now (no waiting: that is
//! [`check`](super::check)).

use crate::Browser;

/// The notes box of the first agenda item of the open meeting.
pub const ITEM_NOTES: &str = "[data-testid=agenda-item] textarea[data-testid=notes]";

/// The sync badge's state (`synced`, `offline`, …).
pub async fn status(b: &Browser) -> Option<String> {
    b.attr("[data-testid=sync-status]", "data-status").await
}

/// Titles in the concern list on screen.
pub async fn titles(b: &Browser) -> Vec<String> {
    b.text_of_all("[data-testid=concern] .concern-title").await
}

/// The kinds of the events on the open concern page's timeline, in order.
pub async fn timeline(b: &Browser) -> Vec<String> {
    b.js_strings("return Array.from(document.querySelectorAll('[data-testid=timeline] .event')).map(e => e.dataset.kind);")
        .await
}

/// The open concern page's status (`open`, `claimed`, …).
pub async fn concern_status(b: &Browser) -> Option<String> {
    b.attr(
        "[data-testid=concern-page] [data-testid=status]",
        "data-status",
    )
    .await
}

/// The value of the first agenda item's notes box.
pub async fn notes(b: &Browser) -> String {
    b.value(ITEM_NOTES).await.unwrap_or_default()
}

/// The titles of the open meeting's agenda items, in order.
pub async fn item_titles(b: &Browser) -> Vec<String> {
    b.text_of_all("[data-testid=agenda-item] .item-title").await
}
