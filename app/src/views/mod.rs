//! One module per screen.

mod concerns;
mod header;
mod joining;
mod meetings;
mod shell;
mod start;

pub use concerns::ConcernsScreen;
pub use header::Header;
pub use joining::JoiningScreen;
pub use shell::Shell;
pub use start::StartScreen;
