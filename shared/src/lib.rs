//! 邻里 shared core: the domain rules of the 三长制 workflow and the
//! automerge-repo wire protocol, and the relay's access API types ([`api`]). Pure functions
//! over Automerge documents; no IO.

pub mod api;
pub mod domain;
pub mod export;
pub mod privacy;
pub mod sort;
pub mod wire;
