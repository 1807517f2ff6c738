//! Text of concern photos (the 记录 screen's picker and the concern page).
//! Templates use {0} (see `concern::fill`).

mod en;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

pub struct PhotoStrings {
    pub label: &'static str,
    pub add: &'static str,
    pub compressing: &'static str,
    pub not_an_image: &'static str,
    pub failed: &'static str,
    pub not_saved: &'static str,
    pub remove: &'static str,
    pub heading: &'static str,
    pub alt: &'static str,
    pub syncing: &'static str,
    /// List row: how many photos (for screen readers).
    pub count: crate::Plural,
}
