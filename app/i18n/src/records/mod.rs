//! Text for taking back records made by mistake (concerns and meetings), the
//! larger-text setting, and screen-reader names added for issue 16.
//! Templates use {0}, {1} (see `concern::fill`).

mod en;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

pub struct RecordStrings {
    pub take_back_heading: &'static str,
    pub take_back_hint: &'static str,
    pub withdraw: &'static str,
    pub merge: &'static str,
    pub reason_label: &'static str,
    /// A withdrawn record's reason, {0}: the reason.
    pub reason_shown: &'static str,
    pub reason_placeholder: &'static str,
    pub merge_target: &'static str,
    pub confirm_withdraw: &'static str,
    pub confirm_merge: &'static str,
    pub confirm_withdraw_hint: &'static str,
    pub cancel: &'static str,
    /// Banner on a withdrawn concern or meeting: {0} who, {1} when.
    pub withdrawn_by: &'static str,
    pub withdrawn_title: &'static str,
    pub merged_title: &'static str,
    pub merged_into: &'static str,
    pub ev_withdrawn: &'static str,
    pub ev_merged: &'static str,
    pub meeting_withdraw: &'static str,
    pub meeting_confirm_withdraw: &'static str,
    pub meeting_withdrawn_title: &'static str,
    /// Button beside a concern linked to an agenda item: {0} its title.
    pub unlink: &'static str,
    pub larger_text: &'static str,
    pub larger_text_hint: &'static str,
    /// Screen-reader name of the language picker.
    pub language: &'static str,
    /// Screen-reader name of the org editor's kind picker.
    pub unit_kind: &'static str,
    pub filter_status: &'static str,
    pub filter_level: &'static str,
    pub filter_category: &'static str,
    pub filter_area: &'static str,
    /// The concern page's fact label (the form says it is optional).
    pub reporter_fact: &'static str,
    /// A list row's age when raised less than a day ago (not "0天").
    pub today: &'static str,
    pub text_size: &'static str,
}
