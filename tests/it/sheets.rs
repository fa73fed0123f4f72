//! Spreadsheets in and out: exports mask numbers and are recorded; imports
//! read the encodings Excel writes, report bad rows, skip known people and
//! write all or nothing.

use crate::support::{Fixture, now};
use linli::domain::{RequestId, ResidentId};
use linli::files::Col;
use linli::files::export::{self, ExportKind, ExportOptions, Format};
use linli::files::import::{self, ImportError, Problem};
use linli::i18n::Lang;
use linli::store::audit::AuditAction;
use linli::store::record::RecordKind;

fn opts(format: Format, full: bool, f: &Fixture) -> ExportOptions {
    ExportOptions { format, full_numbers: full, lang: Lang::Zh, by: Some(f.workers[0]), at: now() }
}

fn read_text(path: &std::path::Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_csv_export_has_a_bom_chinese_headers_masked_phones_and_is_recorded() {
    let f = Fixture::office();
    let out = f.dir.path().join("居民.csv");
    let kind = ExportKind::Records(RecordKind::Resident);
    let n = export::export(&f.store, kind, &out, &opts(Format::Csv, false, &f), |_, _| {}).unwrap();
    assert_eq!(n, 4);
    let text = read_text(&out);
    assert!(text.starts_with("\u{feff}编号,姓名,电话,小区,楼栋,单元,室,网格,标签,备注\r\n"), "{text}");
    assert!(text.contains("1,张三,138****5678,幸福小区,3,2,301,第3网格,独居老人,"), "{text}");
    assert!(!text.contains("13812345678"));

    export::export(&f.store, kind, &out, &opts(Format::Csv, true, &f), |_, _| {}).unwrap();
    assert!(read_text(&out).contains("13812345678"));
    let exports = f.store.audit_entries(10, |e| e.action == AuditAction::Export).unwrap();
    assert_eq!(exports.len(), 2);
    let full = &exports[0];
    assert_eq!((full.by, full.at, full.kind, full.key), (Some(f.workers[0]), now(), RecordKind::Resident, 0));
    let said = |field: &str| full.changes.iter().find(|c| c.field == field).map(|c| c.new.clone()).unwrap();
    assert_eq!(said("rows"), "4");
    // the row count is no record: resident 4's history has no export in it
    let history = f.store.history(RecordKind::Resident, 4).unwrap();
    assert!(history.iter().all(|e| e.action != AuditAction::Export), "{history:?}");
    assert_eq!((said("full_numbers"), said("format")), ("true".to_string(), "csv".to_string()));
    assert!(said("target").ends_with("居民.csv"));
}

#[test]
fn the_filtered_list_exports_just_those_requests_in_that_order() {
    let f = Fixture::office();
    let out = f.dir.path().join("list.csv");
    let ids = [f.requests[4].id, f.requests[1].id, RequestId::new(2020, 1)];
    let n = export::export_requests(&f.store, &ids, &out, &opts(Format::Csv, false, &f), |_, _| {}).unwrap();
    assert_eq!(n, 2, "an id that no longer exists is skipped");
    let text = read_text(&out);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("2026-")).collect();
    assert!(lines[0].starts_with("2026-000005,") && lines[1].starts_with("2026-000002,"), "{text}");
    assert!(text.contains("139****1111") && text.contains("王建国"), "{text}");
}

#[test]
fn every_kind_exports_to_xlsx() {
    let f = Fixture::office();
    for kind in ExportKind::all() {
        let out = f.dir.path().join(format!("{}.xlsx", kind.name()));
        let n = export::export(&f.store, kind, &out, &opts(Format::Xlsx, false, &f), |_, _| {}).unwrap();
        if kind.columns().is_empty() {
            // kinds exported field by field (the roster's): the office
            // fixture has none of them, so an empty sheet is right
            assert_eq!(n, 0, "{kind:?}");
            continue;
        }
        assert!(n > 0, "{kind:?}");
        let sheet = import::read_sheet(&out).unwrap();
        assert_eq!(sheet.rows.len() as u64, n + 1, "{kind:?}");
        assert_eq!(sheet.rows[0][0], linli::i18n::column(Lang::Zh, kind.columns()[0]));
    }
}

