//! Relays as child processes: ours ([`RelayProcess`], started through [`RelayBuilder`]) and the
//! reference JS relay ([`JsRelay`]), with what the benchmarks read from `/proc`.
//!
//! Named apart from the protocol core's `Relay` (`linli_server::core`): these are processes.

mod builder;
mod js;
pub mod proc_stats;
mod process;

pub use builder::{app_dist, relay_binary, supports, workspace_root, RelayBuilder};
pub use js::JsRelay;
pub use process::RelayProcess;
