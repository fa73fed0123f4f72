//! Importing residents from the office's spreadsheets (CSV or XLSX).
//!
//! Three steps, so a screen can show each: [`read_sheet`] reads the file
//! into rows of text (CSV in UTF-8 with or without a BOM, UTF-16 with a
//! BOM, or GBK/GB18030 as Excel writes it on Chinese Windows; anything else
//! is refused, never guessed); [`detect_columns`] finds the header row and
//! maps the columns (the user may change the map); [`preview`] checks every
//! row against the rules and the residents already stored. [`import`] then
//! writes the good rows in batches of [`IMPORT_BATCH`], each whole (a
//! failure part-way says how many were written).
//! [`preview_file`] does the first three in one pass as the file is read,
//! keeping each row's verdict and not the sheet (the app and `linli
//! import` use it).
//!
//! A row that matches a person already known (same name and phone, or same
//! name and address) is skipped, so importing the same file twice adds
//! nobody.

use super::Col;
use crate::domain::mask::normalize_phone;
use crate::domain::text::clean_input;
use crate::domain::{Address, Resident, ResidentId, WorkerId};
use crate::store::{Store, StoreError};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file's encoding is not recognised (not UTF-8, UTF-16 or GBK)")]
    BadEncoding,
    #[error("the sheet cannot be read: {0}")]
    Unreadable(String),
    #[error("{0} is not a regular file")]
    NotAFile(std::path::PathBuf),
    #[error("the file is too large ({mb} MB, at most {max_mb} MB)")]
    TooBig { mb: u64, max_mb: u64 },
    #[error("more than {max} rows")]
    TooManyRows { max: usize },
    #[error("row {row} has more than {max} cells")]
    TooWide { row: usize, max: usize },
    #[error("row {row} has a cell longer than {max} characters")]
    CellTooLong { row: usize, max: usize },
    #[error("the quote on row {row} is never closed")]
    OpenQuote { row: usize },
    #[error("the workbook unpacks to more than {max_mb} MB")]
    TooBigUnpacked { max_mb: u64 },
    #[error("no name column")]
    NoNameColumn,
    #[error("{0} rows have errors")]
    RowsHaveErrors(usize),
    /// Writing stopped after `written` rows (each batch is whole): importing
    /// the file again adds the rest (those already in are duplicates).
    #[error("stopped after {written} rows: {cause}")]
    Stopped { written: usize, cause: StoreError },
    /// The file is not what was previewed ([`import_file`] reads it
    /// again): `written` rows were written before it was noticed (0: the
    /// import changed nothing).
    #[error("the file changed since its preview ({written} rows written)")]
    Changed { written: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The fields of a resident an import can fill.
pub const FIELDS: [Col; 10] = [
    Col::Name,
    Col::Phone,
    Col::Address,
    Col::Estate,
    Col::Building,
    Col::Unit,
    Col::Room,
    Col::Grid,
    Col::Tags,
    Col::Notes,
];

/// Header words that name each field (after removing spaces, `*` and
/// colons; English compared in lower case).
fn synonyms(f: Col) -> &'static [&'static str] {
    match f {
        Col::Name => &["姓名", "名字", "居民姓名", "户主姓名", "name"],
        Col::Phone => &["电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "phone", "mobile"],
        Col::Address => &["住址", "地址", "家庭住址", "居住地址", "现住址", "详细地址", "address"],
        Col::Estate => &["小区", "小区名称", "所在小区", "estate"],
        Col::Building => &["楼栋", "楼号", "栋", "幢", "楼栋号", "building"],
        Col::Unit => &["单元", "单元号", "unit"],
        Col::Room => &["室", "房号", "房间号", "门牌号", "户号", "室号", "room"],
        Col::Grid => &["网格", "所属网格", "网格名称", "grid"],
        Col::Tags => &["标签", "人员类别", "人群类别", "类别", "tags"],
        Col::Notes => &["备注", "说明", "notes"],
        _ => &[],
    }
}

/// A field by a word the user may type (`phone`, `电话`, …).
pub fn field(word: &str) -> Option<Col> {
    let w = normalize_header(word);
    FIELDS.into_iter().find(|f| synonyms(*f).contains(&w.as_str()))
}

pub(crate) fn normalize_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | ':' | '：' | '\u{feff}'))
        .collect::<String>()
        .to_lowercase()
}

/// A sheet as rows of text cells; `first_row` is the spreadsheet's row
/// number of `rows[0]` (1-based, as Excel shows it).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub rows: Vec<Vec<String>>,
    pub first_row: usize,
}

/// Which column holds which field, and which row is the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// Index into `Sheet::rows` of the header row.
    pub header_row: usize,
    pub columns: BTreeMap<Col, usize>,
}

impl ColumnMap {
    /// Sets a field's column from the user's word: a header text, a letter
    /// (`C`) or a 1-based number.
    pub fn set(&mut self, sheet: &Sheet, field: Col, column: &str) -> bool {
        let header = sheet.rows.get(self.header_row).cloned().unwrap_or_default();
        let want = normalize_header(column);
        let idx = header
            .iter()
            .position(|h| normalize_header(h) == want)
            .or_else(|| column.trim().parse::<usize>().ok().filter(|n| *n >= 1).map(|n| n - 1))
            .or_else(|| {
                let c = column.trim();
                (c.len() == 1 && c.chars().all(|c| c.is_ascii_alphabetic()))
                    .then(|| (c.to_ascii_uppercase().as_bytes()[0] - b'A') as usize)
            });
        match idx {
            Some(i) => {
                self.columns.insert(field, i);
                true
            }
            None => false,
        }
    }