#[test]
fn residents_go_out_to_xlsx_and_back_in_equal() {
    let f = Fixture::office();
    let out = f.dir.path().join("居民.xlsx");
    let kind = ExportKind::Records(RecordKind::Resident);
    export::export(&f.store, kind, &out, &opts(Format::Xlsx, true, &f), |_, _| {}).unwrap();

    let other = Fixture::empty();
    let w = other.store.create_worker("李娜", "网格员", None, now()).unwrap().id;
    let sheet = import::read_sheet(&out).unwrap();
    let map = import::detect_columns(&sheet);
    assert_eq!(map.columns.get(&Col::Phone), Some(&2));
    let preview = import::preview(&other.store, &sheet, &map).unwrap();
    assert_eq!((preview.to_import(), preview.errors(), preview.duplicates()), (4, 0, 0));
    import::import(&other.store, &preview, false, w, now()).unwrap();
    let strip = |mut r: linli::domain::Resident| {
        r.id = ResidentId(0);
        r
    };
    let before: Vec<_> = f.store.residents().unwrap().into_iter().map(strip).collect();
    let after: Vec<_> = other.store.residents().unwrap().into_iter().map(strip).collect();
    assert_eq!(after, before);

    // a sheet exported with masked numbers says so instead of importing them
    export::export(&f.store, kind, &out, &opts(Format::Xlsx, false, &f), |_, _| {}).unwrap();
    let sheet = import::read_sheet(&out).unwrap();
    let empty = Fixture::empty();
    let preview = import::preview(&empty.store, &sheet, &import::detect_columns(&sheet)).unwrap();
    assert!(matches!(preview.rows[0].problems[..], [Problem::MaskedPhone(_)]));
}

/// An XLSX read row by row for a preview: rows Excel leaves out (no cell)
/// inside and past the head, a title above the header; the verdicts are
/// those of the whole sheet, under the row numbers Excel shows.
#[test]
fn an_xlsx_previewed_as_it_is_read_keeps_excels_row_numbers() {
    let f = Fixture::office();
    let path = f.dir.path().join("名册.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(1, 0, "幸福社区居民名册").unwrap();
        for (c, h) in ["姓名", "电话", "地址"].iter().enumerate() {
            ws.write_string(3, c as u16, *h).unwrap();
        }
        // rows 5–12 and 14–30 in Excel's numbers (13 left out), then 41
        for r in (4..12).chain(13..30).chain([40]) {
            ws.write_string(r, 0, format!("居民{r}")).unwrap();
            ws.write_number(r, 1, 13_800_000_000.0 + f64::from(r)).unwrap();
        }
        ws.write_string(20, 0, "张三").unwrap();
        ws.write_string(20, 1, "13812345678").unwrap();
        ws.write_string(21, 1, "12345").unwrap();
        wb.save(&path).unwrap();
    }
    let index = linli::store::index_cache::rebuild(&f.store).unwrap();
    let known = import::Known::of(index.residents().map(|r| (r.id, r.name, r.phone, r.address)));
    let sheet = import::read_sheet(&path).unwrap();
    let map = import::detect_columns(&sheet);
    let whole = import::preview_against(&known, &sheet, &map).unwrap();
    let streamed =
        import::preview_file(&path, &known, |head| Ok::<_, std::convert::Infallible>(import::detect_columns(head)))
            .unwrap();
    assert_eq!(streamed.map, map);
    assert_eq!((streamed.head.first_row, streamed.map.header_row), (2, 2));
    let noted: Vec<_> = whole.rows.iter().filter(|r| !r.problems.is_empty() || r.cleaned).collect();
    assert_eq!(format!("{:?}", streamed.preview.rows), format!("{:?}", noted));
    let verdicts = streamed.preview.verdicts();
    assert_eq!(verdicts, whole.rows.iter().map(|r| (r.row, r.problems.clone())).collect::<Vec<_>>());
    let rows: Vec<usize> = verdicts.iter().map(|r| r.0).collect();
    assert_eq!(rows, (5..13).chain(14..31).chain([41]).collect::<Vec<_>>());
    let said = |n: usize| verdicts.iter().find(|r| r.0 == n).map(|r| r.1.clone());
    assert!(matches!(said(21).as_deref(), Some([Problem::DuplicateExisting(_)])));
    assert!(matches!(said(22).as_deref(), Some([Problem::BadPhone(_)])));
    // the import reads the workbook again: its last row is written as it was
    let before = f.store.residents().unwrap().len();
    let added = import::import_file(&f.store, &streamed.preview, true, f.workers[0], now()).unwrap();
    assert_eq!(added, whole.to_import());
    let residents = f.store.residents().unwrap();
    assert_eq!(residents.len(), before + added);
    assert!(residents.iter().any(|r| r.name == "居民40" && r.phone == "13800000040"));
}

