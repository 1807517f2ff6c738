#!/usr/bin/env bash
# Installs, if missing, every tool the build and the tests need, at pinned versions.
# Idempotent: a second run checks versions and returns in seconds.
# Sourced by scripts/run.sh and scripts/test.sh; sets PATH for them.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal wasm-bindgen in Cargo.lock
BINARYEN_VERSION=132.0.0       # npm package; Debian's binaryen breaks the wasm
AUTOMERGE_REPO_VERSION=2.5.6   # JS peer for the interop test
WASM_SPLIT_VERSION=0.2.3       # wasm_split_cli_support: cuts the app's lazy parts (issue 14)
TOOLS_DIR="${LINLI_TOOLS:-$HOME/.cache/linli-tools}"
# Build output outside the checkout, so a fresh clone (as in CI) reuses earlier
# builds instead of compiling every dependency again. Override to taste.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/linli-target}"
WASM_SPLIT_ROOT="$TOOLS_DIR/wasm-split-$WASM_SPLIT_VERSION"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$WASM_SPLIT_ROOT/bin:$PATH"

log() { printf '[tools] %s\n' "$*" >&2; }

have_version() { # cmd expected-substring
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown && return
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  have_version trunk "$TRUNK_VERSION" && return
  log "installing trunk $TRUNK_VERSION (slow: ~15 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

ensure_wasm_bindgen() {
  have_version wasm-bindgen "$WASM_BINDGEN_VERSION" && command -v wasm-bindgen-test-runner >/dev/null && return
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~7 min)"
  # not --locked: its lockfile pins a crate version the registry lacks
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
}

ensure_wasm_split() {
  # Trunk's post_build hook (scripts/split_wasm.mjs) runs it; its version pairs with
  # wasm_split_helpers in Cargo.lock. Kept in a root of its own version, on PATH above.
  [ -x "$WASM_SPLIT_ROOT/bin/wasm-split-cli" ] && return
  log "installing wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli, ~6 min)"
  cargo install --locked "wasm_split_cli_support@$WASM_SPLIT_VERSION" --features build-binary --root "$WASM_SPLIT_ROOT"
}

ensure_npm_tools() {
  if have_version wasm-opt "version $((${BINARYEN_VERSION%%.*}))" \
     && [ -f "$TOOLS_DIR/node_modules/@automerge/automerge-repo/package.json" ] \
     && [ -f "$TOOLS_DIR/node_modules/@automerge/automerge-repo-network-websocket/package.json" ]; then
    return
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  log "installing binaryen@$BINARYEN_VERSION and automerge-repo@$AUTOMERGE_REPO_VERSION from npm into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  [ -f "$TOOLS_DIR/package.json" ] || echo '{"name":"linli-tools","private":true}' > "$TOOLS_DIR/package.json"
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --loglevel=error \
      "binaryen@$BINARYEN_VERSION" \
      "@automerge/automerge-repo@$AUTOMERGE_REPO_VERSION" \
      "@automerge/automerge-repo-network-websocket@$AUTOMERGE_REPO_VERSION" "ws@8.23.0")
}

APT_UPDATED=0
apt_install() {
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ $APT_UPDATED = 0 ]; then $sudo apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_chromium() {
  # A CJK font, so test screenshots show the Chinese UI rather than empty boxes.
  command -v chromium >/dev/null && command -v chromedriver >/dev/null \
    && [ -d /usr/share/fonts/truetype/wqy ] && return
  log "installing chromium, chromium-driver and a CJK font from Debian"
  apt_install chromium chromium-driver fonts-wqy-zenhei
}

ensure_postgres() {
  # Server binaries only: the tests start their own throwaway clusters
  # (tests/kit/src/postgres.rs), so the system service must not run.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && return
  log "installing postgresql from Debian (the tests start their own clusters)"
  apt_install postgresql
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo service postgresql stop >/dev/null 2>&1 || true
}

ensure_build_tools() { ensure_wasm_target; ensure_trunk; ensure_wasm_bindgen; ensure_wasm_split; ensure_npm_tools; }
ensure_test_tools() { ensure_build_tools; ensure_chromium; ensure_postgres; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-test}" in
    build) ensure_build_tools ;;
    *) ensure_test_tools ;;
  esac
  log "all tools present"
fi
