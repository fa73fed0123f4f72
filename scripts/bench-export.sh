#!/usr/bin/env bash
# The export's and the monthly report's time in the app (issue 19p): a release binary on a copy
# of a data dir (a prepared one: see PREP in scripts/bench-memory.sh), 80x24 in tmux. Enter on the
# export screen (the requests, XLSX or CSV) until "已导出" is on the screen, then Enter on the
# monthly report until its "办结率" line is; the load average at the start and the peak (VmHWM).
#
#   scripts/bench-export.sh BIN DATA [csv]
#
# BIN must be an absolute path. Needs tmux and bc. Linux only (/proc).
set -uo pipefail
B=$1; BASE=$2; FMT=${3:-xlsx}
W=$(mktemp -d); D=$W/data; T="tmux -L linli-exp-$$"
trap '$T kill-server 2>/dev/null; rm -rf "$W"' EXIT
cp -a "$BASE" "$D"; rm -f "$D/linli.sock"
$T new -d -s a -x 80 -y 24 "LINLI_NOW=2026-11-24T10:00:00 LINLI_ALONE=1 $B --data-dir $D; sleep 120"
sleep 6; P=$(pgrep -f "^$B --data-dir $D" | head -1)
k() { $T send-keys -t a "$@"; sleep 1; }
upto() { for _ in $(seq 1 1500); do $T capture-pane -p -t a | grep -q "$1" && return 0; sleep 0.02; done; echo "no '$1' on the screen"; exit 1; }
k Enter; sleep 3; k B; k 3; [ "$FMT" = csv ] && k t
l0=$(cut -d' ' -f1 /proc/loadavg)
t0=$(date +%s.%N); $T send-keys -t a Enter; upto 已导出; t1=$(date +%s.%N)
k Escape; k 5; t2=$(date +%s.%N); $T send-keys -t a Enter; upto 办结率; t3=$(date +%s.%N)
n=$(ls "$D/exports/" | grep -c "\.$FMT$")
[ "$n" = 1 ] || { echo "expected one .$FMT in exports/, found $n"; exit 1; }
printf "%-16s %-4s export %.2f s  report %.2f s  load %s  VmHWM %s MB\n" "$(basename "$B")" "$FMT" \
  "$(echo "$t1 - $t0" | bc)" "$(echo "$t3 - $t2" | bc)" "$l0" "$(awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$P/status")"
k Escape; k Escape; k q; sleep 2