    /// `姓名=B 电话=C …` for showing the user what was understood.
    pub fn describe(&self, sheet: &Sheet, lang: crate::i18n::Lang) -> String {
        let header = sheet.rows.get(self.header_row).cloned().unwrap_or_default();
        self.columns
            .iter()
            .map(|(f, i)| {
                let h = header.get(*i).map(String::as_str).unwrap_or("");
                format!(
                    "{}←{}",
                    crate::i18n::column(lang, *f),
                    if h.is_empty() { column_letter(*i) } else { h.to_string() }
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// Finds the header row (the first of the first ten rows that names a
/// name column and at least one other field: sheets often have a title
/// row above it) and maps the columns it names.
pub fn detect_columns(sheet: &Sheet) -> ColumnMap {
    detect_columns_with(sheet, &FIELDS, synonyms)
}

/// [`detect_columns`] for any set of fields and their header words.
pub fn detect_columns_with(sheet: &Sheet, fields: &[Col], synonyms: fn(Col) -> &'static [&'static str]) -> ColumnMap {
    let mut best = ColumnMap::default();
    for (r, row) in sheet.rows.iter().enumerate().take(10) {
        let mut map = ColumnMap { header_row: r, columns: BTreeMap::new() };
        for (i, cell) in row.iter().enumerate() {
            let h = normalize_header(cell);
            if let Some(f) = fields.iter().copied().find(|f| synonyms(*f).contains(&h.as_str())) {
                map.columns.entry(f).or_insert(i);
            }
        }
        if map.columns.contains_key(&Col::Name) && map.columns.len() >= 2 {
            return map;
        }
        if map.columns.len() > best.columns.len() {
            best = map;
        }
    }
    best
}

// ---- reading files ----------------------------------------------------------------

pub use super::reading::{decode_text, read_csv, read_rows, read_sheet};

/// Drops the apostrophe our exports put before formula-like text.
pub(crate) fn undefuse(cell: &str) -> String {
    let t = cell.trim();
    // a phone number our CSV kept as text: ="02888157379"
    if let Some(inner) = t.strip_prefix("=\"").and_then(|r| r.strip_suffix('"'))
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit())
    {
        return inner.to_string();
    }
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '@', '-', '\t', '\r']) => rest.trim().to_string(),
        _ => t.to_string(),
    }
}

// ---- checking -----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    EmptyName,
    /// A name longer than `domain::text::MAX_NAME_CHARS` (likely two cells
    /// run together, or a note in the name column).
    LongName(usize),
    BadPhone(String),
    /// A number masked by an export (`138****5678`): the sheet needs one
    /// exported with full numbers.
    MaskedPhone(String),
    /// The same person is already stored.
    DuplicateExisting(ResidentId),
    /// The same person is on an earlier row of this file (its row number).
    DuplicateInFile(usize),
    /// The same volunteer is already stored (their number).
    DuplicateVolunteer(u64),
    BadGender(String),
    BadBirthYear(String),
    /// Not a kind of volunteer (居民, 在职党员双报到, 共建单位, 学生, 其他).
    BadKind(String),
    /// Free times that cannot be read (e.g. 周六上午, 工作日晚上).
    BadAvailability(String),
}

impl Problem {
    /// Errors stop the import (unless bad rows are skipped); duplicates are
    /// simply not imported.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Problem::EmptyName
                | Problem::LongName(_)
                | Problem::BadPhone(_)
                | Problem::MaskedPhone(_)
                | Problem::BadGender(_)
                | Problem::BadBirthYear(_)
                | Problem::BadKind(_)
                | Problem::BadAvailability(_)
        )
    }
}

#[derive(Debug, Clone)]
pub struct PreviewRow {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    /// The resident the row makes, encoded (read it with
    /// [`PreviewRow::resident`]): a preview holds every row until the user
    /// answers, and a `Resident` is ten allocations, ~700 bytes a row with
    /// the allocator's share (30,000 rows: 21 MB), the encoded one ~150.
    packed: Box<[u8]>,
    pub problems: Vec<Problem>,
    /// Something invisible was taken out of its cells (an escape sequence,
    /// a zero-width space): imported cleaned, and the preview says so.
    pub cleaned: bool,
}

/// A previewed spreadsheet row (a resident's or a volunteer's), judged by
/// what is wrong with it, if anything.
pub trait Judged {
    fn problems(&self) -> &[Problem];
    /// Whether invisible characters were taken out of its cells.
    fn cleaned(&self) -> bool;
    fn is_error(&self) -> bool {
        self.problems().iter().any(Problem::is_error)
    }
    /// Only a duplicate: skipped, not wrong.
    fn is_duplicate(&self) -> bool {
        !self.is_error() && !self.problems().is_empty()
    }
    fn will_import(&self) -> bool {
        self.problems().is_empty()
    }
}

/// How many of `rows` pass `test` (one of `Judged`'s).
pub(super) fn count<R: Judged>(rows: &[R], test: fn(&R) -> bool) -> usize {
    rows.iter().filter(|r| test(r)).count()
}

impl PreviewRow {
    fn new(row: usize, resident: &Resident, problems: Vec<Problem>, cleaned: bool) -> PreviewRow {
        // postcard cannot fail on a value in memory; an empty row would
        // read back as the unnamed resident below
        let packed = postcard::to_allocvec(resident).unwrap_or_default().into_boxed_slice();
        PreviewRow { row, packed, problems, cleaned }
    }

    /// The resident the row makes (decoded each time).
    pub fn resident(&self) -> Resident {
        postcard::from_bytes(&self.packed).unwrap_or_else(|_| Resident::new(ResidentId(0), ""))
    }
}

impl Judged for PreviewRow {
    fn problems(&self) -> &[Problem] {
        &self.problems
    }
    fn cleaned(&self) -> bool {
        self.cleaned
    }
}

