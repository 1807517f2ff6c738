//! One module per screen.

mod all;
mod choice;
mod concerns; // a concern's page, its actions, photos and the shared list parts
mod confirm; // the question before a step that is hard to take back
mod header;
mod history; // 修改记录: who changed what, and who wrote which notes (issue 12)
mod invite; // community access: invites and members (issue 4/5)
mod joining;
mod lazy; // rarely used screens in wasm parts of their own, loaded on first use (issue 14)
mod ledger; // 台账 (issue 7)
mod meetings;
mod members; // the member list: roles, 撤销 with a confirm step, revoked folded (issue 16)
mod mine;
mod open_invites; // open invites listed and cancelled (issue 11)
mod org_editor;
mod photo_picker; // photos (issue 5)
mod profile;
mod record;
pub mod refusal;
mod report_links; // 吹哨: report links (QR codes residents scan) and their posters (issue 17)
mod share_link; // 复制链接 / 分享 for invites and report links
mod shell;
mod start;
mod take_back;
pub(crate) mod text_limit; // text limits (issue 16)

pub use header::Header;
pub use joining::JoiningScreen;
pub use shell::Shell;
pub use start::StartScreen;
