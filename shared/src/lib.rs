//! 邻里 shared core: the domain rules of the 三长制 workflow and the
//! automerge-repo wire protocol. Pure functions over Automerge documents; no IO.

pub mod domain;
pub mod export;
pub mod privacy;
pub mod sort;
pub mod wire;
