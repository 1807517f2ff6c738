//! The concern screens' parts: one concern's page, what can be done to it, its
//! photos, and the list rows and chips the 我的 / 全部 lists share.

mod actions;
mod page;
mod parts;
mod photos;

pub(super) use page::{member_name, ConcernPage};
pub(super) use parts::{date, ConcernList};
pub(super) use photos::ConcernPhotos;