/// Whether any cell of a row holds something [`clean_input`] takes out.
pub(super) fn row_needs_cleaning(row: &[String]) -> bool {
    row.iter().any(|c| crate::domain::text::cleaned(c, true).1)
}

/// The checks every imported name gets.
pub(super) fn name_problems(name: &str) -> Option<Problem> {
    if name.is_empty() {
        Some(Problem::EmptyName)
    } else if crate::domain::text::name_too_long(name) {
        Some(Problem::LongName(name.chars().count()))
    } else {
        None
    }
}

#[derive(Debug, Clone, Default)]
pub struct Preview {
    pub rows: Vec<PreviewRow>,
}

impl Preview {
    pub fn to_import(&self) -> usize {
        count(&self.rows, PreviewRow::will_import)
    }
    pub fn duplicates(&self) -> usize {
        count(&self.rows, PreviewRow::is_duplicate)
    }
    pub fn errors(&self) -> usize {
        count(&self.rows, PreviewRow::is_error)
    }
}

/// Who a person is, for finding duplicates: name with phone, name with
/// address, or the name alone when there is neither.
fn identities(r: &Resident) -> Vec<Identity> {
    identities_of(&r.name, &r.phone, &r.address.to_string())
}

/// One of a person's [`identities`], as a 128-bit fingerprint of its text:
/// a preview holds one or two for each resident known and each row read
/// (60,000 strings of ~45 bytes in two maps were ~14 MB at the peak of a
/// 30,000-row preview on the large set, issue 19; as fingerprints ~3 MB).
/// Two different people share one with a chance of about 10^-29 in an
/// import of 30,000 rows against 30,000 residents: never, in practice.
/// (Two halves rather than a `u128`: aligned to 8, not 16, an entry of a
/// map or list of them is 24 bytes, not 32.)
type Identity = [u64; 2];

/// [`identities`] from a resident's name, phone and address as text.
fn identities_of(name: &str, phone: &str, address: &str) -> Vec<Identity> {
    let name = name.trim();
    let mut out = Vec::with_capacity(2);
    if !phone.is_empty() {
        out.push(fingerprint(&format!("p\u{1f}{name}\u{1f}{phone}")));
    }
    if !address.is_empty() {
        out.push(fingerprint(&format!("a\u{1f}{name}\u{1f}{address}")));
    }
    if out.is_empty() {
        out.push(fingerprint(&format!("n\u{1f}{name}")));
    }
    out
}

/// Two 64-bit hashes of the text (std's SipHash with its fixed keys:
/// fingerprints are only compared within one process) under two prefixes.
fn fingerprint(text: &str) -> Identity {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        text.hash(&mut h);
        h.finish()
    };
    [half(1), half(2)]
}

/// Strips the words offices add to address parts: `3栋` → `3`.
fn bare(part: &str, suffixes: &[&str]) -> String {
    let mut s = part.trim();
    for suf in suffixes {
        if let Some(x) = s.strip_suffix(suf) {
            s = x.trim();
            break;
        }
    }
    s.to_string()
}

/// Checks every row (after the header) against the rules and the stored
/// residents. Empty rows are left out.
pub fn preview(store: &Store, sheet: &Sheet, map: &ColumnMap) -> Result<Preview, ImportError> {
    if !map.columns.contains_key(&Col::Name) {
        return Err(ImportError::NoNameColumn);
    }
    preview_against(&Known::of_store(store)?, sheet, map)
}

/// Who is already in the directory, for finding duplicates: each
/// identity with the first resident (by id) that has it, sorted. A list
/// looked up by halving, not a hash map: 30,000 residents' 60,000
/// identities are 1.4 MB, in a map 4.3 MB (its table is a power of two,
/// at most 7/8 full, 33 bytes a slot), at the peak of the preview.
#[derive(Default)]
pub struct Known(Vec<(Identity, ResidentId)>);

impl Known {
    /// The first resident known with this identity.
    fn get(&self, k: &Identity) -> Option<ResidentId> {
        self.0.binary_search_by(|(i, _)| i.cmp(k)).ok().map(|at| self.0[at].1)
    }

    /// Sorted by identity; of the residents sharing one, the first added
    /// (the stable sort keeps their order) stays.
    fn sorted(mut self) -> Known {
        self.0.sort_by_key(|a| a.0);
        self.0.dedup_by(|later, first| later.0 == first.0);
        self.0.shrink_to_fit();
        self
    }

    /// From the residents' keys the app keeps in memory (id, name, phone,
    /// address as text): no read of the directory through sled, which
    /// keeps what it read (issue 19).
    pub fn of<'a>(residents: impl Iterator<Item = (ResidentId, &'a str, &'a str, &'a str)>) -> Known {
        let mut known = Known::default();
        for (id, name, phone, address) in residents {
            for k in identities_of(name, phone, address) {
                known.0.push((k, id));
            }
        }
        known.sorted()
    }

    /// From the stored residents, read one at a time: the whole directory
    /// decoded at once was ~10 MB more at the preview's peak on the large
    /// set.
    pub fn of_store(store: &Store) -> Result<Known, ImportError> {
        let mut known = Known::default();
        store.scan(|r: Resident| {
            for k in identities(&r) {
                known.0.push((k, r.id));
            }
        })?;
        Ok(known.sorted())
    }
}

/// [`preview`] against residents already known.
pub fn preview_against(known: &Known, sheet: &Sheet, map: &ColumnMap) -> Result<Preview, ImportError> {
    let mut judge = Judge::new(known, map.clone())?;
    let mut out = Preview::default();
    for (i, row) in sheet.rows.iter().enumerate().skip(map.header_row + 1) {
        out.rows.extend(judge.row(sheet.first_row + i, row));
    }
    Ok(out)
}

