//! `linli-relay`: serves the 邻里 app and syncs its documents.
//!
//! ```text
//! linli-relay [--addr 127.0.0.1:8080] [--data ./data] [--dist ./dist]
//! linli-relay --data ./data --export automerge:<id> > backup.automerge
//! linli-relay --data ./data --import automerge:<id> < backup.automerge
//! linli-relay --data ./data --admin-invite <community id> [--app-url https://…]
//! ```

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use linli_server::access::api::AccessApi;
use linli_server::access::tickets::Tickets;
use linli_server::access::{Access, CommunityRules};
use linli_server::backup;
use linli_server::core::{Quotas, Relay, RelayConfig, Usage};
use linli_server::http::router;
use linli_server::serve::{raise_open_file_limit, HttpLimits};
use linli_server::storage::{DataDirLock, FileStore};
use linli_server::transport::websocket::SyncEndpoint;
use linli_server::transport::{
    spawn_hub, ConnectionOptions, OutboxBudget, OutboxLimits, RateLimit, SocketCounter,
    SocketLimits,
};
use linli_shared::domain::Role;
use linli_shared::wire::{DocumentId, PeerId};
use tracing_subscriber::EnvFilter;

/// A document with connected peers but no traffic for one to two of these leaves memory.
const IDLE_SWEEP: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Parser)]
#[command(name = "linli-relay", about = "邻里 relay: sync server and app host")]
struct Args {
    /// Address to listen on (port 0 picks a free port; the bound address is printed).
    #[arg(long, env = "LINLI_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Data directory (documents are stored here).
    #[arg(long, env = "LINLI_DATA", default_value = "./data")]
    data: PathBuf,
    /// The built app to serve.
    #[arg(long, env = "LINLI_DIST", default_value = "./dist")]
    dist: PathBuf,
    /// Largest accepted WebSocket frame, in bytes.
    #[arg(long, env = "LINLI_MAX_FRAME_BYTES", default_value_t = 8 * 1024 * 1024)]
    max_frame_bytes: usize,
    /// Documents one connection may sync at once.
    #[arg(long, env = "LINLI_MAX_DOCS_PER_CONNECTION", default_value_t = 1000)]
    max_docs_per_connection: usize,
    /// Sustained frames per second per connection (faster senders are slowed down).
    #[arg(long, env = "LINLI_MAX_MESSAGES_PER_SECOND", default_value_t = 200)]
    max_messages_per_second: u32,
    /// Bytes waiting to be sent to one connection; a peer that lets more pile up is closed.
    #[arg(long, env = "LINLI_MAX_QUEUED_BYTES_PER_CONNECTION", default_value_t = 16 * 1024 * 1024)]
    max_queued_bytes_per_connection: usize,
    /// Bytes waiting to be sent to all connections together.
    #[arg(long, env = "LINLI_MAX_QUEUED_BYTES", default_value_t = 128 * 1024 * 1024)]
    max_queued_bytes: usize,
    /// Seconds a socket may take to accept one frame before it is closed.
    #[arg(long, env = "LINLI_WRITE_TIMEOUT_SECS", default_value_t = 30)]
    write_timeout_secs: u64,
    /// Largest presence (`ephemeral`) payload, in bytes.
    #[arg(long, env = "LINLI_MAX_PRESENCE_BYTES", default_value_t = 4096)]
    max_presence_bytes: usize,
    /// Presence messages per second per member (burst three times that); more are dropped.
    #[arg(long, env = "LINLI_MAX_PRESENCE_PER_SECOND", default_value_t = 20)]
    max_presence_per_second: u32,
    /// WebSockets one member may hold open.
    #[arg(long, env = "LINLI_MAX_SOCKETS_PER_MEMBER", default_value_t = 32)]
    max_sockets_per_member: usize,
    /// WebSockets open at once, all members together.
    #[arg(long, env = "LINLI_MAX_SOCKETS", default_value_t = 10_000)]
    max_sockets: usize,
    /// HTTP connections open at once (upgraded WebSockets count under --max-sockets).
    #[arg(long, env = "LINLI_MAX_CONNECTIONS", default_value_t = 20_000)]
    max_connections: usize,
    /// Seconds a client has to send a complete request header (also the idle limit between
    /// requests on a kept-alive connection).
    #[arg(long, env = "LINLI_HEADER_READ_TIMEOUT_SECS", default_value_t = 20)]
    header_read_timeout_secs: u64,
    /// Seconds a connection may go without reading or writing a byte mid-request.
    #[arg(long, env = "LINLI_IDLE_TIMEOUT_SECS", default_value_t = 60)]
    idle_timeout_secs: u64,
    /// Bytes all of one community's documents may hold on disk; a change that would pass it is
    /// refused (`error` "quota: bytes stored…"), the socket stays open.
    #[arg(long, env = "LINLI_QUOTA_BYTES_PER_COMMUNITY", default_value_t = Quotas::default().bytes_per_community)]
    quota_bytes_per_community: u64,
    /// Documents one community may store ("quota: documents…").
    #[arg(long, env = "LINLI_QUOTA_DOCUMENTS_PER_COMMUNITY", default_value_t = Quotas::default().documents_per_community)]
    quota_documents_per_community: u64,
    /// Bytes of changes one member may send per hour ("quota: bytes per member per hour…").
    #[arg(long, env = "LINLI_QUOTA_BYTES_PER_MEMBER_PER_HOUR", default_value_t = Quotas::default().bytes_per_member_per_hour)]
    quota_bytes_per_member_per_hour: u64,
    /// Bytes kept free on the data directory's disk: document changes are refused ("quota:
    /// disk reserve…") below it, so that access changes (revoking a member) still work.
    #[arg(long, env = "LINLI_DISK_RESERVE_BYTES", default_value_t = 64 * 1024 * 1024)]
    disk_reserve_bytes: u64,
    /// Bytes of the ballast file kept in the data directory and deleted when the disk is too
    /// full to store an access change (a disk filled by another program); made again at start.
    #[arg(long, env = "LINLI_BALLAST_BYTES", default_value_t = 16 * 1024 * 1024)]
    ballast_bytes: u64,
    /// Let anyone register a new community (`POST /api/communities`). The local run command
    /// (`scripts/run.sh`) turns this on; a public relay should use `--admin-token` instead.
    #[arg(long, env = "LINLI_OPEN_REGISTRATION")]
    open_registration: bool,
    /// Operator secret that registers communities (`Authorization: Bearer <token>`) when
    /// registration is closed. Prefer the environment variable: arguments show in `ps`.
    #[arg(long, env = "LINLI_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Also accept `/sync?token=<member credential>` (older JS clients that cannot fetch a
    /// ticket). Off by default: a proxy's access log would hold a working credential.
    #[arg(long, env = "LINLI_ALLOW_CREDENTIAL_IN_URL")]
    allow_credential_in_url: bool,
    /// Seconds a sync ticket (`POST /api/sync-ticket`) may wait before opening its socket.
    #[arg(long, env = "LINLI_SYNC_TICKET_SECS", default_value_t = 60)]
    sync_ticket_secs: u64,
    /// Write one document (id or automerge: URL) as an Automerge file to stdout, then exit.
    #[arg(long, value_name = "DOC", conflicts_with = "import")]
    export: Option<String>,
    /// Merge an Automerge file from stdin into one document (id or URL), then exit.
    #[arg(long, value_name = "DOC", conflicts_with = "admin_invite")]
    import: Option<String>,
    /// Print a one-use invite that makes an admin of the community (its community document id
    /// or URL), for when every admin phone is lost; then exit. Needs the relay stopped (the
    /// data directory is locked); a running relay does the same with
    /// `POST /api/communities/<id>/admin-invite` and the `--admin-token`.
    #[arg(long, value_name = "COMMUNITY", conflicts_with = "export")]
    admin_invite: Option<String>,
    /// Where phones open the app (`https://linli.example`): `--admin-invite` prints its link.
    #[arg(long, env = "LINLI_APP_URL")]
    app_url: Option<String>,
}

