#!/usr/bin/env bash
# The long run of tests/it/props.rs: every parser and importer fuzzed with
# proptest, CASES inputs each (default 100000), from SEED (default: the
# date, so each day's run explores new inputs; give one to repeat a run).
# A failing input is shrunk and kept in tests/proptest-regressions/, which
# `cargo test` then runs first every time: commit it with the fix.
# Prints how many inputs each parser took and how long the run took.
#   scripts/fuzz.sh [CASES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
export PROPTEST_CASES="${1:-100000}"
export PROPTEST_RNG_SEED="${2:-$(date +%Y%m%d)}"
echo "fuzz: $PROPTEST_CASES cases per parser, seed $PROPTEST_RNG_SEED"
start=$(date +%s)
nice cargo test --test it -- --nocapture --test-threads 2 props:: 2>&1 |
  grep -E "^fuzz |^test |panicked|test result|minimal failing input" || true
echo "fuzz: $(( $(date +%s) - start )) s"
