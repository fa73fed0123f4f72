#!/usr/bin/env bash
# Whole-process side-by-side with taskwarrior (issue 8, item 6): the large
# data set's 100,000 requests imported into taskwarrior (Debian package
# `taskwarrior`), then, on the same records and in the same run:
#
#   start and list   task list limit:50      | linli cold start to the first frame (procbench)
#   search           task /楼道/ list, count  | linli spawn → usable search, then per key (procbench)
#   add one          task add …              | examples/add_one.rs (opens the store, logs one request
#                                              as the app's form does: one durable save, exits); and
#                                              linli stress --count 1 (the hidden crash-test command:
#                                              also counts the residents by a scan and assigns the
#                                              request, a second durable save)
#   disk             taskwarrior's data files | linli's data dir (store, saved copies): the whole large set, and one holding
#                                              only the same workers, residents and requests
#
#   scripts/bench-taskwarrior.sh [RUNS]     (default 10 runs of each taskwarrior/linli command;
#                                            procbench gets 3 cold starts)
#
# Uses CARGO_TARGET_DIR if set. The large data set is made and reused exactly
# as scripts/bench-process.sh does ($CARGO_TARGET_DIR/linli-bench/process);
# the export and the taskwarrior import are kept under
# $CARGO_TARGET_DIR/linli-bench/taskwarrior and reused while the data set
# and taskwarrior's version are unchanged (FRESH=1 redoes them). The import
# of 100,000 tasks is setup, timed per chunk of 10,000 and reported.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
SEARCH=楼道 # the word procbench types into linli's search line

if ! command -v task >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "== installing taskwarrior"
        apt-get install -y taskwarrior >/dev/null || { apt-get update >/dev/null && apt-get install -y taskwarrior >/dev/null; }
    else
        echo "taskwarrior is not installed; as root: apt-get install -y taskwarrior (then run this again)"
        exit 0
    fi
fi
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
    else
        echo "/usr/bin/time is missing; as root: apt-get install -y time (then run this again)"
        exit 0
    fi
fi

echo "== building (release)"
cargo build --release --quiet --bin linli --example procbench --example taskwarrior_export --example add_one
BIN=$TARGET/release/linli
PROBE=$TARGET/release/examples/procbench
EXPORT=$TARGET/release/examples/taskwarrior_export
ADD_ONE=$TARGET/release/examples/add_one

# ---- the large data set, made (once) and stamped by scripts/bench-process.sh --
PREPARE_ONLY=1 bash scripts/bench-process.sh
ROOT=$TARGET/linli-bench/process
PRISTINE=$ROOT/large
STAMP=$(cat "$PRISTINE/READY")

