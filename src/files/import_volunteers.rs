//! Importing volunteers from the office's spreadsheets (CSV or XLSX), the
//! same three steps as residents ([`super::import`]): read the sheet,
//! detect the columns (姓名/电话/性别/出生年份/类别/技能/空闲时间), preview
//! every row, then write the good rows in one transaction.
//!
//! A volunteer whose name and phone match a stored resident is linked to
//! that resident (the residents directory keeps the name and phone). A row
//! that matches a volunteer already stored (same name and phone, or the
//! same linked resident) is skipped, so importing the same file twice adds
//! nobody.

use super::Col;
use super::import::{ColumnMap, ImportError, Judged, Problem, Sheet, count, detect_columns_with, normalize_header};
use crate::domain::text::clean_input;
use crate::domain::volunteer::{Availability, Gender, Volunteer, VolunteerId, VolunteerKind, split_list};
use crate::domain::{Resident, ResidentId, WorkerId};
use crate::i18n::Lang;
use crate::store::Store;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::collections::HashMap;

/// The fields of a volunteer an import can fill.
pub const FIELDS: [Col; 9] = [
    Col::Name,
    Col::Phone,
    Col::Gender,
    Col::BirthYear,
    Col::Category,
    Col::Org,
    Col::Skills,
    Col::Availability,
    Col::Notes,
];

