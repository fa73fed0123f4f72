#!/usr/bin/env bash
# Whole-process figures for BENCHMARKS.md (issue 8): the release binary on the
# large data set, in an 80×24 pseudo-terminal (examples/procbench.rs):
# cold start to the first frame, time to a usable search, peak and steady
# RSS, CPU while idle, bytes written to the terminal per key; and the size of
# the store on disk. Takes about a minute once built (the first build of the
# release binary takes a few minutes on 2 cores).
#
#   scripts/bench-process.sh [RUNS]        (default 10 cold starts)
#
# Uses CARGO_TARGET_DIR if set; keeps the generated data set under
# $CARGO_TARGET_DIR/linli-bench/process and reuses it while the generator and
# store code are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
. scripts/lib/large-set.sh

echo "== building (release)"
cargo build --release --quiet --bin linli --example procbench
BIN=$TARGET/release/linli
PROBE=$TARGET/release/examples/procbench

large_set process
# the low-spec profile prepares the data set outside its memory limit (the
# generator holds the whole set in memory: ~0.9 GB)
if [ -n "${PREPARE_ONLY:-}" ]; then
    exit 0
fi
WORK=$ROOT/work
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$PRISTINE/data" "$WORK/data"

machine

echo "== store on disk (large set, as generated)"
du -sh "$PRISTINE/data/store"
du -sh --apparent-size "$PRISTINE/data/store"

echo "== whole process ($RUNS cold starts; files in the page cache after the first)"
"$PROBE" "$BIN" "$WORK/data" "$RUNS"
echo
echo "store after the session: $(du -sh "$WORK/data/store" | cut -f1)"
