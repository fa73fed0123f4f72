#!/usr/bin/env bash
# Packages for the office PCs (issue 14), into dist/:
#
#   scripts/package.sh [windows] [amd64] [arm64] [loong64]    (default: all four)
#
#   dist/linli-VERSION-windows-x64.zip   linli.exe, 启动邻里.bat, 使用说明.txt
#                                        (Windows 10/11, 64-bit)
#   dist/linli_VERSION_ARCH.deb          /usr/bin/linli, a desktop entry that
#                                        opens it in a terminal, an icon
#                                        (UOS, Kylin, Debian, Ubuntu ...)
#   dist/linli-VERSION-linux-ARCH.tar.gz the same binary, desktop entry and
#                                        icon, for unpacking by hand
#
# Linux binaries are linked by zig (cargo-zigbuild) against glibc 2.28 for
# amd64 and arm64 (UOS 20, Kylin V10 and newer), 2.36 for loong64 (the
# first glibc with LoongArch; the new-world ABI only: old-world UOS/Kylin on
# LoongArch cannot run it without a compatibility layer). The script reads
# the highest GLIBC_ symbol version each binary needs and fails if it is
# above that; it also checks that the LOAD segments are aligned for the
# largest page size the architecture's kernels use (64 KiB arm64, 16 KiB
# loong64). The .deb's Depends are written from what the binary needs.
#
# The Windows exe: cargo with mingw-w64 as the linker (release_build in
# scripts/cross-env.sh, the same build scripts/windows-smoke.sh tests).
# Builds run one at a time (2 cores). Installs what is missing (rustup
# targets, zig + cargo-zigbuild from PyPI, mingw-w64 from apt). Prints the
# build time and size of each artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cross-env.sh

if [ $# -gt 0 ]; then WHAT=("$@"); else WHAT=(windows amd64 arm64 loong64); fi

export CARGO_TARGET_DIR
CARGO_TARGET_DIR=$(cross_target_dir)
export CARGO_TERM_COLOR=never
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ -n "$VERSION" ] || die "no version in Cargo.toml"
MAINTAINER=${LINLI_MAINTAINER:-"linli maintainers <linli@localhost>"}
DIST=$PWD/dist
mkdir -p "$DIST"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
command -v python3 >/dev/null || die "python3 is missing (apt-get install -y python3)"
command -v readelf >/dev/null || ensure_apt binutils
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing"

report=()
start=$(now)

size_of() { du -h --apparent-size "$1" | cut -f1; }

# text_file SRC DEST: UTF-8 with a BOM and CRLF line ends (what Notepad
# reads right on every Windows 10/11), {VERSION} filled in.
text_file() {
    python3 - "$1" "$2" "$VERSION" <<'PY'
import sys
src, dest, version = sys.argv[1:]
text = open(src, encoding="utf-8").read().replace("{VERSION}", version)
text = text.replace("\r\n", "\n").replace("\n", "\r\n")
open(dest, "w", encoding="utf-8-sig", newline="").write(text)
PY
}

windows() {
    local t0 exe zip top
    t0=$(now)
    say "Windows: release build of linli.exe (x86_64-pc-windows-gnu, mingw-w64)"
    release_build x86_64-pc-windows-gnu
    exe=$RELEASE_BIN
    local built
    built=$(elapsed "$t0" "$(now)")
    top=linli-$VERSION-windows-x64
    mkdir -p "$STAGE/$top"
    cp "$exe" "$STAGE/$top/linli.exe"
    # the .bat stays ASCII (cmd reads it in the console's code page); CRLF
    sed 's/$/\r/' packaging/windows/start.bat >"$STAGE/$top/启动邻里.bat"
    text_file packaging/windows/readme-zh.txt "$STAGE/$top/使用说明.txt"
    zip=$DIST/$top.zip
    rm -f "$zip"
    # Python's zipfile marks the Chinese names as UTF-8 (flag bit 11), which
    # Windows' own "Extract all" and 7-Zip honour.
    python3 - "$STAGE" "$top" "$zip" <<'PY'
import os, sys, zipfile
stage, top, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in ["linli.exe", "启动邻里.bat", "使用说明.txt"]:
        z.write(os.path.join(stage, top, name), f"{top}/{name}")
PY
    python3 -c 'import sys,zipfile; [print("   ", i.filename, i.file_size, "UTF-8 name" if i.flag_bits & 0x800 else "") for i in zipfile.ZipFile(sys.argv[1]).infolist()]' "$zip"
    report+=("$(printf '%-40s %7s  build %s  (linli.exe %s)' "$(basename "$zip")" "$(size_of "$zip")" "$built" "$(size_of "$exe")")")
}

# The highest GLIBC_x.y a binary asks for.
max_glibc() {
    readelf -V --wide "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1
}