/// The first rows of a file read before any is judged: the header is
/// looked for among them ([`detect_columns`] looks at ten).
pub const HEAD_ROWS: usize = 10;

/// A file previewed as it was read: its first rows (where the header
/// is), the map chosen from them, and its verdicts.
#[derive(Debug)]
pub struct Streamed {
    pub head: Sheet,
    pub map: ColumnMap,
    pub preview: FilePreview,
}

/// A file's preview ([`preview_file`]) without its rows: what the screen
/// says of it, and what [`import_file`] needs to write its good rows by
/// reading the file again. Kept until the user answers, it held every
/// row's resident (~5 MB in 60,000 small blocks for 30,000 rows, issue
/// 19); now each good row's number and the fingerprint of its cells
/// (16 bytes), and whole only the rows with something to say.
#[derive(Debug, Clone)]
pub struct FilePreview {
    pub path: std::path::PathBuf,
    pub map: ColumnMap,
    /// The rows with something to say (a problem, or cells cleaned), in
    /// the file's order.
    pub rows: Vec<PreviewRow>,
    /// Rows judged (empty rows are left out).
    pub total: usize,
    duplicates: usize,
    errors: usize,
    /// The rows that import: each one's number and [`row_sum`], in order.
    writes: Vec<(u32, u64)>,
    /// Every row read, in order, fingerprinted: the file as previewed.
    sum: u64,
}

impl FilePreview {
    pub fn to_import(&self) -> usize {
        self.writes.len()
    }
    pub fn duplicates(&self) -> usize {
        self.duplicates
    }
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Every judged row's number and problems, in order (those that say
    /// nothing and import as they are with none): as a [`Preview`] of the
    /// whole sheet would list them.
    pub fn verdicts(&self) -> Vec<(usize, Vec<Problem>)> {
        let mut out: Vec<(usize, Vec<Problem>)> = self.rows.iter().map(|r| (r.row, r.problems.clone())).collect();
        let noted: std::collections::BTreeSet<usize> = out.iter().map(|(n, _)| *n).collect();
        out.extend(
            self.writes.iter().map(|(n, _)| *n as usize).filter(|n| !noted.contains(n)).map(|n| (n, Vec::new())),
        );
        out.sort_by_key(|(n, _)| *n);
        out
    }
}

/// A row's fingerprint: its number and every cell as read (std's SipHash
/// with its fixed keys; compared only within one process).
fn row_sum(n: usize, row: &[String]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    n.hash(&mut h);
    row.hash(&mut h);
    h.finish()
}

/// The running fingerprint of a file's rows (each row's [`row_sum`]).
#[derive(Default)]
struct FileSum(std::collections::hash_map::DefaultHasher);

impl FileSum {
    fn add(&mut self, row_sum: u64) {
        use std::hash::Hasher;
        self.0.write_u64(row_sum);
    }
    fn finish(&self) -> u64 {
        use std::hash::Hasher;
        self.0.finish()
    }
}

/// Why [`preview_file`] stopped: the file (or a rule, e.g. no name
/// column), or the caller's `choose`.
#[derive(Debug)]
pub enum PreviewFailed<E> {
    Import(ImportError),
    Chosen(E),
}

impl<E> From<ImportError> for PreviewFailed<E> {
    fn from(e: ImportError) -> Self {
        PreviewFailed::Import(e)
    }
}

/// [`read_sheet`], [`detect_columns`] and [`preview_against`] in one pass
/// over the file, row by row: only the first [`HEAD_ROWS`] rows are kept
/// (for `choose`, which maps the columns from them) and, of every other
/// row, its verdict, whole only when it has something to say. The same
/// verdicts as the three steps ([`FilePreview::verdicts`]), without the
/// whole sheet in memory (issue 19: ~20 MB for 30,000 rows) nor its
/// residents (~5 MB).
pub fn preview_file<E>(
    path: &std::path::Path,
    known: &Known,
    choose: impl FnOnce(&Sheet) -> Result<ColumnMap, E>,
) -> Result<Streamed, PreviewFailed<E>> {
    let mut st = Streaming {
        known,
        choose: Some(choose),
        head: Sheet::default(),
        judge: None,
        chosen: None,
        preview: FilePreview {
            path: path.to_path_buf(),
            map: ColumnMap::default(),
            rows: Vec::new(),
            total: 0,
            duplicates: 0,
            errors: 0,
            writes: Vec::new(),
            sum: 0,
        },
        sum: FileSum::default(),
    };
    let read = super::reading::read_rows(path, &mut |n, row| st.row(n, row));
    if let Some(e) = st.chosen.take() {
        return Err(PreviewFailed::Chosen(e));
    }
    read?;
    if st.judge.is_none() {
        // a file of fewer rows than the head
        st.decide()?;
        if let Some(e) = st.chosen.take() {
            return Err(PreviewFailed::Chosen(e));
        }
    }
    let map = st.judge.map(|j| j.map).unwrap_or_default();
    let mut preview = st.preview;
    preview.rows.shrink_to_fit();
    preview.writes.shrink_to_fit();
    preview.sum = st.sum.finish();
    preview.map = map.clone();
    Ok(Streamed { head: st.head, map, preview })
}

/// [`preview_file`]'s state while the rows come.
struct Streaming<'k, C, E> {
    known: &'k Known,
    choose: Option<C>,
    head: Sheet,
    /// Set once the head is read and the columns chosen.
    judge: Option<Judge<'k>>,
    /// What `choose` returned instead of a map.
    chosen: Option<E>,
    preview: FilePreview,
    sum: FileSum,
}