/// Libraries whose trace output prints what members send (WebSocket frame payloads, HTTP
/// bytes, Automerge operations with their values): capped at `debug` whatever `RUST_LOG` says.
const PAYLOAD_LOGGING_TARGETS: [&str; 5] = [
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "automerge",
];

/// Logs to stderr what `RUST_LOG` (default `info`) asks for, but never more than `debug` from
/// [`PAYLOAD_LOGGING_TARGETS`].
fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let cap = PAYLOAD_LOGGING_TARGETS.iter().fold(
        Targets::new().with_default(LevelFilter::TRACE),
        |t, target| t.with_target(*target, LevelFilter::DEBUG),
    );
    tracing_subscriber::registry()
        .with(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with(cap)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .init();
}

fn main() -> ExitCode {
    init_logging();
    let args = Args::parse();
    let result = match (&args.export, &args.import, &args.admin_invite) {
        (Some(doc), _, _) => export(&args, doc),
        (_, Some(doc), _) => import(&args, doc),
        (_, _, Some(community)) => admin_invite(&args, community),
        _ => tokio::runtime::Runtime::new().and_then(|rt| rt.block_on(serve(args))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> std::io::Result<()> {
    refuse_data_inside_dist(&args)?;
    let _lock = DataDirLock::acquire(&args.data)?;
    let mut store = FileStore::open(&args.data)?;
    store.keep_free(args.disk_reserve_bytes);
    let storage_id = store.relay_id(|| uuid::Uuid::new_v4().to_string())?;
    let peer_id = PeerId::new(format!("linli-relay-{}", uuid::Uuid::new_v4().simple()));
    let config = RelayConfig {
        max_frame_bytes: args.max_frame_bytes,
        max_docs_per_connection: args.max_docs_per_connection,
        max_presence_bytes: args.max_presence_bytes,
        presence_rate: RateLimit {
            per_second: args.max_presence_per_second,
            burst: args.max_presence_per_second.saturating_mul(3),
        },
        quotas: Quotas {
            bytes_per_community: args.quota_bytes_per_community,
            documents_per_community: args.quota_documents_per_community,
            bytes_per_member_per_hour: args.quota_bytes_per_member_per_hour,
        },
        ..RelayConfig::default()
    };
    let access = Access::open(&args.data)?.with_ballast(args.ballast_bytes);
    let usage = Usage::count(&mut store, owned_documents(&access))?;
    let rules = CommunityRules::new(access.clone());
    let relay = Relay::with_authorizer(peer_id, storage_id, store, config, rules).with_usage(usage);
    let (hub, _core_thread) = spawn_hub(relay);
    tokio::spawn(hub.clone().sweep_idle_documents_every(IDLE_SWEEP));
    let tickets = Tickets::new(std::time::Duration::from_secs(args.sync_ticket_secs.max(1)));
    let api = AccessApi {
        access: access.clone(),
        hub: hub.clone(),
        open_registration: args.open_registration,
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        tickets: tickets.clone(),
    };
    let endpoint = SyncEndpoint {
        hub,
        access,
        tickets,
        max_frame_bytes: args.max_frame_bytes,
        options: ConnectionOptions {
            rate: RateLimit {
                per_second: args.max_messages_per_second,
                ..RateLimit::default()
            },
            write_timeout: std::time::Duration::from_secs(args.write_timeout_secs),
            outbox: OutboxBudget::new(OutboxLimits {
                per_connection: args.max_queued_bytes_per_connection,
                total: args.max_queued_bytes,
            }),
            ..ConnectionOptions::default()
        },
        sockets: SocketCounter::new(SocketLimits {
            per_member: args.max_sockets_per_member,
            total: args.max_sockets,
        }),
        credential_in_url: args.allow_credential_in_url,
    };
    let limits = http_limits(&args);
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    // Tests and scripts read this line to learn the port (a closed stdout is no error).
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "linli-relay listening on http://{addr}").and_then(|_| stdout.flush());
    drop(stdout);
    tracing::info!(
        %addr,
        data = %args.data.display(),
        dist = %args.dist.display(),
        open_registration = args.open_registration,
        "listening"
    );
    // Compressed copies of the app, in the background: until they exist the
    // files are served as they are.
    let dist = args.dist.clone();
    std::thread::spawn(
        move || match linli_server::precompress::precompress_dir(&dist) {
            Ok(r) => tracing::info!(
                written = r.written,
                up_to_date = r.up_to_date,
                "app files compressed"
            ),
            Err(e) => tracing::warn!(error = %e, "could not write compressed copies of the app"),
        },
    );
    let app = router(&args.dist, endpoint, api);
    linli_server::serve::serve(listener, app, limits, shutdown_signal()).await
}

/// The HTTP limits, with the connection cap lowered to what the open-file limit (raised to
/// its hard limit first) leaves beside the WebSockets and the data files.
fn http_limits(args: &Args) -> HttpLimits {
    let mut max_connections = args.max_connections;
    match raise_open_file_limit() {
        Ok(files) => {
            let reserve = args.max_sockets as u64 + 256;
            let room = files.saturating_sub(reserve).max(64) as usize;
            if room < max_connections {
                tracing::info!(
                    open_files = files,
                    max_connections = room,
                    "the open-file limit leaves room for fewer connections than --max-connections"
                );
                max_connections = room;
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not raise the open-file limit"),
    }
    HttpLimits {
        max_connections,
        header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout_secs.max(1)),
        idle_timeout: std::time::Duration::from_secs(args.idle_timeout_secs.max(1)),
    }
}

/// `(community, document)` for every document the registry says a community owns.
fn owned_documents(access: &Access) -> Vec<(DocumentId, DocumentId)> {
    access.read(|registry| {
        let mut owned = Vec::new();
        for (community, c) in &registry.communities {
            let Ok(community) = community.parse::<DocumentId>() else {
                continue;
            };
            owned.extend(
                c.documents
                    .iter()
                    .filter_map(|d| Some((community, d.parse().ok()?))),
            );
        }
        owned
    })
}

/// Serving the data directory as app files would hand out every document and credential hash.
fn refuse_data_inside_dist(args: &Args) -> std::io::Result<()> {
    let data = std::fs::canonicalize(&args.data).unwrap_or_else(|_| args.data.clone());
    let dist = std::fs::canonicalize(&args.dist).unwrap_or_else(|_| args.dist.clone());
    if data.starts_with(&dist) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "--data ({}) is inside --dist ({}): the relay would serve its own storage; \
                 keep the data directory outside the app directory",
                args.data.display(),
                args.dist.display()
            ),
        ));
    }
    Ok(())
}