/// An office roster as Excel on Chinese Windows saves it: GBK, a title row
/// above the header, one good row, bad rows and duplicates.
const ROSTER: &str = "\
幸福社区居民花名册,,,,
序号,姓名,手机,家庭住址,人员类别,备注
1,赵大爷,139 0000 3333,幸福小区3栋1单元102室,独居老人、低保户,腿脚不便
2,钱阿姨,12345,幸福小区 4-1-201,,
3,,13900004444,幸福小区 4-1-202,,
4,张三,13812345678,,,已登记过的人
5,孙老师,,锦绣花园 2-3-602,,
,,,,
6,孙老师,,锦绣花园 2-3-602,,重复一行
";

#[test]
fn a_gbk_roster_is_read_checked_row_by_row_and_imported_all_or_nothing() {
    let f = Fixture::office();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(ROSTER);
    assert!(!unmappable);
    let path = f.dir.path().join("花名册.csv");
    std::fs::write(&path, &gbk).unwrap();
    let sheet = import::read_sheet(&path).unwrap();
    let map = import::detect_columns(&sheet);
    assert_eq!(map.header_row, 1);
    let preview = import::preview(&f.store, &sheet, &map).unwrap();
    let by_row: Vec<(usize, &[Problem])> = preview.rows.iter().map(|r| (r.row, &r.problems[..])).collect();
    // the app checks against the residents it keeps (the search index's),
    // not the directory read again: the same judgement
    let index = linli::store::index_cache::rebuild(&f.store).unwrap();
    let known = import::Known::of(index.residents().map(|r| (r.id, r.name, r.phone, r.address)));
    let kept = import::preview_against(&known, &sheet, &map).unwrap();
    assert_eq!(kept.rows.iter().map(|r| (r.row, &r.problems[..])).collect::<Vec<_>>(), by_row);
    // and the same read row by row as the app and `linli import` do
    let streamed =
        import::preview_file(&path, &known, |head| Ok::<_, std::convert::Infallible>(import::detect_columns(head)))
            .unwrap();
    assert_eq!(streamed.map, map);
    let verdicts = streamed.preview.verdicts();
    assert_eq!(verdicts.iter().map(|(n, p)| (*n, &p[..])).collect::<Vec<_>>(), by_row);
    assert_eq!(
        by_row,
        vec![
            (3, &[][..]),
            (4, &[Problem::BadPhone("12345".into())][..]),
            (5, &[Problem::EmptyName][..]),
            (6, &[Problem::DuplicateExisting(ResidentId(1))][..]),
            (7, &[][..]),
            (9, &[Problem::DuplicateInFile(7)][..]),
        ]
    );
    let zhao = preview.rows[0].resident();
    assert_eq!((zhao.phone.as_str(), zhao.address.to_string().as_str()), ("13900003333", "幸福小区 3-1-102"));
    assert_eq!(zhao.tags, ["独居老人", "低保户"]);
    let msg = preview.rows[1].problems[0].message(Lang::Zh);
    assert!(msg.contains("12345"), "{msg}");

    // rows with errors stop the import: nobody is added
    let before = f.store.residents().unwrap().len();
    let e = import::import(&f.store, &preview, false, f.workers[0], now()).unwrap_err();
    assert!(matches!(e, ImportError::RowsHaveErrors(2)));
    assert_eq!(f.store.residents().unwrap().len(), before);
    // skipping them imports the good ones, in one go
    let added = import::import(&f.store, &preview, true, f.workers[0], now()).unwrap();
    assert_eq!(added.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["赵大爷", "孙老师"]);
    // and the same file again adds nobody
    let again = import::preview(&f.store, &sheet, &map).unwrap();
    assert_eq!(again.to_import(), 0);
    assert!(import::import(&f.store, &again, true, f.workers[0], now()).unwrap().is_empty());
    assert_eq!(f.store.residents().unwrap().len(), before + 2);
}

