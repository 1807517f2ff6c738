//! One test kit for 邻里, used by the relay tests (`server/tests`), the benchmarks
//! (`server/examples`) and the browser tests (`tests/`, whose browser session and steps are
//! in the `linli-tests` library built on this):
//!
//! - [`relay`]: the `linli-relay` process ([`RelayBuilder`] → [`RelayProcess`]) and the
//!   reference JS relay, with what the benchmarks read from `/proc`;
//! - [`api`]: one client for the access API; [`community`]: communities, invites and
//!   members on a running relay;
//! - [`native_client`]: a native sync peer (`wire::client::SyncClient` over a WebSocket);
//!   [`honest_pair`]: two of them keeping a document in sync;
//! - [`app_shell`]: a stand-in for the built app, for relay tests that serve it;
//! - [`raw_http`]: a hand-written HTTP/1.1 GET and a connection the relay must close;
//! - [`small_disk`]: a real, small filesystem that fills up;
//! - [`postgres`]: a throwaway PostgreSQL cluster ([`PgCluster`]) that can crash and restart;
//! - [`load_gen`]: rooms × editors of native load, and idle sockets;
//! - [`poll`]: [`eventually`] and the one set of timeouts.

pub mod api;
pub mod app_shell;
pub mod bombs;
pub mod community;
pub mod honest_pair;
pub mod js_peer;
pub mod load_gen;
pub mod native_client;
pub mod poll;
pub mod postgres;
pub mod raw_http;
pub mod relay;
pub mod resident;
pub mod small_disk;

pub use api::{Answer, ApiClient};
pub use community::Community;
pub use native_client::{new_doc_id, NativeClient};
pub use poll::{eventually, timeouts};
pub use postgres::PgCluster;
pub use relay::{RelayBuilder, RelayProcess};
