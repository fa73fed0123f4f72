#!/usr/bin/env bash
# A large undo must not freeze any window (issue 18l) for BENCHMARKS.md:
# the release binary on the large data set, two windows served by one
# store server (examples/officebench.rs, part `undo`): A imports 30,000
# residents and takes them back with Ctrl+Z while B types a search. Run
# for each binary given, interleaved (BASE NEW BASE NEW …), each on a
# fresh copy of the large set; then `undocost` (the store's inline undo by
# step size, the threshold `ui::undo::OFF_LOOP`).
#
#   scripts/bench-undo.sh [BIN…]      (default: this tree's release binary)
#
# Uses CARGO_TARGET_DIR if set; keeps the generated data set under
# $CARGO_TARGET_DIR/linli-bench/undo.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
. scripts/lib/large-set.sh

echo "== building (release)"
cargo build --release --quiet --bin linli --example officebench --example undocost
BIN=$TARGET/release/linli
PROBE=$TARGET/release/examples/officebench
BINS=("$@")
[ ${#BINS[@]} -gt 0 ] || BINS=("$BIN")

large_set undo
machine

WORK=$ROOT/work
mkdir -p "$ROOT"
CSV=$ROOT/res30k.csv
python3 - "$CSV" <<'PY'
import sys
sur, giv = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("姓名,电话,小区,楼栋,单元,室,网格,标签,备注\n")
    for i in range(30000):
        name = sur[i % len(sur)] + giv[(i // len(sur)) % len(giv)] + giv[(i // (len(sur) * len(giv))) % len(giv)]
        f.write(f"{name},19{i:09d},幸福小区,{i % 40 + 1}栋,{i % 6 + 1}单元,{i + 101},第{i % 12 + 1}网格,独居老人,第{i}行导入\n")
PY
n=0
for b in "${BINS[@]}"; do
    n=$((n + 1))
    echo "== undo while another types: $b (run $n)"
    rm -rf "$WORK"
    mkdir -p "$WORK"
    cp -a "$PRISTINE/data" "$WORK/data"
    rm -f "$WORK/data/linli.sock"
    "$PROBE" "$b" "$WORK/data" undo "$CSV"
done
echo "== the store's inline undo by step size (load $(cut -d' ' -f1-3 /proc/loadavg))"
rm -rf "$WORK"
mkdir -p "$WORK"
cp -a "$PRISTINE/data" "$WORK/data"
"$TARGET/release/examples/undocost" "$WORK/data"
rm -rf "$WORK"
