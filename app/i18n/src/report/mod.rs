//! Text of 吹哨 on the members' side: the report links (QR codes residents scan) and their
//! posters, and how a resident's own report and rating read in the app.

mod en;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

pub struct ReportStrings {
    /// The entry on the 我 screen.
    pub entry: &'static str,
    pub entry_hint: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    /// Making, listing and revoking links talks to the relay.
    pub needs_network: &'static str,
    pub place_label: &'static str,
    /// When the member has no 邻 or 组 to choose (the org tree has none yet).
    pub no_places: &'static str,
    pub make: &'static str,
    pub live_title: &'static str,
    pub none_live: &'static str,
    /// Under a link: who made it (`{0}`) and when (`{1}`).
    pub made_by: &'static str,
    pub show_poster: &'static str,
    pub revoke: &'static str,
    pub revoke_confirm: &'static str,
    pub revoke_yes: &'static str,
    /// Above the QR code of the link just made.
    pub made: &'static str,
    pub qr_label: &'static str,
    pub print: &'static str,
    pub close_poster: &'static str,
    /// Beside the poster's link: what it is (the link itself is in the field).
    pub link_label: &'static str,
    /// The text a shared report link goes out with (WeChat groups and the rest).
    pub share_text: &'static str,
    /// The poster's big title.
    pub poster_title: &'static str,
    /// The poster's line under the place: the representative (`{0}` role, `{1}` name).
    pub poster_rep: &'static str,
    /// The poster's steps.
    pub poster_steps: &'static str,
    /// The poster's line saying who sees what residents write.
    pub poster_who_sees: &'static str,
    /// A resident (through a report link) where a member's name would be.
    pub resident_name: &'static str,
    /// The badge on a resident's report.
    pub resident_badge: &'static str,
    /// Beside feedback the resident gave on the tracking page.
    pub feedback_by_resident: &'static str,
    /// Beside feedback a member recorded for the resident.
    pub feedback_by_member: &'static str,
    /// 台账: of the ratings, how many residents gave themselves (`{0}`).
    pub residents_rated: crate::Plural,
    /// 台账: their mean (`{0}`).
    pub residents_mean: &'static str,
    /// Setting a resident's report aside: heading, hint, and the buttons.
    pub set_aside_heading: &'static str,
    pub set_aside_hint: &'static str,
    pub set_aside: &'static str,
    pub confirm_set_aside: &'static str,
    pub set_aside_title: &'static str,
}