# ---- export, linli's requests-only store, taskwarrior import ----------------
TWROOT=$TARGET/linli-bench/taskwarrior
TWSTAMP="$STAMP $(task --version) $(sha256sum examples/taskwarrior_export.rs | cut -c1-16)"
write_rc() { # write_rc RCFILE DATADIR
    cat > "$1" <<EOF
data.location=$2
confirmation=no
verbose=nothing
gc=on
hooks=off
recurrence=off
json.array=on
color=off
uda.rid.type=string
uda.rid.label=编号
uda.detail.type=string
uda.detail.label=内容
uda.location.type=string
uda.location.label=地点
uda.resident.type=string
uda.resident.label=居民
uda.address.type=string
uda.address.label=住址
uda.phone.type=string
uda.phone.label=电话
uda.assignee.type=string
uda.assignee.label=经办
uda.satisfaction.type=string
uda.satisfaction.label=满意度
EOF
}
if [ "${FRESH:-0}" = 1 ] || [ ! -f "$TWROOT/READY" ] || [ "$(cat "$TWROOT/READY")" != "$TWSTAMP" ]; then
    rm -rf "$TWROOT"
    mkdir -p "$TWROOT/chunks" "$TWROOT/task"
    echo "== exporting the requests as taskwarrior JSON (and a requests-only linli store)"
    cp -r "$PRISTINE/data" "$TWROOT/source" # the export opens the store: leave the pristine copy alone
    "$EXPORT" "$TWROOT/source" "$TWROOT/tasks.jsonl" "$TWROOT/requests-only" | tee "$TWROOT/export.txt"
    rm -rf "$TWROOT/source"
    write_rc "$TWROOT/taskrc" "$TWROOT/task"
    echo "== importing into taskwarrior $(task --version), chunks of 10,000 (setup, timed)"
    split -l 10000 -d -a 3 "$TWROOT/tasks.jsonl" "$TWROOT/chunks/part-"
    total0=$(date +%s%N)
    for f in "$TWROOT"/chunks/part-*; do
        t0=$(date +%s%N)
        TASKRC="$TWROOT/taskrc" task import "$f" > /dev/null
        t1=$(date +%s%N)
        echo "import $(basename "$f"): $(wc -l < "$f") tasks in $(( (t1 - t0) / 1000000 )) ms" | tee -a "$TWROOT/import.txt"
    done
    total1=$(date +%s%N)
    echo "import total: $(( (total1 - total0) / 1000000 )) ms" | tee -a "$TWROOT/import.txt"
    rm -rf "$TWROOT/chunks"
    # the first command that shows ids runs the garbage collector, which
    # moves completed and deleted tasks out of pending.data: done once here
    t0=$(date +%s%N)
    TASKRC="$TWROOT/taskrc" task count > /dev/null
    t1=$(date +%s%N)
    echo "first command after the import (gc moves finished tasks to completed.data): $(( (t1 - t0) / 1000000 )) ms" \
        | tee -a "$TWROOT/import.txt"
    echo "$TWSTAMP" > "$TWROOT/READY"
else
    echo "== reusing the export and the taskwarrior import in $TWROOT"
    cat "$TWROOT/export.txt" "$TWROOT/import.txt"
fi

WORK=$TARGET/linli-bench/taskwarrior-work
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$PRISTINE/data" "$WORK/whole"
cp -r "$TWROOT/requests-only" "$WORK/same"
cp "$PRISTINE/data/calendar.txt" "$PRISTINE/data/categories.txt" "$WORK/same/"
cp -r "$TWROOT/task" "$WORK/task"
write_rc "$WORK/taskrc" "$WORK/task"
export TASKRC=$WORK/taskrc

. scripts/lib/large-set.sh
machine
echo "taskwarrior $(task --version); linli $("$BIN" --version)"

