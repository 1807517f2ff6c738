#!/usr/bin/env bash
# Measures what the first load would weigh with the document engine out of the main part
# (issue 14, docs/design/engine-split.md): in a throwaway worktree of HEAD, every
# `Workspace` method that touches a document, the pending-change count and the community
# memo's read of an empty document (before one is open) are made to
# `unreachable!()`, so nothing the main part runs reaches automerge or the domain's document
# code; `trunk build --release` then drops that code, the lazy parts keep theirs. Prints the
# sizes of both builds (`scripts/dist_sizes.mjs`). The stubbed app does not run: sizes only.
#
#   bash scripts/main_part_without_engine.sh [<dist of HEAD as built>]   (default: dist)
#
# Its own cargo target dir (`$CARGO_TARGET_DIR-engine-experiment`): sharing the usual one
# would make cargo take the worktree's build for the checkout's. ~8 min cold on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
ensure_build_tools
dist="${1:-dist}"
[ -f "$dist/index.html" ] || { echo "no built app at $dist: trunk build --release first" >&2; exit 1; }

work="$(mktemp -d)"
trap 'git worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach -q "$work/tree" HEAD

python3 - "$work/tree" <<'EOF'
import sys, re, pathlib
root = pathlib.Path(sys.argv[1])
STUB = '{ unreachable!("experiment: no document engine in the main part") }'
stubs = {
    "app/src/workspace.rs": ["open_doc", "write_as_me", "stash", "peek", "read", "with_doc_store",
                             "with_doc_mut", "read_changes", "apply", "roll_back", "persist"],
    "app/src/sync/pending.rs": ["record", "changes_since"],
}
for file, names in stubs.items():
    path = root / file
    text = path.read_text()
    for name in names:
        m = re.search(r"\bfn " + name + r"\b", text)
        if not m:
            sys.exit(f"{file}: no fn {name} (the experiment needs updating)")
        open_at = text.index("{", m.end())
        depth, i = 0, open_at
        while True:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        text = text[:open_at] + STUB + text[i + 1:]
    path.write_text(text)
# Before a document is open the community memo reads an empty one: that read would stay.
memo = root / "app/src/session/mod.rs"
text = memo.read_text()
empty_read = "None => read(&AutoCommit::new()),"
if empty_read not in text:
    sys.exit("session/mod.rs: no empty-document read (the experiment needs updating)")
memo.write_text(text.replace(empty_read, "None => unreachable!(),"))
EOF

(cd "$work/tree" && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}-engine-experiment" \
  trunk build --release --dist "$work/dist" >/dev/null 2>&1) || {
  echo "the stubbed build failed: run trunk build --release in $work/tree to see why" >&2
  trap - EXIT
  exit 1
}
echo "== HEAD as built ($dist)"
node scripts/dist_sizes.mjs "$dist" | tail -1
echo "== the same with nothing in the main part reaching a document"
node scripts/dist_sizes.mjs "$work/dist" | tail -1
