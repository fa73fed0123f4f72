#!/usr/bin/env bash
# The whole office at once (issue 18, "Measured") for BENCHMARKS.md: the
# release binary on the large data set, several terminals on one store
# through the store server (examples/officebench.rs):
#   pty   5 clients typing a search at once (vs 1 served, vs LINLI_ALONE=1),
#         a save seen on the other screens, server and client memory with
#         0/1/5 clients, idle CPU, bytes per selection move (≈ 9 minutes loaded)
#   load  10 clients × 1,000 new requests each through the socket, then
#         `linli check` and the request count (≈ 12 minutes at load 10)
#
#   scripts/bench-office.sh [pty|load|all] [CLIENTS SAVES]   (default all; 10 1000)
#
# Uses CARGO_TARGET_DIR if set; keeps the generated data set under
# $CARGO_TARGET_DIR/linli-bench/office and works on a fresh copy per part.
set -euo pipefail
cd "$(dirname "$0")/.."
PART=${1:-all}
CLIENTS=${2:-10}
SAVES=${3:-1000}
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
. scripts/lib/large-set.sh

echo "== building (release)"
cargo build --release --quiet --bin linli --example officebench
BIN=$TARGET/release/linli
PROBE=$TARGET/release/examples/officebench

large_set office
machine

WORK=$ROOT/work
fresh() {
    rm -rf "$WORK"
    mkdir -p "$WORK"
    cp -r "$PRISTINE/data" "$WORK/data"
}
if [ "$PART" = pty ] || [ "$PART" = all ]; then
    echo "== parts 1–4: ptys (release binary, 80×24)"
    fresh
    "$PROBE" "$BIN" "$WORK/data" pty
fi
if [ "$PART" = load ] || [ "$PART" = all ]; then
    echo "== part 5: load run, $CLIENTS clients × $SAVES saves"
    fresh
    "$PROBE" "$BIN" "$WORK/data" load "$CLIENTS" "$SAVES"
    echo "store after the load run: $(du -sh "$WORK/data" | cut -f1)"
fi
rm -rf "$WORK"
