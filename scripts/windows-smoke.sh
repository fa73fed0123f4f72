#!/usr/bin/env bash
# Windows smoke run (issue 14): builds linli.exe for x86_64-pc-windows-gnu
# and runs its command line (no TUI) under Wine, checking each step.
#
#   scripts/windows-smoke.sh          (KEEP_GOING is the default: every step runs)
#
# The exe is a RELEASE build, linked by mingw-w64 (x86_64-w64-mingw32-gcc),
# made by release_build in scripts/cross-env.sh: the same binary that
# scripts/package.sh puts in the Windows zip, so the smoke run tests what
# ships. (A debug build would be a different program in small ways, e.g.
# its debug-only test hooks, and run gen and backups slower under Wine; it
# would not save much build time either, since dependencies are built at
# opt-level 1 in debug too.)
#
# Wine 8 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng Rust's
# std and getrandom import on Windows: linli.exe would not even load. A tiny
# stand-in (scripts/windows/processprng-stub.c, random bytes from
# advapi32!RtlGenRandom) is compiled and put beside linli.exe in the
# smoke folder only. Test-only: it never goes into dist/.
#
# Installs what is missing: rust-std for the target (rustup), mingw-w64 and
# wine64 (apt). The Wine prefix is kept in ~/.cache/linli-cross-tools/ and
# the run's files in $CARGO_TARGET_DIR/windows-smoke/ (cleared at each
# start, kept afterwards for a look). Prints a pass/FAIL line per step and
# exits non-zero if any step failed. Not part of CI (see notes: the build
# alone takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cross-env.sh

T=x86_64-pc-windows-gnu
start=$(now)
export CARGO_TARGET_DIR
CARGO_TARGET_DIR=$(cross_target_dir)
export CARGO_TERM_COLOR=never

ensure_apt gcc-mingw-w64-x86-64 wine64
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver
[ -x "$WINE" ] || die "$WINE is missing (apt-get install -y wine64)"

say "release build of linli.exe for $T (linker x86_64-w64-mingw32-gcc), as scripts/package.sh makes it"
t0=$(now)
release_build "$T"
EXE=$RELEASE_BIN
build_time=$(elapsed "$t0" "$(now)")
say "built $EXE ($(du -h "$EXE" | cut -f1)) in $build_time"

W=$CARGO_TARGET_DIR/windows-smoke
rm -rf "$W"
mkdir -p "$W/bin" "$W/out" "$W/logs"
cp "$EXE" "$W/bin/linli.exe"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$W/bin/bcryptprimitives.dll" \
    scripts/windows/processprng-stub.c scripts/windows/processprng-stub.def -ladvapi32

export WINEPREFIX="$LINLI_TOOLS_DIR/wine-prefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono/Gecko download prompts
unset DISPLAY                             # console only
# the checks below read linli's English words ("residents 800", "OK");
# Chinese output is the default since issue 16 (Wine passes this through)
export LINLI_LANG=en
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    say "creating the Wine prefix $WINEPREFIX"
    mkdir -p "$LINLI_TOOLS_DIR"
    "$WINE" wineboot -i >/dev/null 2>&1 || true
    # the registry files are written by wineserver when it exits: wait for
    # it (on a busy machine the check below otherwise runs first)
    "$WINESERVER" -w || true
    [ -f "$WINEPREFIX/system.reg" ] || die "wineboot could not create $WINEPREFIX"
fi

# A Unix path as Wine's Z: drive sees it.
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
DATA=$W/data
D=$(winpath "$DATA")
OUT=$W/out
O=$(winpath "$OUT")

# Steps: step NAME COMMAND...  runs linli.exe under Wine with the args;
# the output goes to logs/NN-name.txt; then the caller checks.
n=0
results=()
fails=0
LAST_LOG=
LAST_RC=0
run() {
    local name=$1
    shift
    n=$((n + 1))
    LAST_LOG=$(printf '%s/logs/%02d-%s.txt' "$W" "$n" "$name")
    local t0
    t0=$(now)
    set +e
    (cd "$W/bin" && timeout 600 "$WINE" linli.exe "$@") >"$LAST_LOG" 2>&1 </dev/null
    LAST_RC=$?
    set -e
    LAST_TIME=$(elapsed "$t0" "$(now)")
    printf '\n-- %s: linli %s (exit %s, %s)\n' "$name" "$*" "$LAST_RC" "$LAST_TIME"
    sed 's/^/   | /' "$LAST_LOG" | head -40
}
# verdict pass|fail WHY
verdict() {
    local line
    if [ "$1" = pass ]; then
        line=$(printf 'pass  %-22s %-10s %s' "$STEP" "$LAST_TIME" "$2")
    else
        line=$(printf 'FAIL  %-22s %-10s %s' "$STEP" "$LAST_TIME" "$2")
        fails=$((fails + 1))
    fi
    results+=("$line")
    echo "   => $line"
}
# The first error line linli printed (for the summary).
err_of() { grep -m1 -a 'linli:\|error\|Error\|panicked' "$LAST_LOG" | cut -c1-160 || true; }
# count KIND: the count `linli info` printed for a record kind.
count_of() { awk -v k="$1" '$1 == k { print $2 }' "$2" | tr -d '\r'; }
# CSV data rows (RFC 4180 quoting, BOM), by Python's csv module.
csv_rows() {
    python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))); print(len(r)-1)' "$1"
}

