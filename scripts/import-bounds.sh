#!/usr/bin/env bash
# The figures SAFETY.md gives for bounded imports: peak memory (GNU time's
# "Maximum resident set size") of `linli import residents` on 100,000 rows,
# and on two XLSX zip bombs of about 500 KB and 900 KB (one cell of 500 MB;
# three million rows). Needs python3 (to write the files) and /usr/bin/time.
# Uses the debug binary unless LINLI_BIN names another.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${LINLI_BIN:-target/debug/linli}"
[ -x "$bin" ] || cargo build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys, zipfile
w = sys.argv[1]
sur, giv = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚"
with open(f"{w}/residents-100k.csv", "w", encoding="utf-8") as f:
    f.write("姓名,电话,小区,楼栋,单元,室,网格,标签,备注\n")
    for i in range(100000):
        name = sur[i % len(sur)] + giv[(i // len(sur)) % len(giv)] + giv[(i // (len(sur) * len(giv))) % len(giv)]
        f.write(f"{name},13{i:09d},幸福小区,{i % 40 + 1}栋,{i % 6 + 1}单元,{i + 101},第{i % 12 + 1}网格,独居老人,第{i}行导入\n")
parts = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
def bomb(name, head, block, times, tail):
    with zipfile.ZipFile(f"{w}/{name}", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for k, v in parts.items():
            z.writestr(k, v)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(times):
                f.write(block)
            f.write(tail)
ws = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
bomb("bomb-cell.xlsx", ws + b'<row r="1"><c r="A1" t="inlineStr"><is><t>', b"A" * (1 << 20), 500, b"</t></is></c></row></sheetData></worksheet>")
row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>'
bomb("bomb-rows.xlsx", ws, row * 10000, 300, b"</sheetData></worksheet>")
PY
data="$work/data"
"$bin" --data-dir "$data" stress --count 0 >/dev/null
measure() {
  local label="$1"; shift
  /usr/bin/time -v "$bin" --data-dir "$data" "$@" >"$work/out" 2>"$work/time" || true
  local rss secs said
  rss=$(grep "Maximum resident set size" "$work/time" | awk '{print $NF}')
  secs=$(grep "Elapsed (wall clock)" "$work/time" | awk '{print $NF}')
  said=$( (grep -h "linli:\|已导入" "$work/time" "$work/out" || true) | head -1)
  echo "$label: peak $((rss / 1024)) MB, $secs — $said"
}
ls -la "$work"/*.csv "$work"/*.xlsx | awk '{print $5, $9}'
measure "import 100,000 rows" import residents "$work/residents-100k.csv" --by 压力测试
measure "zip bomb, one 500 MB cell" import residents "$work/bomb-cell.xlsx" --dry-run
measure "zip bomb, 3,000,000 rows" import residents "$work/bomb-rows.xlsx" --dry-run
measure "/dev/zero" import residents /dev/zero --dry-run
