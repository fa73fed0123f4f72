#!/usr/bin/env bash
# The heavier run of tests/it/opening.rs
# `killed_while_opening_at_200_moments_the_store_always_opens_again`:
# ROUNDS rounds (default 2000) of killing linli while it opens its store,
# half at random moments, half the moment sled starts writing its
# snapshot; the store must open after every one. Prints the figures
# SAFETY.md quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
export LINLI_KILL_ROUNDS="${1:-2000}"
cargo test --test it -- --nocapture opening::killed_while_opening 2>&1 | grep -E "kill at open|test result|panicked"
