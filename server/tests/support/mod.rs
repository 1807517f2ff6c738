//! Helpers shared by the integration tests: the real relay process and a native client.
#![allow(dead_code)]

pub mod api;
pub mod community;
pub mod honest_pair;
pub mod http_get;
pub mod native_client;
pub mod relay_process;
