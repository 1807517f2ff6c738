//! Every user-visible string of the app lives in this crate's locale files.
//! A locale is a `Strings` value, so a missing translation is a compile error.
//! Pure tables (no browser, no Leptos): it builds natively, so the tests in
//! `tests/i18n_strings.rs` use it directly; the app's `i18n` module adds the
//! reactive language signal.

pub mod access;
pub mod concern;
mod en;
pub mod history;
pub mod ledger;
pub mod meetings;
pub mod photos;
pub mod records;
pub mod refusal;
pub mod report;
pub mod resident;
mod zh_hans;
mod zh_hant;

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

/// Text around a count: English changes with it ("1 photo", "2 photos"), Chinese
/// has one form for every count ([`Plural::same`]). The count is `{0}`.
pub struct Plural {
    pub one: &'static str,
    pub other: &'static str,
}

impl Plural {
    /// One form for every count.
    pub const fn same(text: &'static str) -> Plural {
        Plural {
            one: text,
            other: text,
        }
    }

    /// The text for `n`, with the count filled in.
    pub fn of(&self, n: usize) -> String {
        let template = if n == 1 { self.one } else { self.other };
        template.replace("{0}", &n.to_string())
    }
}

/// The text of one locale. Field names say where the text is used.
pub struct Strings {
    pub lang_name: &'static str,
    pub app_name: &'static str,
    pub loading: &'static str,
    /// A screen kept in a part of its own (issue 14) could not be fetched: offline before
    /// the app had been online once since it was installed or updated.
    pub part_failed: &'static str,
    pub part_retry: &'static str,
    pub sync_offline: &'static str,
    pub sync_connecting: &'static str,
    /// After the sync state: how many changes wait for the relay (`{n}`).
    pub sync_pending: &'static str,
    pub sync_syncing: &'static str,
    pub sync_synced: &'static str,
    /// Connected, but the relay keeps refusing some records (they stay on the phone).
    pub sync_set_aside: &'static str,
    /// The banner about those records (`{0}`: how many), and whom to ask.
    pub set_aside_notice: Plural,
    /// The banner when the relay refused a change for a limit (kept on the phone), by limit.
    pub quota_notice: QuotaNotice,
    /// The banner when the relay refused a change under the authority rules; the rule's own
    /// text (`refusal.rule`) follows it.
    pub rights_notice: &'static str,
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
    pub history: &'static history::HistoryStrings,
    pub records: &'static records::RecordStrings,
    pub refusal: &'static refusal::RefusalStrings,
    /// 吹哨: report links and residents' own reports (issue 17).
    pub report: &'static report::ReportStrings,
}

/// What the banner says when the relay refused to store a change for one of its limits.
#[derive(Debug)]
pub struct QuotaNotice {
    pub bytes_stored: &'static str,
    pub documents: &'static str,
    pub member_bytes_per_hour: &'static str,
    pub disk_reserve: &'static str,
}

impl QuotaNotice {
    pub fn of(&self, quota: linli_shared::wire::quota::Quota) -> &'static str {
        use linli_shared::wire::quota::Quota;
        match quota {
            Quota::BytesStored => self.bytes_stored,
            Quota::Documents => self.documents,
            Quota::MemberBytesPerHour => self.member_bytes_per_hour,
            Quota::DiskReserve => self.disk_reserve,
        }
    }
}
