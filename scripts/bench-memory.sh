#!/usr/bin/env bash
# Memory through a day's use (issue 19; BENCHMARKS.md "Memory through a day's use"): a release
# binary on a copy of a data dir (e.g. `linli gen --size large`), driven in tmux at 80x24; VmRSS
# and VmHWM (the peak so far) from /proc after each step.
#
#   scripts/bench-memory.sh BIN DATA day     # alone: start, panels 1-4 and their views, the
#                                            # overview, an XLSX export of the requests, the monthly
#                                            # report, an import preview of 30,000 residents, the import,
#                                            # its undo (Ctrl+Z), then a search for 楼
#   scripts/bench-memory.sh BIN DATA server  # the store server: one window visits 2 3 4 1 0, two more
#                                            # join and visit every panel (the server's RSS)
#   scripts/bench-memory.sh BIN DATA stale   # a start without a usable saved index (removed): RSS
#                                            # every 2 s while it is rebuilt, then panels 3 and 4
#
#   PREP=1 scripts/bench-memory.sh BIN DATA day|server|stale
#                                            # first "yesterday" on the same copy, not measured: a start,
#                                            # panel 3 through its views (to 考评), panel 4, quit: what the
#                                            # binary saves at quit (the saved index; since issue 19g the
#                                            # daily log's, the roster's and the 考评 figures' copies) is
#                                            # there, as on any day after the first
#
# BIN must be an absolute path. Needs tmux and python3 (writes the CSV). Linux only (/proc).
set -uo pipefail
B=$1; BASE=$2; WHAT=${3:-day}
W=$(mktemp -d); D=$W/data; T="tmux -L linli-mem-$$"
P=
# (the app saves on SIGHUP: wait for it to end before removing its data dir)
leave() {
  $T kill-server 2>/dev/null
  for _ in $(seq 1 60); do { [ -n "$P" ] && kill -0 "$P" 2>/dev/null; } || break; sleep 0.5; done
  rm -rf "$W"
}
trap leave EXIT
cp -a "$BASE" "$D"; rm -f "$D/linli.sock"
python3 - "$W/res30k.csv" <<'PY'
import sys
sur, giv = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("姓名,电话,小区,楼栋,单元,室,网格,标签,备注\n")
    for i in range(30000):
        name = sur[i % len(sur)] + giv[(i // len(sur)) % len(giv)] + giv[(i // (len(sur) * len(giv))) % len(giv)]
        f.write(f"{name},19{i:09d},幸福小区,{i % 40 + 1}栋,{i % 6 + 1}单元,{i + 101},第{i % 12 + 1}网格,独居老人,第{i}行导入\n")
PY
ENV="LINLI_NOW=2026-11-24T10:00:00"
if [ -n "${PREP:-}" ]; then
  $T new -d -s prep -x 80 -y 24 "$ENV LINLI_ALONE=1 $B --data-dir $D; sleep 600"
  sleep 6; $T send-keys -t prep Enter; sleep 1; $T send-keys -t prep 3; sleep 5
  for _ in 1 2 3 4 5 6; do $T send-keys -t prep ']'; sleep 2; done
  sleep 4; $T send-keys -t prep 4; sleep 5; $T send-keys -t prep q; sleep 10
  $T kill-session -t prep
  echo "prepared: $(cd "$D" && ls -- *.snapshot | tr '\n' ' ')"
fi
m() { printf "%-26s %s\n" "$1" "$(awk '/VmRSS|VmHWM/ {printf "%s %.1f  ", $1, $2/1024}' "/proc/$P/status")"; }
k() { $T send-keys -t "${WIN:-a}" "$@"; sleep "${S:-1}"; }
case $WHAT in
day)
  $T new -d -s a -x 80 -y 24 "$ENV LINLI_ALONE=1 $B --data-dir $D; sleep 600"
  sleep 6; P=$(pgrep -f "^$B --data-dir $D" | head -1)
  m start
  k Enter; S=3 k 1; m "1 requests"
  k /; k -l 楼; k -l 道; S=2 k Escape; m "search 楼道"
  S=3 k 2; m "2 residents"
  S=3 k 3; m "3 duties"
  for _ in 1 2 3 4 5 6; do S=2 k ']'; done; m "duty views (to 考评)"
  S=3 k 4; m "4 volunteers"
  for _ in 1 2 3 4 5; do S=2 k Right; done; m "volunteer views"
  S=3 k 0; m "0 overview"
  k Escape; k B; k 3; k Enter; sleep 14; m "export requests XLSX"
  k Escape; k 5; k Enter; sleep 6; m "monthly report"
  k Escape; k Escape; k B; k 4; k -l "$W/res30k.csv"; k Enter; sleep 6; m "import preview 30,000"
  $T capture-pane -p -t a | sed -n 4p
  k y; sleep 8; m "import 30,000"
  $T capture-pane -p -t a | sed -n 4p
  # (three: the import's screen, the data screen's menu, one the terminal may swallow)
  k Escape; k Escape; k Escape; k C-z; sleep 10; m "undo of the import"
  $T capture-pane -p -t a | grep -m1 -o '已撤销[^│]*' || echo "(no 已撤销 on the screen)"
  # the day goes on: the first search after it builds the residents' lists again (19zg)
  k Escape; S=3 k 1; k /; S=4 k -l 楼; m "search 楼 after the undo"
  $T capture-pane -p -t a | grep -m1 -o '[0-9]* 条[^│]*' || echo "(no count on the screen)"
  k q; sleep 15
  ;;
server)
  srv() { pgrep -f "^$B --data-dir $D --lang zh serve" | head -1; }
  start() { $T new -d -s "$1" -x 80 -y 24 "$ENV $B --data-dir $D; sleep 600"; }
  start a; sleep 8; P=$(srv); k Enter; m "window 1 joined"
  for p in 2 3 4 1 0; do S=3 k $p; m "window 1 panel $p"; done
  k Escape
  for c in b c; do
    start $c; sleep 3; WIN=$c k Enter
    for p in 2 3 4 1; do WIN=$c S=3 k $p; done
    m "window $c every panel"
  done
  $T kill-server; sleep 25
  ;;
stale)
  rm -f "$D/index.snapshot"
  $T new -d -s a -x 80 -y 24 "$ENV LINLI_ALONE=1 $B --data-dir $D; sleep 600"
  sleep 1; P=$(pgrep -f "^$B --data-dir $D" | head -1)
  for i in $(seq 1 15); do sleep 2; m "t=$((i * 2)) s"; done
  k Enter; S=4 k 3; m "3 duties"; S=4 k 4; m "4 volunteers"
  k q; sleep 15
  ;;
esac