STEP=load
run version --version
if [ $LAST_RC = 0 ] && grep -aq '^linli ' "$LAST_LOG"; then verdict pass "$(tr -d '\r' <"$LAST_LOG")"; else verdict fail "exe does not start: $(err_of)"; fi

STEP="gen --size demo"
run gen --data-dir "$D" gen --size demo
if [ $LAST_RC = 0 ] && [ -d "$DATA/store" ]; then verdict pass "store/ written"; else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP=info
run info --data-dir "$D" info
INFO1=$LAST_LOG
residents=$(count_of resident "$INFO1")
requests=$(count_of request "$INFO1")
if [ $LAST_RC = 0 ] && [ -n "$residents" ] && [ "$residents" -gt 0 ]; then
    verdict pass "$residents residents, $requests requests"
else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP="export requests csv"
run export-requests-csv --data-dir "$D" export requests --format csv --out "$O\\requests.csv"
if [ $LAST_RC = 0 ] && [ -s "$OUT/requests.csv" ]; then
    rows=$(csv_rows "$OUT/requests.csv")
    bom=$(head -c3 "$OUT/requests.csv" | od -An -tx1 | tr -d ' ')
    if [ "$rows" = "$requests" ] && [ "$bom" = efbbbf ]; then
        verdict pass "$rows rows (= info), UTF-8 BOM"
    else verdict fail "$rows rows, info says $requests; first bytes $bom"; fi
else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP="export residents csv"
run export-residents-csv --data-dir "$D" export residents --format csv --out "$O\\residents.csv"
if [ $LAST_RC = 0 ] && [ -s "$OUT/residents.csv" ]; then
    rows=$(csv_rows "$OUT/residents.csv")
    if [ "$rows" = "$residents" ]; then verdict pass "$rows rows (= info)"; else verdict fail "$rows rows, info says $residents"; fi
else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP="export residents xlsx"
run export-residents-xlsx --data-dir "$D" export residents --format xlsx --out "$O\\residents.xlsx"
if [ $LAST_RC = 0 ] && [ -s "$OUT/residents.xlsx" ] && [ "$(head -c2 "$OUT/residents.xlsx")" = PK ]; then
    verdict pass "$(du -h "$OUT/residents.xlsx" | cut -f1) zip"
else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP=backup
run backup --data-dir "$D" backup --to "$O"
BACKUP=$(ls "$OUT"/linli-backup-*.jsonl.gz 2>/dev/null | head -1 || true)
if [ $LAST_RC = 0 ] && [ -n "$BACKUP" ] && gzip -t "$BACKUP" 2>/dev/null; then
    lines=$(zcat "$BACKUP" | wc -l)
    verdict pass "$(basename "$BACKUP"), $lines lines, gzip OK"
else verdict fail "exit $LAST_RC: $(err_of)"; fi
B=$(winpath "${BACKUP:-$OUT/missing.jsonl.gz}")

