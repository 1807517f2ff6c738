//! Text of the history view (修改记录) on a concern and on a meeting: who changed which part
//! and when, and who wrote which part of the notes. Templates use {0} (see `concern::fill`).

mod en;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

use linli_shared::domain::Part;

pub struct HistoryStrings {
    /// The button that opens the history.
    pub show: &'static str,
    pub hide: &'static str,
    pub heading: &'static str,
    pub empty: &'static str,
    /// A change whose phone gave no time.
    pub no_time: &'static str,
    /// A change whose writer the phone cannot name yet (it learns the names from the relay).
    pub unknown_member: &'static str,
    /// Shown while some writers are unknown and the relay cannot be asked.
    pub names_need_network: &'static str,
    /// Above who wrote which part of the notes.
    pub notes_heading: &'static str,
    /// The label of the meeting's general minutes in that list.
    pub minutes: &'static str,
    /// Between a member's name and what they changed or wrote.
    pub after_name: &'static str,
    /// Several changes of one member folded into one row: how many (`{0}`).
    pub times: crate::Plural,
    /// Above the list of this phone's changes the server refused (put aside on the phone).
    pub refused_heading: &'static str,
    pub part: fn(Part) -> &'static str,
}