impl<'k, C: FnOnce(&Sheet) -> Result<ColumnMap, E>, E> Streaming<'k, C, E> {
    fn row(&mut self, n: usize, row: Vec<String>) -> Result<(), ImportError> {
        self.sum.add(row_sum(n, &row));
        if self.judge.is_none() {
            if self.head.rows.is_empty() {
                self.head.first_row = n;
            }
            let at = n.saturating_sub(self.head.first_row);
            if at < HEAD_ROWS {
                // rows a workbook left out are empty rows of the head
                self.head.rows.resize_with(at, Vec::new);
                self.head.rows.push(row);
                if self.head.rows.len() == HEAD_ROWS {
                    self.decide()?;
                }
                return Ok(());
            }
            self.decide()?;
        }
        if let Some(judge) = &mut self.judge {
            keep(&mut self.preview, judge, n, &row);
        }
        Ok(())
    }

    /// Maps the columns from the head and judges its rows below the header.
    fn decide(&mut self) -> Result<(), ImportError> {
        let Some(choose) = self.choose.take() else { return Ok(()) };
        let map = match choose(&self.head) {
            Ok(map) => map,
            Err(e) => {
                self.chosen = Some(e);
                // stops the reading; `preview_file` returns `e`
                return Err(ImportError::NoNameColumn);
            }
        };
        let mut judge = Judge::new(self.known, map)?;
        let first = self.head.first_row;
        for (i, row) in self.head.rows.iter().enumerate().skip(judge.map.header_row + 1) {
            keep(&mut self.preview, &mut judge, first + i, row);
        }
        self.judge = Some(judge);
        Ok(())
    }
}

/// Row `n` judged into `preview`: counted, listed when it imports, and
/// kept whole only when it has something to say.
fn keep(preview: &mut FilePreview, judge: &mut Judge<'_>, n: usize, row: &[String]) {
    let Some((resident, problems, cleaned)) = judge.judge(n, row) else { return };
    preview.total += 1;
    if problems.is_empty() {
        // (row numbers: at most a workbook's 1,048,576)
        preview.writes.push((n as u32, row_sum(n, row)));
    } else if problems.iter().any(Problem::is_error) {
        preview.errors += 1;
    } else {
        preview.duplicates += 1;
    }
    if !problems.is_empty() || cleaned {
        preview.rows.push(PreviewRow::new(n, &resident, problems, cleaned));
    }
}

/// The identities of the rows judged so far, and the row of each: a
/// sorted list looked up by halving, and the last few thousand in a small
/// map merged into it when full. A map of all of them (60,000 for 30,000
/// rows) was 3.3 MB at the preview's peak, 4.9 while it grew (issue 19);
/// the list is 1.4 MB.
#[derive(Default)]
struct Seen {
    sorted: Vec<(Identity, u32)>,
    recent: HashMap<Identity, u32>,
}

/// Identities in [`Seen`]'s map before they go into its list.
const SEEN_RECENT: usize = 4096;

impl Seen {
    fn get(&self, k: &Identity) -> Option<usize> {
        let sorted = self.sorted.binary_search_by(|(i, _)| i.cmp(k)).ok().map(|at| self.sorted[at].1);
        sorted.or_else(|| self.recent.get(k).copied()).map(|n| n as usize)
    }

    /// (each identity is inserted once: a row whose identity is seen
    /// inserts none of its own)
    fn insert(&mut self, k: Identity, line: usize) {
        self.recent.insert(k, line as u32);
        if self.recent.len() >= SEEN_RECENT {
            let mut recent: Vec<(Identity, u32)> = self.recent.drain().collect();
            recent.sort_unstable_by_key(|a| a.0);
            self.sorted.reserve(recent.len());
            self.sorted.extend(recent);
            // two sorted runs: the stable sort merges them in one pass
            self.sorted.sort_by_key(|a| a.0);
        }
    }
}

/// Judges rows one by one against the rules, the residents known and the
/// rows judged before it.
struct Judge<'k> {
    known: &'k Known,
    map: ColumnMap,
    /// Who the rows judged so far are (their identities), and on which row.
    in_file: Seen,
}

