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
SEED=20261124
TODAY=2026-11-24

echo "== building (release)"
cargo build --release --quiet --bin linli --example procbench
BIN=$TARGET/release/linli
PROBE=$TARGET/release/examples/procbench

ROOT=$TARGET/linli-bench/process
PRISTINE=$ROOT/large
# the data set depends on the generator and the store's code: regenerate when they change
STAMP="seed=$SEED today=$TODAY $(find src/cli src/demo src/store src/domain -name "*.rs" -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
if [ ! -f "$PRISTINE/READY" ] || [ "$(cat "$PRISTINE/READY")" != "$STAMP" ]; then
    echo "== generating the large data set (once)"
    rm -rf "$PRISTINE"
    mkdir -p "$PRISTINE"
    "$BIN" gen --size large --seed "$SEED" --today "$TODAY" --data-dir "$PRISTINE/data"
    echo "$STAMP" > "$PRISTINE/READY"
fi
# the low-spec profile prepares the data set outside its memory limit (the
# generator holds the whole set in memory: ~0.9 GB)
if [ -n "${PREPARE_ONLY:-}" ]; then
    exit 0
fi
WORK=$ROOT/work
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$PRISTINE/data" "$WORK/data"

echo "== machine"
date
echo "cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
free -h | sed -n 1,2p
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== store on disk (large set, as generated)"
du -sh "$PRISTINE/data/store"
du -sh --apparent-size "$PRISTINE/data/store"

echo "== whole process ($RUNS cold starts; files in the page cache after the first)"
"$PROBE" "$BIN" "$WORK/data" "$RUNS"
echo
echo "store after the session: $(du -sh "$WORK/data/store" | cut -f1)"