STEP=verify
run verify --data-dir "$D" verify "$B"
if [ $LAST_RC = 0 ]; then verdict pass "holds $(grep -a -m1 -o 'resident [0-9]*' "$LAST_LOG" || echo '?')"; else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP="backup --encrypt"
mkdir -p "$OUT/enc" # --to names a folder only if it exists (else it is the file's name)
LINLI_PASSPHRASE='邻里 smoke 口令' run backup-encrypted --data-dir "$D" backup --encrypt --to "$O\\enc"
ENC=$(ls "$OUT"/enc/*.age 2>/dev/null | head -1 || true)
if [ $LAST_RC = 0 ] && [ -n "$ENC" ] && head -c 21 "$ENC" | grep -aq 'age-encryption.org/v1'; then
    verdict pass "$(basename "$ENC") (age header)"
else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP="verify encrypted"
LINLI_PASSPHRASE='邻里 smoke 口令' run verify-encrypted --data-dir "$D" verify "$(winpath "${ENC:-$OUT/missing.age}")"
if [ $LAST_RC = 0 ]; then verdict pass "passphrase accepted"; else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP="restore --yes"
run restore --data-dir "$D" restore "$B" --yes
aside=$(ls -d "$DATA"/store.before-restore-* 2>/dev/null | head -1 || true)
if [ $LAST_RC = 0 ] && [ -d "$DATA/store" ] && [ -n "$aside" ]; then
    verdict pass "old store kept as $(basename "$aside")"
else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP=check
run check --data-dir "$D" check
if [ $LAST_RC = 0 ] && tr -d '\r' <"$LAST_LOG" | grep -qxE 'OK|Checked: no problems'; then verdict pass "no problems"; else verdict fail "exit $LAST_RC: $(err_of)"; fi

# Three new residents, as an office might type them in Excel: UTF-8 with a
# BOM, CRLF line ends, Chinese headers.
printf '\xef\xbb\xbf姓名,电话,住址,备注\r\n测试甲,13800001111,幸福路1号1栋1单元101室,Windows 冒烟测试\r\n测试乙,13800002222,幸福路1号1栋1单元102室,\r\n测试丙,13800003333,幸福路1号2栋2单元203室,"逗号, 引号""在内"\r\n' >"$OUT/new-residents.csv"
STEP="import residents csv"
# --by: a generated data dir has no last operator, and an import is recorded
# in the audit trail under someone's name (worker number 1)
run import-residents --data-dir "$D" import residents "$O\\new-residents.csv" --by 1
IMPORT_LOG=$LAST_LOG
IMPORT_RC=$LAST_RC
IMPORT_TIME=$LAST_TIME
run info-after --data-dir "$D" info
after=$(count_of resident "$LAST_LOG")
LAST_LOG=$IMPORT_LOG LAST_RC=$IMPORT_RC LAST_TIME=$IMPORT_TIME
if [ $IMPORT_RC = 0 ] && [ "${after:-0}" = $((residents + 3)) ]; then
    verdict pass "residents $residents -> $after"
else verdict fail "exit $IMPORT_RC, residents $residents -> ${after:-?}: $(err_of)"; fi

STEP="check after import"
run check-after --data-dir "$D" check
if [ $LAST_RC = 0 ] && tr -d '\r' <"$LAST_LOG" | grep -qxE 'OK|Checked: no problems'; then verdict pass "no problems"; else verdict fail "exit $LAST_RC: $(err_of)"; fi

STEP="export audit csv"
run export-audit-csv --data-dir "$D" export audit --format csv --out "$O\\audit.csv"
if [ $LAST_RC = 0 ] && [ -s "$OUT/audit.csv" ]; then
    rows=$(csv_rows "$OUT/audit.csv")
    # 2 exports + 3 imported residents at least (a failed export adds none)
    note=""
    grep -qF '\\?\' "$OUT/audit.csv" && note='; NOTE: paths recorded as \\?\Z:\... (canonicalize)'
    if [ "$rows" -ge 5 ]; then verdict pass "$rows entries$note"; else verdict fail "$rows entries, expected at least 5"; fi
else verdict fail "exit $LAST_RC: $(err_of)"; fi

# Where the data goes when nobody says: the platform's data dir in the Wine
# prefix (removed again: the prefix is reused).
STEP="default data dir"
APPDATA_DIRS=("$WINEPREFIX"/drive_c/users/*/AppData/Roaming/linli "$WINEPREFIX"/drive_c/users/*/AppData/Local/linli)
rm -rf "${APPDATA_DIRS[@]}"
run info-default info
default_dir=$(grep -a '^data dir:' "$LAST_LOG" | cut -d' ' -f3- | tr -d '\r')
rm -rf "$WINEPREFIX"/drive_c/users/*/AppData/Roaming/linli "$WINEPREFIX"/drive_c/users/*/AppData/Local/linli
if [ $LAST_RC = 0 ] && [ -n "$default_dir" ]; then verdict pass "$default_dir"; else verdict fail "exit $LAST_RC: $(err_of)"; fi

# The store server (issue 18) on Windows: `linli serve` listens on the
# loopback with its key in linli.sock; `who` and `info` go through it (with
# or without LINLI_SHARE=1: only starting a server needs it), and `info
# --alone` is refused while the server has the store.
STEP="store server"
(cd "$W/bin" && timeout 120 "$WINE" linli.exe --data-dir "$D" serve >"$W/logs/serve.txt" 2>&1 </dev/null) &
serve_pid=$!
for _ in $(seq 1 120); do [ -s "$DATA/linli.sock" ] && break; sleep 0.5; done
LINLI_SHARE=1 run who --data-dir "$D" who
who_rc=$LAST_RC
run info-served --data-dir "$D" info
served=$(count_of resident "$LAST_LOG")
served_rc=$LAST_RC
run info-alone-while-served --data-dir "$D" --alone info
alone_rc=$LAST_RC
wait $serve_pid 2>/dev/null || true # it stops 30 s after nobody joined
if [ $who_rc = 0 ] && [ $served_rc = 0 ] && [ -n "$served" ] && [ $alone_rc != 0 ] && [ ! -e "$DATA/linli.sock" ]; then
    verdict pass "who, info inside the server (residents $served), alone refused, port file removed at the end"
else verdict fail "who $who_rc, info served $served_rc (residents ${served:-?}), alone $alone_rc; $(tail -1 "$W/logs/serve.txt")"; fi

"$WINESERVER" -k 2>/dev/null || true # the wineserver this run started

echo
say "Windows smoke run: $(elapsed "$start" "$(now)") in all (release build $build_time), files in $W"
printf '   %s\n' "${results[@]}"
if [ $fails -gt 0 ]; then
    die "$fails of ${#results[@]} Windows smoke steps failed (logs in $W/logs)"
fi
say "all ${#results[@]} Windows smoke steps passed"