# ---- timing helper -------------------------------------------------------------
# measure NAME N CMD...: runs CMD N times (output to $WORK/out.NAME), taking
# the wall time from a nanosecond clock around /usr/bin/time and the peak RSS
# and CPU from /usr/bin/time; prints each run, then median, min and max.
declare -A MED MIN MAX RSS
measure() {
    local name=$1 n=$2
    shift 2
    local walls=() rsss=() i t0 t1 ms
    for ((i = 0; i < n; i++)); do
        t0=$(date +%s%N)
        # (task exits with 1 when nothing matched: not an error here)
        /usr/bin/time -f '%M %U %S' -o "$WORK/time.$name" "$@" > "$WORK/out.$name" 2>&1 || true
        t1=$(date +%s%N)
        ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
        read -r kb ut st < <(tail -1 "$WORK/time.$name")
        walls+=("$ms")
        rsss+=("$kb")
        echo "  $name run $i: ${ms} ms wall, user ${ut} s, sys ${st} s, max RSS $((kb / 1024)) MB"
    done
    MED[$name]=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    MIN[$name]=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
    MAX[$name]=$(printf '%s\n' "${walls[@]}" | sort -g | tail -1)
    RSS[$name]=$(printf '%s\n' "${rsss[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1024 }')
    echo "  $name: median ${MED[$name]} ms (min ${MIN[$name]}, max ${MAX[$name]}), median max RSS ${RSS[$name]} MB"
}

# syncs CMD...: the calls that push data to the disk, counted by name
syncs() {
    strace -f -e trace=fsync,fdatasync,sync_file_range,msync "$@" 2>&1 >/dev/null \
        | grep -oE '^(\[pid +[0-9]+\] )?(fsync|fdatasync|sync_file_range|msync)\(' \
        | sed -E 's/^\[pid +[0-9]+\] //; s/\($//' | sort | uniq -c | awk '{ printf "%s%s ×%s", sep, $2, $1; sep = ", " }'
}

echo
echo "== taskwarrior ($RUNS runs each, files in the page cache after the first)"
echo "pending tasks: $(task status:pending count), all: $(task count), completed: $(task status:completed count), deleted: $(task status:deleted count)"
measure tw_list "$RUNS" task list limit:50
echo "  (first lines of the list:)"
head -5 "$WORK/out.tw_list" | sed 's/^/    /'
measure tw_search_list "$RUNS" task "/$SEARCH/" list
echo "  task /$SEARCH/ list: $(grep -c . "$WORK/out.tw_search_list") lines of output"
measure tw_search_count "$RUNS" task "/$SEARCH/" count
echo "  task /$SEARCH/ count (every status, deleted too): $(cat "$WORK/out.tw_search_count")"
measure tw_has_count "$RUNS" task "description.has:$SEARCH" count
echo "  task description.has:$SEARCH count: $(cat "$WORK/out.tw_has_count")"
TW_BEFORE_ADD=$(du -sb "$WORK/task" | cut -f1)
measure tw_add "$RUNS" task add "楼道灯不亮，请尽快修理" project:小修小补 +来电 +登记 resident:张三 address:"幸福小区 3-2-301"
echo "  task add wrote $(( $(du -sb "$WORK/task" | cut -f1) - TW_BEFORE_ADD )) bytes over $RUNS adds"
if command -v strace >/dev/null; then
    echo "  sync calls in one task add: $(syncs task add "strace probe")"
fi

echo "  where task list spends its time (rc.debug=1):"
task rc.debug=1 list limit:50 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^(Perf| *(pending|completed)\.data)' | sed 's/^ */    /'

# ---- linli, on two stores ------------------------------------------------------
# same:  only the workers, residents and requests: the records the tasks hold
# whole: the large set as generated (also the roster and the duties board)
declare -A LI
linli_side() { # linli_side KEY LABEL
    local key=$1 dir=$WORK/$1
    echo
    echo "== linli, $2 ($dir)"
    # English labels: the counts below are read by their names
    LINLI_LANG=en "$BIN" info --data-dir "$dir" | tee "$WORK/info.$key"
    measure "linli_add_$key" "$RUNS" "$ADD_ONE" "$dir"
    echo "  (the last run: $(cat "$WORK/out.linli_add_$key"))"
    if command -v strace >/dev/null; then
        echo "  sync calls in one add_one: $(syncs "$ADD_ONE" "$dir")"
    fi
    measure "linli_stress_$key" "$RUNS" env LINLI_NOW=2026-11-24T10:00:00 "$BIN" stress --count 1 --seed 1 --data-dir "$dir"
    echo "  (the last run did: $(tr '\n' ';' < "$WORK/out.linli_stress_$key"))"
    if command -v strace >/dev/null; then
        echo "  sync calls in one stress --count 1: $(syncs "$BIN" stress --count 1 --seed 1 --data-dir "$dir")"
    fi
    echo "-- whole process in a pty (procbench, 3 cold starts)"
    # the adds above wrote around the app, leaving its saved index behind:
    # one start (not counted) rebuilds it, as the first start after them
    # would. One process opening the data itself (LINLI_ALONE=1), as
    # taskwarrior does; through the store server see BENCHMARKS.md (stop 24)
    LINLI_ALONE=1 "$PROBE" "$BIN" "$dir" 1 > /dev/null
    LINLI_ALONE=1 "$PROBE" "$BIN" "$dir" 3 > "$WORK/procbench.$key"
    grep -E '^run [0-9]' "$WORK/procbench.$key"
    grep -E '^\| (cold start|spawn → full index|peak RSS|steady RSS|key → last byte on the pty: typing)' \
        "$WORK/procbench.$key" | tee "$WORK/procbench-rows.$key"
    # procbench's first table: | measure | median | p99 | min | max | target |
    col() { grep -F "$1" "$WORK/procbench-rows.$key" | head -1 | awk -F'|' -v c="$2" '{ gsub(/ /, "", $c); print $c }'; }
    LI[$key.first]="$(col "cold start" 3) ms ($(col "cold start" 5)–$(col "cold start" 6))"
    LI[$key.first_med]=$(col "cold start" 3)
    LI[$key.usable]="$(col "spawn → full index" 3) ms ($(col "spawn → full index" 5)–$(col "spawn → full index" 6))"
    LI[$key.usable_med]=$(col "spawn → full index" 3)
    LI[$key.hwm]=$(col "peak RSS when loaded" 3)
    LI[$key.key]=$(grep -F "typing" "$WORK/procbench-rows.$key" | sed -E 's/.*median ([0-9.]+), p99 ([0-9.]+), max ([0-9.]+).*/\1 ms (p99 \2, max \3)/')
}
linli_side same "the same records: workers, residents, requests"
linli_side whole "the whole large set"

echo
echo "== disk"
echo "taskwarrior data dir after the import (and the first gc), before the adds:"
for f in pending.data completed.data undo.data backlog.data; do
    [ -f "$TWROOT/task/$f" ] && printf '  %-15s %10s bytes  (du %s)\n' "$f" "$(stat -c %s "$TWROOT/task/$f")" "$(du -h "$TWROOT/task/$f" | cut -f1)"
done
TW_DU=$(du -sk "$TWROOT/task" | cut -f1)
TW_APP=$(du -sb "$TWROOT/task" | cut -f1)
TW_TASKS=$(( $(stat -c %s "$TWROOT/task/pending.data") + $(stat -c %s "$TWROOT/task/completed.data") ))
echo "  total: du $(du -sh "$TWROOT/task" | cut -f1), apparent $(du -sh --apparent-size "$TWROOT/task" | cut -f1) ($TW_APP bytes)"
echo "  pending.data + completed.data (the tasks alone, no undo or sync log): $TW_TASKS bytes"
NREQ=$(awk '$1 == "request" { print $2 }' "$WORK/info.same")
echo "  per task: $(( TW_APP / NREQ )) bytes in all, $(( TW_TASKS / NREQ )) for the tasks alone"
for key in same whole; do
    if [ $key = same ]; then src=$TWROOT/requests-only; else src=$PRISTINE/data; fi
    n=$(awk '$1 ~ /^[a-z]+$/ && $2 ~ /^[0-9]+$/ { s += $2 } END { print s }' "$WORK/info.$key")
    # every file linli wrote: the store, the saved copies beside it (index.snapshot and the
    # others), its settings and keys (the lock file is empty)
    LI[$key.du]=$(du -sk "$src" | cut -f1)
    LI[$key.app]=$(du -sb "$src" | cut -f1)
    LI[$key.store]=$(du -sb "$src/store" | cut -f1)
    LI[$key.n]=$n
    echo "linli, $key, as written by gen / the bulk load (before the adds above):"
    echo "  store: du $(du -sh "$src/store" | cut -f1), apparent $(du -sh --apparent-size "$src/store" | cut -f1) (${LI[$key.store]} bytes); index.snapshot beside it: $(stat -c %s "$src/index.snapshot") bytes; the whole data dir: ${LI[$key.app]} bytes"
    ls -l "$src" | sed 's/^/    /'
    ls -l "$src/store" | sed 's/^/    /'
    echo "  records of all kinds: $n; per record $(( ${LI[$key.app]} / n )) bytes; per request $(( ${LI[$key.app]} / NREQ )) bytes"
done
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "—"; else printf "%.2f", a / b }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
tw() { echo "${MED[$1]} ms (${MIN[$1]}–${MAX[$1]}), max RSS ${RSS[$1]} MB"; }
echo
echo "### Side by side: the same 100,000 requests"
echo
echo "Median of $RUNS runs (min–max) unless n is given; ratio = linli ÷ taskwarrior. \"same records\": a linli"
echo "store holding only the workers, residents and requests (${LI[same.n]} records); \"whole set\": the large set as"
echo "generated (${LI[whole.n]} records, with the roster's 200,000 service records and 50,000 log entries)."
echo
echo "| operation | taskwarrior $(task --version) | linli, same records | ratio | linli, whole set | ratio |"
echo "|---|---|---|---:|---|---:|"
echo "| start and list: \`task list limit:50\` / spawn → first frame with the list (pty, n=3) | $(tw tw_list) | ${LI[same.first]} | $(ratio "${LI[same.first_med]}" "${MED[tw_list]}") | ${LI[whole.first]} | $(ratio "${LI[whole.first_med]}" "${MED[tw_list]}") |"
echo "| search \`$SEARCH\`: \`task /$SEARCH/ list\` (open tasks) / spawn → search usable over all requests (pty, n=3) | $(tw tw_search_list) | ${LI[same.usable]}, peak RSS ${LI[same.hwm]} MB | $(ratio "${LI[same.usable_med]}" "${MED[tw_search_list]}") | ${LI[whole.usable]}, peak RSS ${LI[whole.hwm]} MB | $(ratio "${LI[whole.usable_med]}" "${MED[tw_search_list]}") |"
echo "| search \`$SEARCH\` over all: \`task /$SEARCH/ count\` / the same linli figures | $(tw tw_search_count) | as above | $(ratio "${LI[same.usable_med]}" "${MED[tw_search_count]}") | as above | $(ratio "${LI[whole.usable_med]}" "${MED[tw_search_count]}") |"
echo "| … \`task description.has:$SEARCH count\` | $(tw tw_has_count) | | | | |"
echo "| each further search (taskwarrior: a new process) / each key typed into the search line, key → last byte (n=40) | as above | ${LI[same.key]} | | ${LI[whole.key]} | |"
echo "| add one, whole process: \`task add …\` / open the store, log one request, exit (examples/add_one.rs) | $(tw tw_add) | $(tw linli_add_same) | $(ratio "${MED[linli_add_same]}" "${MED[tw_add]}") | $(tw linli_add_whole) | $(ratio "${MED[linli_add_whole]}" "${MED[tw_add]}") |"
echo "| … the real binary: \`linli stress --count 1\` (also counts the residents by a scan, and assigns: 2 durable saves) | | $(tw linli_stress_same) | $(ratio "${MED[linli_stress_same]}" "${MED[tw_add]}") | $(tw linli_stress_whole) | $(ratio "${MED[linli_stress_whole]}" "${MED[tw_add]}") |"
echo "| disk, everything written (taskwarrior: all four files; linli: its whole data dir, the store and every saved copy beside it) | $(mb "$TW_APP") | $(mb "${LI[same.app]}") | $(ratio "${LI[same.app]}" "$TW_APP") | $(mb "${LI[whole.app]}") | $(ratio "${LI[whole.app]}" "$TW_APP") |"
echo "| disk, taskwarrior's tasks alone (pending.data + completed.data) against linli's whole data dir | $(mb "$TW_TASKS") | $(mb "${LI[same.app]}") | $(ratio "${LI[same.app]}" "$TW_TASKS") | $(mb "${LI[whole.app]}") | $(ratio "${LI[whole.app]}" "$TW_TASKS") |"
echo
echo "Disk target (issue 8): ≤ 0.70 × taskwarrior. Sizes are apparent bytes (du -sb); du's allocated sizes differ by < 1 %."
