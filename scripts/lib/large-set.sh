# Sourced by the bench scripts: the large data set, made once under
# $TARGET/linli-bench/NAME/large and made again when the generator or the
# store's code changes; and the machine's line for BENCHMARKS.md.
#
#   large_set NAME     sets ROOT and PRISTINE (needs BIN, TARGET)
#   machine            prints date, cores, memory and load average
SEED=20261124
TODAY=2026-11-24

large_set() {
    ROOT=$TARGET/linli-bench/$1
    PRISTINE=$ROOT/large
    # the data set depends on the generator and the store's code
    STAMP="seed=$SEED today=$TODAY $(find src/cli src/demo src/store src/domain -name "*.rs" -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
    if [ ! -f "$PRISTINE/READY" ] || [ "$(cat "$PRISTINE/READY")" != "$STAMP" ]; then
        echo "== generating the large data set (once)"
        rm -rf "$PRISTINE"
        mkdir -p "$PRISTINE"
        "$BIN" gen --size large --seed "$SEED" --today "$TODAY" --data-dir "$PRISTINE/data"
        echo "$STAMP" > "$PRISTINE/READY"
    fi
}

machine() {
    echo "== machine"
    date -u
    echo "cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    free -h | sed -n 1,2p
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
