#!/usr/bin/env bash
# Builds the app and the relay, then serves both at http://127.0.0.1:8080
# (WebSocket sync at ws://127.0.0.1:8080/sync, documents stored in ./data).
# Open registration: any phone may register a new community (local use).
# Installs any missing tool first (see scripts/tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
ensure_build_tools

trunk build --release
cargo build --release -p linli-server
exec "$CARGO_TARGET_DIR/release/linli-relay" \
  --addr "${LINLI_ADDR:-127.0.0.1:8080}" \
  --data "${LINLI_DATA:-data}" \
  --dist "${LINLI_DIST:-dist}" \
  --open-registration