fn parse_doc(doc: &str) -> std::io::Result<DocumentId> {
    DocumentId::from_url(doc)
        .or_else(|_| doc.parse())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
}

fn export(args: &Args, doc: &str) -> std::io::Result<()> {
    let id = parse_doc(doc)?;
    let _lock = DataDirLock::acquire(&args.data)?;
    let bytes = backup::export(&mut FileStore::open(&args.data)?, &id)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&bytes)?;
    stdout.flush()
}

fn import(args: &Args, doc: &str) -> std::io::Result<()> {
    let id = parse_doc(doc)?;
    let _lock = DataDirLock::acquire(&args.data)?;
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    let added = backup::import(&mut FileStore::open(&args.data)?, &id, &bytes)?;
    tracing::info!(doc = %id, added, "imported");
    Ok(())
}

/// Writes a one-use admin invite link for `community` to stdout.
fn admin_invite(args: &Args, community: &str) -> std::io::Result<()> {
    let id = parse_doc(community)?;
    let _lock = DataDirLock::acquire(&args.data).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("{e} (stop it, or ask it: POST /api/communities/<id>/admin-invite with --admin-token)"),
        )
    })?;
    let access = Access::open(&args.data)?;
    let hours = linli_server::access::api::OPERATOR_INVITE_HOURS;
    let made = access
        .update(|r| r.operator_invite(&id, Role::Committee, (hours * 3600.0) as u64, unix_now()))
        .map_err(|e| std::io::Error::other(e.message()))?;
    let origin = args.app_url.as_deref().unwrap_or("").trim_end_matches('/');
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{origin}/#/join/{}", made.token)?;
    stdout.flush()?;
    tracing::info!(community = %id, invite = %made.id, hours, "admin invite made: one phone, opened in the app, joins as an admin");
    Ok(())
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down (every change is already stored)");
}
