//! The relay's command line: flags, their environment variables and defaults (documented in
//! server/README.md).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use linli_server::core::Quotas;

#[derive(Parser)]
#[command(name = "linli-relay", about = "邻里 relay: sync server and app host")]
pub struct Args {
    /// Address to listen on (port 0 picks a free port; the bound address is printed).
    #[arg(long, env = "LINLI_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Data directory (documents are stored here).
    #[arg(long, env = "LINLI_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// Keep documents and the registry in this PostgreSQL database instead of the data
    /// directory (`postgres://user@host:port/db`); several relay nodes may share it.
    #[arg(long, env = "LINLI_DATABASE_URL")]
    pub database: Option<String>,
    /// The built app to serve.
    #[arg(long, env = "LINLI_DIST", default_value = "./dist")]
    pub dist: PathBuf,
    /// Largest accepted WebSocket frame, in bytes.
    #[arg(long, env = "LINLI_MAX_FRAME_BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_frame_bytes: usize,
    /// Documents one connection may sync at once.
    #[arg(long, env = "LINLI_MAX_DOCS_PER_CONNECTION", default_value_t = 1000)]
    pub max_docs_per_connection: usize,
    /// Sustained frames per second per connection (faster senders are slowed down).
    #[arg(long, env = "LINLI_MAX_MESSAGES_PER_SECOND", default_value_t = 200)]
    pub max_messages_per_second: u32,
    /// Bytes waiting to be sent to one connection; a peer that lets more pile up is closed.
    #[arg(long, env = "LINLI_MAX_QUEUED_BYTES_PER_CONNECTION", default_value_t = 16 * 1024 * 1024)]
    pub max_queued_bytes_per_connection: usize,
    /// Bytes waiting to be sent to all connections together.
    #[arg(long, env = "LINLI_MAX_QUEUED_BYTES", default_value_t = 128 * 1024 * 1024)]
    pub max_queued_bytes: usize,
    /// Seconds a socket may take to accept one frame before it is closed.
    #[arg(long, env = "LINLI_WRITE_TIMEOUT_SECS", default_value_t = 30)]
    pub write_timeout_secs: u64,
    /// Largest presence (`ephemeral`) payload, in bytes.
    #[arg(long, env = "LINLI_MAX_PRESENCE_BYTES", default_value_t = 4096)]
    pub max_presence_bytes: usize,
    /// Presence messages per second per member (burst three times that); more are dropped.
    #[arg(long, env = "LINLI_MAX_PRESENCE_PER_SECOND", default_value_t = 20)]
    pub max_presence_per_second: u32,
    /// WebSockets one member may hold open.
    #[arg(long, env = "LINLI_MAX_SOCKETS_PER_MEMBER", default_value_t = 32)]
    pub max_sockets_per_member: usize,
    /// WebSockets open at once, all members together.
    #[arg(long, env = "LINLI_MAX_SOCKETS", default_value_t = 10_000)]
    pub max_sockets: usize,
    /// HTTP connections open at once (upgraded WebSockets count under --max-sockets).
    #[arg(long, env = "LINLI_MAX_CONNECTIONS", default_value_t = 20_000)]
    pub max_connections: usize,
    /// Seconds a client has to send a complete request header (also the idle limit between
    /// requests on a kept-alive connection).
    #[arg(long, env = "LINLI_HEADER_READ_TIMEOUT_SECS", default_value_t = 20)]
    pub header_read_timeout_secs: u64,
    /// Seconds a connection may go without reading or writing a byte mid-request.
    #[arg(long, env = "LINLI_IDLE_TIMEOUT_SECS", default_value_t = 60)]
    pub idle_timeout_secs: u64,
    /// Bytes all of one community's documents may hold on disk; a change that would pass it is
    /// refused (`error` "quota: bytes stored…"), the socket stays open.
    #[arg(long, env = "LINLI_QUOTA_BYTES_PER_COMMUNITY", default_value_t = Quotas::default().bytes_per_community)]
    pub quota_bytes_per_community: u64,
    /// Documents one community may store ("quota: documents…").
    #[arg(long, env = "LINLI_QUOTA_DOCUMENTS_PER_COMMUNITY", default_value_t = Quotas::default().documents_per_community)]
    pub quota_documents_per_community: u64,
    /// Bytes of changes one member may send per hour ("quota: bytes per member per hour…").
    #[arg(long, env = "LINLI_QUOTA_BYTES_PER_MEMBER_PER_HOUR", default_value_t = Quotas::default().bytes_per_member_per_hour)]
    pub quota_bytes_per_member_per_hour: u64,
    /// Bytes kept free on the data directory's disk: document changes are refused ("quota:
    /// disk reserve…") below it, so that access changes (revoking a member) still work.
    #[arg(long, env = "LINLI_DISK_RESERVE_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub disk_reserve_bytes: u64,
    /// Bytes of the ballast file kept in the data directory and deleted when the disk is too
    /// full to store an access change (a disk filled by another program); made again at start.
    #[arg(long, env = "LINLI_BALLAST_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub ballast_bytes: u64,
    /// Let anyone register a new community (`POST /api/communities`). The local run command
    /// (`scripts/run.sh`) turns this on; a public relay should use `--admin-token` instead.
    #[arg(long, env = "LINLI_OPEN_REGISTRATION")]
    pub open_registration: bool,
    /// Operator secret that registers communities (`Authorization: Bearer <token>`) when
    /// registration is closed. Prefer the environment variable: arguments show in `ps`.
    #[arg(long, env = "LINLI_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Also accept `/sync?token=<member credential>` (older JS clients that cannot fetch a
    /// ticket). Off by default: a proxy's access log would hold a working credential.
    #[arg(long, env = "LINLI_ALLOW_CREDENTIAL_IN_URL")]
    pub allow_credential_in_url: bool,
    /// Addresses of reverse proxies in front of the relay (comma-separated): for requests from
    /// them, the resident pages' per-address limits use the client's address from
    /// `X-Forwarded-For` (the last hop) or `X-Real-IP`. Without it every resident behind the
    /// proxy shares one allowance.
    #[arg(long, env = "LINLI_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// Seconds a sync ticket (`POST /api/sync-ticket`) may wait before opening its socket.
    #[arg(long, env = "LINLI_SYNC_TICKET_SECS", default_value_t = 60)]
    pub sync_ticket_secs: u64,
    /// Write one document (id or automerge: URL) as an Automerge file to stdout, then exit.
    #[arg(long, value_name = "DOC", conflicts_with = "import")]
    pub export: Option<String>,
    /// Merge an Automerge file from stdin into one document (id or URL), then exit.
    #[arg(long, value_name = "DOC", conflicts_with = "admin_invite")]
    pub import: Option<String>,
    /// Print a one-use invite that makes an admin of the community (its community document id
    /// or URL), for when every admin phone is lost; then exit. Needs the relay stopped (the
    /// data directory is locked); a running relay does the same with
    /// `POST /api/communities/<id>/admin-invite` and the `--admin-token`.
    #[arg(long, value_name = "COMMUNITY", conflicts_with = "export")]
    pub admin_invite: Option<String>,
    /// Copy the data directory (the relay stopped) into this empty PostgreSQL database, then
    /// exit: documents, the registry, actor bindings and keys. Start nodes with `--database`.
    #[arg(long, value_name = "POSTGRES_URL", conflicts_with_all = ["export", "import", "admin_invite", "database"])]
    pub move_into_database: Option<String>,
    /// Where phones open the app (`https://linli.example`): `--admin-invite` prints its link.
    #[arg(long, env = "LINLI_APP_URL")]
    pub app_url: Option<String>,
}
