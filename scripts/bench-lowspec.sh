#!/usr/bin/env bash
# The whole-process figures (scripts/bench-process.sh) on a "low-spec PC":
# pinned to one core with taskset, in a memory cgroup capped at 512 MB
# (cgroup v1 here; the cap includes the page cache of the files the script
# copies, so it is stricter than an RSS limit). Needs root for the cgroup.
#
#   scripts/bench-lowspec.sh [RUNS]       (default 3 cold starts)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
# build and generate the data set first, outside the limit: the generator
# (not the app) holds the whole large set in memory
PREPARE_ONLY=1 bash scripts/bench-process.sh
CG=/sys/fs/cgroup/memory/linli-lowspec
if [ -d /sys/fs/cgroup/memory ] && mkdir -p "$CG" 2>/dev/null; then
    echo $((512 * 1024 * 1024)) > "$CG/memory.limit_in_bytes"
    echo "== one core (taskset -c 0), memory cgroup limit $(cat "$CG/memory.limit_in_bytes") bytes"
    sh -c "echo \$\$ > $CG/cgroup.procs; exec taskset -c 0 bash scripts/bench-process.sh $RUNS"
    echo "cgroup peak usage (RSS + page cache): $(cat "$CG/memory.max_usage_in_bytes") bytes"
else
    echo "== no writable memory cgroup here: one core only (taskset -c 0)"
    taskset -c 0 bash scripts/bench-process.sh "$RUNS"
fi
