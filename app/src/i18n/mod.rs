//! Every user-visible string lives in the locale files beside this module.
//! A locale is a `Strings` value, so a missing translation is a compile error.

pub mod access;
pub mod concern;
mod en;
pub mod ledger;
pub mod meetings;
pub mod photos;
pub mod records;
pub mod refusal;
mod zh_hans;
mod zh_hant;

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhHans,
    ZhHant,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::ZhHans => &zh_hans::STRINGS,
            Lang::ZhHant => &zh_hant::STRINGS,
            Lang::En => &en::STRINGS,
        }
    }
}

/// The text of one locale. Field names say where the text is used.
pub struct Strings {
    pub lang_name: &'static str,
    pub app_name: &'static str,
    pub loading: &'static str,
    pub sync_offline: &'static str,
    pub sync_connecting: &'static str,
    /// After the sync state: how many changes wait for the relay (`{n}`).
    pub sync_pending: &'static str,
    pub sync_syncing: &'static str,
    pub sync_synced: &'static str,
    pub start_title: &'static str,
    pub start_intro: &'static str,
    pub community_name_label: &'static str,
    pub community_name_placeholder: &'static str,
    pub create_community: &'static str,
    pub join_title: &'static str,
    pub joining: &'static str,
    pub tab_mine: &'static str,
    pub tab_all: &'static str,
    pub tab_record: &'static str,
    pub tab_profile: &'static str,
    pub concerns_empty: &'static str,
    pub add_concern: &'static str,
    pub title_required: &'static str,
    pub status_open: &'static str,
    pub status_claimed: &'static str,
    pub status_reopened: &'static str,
    pub status_resolved: &'static str,
    pub status_closed: &'static str,
    pub storage_failed: &'static str,
    pub storage_full: &'static str,
    pub storage_unavailable: &'static str,
    /// Between names in a list: 「、」 in Chinese, ", " in English.
    pub list_separator: &'static str,
    pub meetings: &'static meetings::MeetingStrings,
    pub concern: &'static concern::ConcernStrings,
    pub ledger: &'static ledger::LedgerStrings,
    pub access: &'static access::AccessStrings,
    pub photos: &'static photos::PhotoStrings,
    pub records: &'static records::RecordStrings,
    pub refusal: &'static refusal::RefusalStrings,
}

/// The active language, provided at the root.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn lang(&self) -> Lang {
        self.0.get()
    }
    /// Reads one string reactively: `i18n.t(|s| s.app_name)`.
    pub fn t<R>(&self, pick: impl FnOnce(&'static Strings) -> R) -> R {
        pick(self.0.get().strings())
    }
    /// A refused command, in the user's language (read untracked: called
    /// when the refusal happens).
    pub fn refusal(&self, e: &linli_shared::domain::DomainError) -> String {
        refusal::message(self.0.get_untracked().strings().refusal, e)
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