/// The app's and `linli import`'s way: the preview keeps no rows, the
/// import reads the file again and writes the good rows, the same
/// residents as an import of the whole sheet previewed (`import`).
#[test]
fn a_file_imported_after_its_preview_reads_it_again_and_writes_the_rows_previewed() {
    let f = Fixture::office();
    let other = Fixture::office();
    let (gbk, _, _) = encoding_rs::GBK.encode(ROSTER);
    let path = f.dir.path().join("花名册.csv");
    std::fs::write(&path, &gbk).unwrap();
    let known = |f: &Fixture| {
        let index = linli::store::index_cache::rebuild(&f.store).unwrap();
        import::Known::of(index.residents().map(|r| (r.id, r.name, r.phone, r.address)))
    };
    let detect = |head: &import::Sheet| Ok::<_, std::convert::Infallible>(import::detect_columns(head));
    let streamed = import::preview_file(&path, &known(&f), detect).unwrap();
    // (what it keeps: the rows with something to say, and the count of the others)
    assert_eq!(streamed.preview.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [4, 5, 6, 9]);
    assert_eq!((streamed.preview.total, streamed.preview.to_import()), (6, 2));
    let e = import::import_file(&f.store, &streamed.preview, false, f.workers[0], now()).unwrap_err();
    assert!(matches!(e, ImportError::RowsHaveErrors(2)), "{e:?}");
    assert_eq!(import::import_file(&f.store, &streamed.preview, true, f.workers[0], now()).unwrap(), 2);
    // the whole sheet previewed and imported in another office alike
    let sheet = import::read_sheet(&path).unwrap();
    let whole = import::preview(&other.store, &sheet, &import::detect_columns(&sheet)).unwrap();
    let made = import::import(&other.store, &whole, true, other.workers[0], now()).unwrap();
    let strip = |mut r: linli::domain::Resident| {
        r.id = ResidentId(0);
        r
    };
    let mine: Vec<_> = f.store.residents().unwrap().into_iter().rev().take(2).map(strip).collect();
    let theirs: Vec<_> = made.into_iter().rev().map(strip).collect();
    assert_eq!(mine, theirs);
    assert_eq!(mine[1].tags, ["独居老人", "低保户"]);
}

/// A file changed after its preview, in a row that imports or in one that
/// does not: the import refuses, writing nobody, and says so.
#[test]
fn a_file_changed_after_its_preview_is_refused_and_nothing_is_written() {
    for (from, to) in [("139 0000 3333", "139 0000 3334"), ("重复一行", "重复两行")] {
        let f = Fixture::office();
        let path = f.dir.path().join("花名册.csv");
        std::fs::write(&path, ROSTER).unwrap();
        let detect = |head: &import::Sheet| Ok::<_, std::convert::Infallible>(import::detect_columns(head));
        let streamed = import::preview_file(&path, &import::Known::of_store(&f.store).unwrap(), detect).unwrap();
        std::fs::write(&path, ROSTER.replace(from, to)).unwrap();
        let before = f.store.residents().unwrap().len();
        let e = import::import_file(&f.store, &streamed.preview, true, f.workers[0], now()).unwrap_err();
        assert!(matches!(e, ImportError::Changed { written: 0 }), "{to}: {e:?}");
        assert!(e.message(Lang::Zh).contains("没有导入任何人"), "{}", e.message(Lang::Zh));
        assert!(e.message(Lang::En).contains("nobody was imported"), "{}", e.message(Lang::En));
        assert_eq!(f.store.residents().unwrap().len(), before);
        // a file gone since is as good as changed
        std::fs::remove_file(&path).unwrap();
        let e = import::import_file(&f.store, &streamed.preview, true, f.workers[0], now()).unwrap_err();
        assert!(matches!(e, ImportError::Changed { written: 0 }), "{e:?}");
        // and put back as it was, it imports
        std::fs::write(&path, ROSTER).unwrap();
        assert_eq!(import::import_file(&f.store, &streamed.preview, true, f.workers[0], now()).unwrap(), 2);
    }
}

