//! One module per screen.

mod concerns;
mod header;
mod joining;
mod start;

pub use concerns::ConcernsScreen;
pub use header::Header;
pub use joining::JoiningScreen;
pub use start::StartScreen;