fn synonyms(f: Col) -> &'static [&'static str] {
    match f {
        Col::Name => &["姓名", "名字", "志愿者姓名", "name"],
        Col::Phone => &["电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "phone", "mobile"],
        Col::Gender => &["性别", "gender", "sex"],
        Col::BirthYear => &["出生年份", "出生年", "出生年月", "出生日期", "生年", "birthyear", "born"],
        Col::Category => &["类别", "志愿者类别", "人员类别", "身份", "类型", "kind", "category"],
        Col::Org => &["单位", "工作单位", "所在单位", "学校", "org", "organisation", "organization"],
        Col::Skills => &["技能", "特长", "专长", "技能特长", "skills"],
        Col::Availability => &["空闲时间", "服务时间", "可服务时间", "有空时间", "availability", "free"],
        Col::Notes => &["备注", "说明", "notes"],
        _ => &[],
    }
}

/// A field by a word the user may type (`phone`, `技能`, …).
pub fn field(word: &str) -> Option<Col> {
    let w = normalize_header(word);
    FIELDS.into_iter().find(|f| synonyms(*f).contains(&w.as_str()))
}

/// Finds the header row and maps the volunteer columns it names.
pub fn detect_columns(sheet: &Sheet) -> ColumnMap {
    detect_columns_with(sheet, &FIELDS, synonyms)
}

fn parse_gender(s: &str) -> Option<Gender> {
    match crate::domain::text::search_text(s.trim()).as_str() {
        "" | "未填" | "-" => Some(Gender::Unknown),
        "男" | "男性" | "m" | "male" => Some(Gender::Male),
        "女" | "女性" | "f" | "female" => Some(Gender::Female),
        _ => None,
    }
}

/// `1958`, `1958年`, `1958-03`, `1958/3/2`, `1958年3月`: the year.
fn parse_birth_year(s: &str, today: NaiveDate) -> Option<Option<u16>> {
    let s = crate::domain::text::number_text(s);
    let s = s.as_str();
    if s.is_empty() {
        return Some(None);
    }
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let rest = &s[digits.len()..];
    if digits.len() != 4 || !(rest.is_empty() || rest.starts_with(['年', '-', '/', '.'])) {
        return None;
    }
    let y: u16 = digits.parse().ok()?;
    (1900..=today.year() as u16).contains(&y).then_some(Some(y))
}

fn parse_kind(s: &str) -> Option<VolunteerKind> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return Some(VolunteerKind::Resident);
    }
    if let Some(k) = VolunteerKind::ALL.into_iter().find(|k| {
        [Lang::Zh, Lang::En].into_iter().any(|l| {
            crate::i18n::volunteers::kind(l, *k).to_lowercase() == s
                || crate::i18n::volunteers::kind_short(l, *k).to_lowercase() == s
        })
    }) {
        return Some(k);
    }
    match s.as_str() {
        "党员" | "在职党员" | "双报到党员" | "party" => Some(VolunteerKind::PartyMember),
        "共建" | "单位" | "partner" => Some(VolunteerKind::Partner),
        "大学生" | "中学生" => Some(VolunteerKind::Student),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub struct VolunteerRow {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    /// What will be stored (linked to `resident` when one matches; the
    /// name and phone are kept here for showing, and cleared on saving).
    pub volunteer: Volunteer,
    pub problems: Vec<Problem>,
    /// Something invisible was taken out of its cells.
    pub cleaned: bool,
}

impl Judged for VolunteerRow {
    fn problems(&self) -> &[Problem] {
        &self.problems
    }
    fn cleaned(&self) -> bool {
        self.cleaned
    }
}

#[derive(Debug, Clone, Default)]
pub struct VolunteerPreview {
    pub rows: Vec<VolunteerRow>,
}

impl VolunteerPreview {
    pub fn to_import(&self) -> usize {
        count(&self.rows, VolunteerRow::will_import)
    }
    pub fn duplicates(&self) -> usize {
        count(&self.rows, VolunteerRow::is_duplicate)
    }
    pub fn errors(&self) -> usize {
        count(&self.rows, VolunteerRow::is_error)
    }
    /// Of those to import, how many link to a resident.
    pub fn linked(&self) -> usize {
        self.rows.iter().filter(|r| r.will_import() && r.volunteer.resident.is_some()).count()
    }
}

/// Who a person is: name with phone, or the name alone without a phone.
fn identity(name: &str, phone: &str) -> String {
    format!("{}\u{1f}{}", name.trim(), phone)
}

/// Checks every row (after the header) against the rules, the stored
/// residents (to link) and the stored volunteers (to skip). `today` is the
/// day they join.
pub fn preview(
    store: &Store,
    sheet: &Sheet,
    map: &ColumnMap,
    today: NaiveDate,
) -> Result<VolunteerPreview, ImportError> {
    if !map.columns.contains_key(&Col::Name) {
        return Err(ImportError::NoNameColumn);
    }
    let mut residents: HashMap<String, ResidentId> = HashMap::new();
    let mut resident_key: HashMap<ResidentId, String> = HashMap::new();
    // one resident at a time, not the whole directory decoded at once
    store.scan(|r: Resident| {
        if !r.phone.is_empty() {
            let k = identity(&r.name, &r.phone);
            residents.entry(k.clone()).or_insert(r.id);
            resident_key.insert(r.id, k);
        }
    })?;
    let mut known: HashMap<String, VolunteerId> = HashMap::new();
    let mut known_resident: HashMap<ResidentId, VolunteerId> = HashMap::new();
    store.scan::<Volunteer>(|v| {
        if let Some(r) = v.resident {
            known_resident.insert(r, v.id);
            if let Some(k) = resident_key.get(&r) {
                known.entry(k.clone()).or_insert(v.id);
            }
        } else {
            known.entry(identity(&v.name, &v.phone)).or_insert(v.id);
        }
    })?;
    let mut in_file: HashMap<String, usize> = HashMap::new();
    let mut out = VolunteerPreview::default();
    for (i, row) in sheet.rows.iter().enumerate().skip(map.header_row + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |f: Col| map.columns.get(&f).and_then(|i| row.get(*i)).map(|s| s.trim()).unwrap_or("");
        let line = sheet.first_row + i;
        let mut problems = Vec::new();
        let name = clean_input(cell(Col::Name), false);
        problems.extend(super::import::name_problems(&name));
        let phone = super::import::phone_cell(cell(Col::Phone), &mut problems);
        let mut v = Volunteer::new(VolunteerId(0), &name, today);
        v.phone = phone;
        match parse_gender(cell(Col::Gender)) {
            Some(g) => v.gender = g,
            None => problems.push(Problem::BadGender(cell(Col::Gender).to_string())),
        }
        match parse_birth_year(cell(Col::BirthYear), today) {
            Some(y) => v.birth_year = y,
            None => problems.push(Problem::BadBirthYear(cell(Col::BirthYear).to_string())),
        }
        match parse_kind(cell(Col::Category)) {
            Some(k) => v.kind = k,
            None => problems.push(Problem::BadKind(cell(Col::Category).to_string())),
        }
        match Availability::parse(cell(Col::Availability)) {
            Some(a) => v.availability = a,
            None if cell(Col::Availability).is_empty() => {}
            None => problems.push(Problem::BadAvailability(cell(Col::Availability).to_string())),
        }
        v.org = clean_input(cell(Col::Org), false);
        v.skills = split_list(cell(Col::Skills));
        v.notes = clean_input(cell(Col::Notes), true);
        if problems.is_empty() {
            let key = identity(&v.name, &v.phone);
            if !v.phone.is_empty() {
                v.resident = residents.get(&key).copied();
            }
            let existing = v.resident.and_then(|r| known_resident.get(&r)).or_else(|| known.get(&key));
            if let Some(id) = existing {
                problems.push(Problem::DuplicateVolunteer(id.0));
            } else if let Some(earlier) = in_file.get(&key) {
                problems.push(Problem::DuplicateInFile(*earlier));
            } else {
                in_file.insert(key, line);
            }
        }
        out.rows.push(VolunteerRow {
            row: line,
            volunteer: v,
            problems,
            cleaned: super::import::row_needs_cleaning(row),
        });
    }
    Ok(out)
}

/// Writes the rows that passed, in one transaction. Refuses when some rows
/// have errors, unless `skip_bad_rows`. Returns the volunteers created.
pub fn import(
    store: &Store,
    preview: &VolunteerPreview,
    skip_bad_rows: bool,
    by: WorkerId,
    at: NaiveDateTime,
) -> Result<Vec<Volunteer>, ImportError> {
    let errors = preview.errors();
    if errors > 0 && !skip_bad_rows {
        return Err(ImportError::RowsHaveErrors(errors));
    }
    let drafts: Vec<Volunteer> = preview
        .rows
        .iter()
        .filter(|r| r.will_import())
        .map(|r| {
            let mut v = r.volunteer.clone();
            if v.resident.is_some() {
                // the residents directory is the one place these are kept
                v.name.clear();
                v.phone.clear();
            }
            v
        })
        .collect();
    // in batches, as residents are (see `import::IMPORT_BATCH`)
    let mut out = Vec::new();
    for batch in drafts.chunks(super::import::IMPORT_BATCH) {
        let made = store.create_many(batch.len(), Some(by), at, |first| {
            batch
                .iter()
                .enumerate()
                .map(|(i, d)| Volunteer { id: VolunteerId(first + i as u64), ..d.clone() })
                .collect()
        });
        match made {
            Ok(done) => out.extend(done),
            Err(e) if out.is_empty() => return Err(e.into()),
            Err(e) => return Err(ImportError::Stopped { written: out.len(), cause: e }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_as_offices_write_them() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(parse_birth_year("1958年3月", today), Some(Some(1958)));
        assert_eq!(parse_birth_year("1958-03-02", today), Some(Some(1958)));
        assert_eq!(parse_birth_year("", today), Some(None));
        assert_eq!(parse_birth_year("58", today), None);
        assert_eq!(parse_birth_year("2030", today), None);
        assert_eq!(parse_gender("女"), Some(Gender::Female));
        assert_eq!(parse_gender("妖"), None);
        assert_eq!(parse_kind("在职党员双报到"), Some(VolunteerKind::PartyMember));
        assert_eq!(parse_kind("双报到"), Some(VolunteerKind::PartyMember));
        assert_eq!(parse_kind("学生"), Some(VolunteerKind::Student));
        assert_eq!(parse_kind(""), Some(VolunteerKind::Resident));
        assert_eq!(parse_kind("外星人"), None);
        let sheet = super::super::import::read_csv(
            "志愿者名册,,,,,,\n姓名,联系电话,性别,出生年份,类别,技能,空闲时间\n张三,13812345678,男,1958,居民,理发,周六上午\n"
                .as_bytes(),
        )
        .unwrap();
        let map = detect_columns(&sheet);
        assert_eq!(map.header_row, 1);
        assert_eq!(map.columns.len(), 7);
        assert_eq!(map.columns[&Col::Availability], 6);
    }
}
