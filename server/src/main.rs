//! `linli-relay`: serves the 邻里 app and syncs its documents.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use linli_server::core::{Relay, RelayConfig};
use linli_server::http::router;
use linli_server::storage::FileStore;
use linli_server::transport::spawn_hub;
use linli_server::transport::websocket::SyncEndpoint;
use linli_shared::wire::PeerId;
use tracing_subscriber::EnvFilter;

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
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let runtime = tokio::runtime::Runtime::new().expect("starting the async runtime");
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> std::io::Result<()> {
    let store = FileStore::open(&args.data)?;
    let storage_id = store.relay_id(|| uuid::Uuid::new_v4().to_string())?;
    let peer_id = PeerId::new(format!("linli-relay-{}", uuid::Uuid::new_v4().simple()));
    let config = RelayConfig {
        max_frame_bytes: args.max_frame_bytes,
        max_docs_per_connection: args.max_docs_per_connection,
        ..RelayConfig::default()
    };
    let (hub, _core_thread) = spawn_hub(Relay::new(peer_id, storage_id, store, config));
    let endpoint = SyncEndpoint {
        hub,
        max_frame_bytes: args.max_frame_bytes,
    };
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    // Tests and scripts read this line to learn the port.
    println!("linli-relay listening on http://{addr}");
    tracing::info!(%addr, data = %args.data.display(), dist = %args.dist.display(), "listening");
    axum::serve(listener, router(&args.dist, endpoint))
        .with_graceful_shutdown(shutdown_signal())
        .await
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