#[test]
fn utf8_with_and_without_bom_read_the_same_and_garbage_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("a.csv");
    std::fs::write(&plain, ROSTER).unwrap();
    let bom = dir.path().join("b.csv");
    std::fs::write(&bom, ["\u{feff}", ROSTER].concat()).unwrap();
    let a = import::read_sheet(&plain).unwrap();
    let b = import::read_sheet(&bom).unwrap();
    assert_eq!(a.rows, b.rows);
    assert_eq!(a.rows[1][1], "姓名");
    let junk = dir.path().join("c.csv");
    std::fs::write(&junk, [0x81u8, 0x20, 0xfe, 0xff, 0x00, 0x81]).unwrap();
    let e = import::read_sheet(&junk).unwrap_err();
    assert!(matches!(e, ImportError::BadEncoding), "{e:?}");
    assert!(e.message(Lang::Zh).contains("CSV UTF-8"));
}

#[test]
fn a_sheet_without_a_name_column_needs_a_mapping() {
    let f = Fixture::office();
    let sheet = import::read_csv("户名,电话\n周七,13900005555\n".as_bytes()).unwrap();
    let mut map = import::detect_columns(&sheet);
    assert!(matches!(import::preview(&f.store, &sheet, &map), Err(ImportError::NoNameColumn)));
    assert!(map.set(&sheet, import::field("name").unwrap(), "户名"));
    let preview = import::preview(&f.store, &sheet, &map).unwrap();
    assert_eq!(preview.to_import(), 1);
}

/// A volunteer roster: one linked to a resident (张三 is in the office's
/// directory with that phone), bad rows, a duplicate in the file.
const VOLUNTEERS: &str = "\
幸福社区志愿者名册,,,,,,
姓名,电话,性别,出生年份,类别,技能,空闲时间
张三,13812345678,男,1958,居民,理发、修自行车,周六上午
周八,13900006666,女,1990年5月,在职党员双报到,法律咨询,工作日晚上
吴九,12345,男,1970,,,
郑十,13900007777,不详,1970,,,
冯一,13900008888,女,58,学生,,
陈二,13900009999,女,1980,外星人,,
褚三,13900001212,女,1980,,,随便什么时候
周八,13900006666,女,1990,,,
";

#[test]
fn volunteers_are_checked_linked_to_residents_and_imported_once() {
    use linli::domain::volunteer::{Gender, Volunteer, VolunteerKind};
    use linli::files::import_volunteers;
    let f = Fixture::office();
    let path = f.dir.path().join("志愿者.csv");
    std::fs::write(&path, VOLUNTEERS).unwrap();
    let sheet = import::read_sheet(&path).unwrap();
    let map = import_volunteers::detect_columns(&sheet);
    assert_eq!((map.header_row, map.columns.len()), (1, 7));
    let today = now().date();
    let preview = import_volunteers::preview(&f.store, &sheet, &map, today).unwrap();
    let by_row: Vec<(usize, &[Problem])> = preview.rows.iter().map(|r| (r.row, &r.problems[..])).collect();
    assert_eq!(
        by_row,
        vec![
            (3, &[][..]),
            (4, &[][..]),
            (5, &[Problem::BadPhone("12345".into())][..]),
            (6, &[Problem::BadGender("不详".into())][..]),
            (7, &[Problem::BadBirthYear("58".into())][..]),
            (8, &[Problem::BadKind("外星人".into())][..]),
            (9, &[Problem::BadAvailability("随便什么时候".into())][..]),
            (10, &[Problem::DuplicateInFile(4)][..]),
        ]
    );
    assert_eq!((preview.to_import(), preview.errors(), preview.duplicates(), preview.linked()), (2, 5, 1, 1));
    let zhang = &preview.rows[0].volunteer;
    assert_eq!(zhang.resident, Some(ResidentId(1)), "same name and phone as resident 1");
    assert_eq!(zhang.skills, ["理发", "修自行车"]);
    let zhou = &preview.rows[1].volunteer;
    assert_eq!((zhou.gender, zhou.birth_year, zhou.kind), (Gender::Female, Some(1990), VolunteerKind::PartyMember));
    assert!(!zhou.availability.is_empty());
    let msg = preview.rows[5].problems[0].message(Lang::Zh);
    assert!(msg.contains("外星人"), "{msg}");

    let count = |f: &Fixture| {
        let mut n = 0;
        f.store.scan::<Volunteer>(|_| n += 1).unwrap();
        n
    };
    // rows with errors stop the import: nobody is added
    let e = import_volunteers::import(&f.store, &preview, false, f.workers[0], now()).unwrap_err();
    assert!(matches!(e, ImportError::RowsHaveErrors(5)));
    assert_eq!(count(&f), 0);
    let added = import_volunteers::import(&f.store, &preview, true, f.workers[0], now()).unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(count(&f), 2);
    let linked = f.store.volunteer_of_resident(ResidentId(1)).unwrap().unwrap();
    assert!(linked.name.is_empty() && linked.phone.is_empty(), "the directory keeps the name and phone");
    assert_eq!(added[1].name, "周八");

    // the same file again adds nobody
    let again = import_volunteers::preview(&f.store, &sheet, &map, today).unwrap();
    assert_eq!((again.to_import(), again.duplicates()), (0, 3));
    assert!(import_volunteers::import(&f.store, &again, true, f.workers[0], now()).unwrap().is_empty());
    assert_eq!(count(&f), 2);
}

