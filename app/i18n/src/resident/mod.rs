//! Text of the relay's resident pages (吹哨): the report form a QR code opens, and the private
//! tracking page it gives. Templates use {0}.

mod en;
mod zh_hans;
mod zh_hant;

use crate::Lang;

pub struct ResidentStrings {
    /// The page's `lang` attribute.
    pub html_lang: &'static str,
    pub report_title: &'static str,
    /// Under the title: where the report goes (`{0}`: the 邻 or 组's name).
    pub report_to: &'static str,
    pub text_label: &'static str,
    pub text_hint: &'static str,
    pub category_label: &'static str,
    pub photo_label: &'static str,
    pub name_label: &'static str,
    pub phone_label: &'static str,
    /// The one-line notice beside the name and phone: who sees them.
    pub contact_notice: &'static str,
    pub submit: &'static str,
    /// The text box was empty.
    pub text_missing: &'static str,
    /// The text is longer than the limit (`{0}` characters).
    pub text_too_long: &'static str,
    /// The photo was left out (too large or not a photo); the report itself went in.
    pub photo_left_out: &'static str,
    /// After a refusal, the form is refilled but its photo cannot be: choose it again.
    pub photo_again: &'static str,
    /// Too many reports from here or to this code: try later.
    pub too_many: &'static str,
    /// Too many tracking pages opened from here: look later.
    pub too_many_views: &'static str,
    /// The code was turned off by the community.
    pub link_revoked: &'static str,
    /// No such code (mistyped, or from another relay).
    pub link_unknown: &'static str,
    /// The relay could not store it (disk full …): nothing was kept, try again.
    pub not_stored: &'static str,
    /// The community's storage quota (or the relay's disk) is full: nothing was kept.
    pub community_full: &'static str,
    /// Too many tracking pages are being read at once: refresh later.
    pub busy: &'static str,
    pub tracking_title: &'static str,
    /// Shown once, right after sending: keep this page's address.
    pub received: &'static str,
    pub tracking_unknown: &'static str,
    pub status_label: &'static str,
    pub waiting: &'static str,
    /// Waiting at a higher level (`{0}`: the level).
    pub waiting_at: &'static str,
    /// Someone is on it (`{0}`: the level).
    pub in_hand: &'static str,
    pub resolved: &'static str,
    pub closed: &'static str,
    pub set_aside: &'static str,
    pub steps_label: &'static str,
    pub step_received: &'static str,
    pub step_claimed: &'static str,
    /// `{0}`: the level.
    pub step_escalated: &'static str,
    pub step_resolved: &'static str,
    /// `{0}`: stars.
    pub step_rated_by_you: &'static str,
    pub step_rated_for_you: &'static str,
    pub step_reopened: &'static str,
    pub step_set_aside: &'static str,
    pub step_duplicate: &'static str,
    pub rate_title: &'static str,
    pub stars_label: &'static str,
    /// 1 to 5 stars, worst first.
    pub star_names: [&'static str; 5],
    pub comment_label: &'static str,
    pub rate_submit: &'static str,
    pub stars_missing: &'static str,
    /// The reason recorded when an unhappy resident leaves no comment.
    pub unhappy_reason: &'static str,
    pub thanks: &'static str,
}

/// The resident pages' text in `lang`.
pub fn strings(lang: Lang) -> &'static ResidentStrings {
    match lang {
        Lang::ZhHans => &zh_hans::ZH_HANS,
        Lang::ZhHant => &zh_hant::ZH_HANT,
        Lang::En => &en::EN,
    }
}
