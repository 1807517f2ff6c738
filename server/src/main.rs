//! `linli-relay`: serves the 邻里 app and syncs its documents.
//!
//! ```text
//! linli-relay [--addr 127.0.0.1:8080] [--data ./data] [--dist ./dist]
//! linli-relay --database postgres://user@host/db [--addr …]   (a node; several may share it)
//! linli-relay --data ./data --export automerge:<id> > backup.automerge
//! linli-relay --data ./data --import automerge:<id> < backup.automerge
//! linli-relay --data ./data --admin-invite <community id> [--app-url https://…]
//! ```

mod args;
mod commands;
mod logging;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use linli_server::access::api::AccessApi;
use linli_server::access::tickets::Tickets;
use linli_server::access::{Access, CommunityRules};
use linli_server::core::{Quotas, Relay, RelayConfig, Usage};
use linli_server::database::PgStore;
use linli_server::http::router;
use linli_server::resident::{ResidentPages, TrackingKey};
use linli_server::serve::{raise_open_file_limit, HttpLimits};
use linli_server::storage::{DataDirLock, FileStore};
use linli_server::transport::websocket::SyncEndpoint;
use linli_server::transport::{
    spawn_hub, ConnectionOptions, HubHandle, OutboxBudget, OutboxLimits, RateLimit, SocketCounter,
    SocketLimits,
};
use linli_shared::wire::{DocumentId, PeerId};

/// A document with connected peers but no traffic for one to two of these leaves memory.
const IDLE_SWEEP: std::time::Duration = std::time::Duration::from_secs(60);

use args::Args;

fn main() -> ExitCode {
    logging::init();
    let args = Args::parse();
    let result = match (&args.export, &args.import, &args.admin_invite) {
        (Some(doc), _, _) => commands::export(&args, doc),
        (_, Some(doc), _) => commands::import(&args, doc),
        (_, _, Some(community)) => commands::admin_invite(&args, community),
        _ if args.move_into_database.is_some() => commands::move_into_database(&args),
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
    let config = relay_config(&args);
    let (hub, access, tracking, _lock) = match &args.database {
        Some(url) => start_on_database(url, config)?,
        None => start_on_data_dir(&args, config)?,
    };
    tokio::spawn(hub.clone().sweep_idle_documents_every(IDLE_SWEEP));
    let tickets = Tickets::new(std::time::Duration::from_secs(args.sync_ticket_secs.max(1)));
    let api = AccessApi {
        access: access.clone(),
        hub: hub.clone(),
        open_registration: args.open_registration,
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        tickets: tickets.clone(),
    };
    let residents = ResidentPages::new(access.clone(), hub.clone(), tracking)
        .trusting(args.trusted_proxy.clone());
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
    if args.dist.join("index.html").is_file() {
        compress_app_in_background(args.dist.clone());
    } else {
        tracing::warn!(
            dist = %args.dist.display(),
            "no app to serve (no index.html under --dist): only sync and the API answer; \
             build the app with `trunk build --release` or point --dist at it"
        );
    }
    let app = router(&args.dist, endpoint, api, residents);
    linli_server::serve::serve(listener, app, limits, shutdown_signal()).await
}

/// Compressed copies of the app, written in the background: until they exist the files are
/// served as they are.
fn compress_app_in_background(dist: std::path::PathBuf) {
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
}

fn relay_config(args: &Args) -> RelayConfig {
    RelayConfig {
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
    }
}

/// The relay on its data directory: documents, registry and keys in files there.
fn start_on_data_dir(args: &Args, config: RelayConfig) -> std::io::Result<Started> {
    let lock = DataDirLock::acquire(&args.data)?;
    let mut store = FileStore::open(&args.data)?;
    store.keep_free(args.disk_reserve_bytes);
    let storage_id = store.relay_id(|| uuid::Uuid::new_v4().to_string())?;
    let access = Access::open(&args.data)?.with_ballast(args.ballast_bytes);
    let usage = Usage::count(&mut store, owned_documents(&access))?;
    let rules = CommunityRules::new(access.clone());
    let relay =
        Relay::with_authorizer(peer_id(), storage_id, store, config, rules).with_usage(usage);
    let (hub, _core_thread) = spawn_hub(relay);
    let tracking = TrackingKey::open(&args.data)?;
    Ok((hub, access, tracking, Some(lock)))
}

/// A relay node on a PostgreSQL database (`--database`): it keeps nothing of its own, and
/// listens for what other nodes on the database change.
fn start_on_database(url: &str, config: RelayConfig) -> std::io::Result<Started> {
    let mut store = PgStore::open(url)?;
    let storage_id = store.relay_id(|| uuid::Uuid::new_v4().to_string())?;
    let key = store.setting("resident-key", || TrackingKey::random().to_bytes().to_vec())?;
    let tracking = TrackingKey::from_bytes(&key).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "resident-key is not 32 bytes",
        )
    })?;
    let node = store.node().to_string();
    let access = Access::open_database(url)?;
    let usage = Usage::count(&mut store, owned_documents(&access))?;
    let rules = CommunityRules::new(access.clone());
    let relay =
        Relay::with_authorizer(peer_id(), storage_id, store, config, rules).with_usage(usage);
    let (hub, _core_thread) = spawn_hub(relay);
    let (cut_off, mut to_close) = tokio::sync::mpsc::unbounded_channel::<String>();
    access.on_cut_off(cut_off);
    let closer = hub.clone();
    tokio::spawn(async move {
        while let Some(member) = to_close.recv().await {
            tracing::info!(member = %member, "member revoked on another node");
            closer.close_member(&member).await;
        }
    });
    linli_server::database::listen::spawn(url.to_string(), node, access.clone(), hub.clone());
    Ok((hub, access, tracking, None))
}

/// The hub, the registry, the tracking key and (on a data directory) its lock.
type Started = (HubHandle, Access, TrackingKey, Option<DataDirLock>);

fn peer_id() -> PeerId {
    PeerId::new(format!("linli-relay-{}", uuid::Uuid::new_v4().simple()))
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
        for (community, c) in registry.communities() {
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
