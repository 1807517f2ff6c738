#!/usr/bin/env bash
# Runs every test: formatting and lints, the domain and protocol tests, the
# relay tests (real binary, real files), and the end-to-end tests in headless
# Chromium against the real relay. Installs any missing tool first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
ensure_test_tools

step() { printf '\n=== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "lints (native crates, then the wasm app)"
cargo clippy --all-targets -- -D warnings
cargo clippy -p linli-app --target wasm32-unknown-unknown -- -D warnings

step "build the app (release, as served) and the relay"
trunk build --release
cargo build -p linli-server

step "tests"
results="$(mktemp)"
cargo test 2>&1 | tee "$results"
fuzz/run.sh 25  # relay fuzzing (libFuzzer, stable Rust): decode + core targets, 25 s each; crash fails

# One closing line with the totals of every cargo test suite above.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i == "passed;") p += $(i - 1); if ($i == "failed;") f += $(i - 1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$results"
rm -f "$results"
