#!/usr/bin/env bash
# Does linli compile for the office PCs it is meant for (issue 14)?
#
#   scripts/cross-check.sh [TRIPLE...]
#
# `cargo check --all-targets` (lib, bin, unit tests, tests/, examples/,
# benches/) for each target, by default
#
#   x86_64-pc-windows-gnu          Windows 10/11
#   aarch64-unknown-linux-gnu      UOS / Kylin on ARM64 (Phytium, Kunpeng)
#   loongarch64-unknown-linux-gnu  UOS / Kylin on LoongArch64 (new-world ABI)
#
# Installs what it needs when it is missing (scripts/cross-env.sh): the
# targets' rust-std by rustup, and zig + cargo-zigbuild from PyPI as the C
# compiler for the one crate that builds C (libsqlite3-sys, bundled, a
# dev-dependency used by the benches). A target whose rust-std rustup cannot
# install is checked against std built from rust-src, loudly, or fails
# (LINLI_CROSS_STRICT=1); no target is ever skipped. Exits non-zero if any
# target fails, after trying them all.
#
# Its own target dir, ~/.cache/linli-ci-target-cross (LINLI_CROSS_TARGET_DIR
# overrides), so the host build in .ci/run's ~/.cache/linli-ci-target is not
# touched. Times measured on the 2-core machine (shared with another build):
#   cold target dir: 7m21s (Windows 2m58s, aarch64 47s, loongarch64 3m36s,
#                    the last building std from source); zig + cargo-zigbuild install 5.5 s
#   warm, no change: 1.3 s;  after touching src/lib.rs: 6 s (incremental);
#   warm dir, fresh clone in another folder (as CI): 1m17s
# It prints its own timings each run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cross-env.sh

if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    TARGETS=(x86_64-pc-windows-gnu aarch64-unknown-linux-gnu loongarch64-unknown-linux-gnu)
fi

export CARGO_TARGET_DIR
CARGO_TARGET_DIR=$(cross_target_dir)
export CARGO_TERM_COLOR=never
unset RUSTC_BOOTSTRAP

start=$(now)
ensure_zig
say "tools ready in $(elapsed "$start" "$(now)") ($(cargo-zigbuild --version), zig $(python3 -m ziglang version))"
say "cross target dir: $CARGO_TARGET_DIR"

failed=()
summary=()
for t in "${TARGETS[@]}"; do
    t0=$(now)
    ensure_rust_target "$t"
    dir=$CARGO_TARGET_DIR how="rust-std from rustup"
    if [ -n "$BUILD_STD_FLAGS" ]; then
        # RUSTC_BOOTSTRAP=1 changes what the host's build scripts see
        # (proc-macro2's reruns): a target dir of its own keeps the other
        # targets' host artifacts from being rebuilt on every run.
        dir=$CARGO_TARGET_DIR/build-std how="std built from rust-src"
    fi
    if [ -d "$dir/$t/debug/deps" ]; then state=warm; else state=cold; fi
    say "cargo check --all-targets --target $t ($state target dir, $how)"
    if env CARGO_TARGET_DIR="$dir" ${BUILD_STD_FLAGS:+RUSTC_BOOTSTRAP=1} \
        cargo-zigbuild check --quiet --all-targets --target "$t" $BUILD_STD_FLAGS; then
        result=ok
    else
        result=FAILED
        failed+=("$t")
    fi
    line=$(printf '%-31s %-6s %s (%s, %s)' "$t" "$result" "$(elapsed "$t0" "$(now)")" "$state" "$how")
    summary+=("$line")
    say "$line"
done

echo
say "cross-check summary (total $(elapsed "$start" "$(now)")):"
printf '   %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    die "linli does not compile for: ${failed[*]}"
fi
say "linli compiles for ${TARGETS[*]}"