impl<'k> Judge<'k> {
    fn new(known: &'k Known, map: ColumnMap) -> Result<Judge<'k>, ImportError> {
        if !map.columns.contains_key(&Col::Name) {
            return Err(ImportError::NoNameColumn);
        }
        Ok(Judge { known, map, in_file: Seen::default() })
    }

    /// Row `line` (its number in the sheet) judged; `None` for an empty row.
    fn row(&mut self, line: usize, row: &[String]) -> Option<PreviewRow> {
        let (r, problems, cleaned) = self.judge(line, row)?;
        Some(PreviewRow::new(line, &r, problems, cleaned))
    }

    /// [`Judge::row`] as the resident the row makes, its problems and
    /// whether its cells were cleaned.
    fn judge(&mut self, line: usize, row: &[String]) -> Option<(Resident, Vec<Problem>, bool)> {
        let (r, mut problems) = resident_of(&self.map, row)?;
        if problems.is_empty() {
            let ids = identities(&r);
            if let Some(id) = ids.iter().find_map(|k| self.known.get(k)) {
                problems.push(Problem::DuplicateExisting(id));
            } else if let Some(earlier) = ids.iter().find_map(|k| self.in_file.get(k)) {
                problems.push(Problem::DuplicateInFile(earlier));
            } else {
                for k in ids {
                    self.in_file.insert(k, line);
                }
            }
        }
        Some((r, problems, row_needs_cleaning(row)))
    }
}

/// A phone cell cleaned and normalised; empty, with its problem (a masked
/// or a malformed number) in `problems`, when it is not a phone number.
/// (Residents' and volunteers' imports alike.)
pub(super) fn phone_cell(cell: &str, problems: &mut Vec<Problem>) -> String {
    let raw = clean_input(cell, false);
    match normalize_phone(&raw) {
        Ok(p) => p,
        Err(_) => {
            problems.push(if raw.contains('*') { Problem::MaskedPhone(raw) } else { Problem::BadPhone(raw) });
            String::new()
        }
    }
}

/// The resident a row makes by `map`, and what is wrong with its cells
/// (not whether it is a duplicate); `None` for an empty row.
fn resident_of(map: &ColumnMap, row: &[String]) -> Option<(Resident, Vec<Problem>)> {
    if row.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    let cell = |f: Col| map.columns.get(&f).and_then(|i| row.get(*i)).map(|s| s.trim()).unwrap_or("");
    let mut problems = Vec::new();
    let name = clean_input(cell(Col::Name), false);
    problems.extend(name_problems(&name));
    let phone = phone_cell(cell(Col::Phone), &mut problems);
    let mut address = Address::parse(&clean_input(cell(Col::Address), false));
    let estate = clean_input(cell(Col::Estate), false);
    if !estate.is_empty() {
        address.estate = estate;
    }
    for (f, part, suffixes) in [
        (Col::Building, &mut address.building, &["号楼", "栋", "幢", "楼", "号"][..]),
        (Col::Unit, &mut address.unit, &["单元"][..]),
        (Col::Room, &mut address.room, &["室", "号"][..]),
    ] {
        let v = bare(&clean_input(cell(f), false), suffixes);
        if !v.is_empty() {
            *part = v;
        }
    }
    let mut r = Resident::new(ResidentId(0), &name);
    r.phone = phone;
    r.address = address;
    r.grid = clean_input(cell(Col::Grid), false);
    r.tags = cell(Col::Tags)
        .split(['、', ',', '，', ';', '；', '/', ' '])
        .map(|t| clean_input(t, false))
        .filter(|t| !t.is_empty())
        .collect();
    r.notes = clean_input(cell(Col::Notes), true);
    Some((r, problems))
}

/// Writes the rows that passed, in batches of [`IMPORT_BATCH`]. Refuses
/// when some rows have errors, unless `skip_bad_rows`. Returns the
/// residents created.
pub fn import(
    store: &Store,
    preview: &Preview,
    skip_bad_rows: bool,
    by: WorkerId,
    at: NaiveDateTime,
) -> Result<Vec<Resident>, ImportError> {
    let errors = preview.errors();
    if errors > 0 && !skip_bad_rows {
        return Err(ImportError::RowsHaveErrors(errors));
    }
    let mut out = Vec::new();
    let mut writer = Batches::new(store, by, at);
    for r in preview.rows.iter().filter(|r| r.will_import()) {
        writer.push(r.resident(), &mut |r| out.push(r))?;
    }
    writer.finish(&mut |r| out.push(r))?;
    Ok(out)
}

/// Writes a previewed file's good rows, in batches of [`IMPORT_BATCH`],
/// reading the file again (the preview kept no rows): refuses, changing
/// nothing, when any row differs from what was previewed (read through
/// once first), and stops at a row that differs in the second reading
/// (the file changed in between), its batch unwritten. Refuses when some
/// rows have errors, unless `skip_bad_rows`. Returns how many were added.
pub fn import_file(
    store: &Store,
    preview: &FilePreview,
    skip_bad_rows: bool,
    by: WorkerId,
    at: NaiveDateTime,
) -> Result<usize, ImportError> {
    let errors = preview.errors();
    if errors > 0 && !skip_bad_rows {
        return Err(ImportError::RowsHaveErrors(errors));
    }
    let read = super::reading::read_rows;
    let mut sum = FileSum::default();
    read(&preview.path, &mut |n, row| {
        sum.add(row_sum(n, &row));
        Ok(())
    })
    .map_err(|e| match e {
        // (a file gone or unreadable since: it changed)
        ImportError::Store(_) | ImportError::NotAFile(_) => ImportError::Changed { written: 0 },
        e => e,
    })?;
    if sum.finish() != preview.sum {
        return Err(ImportError::Changed { written: 0 });
    }
    let mut n = 0;
    let mut writer = Batches::new(store, by, at);
    let mut next = preview.writes.iter().peekable();
    // a batch failed to write: the reading stopped with its error, which
    // is the import's (not a file gone since)
    let mut write_failed = false;
    let changed = |w: &Batches| ImportError::Changed { written: w.written };
    let read_again = read(&preview.path, &mut |line, row| {
        let Some(&&(want, sum)) = next.peek() else { return Ok(()) };
        if line as u32 != want {
            // (rows come in order: a row to write was passed, it is gone)
            return if (line as u32) > want { Err(changed(&writer)) } else { Ok(()) };
        }
        next.next();
        match resident_of(&preview.map, &row) {
            Some((r, problems)) if problems.is_empty() && row_sum(line, &row) == sum => {
                writer.push(r, &mut |_| n += 1).inspect_err(|_| write_failed = true)
            }
            _ => Err(changed(&writer)),
        }
    });
    match read_again {
        Err(e) if write_failed => return Err(e),
        Err(ImportError::Store(_) | ImportError::NotAFile(_)) => return Err(changed(&writer)),
        r => r?,
    }
    if next.peek().is_some() {
        return Err(changed(&writer));
    }
    writer.finish(&mut |_| n += 1)?;
    Ok(n)
}

/// Residents written [`IMPORT_BATCH`] at a time, each batch whole.
struct Batches<'s> {
    store: &'s Store,
    by: WorkerId,
    at: NaiveDateTime,
    drafts: Vec<Resident>,
    batches: usize,
    /// Rows written so far.
    written: usize,
}

