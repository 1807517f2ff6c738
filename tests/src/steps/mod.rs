//! What a person does in the app and what they see, as the steps the browser tests share,
//! split like the leptos `todo_app_sqlite_csr` e2e fixtures:
//!
//! - [`find`]: where things are on screen, and reading them now (no waiting);
//! - [`act`]: doing what a person does (create a community, join, record, type notes …);
//! - [`check`]: waiting until the screen shows something, failing after
//!   [`PAGE`](linli_testkit::timeouts::PAGE), the one timeout for a phone.
//!
//! Tests import them flat: `use linli_tests::steps::{record, wait_for, titles, PAGE};`.

pub mod act;
pub mod check;
pub mod find;

pub use act::*;
pub use check::*;
pub use find::*;
pub use linli_testkit::timeouts::PAGE;
