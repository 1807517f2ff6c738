#!/usr/bin/env bash
# Two relay nodes on one local PostgreSQL, serving the app at http://127.0.0.1:8080 and
# http://127.0.0.1:8081 (a phone on either sees the other's edits live). PostgreSQL is
# Debian's (installed if missing); its cluster lives in $LINLI_PGDATA (default
# /var/tmp/linli-pgdata), made on first run, listening on 127.0.0.1:$LINLI_PG_PORT (55432).
# Ctrl-C stops both nodes and the cluster. Open registration (local use).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
ensure_build_tools
ensure_postgres

trunk build --release
cargo build --release -p linli-server

pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
pgdata="${LINLI_PGDATA:-/var/tmp/linli-pgdata}"
port="${LINLI_PG_PORT:-55432}"
# PostgreSQL refuses to run as root: as root, the cluster is the postgres user's.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$pgdata/PG_VERSION" ]; then
  mkdir -p "$pgdata"
  if [ "$(id -u)" = 0 ]; then chown postgres "$pgdata"; fi
  as_pg "$pgbin/initdb" -D "$pgdata" -A trust -U linli --locale=C -E UTF8 >/dev/null
fi
as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w \
  -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
url="postgres://linli@127.0.0.1:$port/postgres"

relay="$CARGO_TARGET_DIR/release/linli-relay"
pids=()
stop() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  as_pg "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null || true
}
trap stop EXIT INT TERM
for addr in 127.0.0.1:8080 127.0.0.1:8081; do
  "$relay" --addr "$addr" --database "$url" --dist "${LINLI_DIST:-dist}" --open-registration &
  pids+=($!)
done
wait -n "${pids[@]}"
