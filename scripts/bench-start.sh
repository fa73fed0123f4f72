#!/usr/bin/env bash
# Start-up of a release binary on a copy of a data dir (BENCHMARKS.md
# "Stop 25"): alone and as the day's first window (it starts the store
# server), each with a warm and a cold page cache; examples/procbench in an
# 80x24 pty, n = 5 a mode, a fresh copy of DATA per mode, opened once with
# `linli info` first (as the evening before).
#
#   scripts/bench-start.sh BIN DATA [LABEL]
#
# Never replace a data dir while its server runs: a server still ending
# writes sled's files by path into the new copy. This script waits.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "$1"); DATA=$(realpath "$2"); LABEL=${3:-$(basename "$BIN")}
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --quiet --example procbench
PB=$TARGET/release/examples/procbench
RUN=$(mktemp -d)/data
trap 'rm -rf "$(dirname "$RUN")"' EXIT
for mode in "LINLI_ALONE=1" "LINLI_ALONE=1 PROCBENCH_COLD=1" "SERVED=1" "PROCBENCH_COLD=1"; do
    while pgrep -f "$RUN.*serve" >/dev/null; do sleep 0.5; done
    rm -rf "$RUN"; cp -a "$DATA" "$RUN"; rm -f "$RUN/linli.sock"
    LINLI_ALONE=1 "$BIN" --data-dir "$RUN" info >/dev/null 2>&1
    echo "== $LABEL $mode (load $(cut -d' ' -f1 /proc/loadavg))"
    # shellcheck disable=SC2086
    env $mode "$PB" "$BIN" "$RUN" 5 | grep -E "spawn →|read from the disk until" | cut -d'|' -f2-6
done
while pgrep -f "$RUN.*serve" >/dev/null; do sleep 0.5; done
