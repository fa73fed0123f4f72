# Sourced by scripts/cross-check.sh, scripts/windows-smoke.sh and
# scripts/package.sh (issue 14): installs what a cross build needs, each
# piece only when it is missing, without asking anything (CI runs as root,
# with CI=true and no standard input, on a fresh clone).
#
#   rust std for a target      rustup target add (the machine's one toolchain)
#   ... when rustup cannot     rust-src + -Zbuild-std (see ensure_rust_target)
#   zig + cargo-zigbuild       pinned wheels from PyPI into a venv of our own,
#                              $LINLI_TOOLS_DIR (default ~/.cache/linli-cross-tools):
#                              zig is the C compiler for crates that build C
#                              (rusqlite's bundled SQLite, a dev-dependency)
#                              and the linker that targets glibc 2.28
#   Debian packages            apt-get, only for the Windows smoke run (mingw-w64, wine)
#
# Nothing here touches the host's target dir: callers set their own
# CARGO_TARGET_DIR.

ZIGLANG_VERSION=0.17.1
CARGO_ZIGBUILD_VERSION=0.24.0

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}"
LINLI_TOOLS_DIR="${LINLI_TOOLS_DIR:-$CACHE_ROOT/linli-cross-tools}"

say() { printf '== %s\n' "$*"; }
die() {
    printf '\n!! FAILED: %s\n\n' "$*" >&2
    exit 1
}

# Seconds since the epoch with a fraction, and a difference as "1m 02.3s".
now() { date +%s.%N; }
elapsed() {
    awk -v a="$1" -v b="$2" 'BEGIN { s = b - a; m = int(s / 60); printf "%dm %04.1fs", m, s - 60 * m }'
}

# The cross target dir: beside the host's cache dir that .ci/run uses, never
# the same one (a --target build there would not break it, but we keep the
# host build's files and fingerprints out of harm's way).
cross_target_dir() {
    if [ -n "${LINLI_CROSS_TARGET_DIR:-}" ]; then
        echo "$LINLI_CROSS_TARGET_DIR"
    elif mkdir -p "$CACHE_ROOT/linli-ci-target-cross" 2>/dev/null; then
        echo "$CACHE_ROOT/linli-ci-target-cross"
    else
        echo "$PWD/target/cross"
    fi
}

# ensure_rust_target TRIPLE: sets BUILD_STD_FLAGS for that target ("" when
# rustup has its std; "-Zbuild-std" when it had to be built from source).
#
# Some targets' rust-std is not served to this machine (loongarch64's
# answers 404 here; x86_64-pc-windows-gnu and aarch64 download). Then the
# target is checked against std compiled from the toolchain's own rust-src,
# with RUSTC_BOOTSTRAP=1 so that the stable 1.95 compiler accepts
# -Zbuild-std: the same compiler, the same std sources, the same checks;
# it only takes longer. That is said loudly, and if rust-src cannot be had
# either, or LINLI_CROSS_STRICT=1 is set, the script fails: a target is
# never skipped.
ensure_rust_target() {
    local t="$1" log
    BUILD_STD_FLAGS=""
    command -v rustup >/dev/null || die "rustup is missing (install Rust from https://rustup.rs)"
    if rustup target list --installed | grep -qx "$t"; then
        return 0
    fi
    say "rustup target add $t"
    log=$(rustup target add "$t" 2>&1) && return 0
    printf '%s\n' "$log" | sed '/^Stack backtrace:/,$d' >&2
    if [ "${LINLI_CROSS_STRICT:-0}" = 1 ]; then
        die "rust-std for $t cannot be installed (rustup target add failed, LINLI_CROSS_STRICT=1)"
    fi
    cat >&2 <<EOF

!! rust-std for $t cannot be installed on this machine (rustup target add
!! failed, above). $t is checked against std built from rust-src instead
!! (-Zbuild-std, RUSTC_BOOTSTRAP=1, same compiler). LINLI_CROSS_STRICT=1 makes
!! this an error.

EOF
    if ! rustup component list --installed | grep -qx rust-src; then
        rustup component add rust-src ||
            die "rust-std for $t cannot be installed, and neither can rust-src to build it"
    fi
    BUILD_STD_FLAGS="-Zbuild-std"
}