impl<'s> Batches<'s> {
    fn new(store: &'s Store, by: WorkerId, at: NaiveDateTime) -> Batches<'s> {
        Batches { store, by, at, drafts: Vec::with_capacity(IMPORT_BATCH), batches: 0, written: 0 }
    }

    /// Adds a resident, writing the batch when it is full.
    fn push(&mut self, r: Resident, made: &mut dyn FnMut(Resident)) -> Result<(), ImportError> {
        self.drafts.push(r);
        if self.drafts.len() == IMPORT_BATCH { self.write(made, false) } else { Ok(()) }
    }

    /// Writes what is left.
    fn finish(mut self, made: &mut dyn FnMut(Resident)) -> Result<(), ImportError> {
        self.write(made, true)
    }

    fn write(&mut self, made: &mut dyn FnMut(Resident), last: bool) -> Result<(), ImportError> {
        if !self.drafts.is_empty() {
            let done = self.store.create_residents(&self.drafts, self.by, self.at);
            self.drafts.clear();
            self.batches += 1;
            // sled keeps every page the writes touched until it counts its
            // cache (see `Store::relieve_cache`)
            if self.batches.is_multiple_of(RELIEVE_BATCHES) || last {
                self.store.relieve_cache();
            }
            match done {
                Ok(done) => {
                    self.written += done.len();
                    done.into_iter().for_each(made);
                }
                Err(e) if self.written == 0 => return Err(e.into()),
                Err(e) => return Err(ImportError::Stopped { written: self.written, cause: e }),
            }
        } else if last && !self.batches.is_multiple_of(RELIEVE_BATCHES) {
            self.store.relieve_cache();
        }
        Ok(())
    }
}

/// Rows written in one transaction: an import of 100,000 rows in one
/// would hold them all in memory (30,000 residents took 350 MB). A sled
/// transaction holds its writes, their index entries and audit lines, and
/// the tree nodes they touch until it commits, and what it frees is
/// scattered among what stays (the pages sled keeps, the undo step's
/// bytes), so the heap never shrinks back: on the large set, an import of
/// 30,000 residents in batches of 1,000 left the process 19 MB larger
/// (peak +27), in batches of 250 10 MB (peak +14), for ~15 % more time
/// (`examples/importprobe.rs`, BENCHMARKS.md issue 19q); in batches of
/// 125, 1–3 MB less again after the import, the heap's free pieces 3.5 MB
/// where they were 6–10 (BENCHMARKS.md issue 19zg). The app still
/// takes the whole import back as one undo step (it keeps every write of
/// one user action together, see `store::undo`).
pub const IMPORT_BATCH: usize = 125;
/// Batches written between two counts of sled's cache: 4,000 rows, with
/// their index entries and audit lines (counting after every batch took
/// ~70 % more time to save ~1 MB; every 4 or 8 batches of 250 saved
/// nothing measurable, issue 19zg).
const RELIEVE_BATCHES: usize = 32;

// ---- messages ------------------------------------------------------------

use crate::i18n::{Lang, fill};

impl ImportError {
    /// What went wrong, in the user's words.
    pub fn message(&self, lang: Lang) -> String {
        use ImportError as E;
        let e = self;
        let d = lang.data();
        match e {
            E::BadEncoding => d.import_bad_encoding.to_string(),
            E::Unreadable(why) => fill(d.import_unreadable, why),
            E::NoNameColumn => d.import_no_name_column.to_string(),
            E::NotAFile(p) => fill(lang.trust().import_not_a_file, p.display()),
            E::TooBig { mb, max_mb } => crate::i18n::fill_all(lang.trust().import_too_big, &[mb, max_mb]),
            E::TooManyRows { max } => fill(lang.trust().import_too_many_rows, max),
            E::TooWide { row, max } => crate::i18n::fill_all(lang.trust().import_too_wide, &[row, max]),
            E::CellTooLong { row, max } => crate::i18n::fill_all(lang.trust().import_cell_too_long, &[row, max]),
            E::OpenQuote { row } => fill(lang.trust().import_open_quote, row),
            E::TooBigUnpacked { max_mb } => fill(lang.trust().import_too_big_unpacked, max_mb),
            E::RowsHaveErrors(n) => fill(d.import_has_errors, n),
            E::Changed { written: 0 } => lang.trust().import_changed.to_string(),
            E::Changed { written } => fill(lang.trust().import_changed_part_way, written),
            E::Stopped { written, cause } => {
                crate::i18n::fill_all(lang.trust().import_stopped, &[written, &crate::i18n::store_error(lang, cause)])
            }
            E::Store(e) => crate::i18n::store_error(lang, e),
        }
    }
}

/// What the preview says of one row: what is wrong with it, and whether
/// its cells were cleaned. Empty for a row that imports as it is.
pub fn row_notes(row: &impl Judged, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = row.problems().iter().map(|p| p.message(lang)).collect();
    if row.cleaned() {
        out.push(lang.data().p_cleaned.to_string());
    }
    out
}

impl Problem {
    /// What is wrong with one row of an import, for the preview.
    pub fn message(&self, lang: Lang) -> String {
        use Problem as P;
        let p = self;
        let d = lang.data();
        match p {
            P::EmptyName => d.p_empty_name.to_string(),
            P::LongName(n) => crate::i18n::fill_all(d.p_long_name, &[n, &crate::domain::text::MAX_NAME_CHARS]),
            P::BadPhone(s) => fill(d.p_bad_phone, s),
            P::MaskedPhone(s) => fill(d.p_masked_phone, s),
            P::DuplicateExisting(id) => fill(d.p_duplicate_existing, id.0),
            P::DuplicateInFile(row) => fill(d.p_duplicate_in_file, row),
            P::DuplicateVolunteer(id) => fill(d.p_duplicate_volunteer, id),
            P::BadGender(s) => fill(d.p_bad_gender, s),
            P::BadBirthYear(s) => fill(d.p_bad_birth_year, s),
            P::BadKind(s) => fill(d.p_bad_kind, s),
            P::BadAvailability(s) => fill(d.p_bad_availability, s),
        }
    }
}

#[cfg(test)]
#[allow(clippy::items_after_test_module)]
mod tests {
    use super::*;

