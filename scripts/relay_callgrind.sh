#!/usr/bin/env bash
# Instructions per sync message of a linli-relay binary under a light, steady load
# (BENCHMARKS.md, "Relay: hostile load", instruction counts). Wall time is not measured:
# callgrind counts the relay's user-space instructions, which a busy machine does not change.
#
#   scripts/relay_callgrind.sh <linli-relay> <load example> <out prefix> [rooms editors every_ms window_s]
#
# Starts the relay under callgrind (fresh data directory, open registration, credential in the
# URL), registers one community, runs `examples/load` against it, waits until every editor is
# connected and 15 s more, zeroes callgrind's counters, lets the load run `window_s` seconds,
# dumps them (`<out prefix>.callgrind`), and prints the relay's sync message counters
# (`/metrics`) read right after the zeroing and right after the dump. STRACE=1 runs the relay
# natively and attaches `strace -c -f` to all its threads for the same window instead
# (syscall counts in `<out prefix>.strace`).
set -euo pipefail

relay=$1
load=$2
out=$3
rooms=${4:-20}
editors=${5:-5}
every=${6:-2000}
window=${7:-60}

data=$(mktemp -d /tmp/relay-cg.XXXXXX)
port=$((20000 + RANDOM % 20000))
http="http://127.0.0.1:$port"
args=(--addr "127.0.0.1:$port" --data "$data/data" --dist "$data/dist-unused" --open-registration)
if "$relay" --help | grep -q -- --max-sockets-per-member; then
    args+=(--max-sockets-per-member 1000000)
fi
export RUST_LOG=warn LINLI_ALLOW_CREDENTIAL_IN_URL=true

if [[ ${STRACE:-0} == 1 ]]; then
    "$relay" "${args[@]}" >"$out.relay.log" 2>&1 &
else
    valgrind --tool=callgrind --callgrind-out-file="$out.callgrind" --dump-instr=no \
        --collect-atstart=yes --separate-threads=no \
        "$relay" "${args[@]}" >"$out.relay.log" 2>&1 &
fi
vg=$!
cleanup() {
    [[ -n ${loadpid:-} ]] && kill "$loadpid" 2>/dev/null || true
    kill -INT "$vg" 2>/dev/null || true
    wait "$vg" 2>/dev/null || true
    rm -rf "$data"
}
trap cleanup EXIT

for _ in $(seq 600); do
    curl -sf "$http/healthz" >/dev/null && break
    sleep 0.5
done

# A community document id: base58check of 16 random bytes, as automerge-repo writes them.
doc=$(python3 - <<'EOF'
import hashlib, os
raw = os.urandom(16)
b = raw + hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4]
alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
n = int.from_bytes(b, "big")
s = ""
while n:
    n, r = divmod(n, 58)
    s = alphabet[r] + s
print("1" * (len(b) - len(b.lstrip(b"\0"))) + s)
EOF
)
credential=$(curl -sf -X POST -H 'content-type: application/json' \
    -d "{\"community_doc_id\":\"$doc\"}" "$http/api/communities" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["credential"])')
url="ws://127.0.0.1:$port/sync?token=$credential"

metric() { curl -sf "$http/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

"$load" "$url" "$rooms" "$editors" "$every" $((window + 120)) >"$out.load.log" 2>&1 &
loadpid=$!
want=$((rooms * editors))
for _ in $(seq 600); do
    c=$(metric linli_connections || echo 0)
    [[ ${c:-0} -ge $want ]] && break
    sleep 1
done
sleep 15
if [[ ${STRACE:-0} == 1 ]]; then
    strace -c -f -o "$out.strace" -p "$vg" 2>/dev/null &
    tracer=$!
else
    callgrind_control -z "$vg" >/dev/null
fi
sleep 1 # /metrics is published every 0.5 s on newer builds
r0=$(metric linli_sync_messages_received_total)
s0=$(metric linli_sync_messages_sent_total)
f0=$(metric linli_frame_seconds_count)
sleep "$window"
if [[ ${STRACE:-0} == 1 ]]; then
    kill -INT "$tracer"
    wait "$tracer" || true
else
    callgrind_control -d "$vg" >/dev/null
fi
sleep 1
r1=$(metric linli_sync_messages_received_total)
s1=$(metric linli_sync_messages_sent_total)
f1=$(metric linli_frame_seconds_count)
echo "window ${window}s: received $((r1 - r0)) sync messages, sent $((s1 - s0)), frames $((f1 - f0))" |
    tee "$out.counts"