# Pinned zig and cargo-zigbuild in a venv; puts its bin/ first on PATH so
# that cargo-zigbuild finds this zig (python3 -m ziglang).
ensure_zig() {
    local venv="$LINLI_TOOLS_DIR/venv"
    if [ ! -x "$venv/bin/cargo-zigbuild" ] ||
        [ "$("$venv/bin/cargo-zigbuild" --version 2>/dev/null)" != "cargo-zigbuild $CARGO_ZIGBUILD_VERSION" ] ||
        [ "$("$venv/bin/python3" -m ziglang version 2>/dev/null)" != "$ZIGLANG_VERSION" ]; then
        command -v python3 >/dev/null || die "python3 is missing (apt-get install -y python3 python3-venv)"
        say "installing ziglang $ZIGLANG_VERSION and cargo-zigbuild $CARGO_ZIGBUILD_VERSION (PyPI) into $venv"
        mkdir -p "$LINLI_TOOLS_DIR"
        [ -x "$venv/bin/python3" ] || python3 -m venv "$venv" ||
            die "cannot make a Python venv in $venv (apt-get install -y python3-venv)"
        "$venv/bin/python3" -m pip install -q --disable-pip-version-check --no-input \
            "ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION" ||
            die "pip could not install ziglang $ZIGLANG_VERSION / cargo-zigbuild $CARGO_ZIGBUILD_VERSION"
    fi
    export PATH="$venv/bin:$PATH"
}

# ensure_apt PACKAGE...: installs the Debian packages that are missing.
ensure_apt() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (as root: apt-get install -y ${missing[*]})"
    say "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } ||
        die "apt-get could not install ${missing[*]}"
}

# release_build TRIPLE [GLIBC]: builds the linli binary that ships, into
# RELEASE_BIN. Windows: cargo, linked by mingw-w64 (x86_64-w64-mingw32-gcc,
# Debian's gcc-mingw-w64-x86-64). Linux: cargo-zigbuild against glibc GLIBC
# (e.g. 2.28), so the binary runs on that glibc and any newer one.
# The release profile without its line tables and with DWARF stripped
# (function names stay, for backtraces in bug reports): the Windows exe is
# 69 MB with them, 19.5 MB without. And linked whole (fat LTO, one codegen
# unit): 12.1 MB of code instead of 13.7, and ~1.1-1.5 MB less of the
# binary's own pages in memory at every moment of a day (BENCHMARKS.md,
# stop 30), for ~5 min of building instead of ~1.5 (not worth it for
# `cargo run --release`, worth it once a package). scripts/windows-smoke.sh
# runs this same build, so the smoke run tests what scripts/package.sh zips.
release_build() {
    local t=$1 glibc=${2:-} dir
    ensure_rust_target "$t"
    dir=$CARGO_TARGET_DIR
    [ -n "$BUILD_STD_FLAGS" ] && dir=$CARGO_TARGET_DIR/build-std # as cross-check.sh does
    local common=(env CARGO_TARGET_DIR="$dir" CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=debuginfo
        CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 ${BUILD_STD_FLAGS:+RUSTC_BOOTSTRAP=1})
    case "$t" in
    *-windows-gnu)
        ensure_apt gcc-mingw-w64-x86-64
        "${common[@]}" CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
            cargo build --quiet --locked --release --target "$t" --bin linli $BUILD_STD_FLAGS
        RELEASE_BIN=$dir/$t/release/linli.exe
        ;;
    *-linux-gnu)
        ensure_zig
        "${common[@]}" cargo-zigbuild zigbuild --quiet --locked --release --target "$t${glibc:+.$glibc}" \
            --bin linli $BUILD_STD_FLAGS
        RELEASE_BIN=$dir/$t/release/linli
        ;;
    *) die "release_build: no recipe for $t" ;;
    esac
    [ -f "$RELEASE_BIN" ] || die "the build left no $RELEASE_BIN"
}