    #[test]
    fn gbk_utf8_and_boms_are_read_and_garbage_refused() {
        let text = "姓名,电话\n张三,13812345678\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode_text(&gbk).unwrap(), text);
        assert_eq!(decode_text(text.as_bytes()).unwrap(), text);
        let bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        assert_eq!(decode_text(&bom).unwrap(), text);
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_text(&utf16).unwrap(), text);
        assert!(matches!(decode_text(&[0x81, 0x20, 0xFF, 0xFF]), Err(ImportError::BadEncoding)));
    }

    #[test]
    fn headers_are_found_below_a_title_row() {
        let sheet =
            read_csv("幸福社区居民名册,,\n序号,姓名,联系电话,家庭住址\n1,张三,13812345678,3-2-301\n".as_bytes())
                .unwrap();
        let map = detect_columns(&sheet);
        assert_eq!(map.header_row, 1);
        assert_eq!(map.columns[&Col::Name], 1);
        assert_eq!(map.columns[&Col::Phone], 2);
        assert_eq!(map.columns[&Col::Address], 3);
        let mut m = map.clone();
        assert!(m.set(&sheet, Col::Notes, "A"));
        assert_eq!(m.columns[&Col::Notes], 0);
        assert!(m.set(&sheet, Col::Notes, "序号"));
        assert!(m.set(&sheet, Col::Notes, "4"));
        assert_eq!(m.columns[&Col::Notes], 3);
        assert_eq!(column_letter(27), "AB");
    }

    /// The residents known are looked up by halving a sorted list: every
    /// identity found, and of residents sharing one the first added wins
    /// (as the map it replaced, `entry().or_insert`).
    #[test]
    fn duplicates_are_found_against_the_first_resident_known_with_each_identity() {
        let addr = Address::parse("3-2-301").to_string();
        let mut people = vec![
            (ResidentId(7), "张三", "13812345678", ""),
            (ResidentId(9), "张三", "13812345678", addr.as_str()),
            (ResidentId(2), "李四", "", ""),
        ];
        // many more, so that the list is long enough to halve wrongly
        let others: Vec<(String, String)> = (0..500).map(|i| (format!("居民{i}"), format!("139{i:08}"))).collect();
        people.extend(
            others.iter().enumerate().map(|(i, (n, p))| (ResidentId(100 + i as u64), n.as_str(), p.as_str(), "")),
        );
        let known = Known::of(people.into_iter());
        let sheet = read_csv(
            "姓名,电话,住址\n张三,13812345678,\n张三,13900000000,3-2-301\n李四,,\n王五,13700000000,\n居民321,13900000321,\n"
                .as_bytes(),
        )
        .unwrap();
        let p = preview_against(&known, &sheet, &detect_columns(&sheet)).unwrap();
        let found: Vec<_> = p.rows.iter().map(|r| r.problems.clone()).collect();
        assert_eq!(
            found,
            [
                vec![Problem::DuplicateExisting(ResidentId(7))],
                vec![Problem::DuplicateExisting(ResidentId(9))],
                vec![Problem::DuplicateExisting(ResidentId(2))],
                vec![],
                vec![Problem::DuplicateExisting(ResidentId(421))],
            ]
        );
    }

    /// The rows' identities go from a small map into a sorted list every
    /// [`SEEN_RECENT`]: a row repeating one in the list (merged twice),
    /// or one still in the map, is found, under the earlier row's number.
    #[test]
    fn duplicates_in_the_file_are_found_in_the_seen_list_and_in_its_map() {
        let person = |i: usize| vec![format!("居民{i}"), format!("139{i:08}")];
        let mut rows = vec![vec!["姓名".to_string(), "电话".to_string()]];
        rows.extend((0..2 * SEEN_RECENT + 100).map(person));
        // (identities: one a row, so the list holds rows 2..=2*SEEN_RECENT+1)
        for i in [0, SEEN_RECENT + 7, 2 * SEEN_RECENT + 50] {
            rows.push(person(i));
        }
        let sheet = Sheet { rows, first_row: 1 };
        let p = preview_against(&Known::default(), &sheet, &detect_columns(&sheet)).unwrap();
        let dups: Vec<_> = p.rows.iter().filter(|r| !r.problems.is_empty()).map(|r| r.problems.clone()).collect();
        assert_eq!(
            dups,
            [
                vec![Problem::DuplicateInFile(2)],
                vec![Problem::DuplicateInFile(SEEN_RECENT + 9)],
                vec![Problem::DuplicateInFile(2 * SEEN_RECENT + 52)],
            ]
        );
        assert_eq!(p.to_import(), 2 * SEEN_RECENT + 100);
    }

    #[test]
    fn address_parts_lose_their_words() {
        assert_eq!(bare("3栋", &["号楼", "栋"]), "3");
        assert_eq!(bare("12号楼", &["号楼", "栋"]), "12");
        assert_eq!(bare("2单元", &["单元"]), "2");
        assert_eq!(undefuse("'=1+1"), "=1+1");
        assert_eq!(undefuse("'abc"), "'abc");
        assert_eq!(undefuse("=\"02888157379\""), "02888157379");
        assert_eq!(undefuse("=\"1+1\""), "=\"1+1\"");
    }
}