/// The trail exported reads like the trail on screen: Chinese labels and
/// values, names not ids, an export's own entry in words (`居民 4 行 CSV`),
/// never `name: …; phone: …` or a row count posing as a record.
#[test]
fn the_audit_trail_exports_in_words() {
    let f = Fixture::office();
    let res = f.dir.path().join("居民.csv");
    export::export(&f.store, ExportKind::Records(RecordKind::Resident), &res, &opts(Format::Csv, false, &f), |_, _| {})
        .unwrap();
    let out = f.dir.path().join("操作记录.csv");
    export::export(&f.store, ExportKind::Audit, &out, &opts(Format::Csv, false, &f), |_, _| {}).unwrap();
    let text = read_text(&out);
    assert!(text.contains("姓名：张三；电话：138****5678"), "{text}");
    assert!(text.contains("经办人：无 → 王建国"), "an empty value says so, the worker by name: {text}");
    assert!(text.contains("居民 4 行 CSV"), "{text}");
    for english in ["name:", "phone:", "rows:", "format:", "resident;", "; "] {
        assert!(!text.contains(english), "{english:?} in {text}");
    }
}

/// The requests' and residents' sheets, byte for byte, as CSV (UTF-8 and
/// GBK, masked and in full) and as XLSX (every part of the file but its
/// creation time): the export's memory-saving paths (issue 19p) must
/// write what it wrote before.
#[test]
fn exports_write_the_same_bytes_as_before() {
    let f = Fixture::office();
    let mut seen = String::new();
    let kinds = [ExportKind::Records(RecordKind::Request), ExportKind::Records(RecordKind::Resident)];
    for kind in kinds {
        for (format, full) in [(Format::Csv, false), (Format::Csv, true), (Format::CsvGbk, false)] {
            let out = f.dir.path().join(format!("{}.csv", kind.name()));
            export::export(&f.store, kind, &out, &opts(format, full, &f), |_, _| {}).unwrap();
            let bytes = std::fs::read(&out).unwrap();
            let text = match format {
                Format::CsvGbk => encoding_rs::GBK.decode(&bytes).0.into_owned(),
                _ => String::from_utf8(bytes).unwrap(),
            };
            seen += &format!("== {} {format:?} full={full}\n{}\n", kind.name(), text.replace("\r\n", "⏎\n"));
        }
        let out = f.dir.path().join(format!("{}.xlsx", kind.name()));
        export::export(&f.store, kind, &out, &opts(Format::Xlsx, false, &f), |_, _| {}).unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = part.name().unwrap().to_string();
            if name == "docProps/core.xml" {
                continue; // the time the file was made
            }
            let mut text = String::new();
            std::io::Read::read_to_string(&mut part, &mut text).unwrap();
            seen += &format!("== {} xlsx {name}\n{text}\n", kind.name());
        }
    }
    insta::assert_snapshot!(seen);

    // the app's export says how many requests there are (its list knows):
    // a total for the progress only, never a limit on the rows
    let kind = ExportKind::Records(RecordKind::Request);
    let (told, counted) = (f.dir.path().join("told.csv"), f.dir.path().join("counted.csv"));
    let o = opts(Format::Csv, false, &f);
    let done = export::export_counted(&f.store, kind, &told, &o, Some(2), |_, _| {}).unwrap();
    assert_eq!(done.rows, 5);
    export::export(&f.store, kind, &counted, &o, |_, _| {}).unwrap();
    assert_eq!(std::fs::read(&told).unwrap(), std::fs::read(&counted).unwrap());
}