# run_check ARCH BIN: the binary runs here (amd64), or under qemu-user
# with Debian's arm64 glibc (arm64): gen, check, backup, verify, an XLSX
# export. loong64 is not run: Debian 12 has no LoongArch glibc to run it on.
run_check() {
    local arch=$1 bin=$2 run=() d
    case "$arch" in
    amd64) ;;
    arm64)
        ensure_apt qemu-user libc6-arm64-cross
        run=(env QEMU_LD_PREFIX=/usr/aarch64-linux-gnu qemu-aarch64)
        ;;
    *)
        say "$arch: not run (no $arch glibc here to run it on)"
        return 0
        ;;
    esac
    d=$(mktemp -d)
    if "${run[@]}" "$bin" --version >"$d/log" 2>&1 &&
        "${run[@]}" "$bin" --data-dir "$d/data" gen --size demo >>"$d/log" 2>&1 &&
        "${run[@]}" "$bin" --data-dir "$d/data" check >>"$d/log" 2>&1 &&
        "${run[@]}" "$bin" --data-dir "$d/data" backup --to "$d/b.jsonl.gz" >>"$d/log" 2>&1 &&
        "${run[@]}" "$bin" --data-dir "$d/data" verify "$d/b.jsonl.gz" >>"$d/log" 2>&1 &&
        "${run[@]}" "$bin" --data-dir "$d/data" export residents --format xlsx --out "$d/r.xlsx" >>"$d/log" 2>&1; then
        say "$arch: runs${run[*]:+ under ${run[*]: -1}}: gen, check, backup, verify, XLSX export OK"
        rm -rf "$d"
    else
        cat "$d/log" >&2
        rm -rf "$d"
        die "$arch: the binary does not run its command line"
    fi
}

linux() {
    local arch=$1 t glibc page t0 bin built need align needed depends
    case "$arch" in
    amd64) t=x86_64-unknown-linux-gnu glibc=2.28 page=4096 ;;
    arm64) t=aarch64-unknown-linux-gnu glibc=2.28 page=65536 ;;
    loong64) t=loongarch64-unknown-linux-gnu glibc=2.36 page=16384 ;;
    *) die "unknown architecture $arch (amd64, arm64, loong64)" ;;
    esac
    t0=$(now)
    say "$arch: release build of linli ($t, glibc $glibc, zig)"
    release_build "$t" "$glibc"
    bin=$RELEASE_BIN
    built=$(elapsed "$t0" "$(now)")

    need=$(max_glibc "$bin")
    say "$arch: highest GLIBC_ version needed: GLIBC_$need (allowed: $glibc)"
    [ "$(printf '%s\n%s\n' "$need" "$glibc" | sort -V | tail -1)" = "$glibc" ] ||
        die "$bin needs GLIBC_$need, above $glibc"
    align=$(readelf -lW "$bin" | awk '$1 == "LOAD" { print $NF }' | while read -r a; do echo $((a)); done | sort -n | head -1)
    [ "${align:-0}" -ge "$page" ] || die "$bin: LOAD segments aligned to $align bytes, less than the $page-byte pages of some $arch kernels"
    needed=$(readelf -dW "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    say "$arch: NEEDED $needed; LOAD alignment $align"
    depends="libc6 (>= $need)"
    case " $needed " in *" libgcc_s.so.1 "*) depends="$depends, libgcc-s1 | libgcc1" ;; esac

    run_check "$arch" "$bin"

    # the .deb
    local root=$STAGE/deb-$arch
    install -D -m755 "$bin" "$root/usr/bin/linli"
    install -D -m644 packaging/linux/linli.desktop "$root/usr/share/applications/linli.desktop"
    install -D -m644 packaging/linux/linli.svg "$root/usr/share/icons/hicolor/scalable/apps/linli.svg"
    install -D -m644 packaging/linux/linli-256.png "$root/usr/share/icons/hicolor/256x256/apps/linli.png"
    mkdir -p "$root/usr/share/doc/linli" "$root/DEBIAN"
    cat >"$root/usr/share/doc/linli/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: linli
Files: *
Copyright: the linli authors
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a
 copy of this software and associated documentation files (the "Software"),
 to deal in the Software without restriction, including without limitation
 the rights to use, copy, modify, merge, publish, distribute, sublicense,
 and/or sell copies of the Software, and to permit persons to whom the
 Software is furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
 FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
 DEALINGS IN THE SOFTWARE.
EOF
    cat >"$root/DEBIAN/control" <<EOF
Package: linli
Version: $VERSION
Architecture: $arch
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: records for a Chinese community office (邻里)
 A keyboard-driven terminal app in which a community office (社区居委会)
 keeps residents' requests (居民诉求), the residents directory (居民名册),
 each worker's duties board (职责看板) and the volunteer teams (志愿服务队).
 One program, one machine, an embedded store; made for an 80x24 terminal
 and Chinese typed through an input method. The desktop entry opens it in
 a terminal.
EOF
    local deb=$DIST/linli_${VERSION}_$arch.deb
    rm -f "$deb"
    dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
    dpkg-deb --info "$deb" | sed -n 's/^ *\(Architecture\|Depends\|Installed-Size\):/    &/p'

    # the tarball
    local top=linli-$VERSION-linux-$arch
    mkdir -p "$STAGE/$top"
    cp "$bin" "$STAGE/$top/linli"
    cp packaging/linux/linli.desktop packaging/linux/linli.svg "$STAGE/$top/"
    local tgz=$DIST/$top.tar.gz
    tar -C "$STAGE" --owner=0 --group=0 -czf "$tgz" "$top"

    report+=("$(printf '%-40s %7s  build %s  (linli %s, GLIBC_%s)' "$(basename "$deb")" "$(size_of "$deb")" "$built" "$(size_of "$bin")" "$need")")
    report+=("$(printf '%-40s %7s' "$(basename "$tgz")" "$(size_of "$tgz")")")
}

for w in "${WHAT[@]}"; do
    case "$w" in
    windows) windows ;;
    amd64 | arm64 | loong64) linux "$w" ;;
    *) die "unknown package '$w' (windows, amd64, arm64, loong64)" ;;
    esac
done

echo
say "packages in $DIST ($(elapsed "$start" "$(now)") in all):"
printf '   %s\n' "${report[@]}"
