#!/usr/bin/env bash
# Renders every printable linli writes (monthly report, certificate,
# division-of-labour notice, evaluation sheet) to A4 PDF with headless
# Chromium and checks each one's page count; one PNG per first page for a
# look. Not in CI (it needs Chromium and takes a minute).
#
#   bash scripts/print-check.sh [OUT_DIR]       (default: target/print-check)
#
# Needs: chromium (Debian: apt-get install chromium), pdfinfo and pdftoppm
# (poppler-utils); fonts-noto-cjk for Chinese glyphs on Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/print-check}"
out="$(mkdir -p "$out" && cd "$out" && pwd)"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "print-check: no chromium (apt-get install -y chromium poppler-utils fonts-noto-cjk)" >&2
  exit 2
fi
LINLI_PRINT_DIR="$out" cargo test --quiet --test it printouts::write_every_printable -- --ignored >/dev/null

# the most pages each may take (the certificate of many services may run on)
declare -A max=([月报]=3 [志愿服务记录证明]=3 [分工公示]=3 [考评表]=2)
status=0
for html in "$out"/*.html; do
  name="$(basename "$html" .html)"
  pdf="$out/$name.pdf"
  "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$pdf" "file://$html" >/dev/null 2>&1
  if command -v pdfinfo >/dev/null; then
    pages="$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')"
    size="$(pdfinfo "$pdf" | awk -F': *' '/^Page size:/ {print $2}')"
  else
    pages="$(grep -c '/Type /Page[^s]' "$pdf" || true)"
    size="?"
  fi
  if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 50 -f 1 -l 1 "$pdf" "$out/$name" >/dev/null 2>&1 || true
  fi
  limit="${max[$name]:-2}"
  verdict="ok"
  if [ "$pages" -gt "$limit" ] || [ "$pages" -lt 1 ]; then verdict="TOO MANY PAGES (max $limit)"; status=1; fi
  case "$size" in *"(A4)"*|"?") ;; *) verdict="$verdict, NOT A4"; status=1 ;; esac
  printf '%-20s %2s pages  %-34s %s\n' "$name" "$pages" "$size" "$verdict"
done
exit $status
