#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer on stable Rust and runs each for a bounded time.
#   fuzz/run.sh [seconds per target, default 25] [target…]   (targets: decode relay)
# cargo-fuzz is not needed: its coverage flags are stable rustc flags; only its sanitizer
# option needs nightly, and the relay is safe Rust. The corpus grows in fuzz/corpus/<target>
# (not committed beyond the seeds); crashes land in fuzz/artifacts/<target>/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-25}"; shift || true
targets=("${@:-decode}"); [ $# -gt 0 ] || targets=(decode relay)
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# Outside the checkout (like scripts/tools.sh does for the main build): a fresh
# clone, as in CI, reuses the instrumented build instead of compiling it again.
export CARGO_TARGET_DIR="${LINLI_FUZZ_TARGET:-$HOME/.cache/linli-fuzz-target}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
# An explicit --target keeps RUSTFLAGS off build scripts and proc macros (no libFuzzer there).
cargo build --release --bins --target "$triple"
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t" "seeds/$t"
  echo "fuzz: $t for ${secs}s"
  log="artifacts/$t/last-run.log"
  rc=0
  "$CARGO_TARGET_DIR/$triple/release/$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 "corpus/$t" "seeds/$t" >"$log" 2>&1 || rc=$?
  grep -E '^(#[0-9]+ +DONE|stat::(number_of_executed_units|average_exec_per_sec))' "$log" || true
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$log"
    echo "fuzz: $t failed (exit $rc); the input is in fuzz/artifacts/$t/"
    exit 1
  fi
done
