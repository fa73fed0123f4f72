//! Reading a spreadsheet for an import, within bounds: a file of any size
//! or shape ends with a message, never with the PC out of memory.
//!
//! - Only regular files are read (`/dev/zero`, a pipe: refused), at most
//!   [`MAX_FILE_BYTES`].
//! - CSV is decoded and parsed as it is read, 64 KB at a time (UTF-8 with
//!   or without a BOM, UTF-16 with a BOM, else GB18030, which covers GBK;
//!   anything that decodes with errors is refused, never guessed). The
//!   parser is strict about quotes: a quoted cell must close, and its
//!   closing quote must end the cell; otherwise the row where the quote
//!   opened is named (a lone quote would otherwise swallow the rows after
//!   it into one resident).
//! - XLSX (a zip): every part is measured, decompressed into nothing, before
//!   calamine reads any of it, and refused past [`MAX_UNPACKED_BYTES`] (a
//!   500 KB zip bomb unpacks to gigabytes); the sheet is then read cell by
//!   cell (calamine's cell reader), not as one grid.
//! - At most [`MAX_ROWS`] rows of at most [`MAX_COLUMNS`] cells of at most
//!   [`MAX_CELL_CHARS`] characters.

use super::import::{ImportError, Sheet, undefuse};
use crate::store::StoreError;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

use std::path::Path;

/// The largest file an import reads (a 100,000-row sheet is about 10 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most rows one import takes (a large community has 30,000 residents).
pub const MAX_ROWS: usize = 200_000;
/// The most cells a row may have.
pub const MAX_COLUMNS: usize = 200;
/// The longest cell (a stored field keeps 2,000 characters).
pub const MAX_CELL_CHARS: usize = 4_000;
/// The most an XLSX may unpack to, all its parts together.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

fn io(e: std::io::Error) -> ImportError {
    ImportError::Store(StoreError::from(e))
}

/// Reads a CSV, XLSX or XLS file into rows of text, within the bounds above.
pub fn read_sheet(path: &Path) -> Result<Sheet, ImportError> {
    // a file that is not there is named in the message
    let at = |e: std::io::Error| ImportError::Store(StoreError::at(path, &e));
    let meta = std::fs::metadata(path).map_err(at)?;
    if !meta.is_file() {
        return Err(ImportError::NotAFile(path.to_path_buf()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooBig { mb: meta.len().div_ceil(1024 * 1024), max_mb: MAX_FILE_BYTES >> 20 });
    }
    let mut file = File::open(path).map_err(at)?;
    let mut head = [0u8; 8];
    let n = read_up_to(&mut file, &mut head).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let head = &head[..n];
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let is_zip = head.starts_with(b"PK\x03\x04");
    let is_ole = head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_zip || (!is_ole && matches!(ext.as_str(), "xlsx" | "xlsm" | "ods")) {
        read_zipped(path, file)
    } else if is_ole || ext == "xls" {
        read_range(path)
    } else {
        read_csv_from(file)
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

// ---- CSV ----------------------------------------------------------------------

/// How the bytes are text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Gb18030,
    Bom(&'static encoding_rs::Encoding),
}

/// Decodes a CSV file's bytes: UTF-8 (BOM or not), UTF-16 with a BOM, or
/// GB18030 (which covers GBK); refuses anything that decodes with errors.
pub fn decode_text(bytes: &[u8]) -> Result<String, ImportError> {
    let mut out = String::new();
    decode_stream(&mut std::io::Cursor::new(bytes), u64::MAX, |s| {
        if s.is_empty() {
            out.clear();
        }
        out.push_str(s);
        Ok(())
    })?;
    Ok(out)
}

/// Decodes `r` piece by piece into `sink`, reading at most `limit` bytes.
/// Plain UTF-8 is tried first; at the first byte that is not UTF-8 the
/// source is rewound and read again as GB18030, the sink being told by an
/// empty piece (it starts over).
fn decode_stream<R: Read + Seek>(
    r: &mut R,
    limit: u64,
    mut sink: impl FnMut(&str) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    let next = |r: &mut R, buf: &mut [u8], total: &mut u64| -> Result<usize, ImportError> {
        let n = read_up_to(r, buf).map_err(io)?;
        *total += n as u64;
        if *total > limit {
            return Err(ImportError::TooBig { mb: total.div_ceil(1024 * 1024), max_mb: limit >> 20 });
        }
        Ok(n)
    };
    let n = next(r, &mut buf, &mut total)?;
    let mut pending = buf[..n].to_vec();
    let (mut enc, skip) = match encoding_rs::Encoding::for_bom(&pending) {
        Some((e, bom)) if e == encoding_rs::UTF_8 => (Encoding::Utf8, bom),
        Some((e, bom)) => (Encoding::Bom(e), bom),
        None => (Encoding::Utf8, 0),
    };
    pending.drain(..skip);
    loop {
        let coder = match enc {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Bom(e) => e,
        };
        let mut decoder = coder.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(192 * 1024);
        let mut failed = false;
        loop {
            let last = pending.is_empty();
            out.clear();
            let need = decoder.max_utf8_buffer_length_without_replacement(pending.len()).unwrap_or(pending.len() * 3);
            out.reserve(need + 16);
            let (result, read) = decoder.decode_to_string_without_replacement(&pending, &mut out, last);
            if let encoding_rs::DecoderResult::Malformed(..) = result {
                failed = true;
                break;
            }
            if !out.is_empty() {
                sink(&out)?;
            }
            pending.drain(..read);
            if last {
                break;
            }
            if pending.is_empty() {
                let n = next(r, &mut buf, &mut total)?;
                pending.extend_from_slice(&buf[..n]);
            }
        }
        if !failed {
            return Ok(());
        }
        if enc != Encoding::Utf8 {
            return Err(ImportError::BadEncoding);
        }
        // not UTF-8 after all: the office's Excel wrote GBK
        enc = Encoding::Gb18030;
        r.seek(SeekFrom::Start(0)).map_err(io)?;
        total = 0;
        sink("")?;
        let n = next(r, &mut buf, &mut total)?;
        pending = buf[..n].to_vec();
    }
}

/// Parses CSV text given in pieces, keeping the bounds.
pub(super) struct CsvParser {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
    cell_chars: usize,
    state: State,
    delim: Option<char>,
    /// The first line, while the delimiter is not yet known.
    first_line: String,
    /// The row (1-based, as a spreadsheet numbers records) where the open
    /// quoted cell began.
    quote_row: usize,
    /// A carriage return was just seen outside quotes.
    after_cr: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    CellStart,
    Plain,
    Quoted,
    /// A quote inside a quoted cell: an escaped quote, or the cell's end.
    QuoteInQuoted,
}

impl CsvParser {
    pub(super) fn new() -> CsvParser {
        CsvParser {
            rows: Vec::new(),
            row: Vec::new(),
            cell: String::new(),
            cell_chars: 0,
            state: State::CellStart,
            delim: None,
            first_line: String::new(),
            quote_row: 0,
            after_cr: false,
        }
    }

    /// Forgets everything (the text is being read again in another encoding).
    fn reset(&mut self) {
        *self = CsvParser::new();
    }

    /// The spreadsheet row number of the record being read.
    fn row_number(&self) -> usize {
        self.rows.len() + 1
    }

    pub(super) fn feed(&mut self, text: &str) -> Result<(), ImportError> {
        if text.is_empty() {
            // a restart in another encoding
            self.reset();
            return Ok(());
        }
        if self.delim.is_none() {
            self.first_line.push_str(text);
            let Some(end) = self.first_line.find('\n') else {
                if self.first_line.len() > MAX_CELL_CHARS * MAX_COLUMNS {
                    return Err(ImportError::CellTooLong { row: 1, max: MAX_CELL_CHARS });
                }
                return Ok(());
            };
            // the delimiter most used in the first line: Excel writes
            // commas, its "Unicode text" tabs, some locales semicolons
            let line = &self.first_line[..end];
            let delim = [',', '\t', ';'].into_iter().max_by_key(|d| line.matches(*d).count()).unwrap_or(',');
            self.delim = Some(delim);
            let buffered = std::mem::take(&mut self.first_line);
            return self.chars(&buffered);
        }
        self.chars(text)
    }

    fn chars(&mut self, text: &str) -> Result<(), ImportError> {
        let delim = self.delim.unwrap_or(',');
        for c in text.chars() {
            if c == '\0' {
                // a binary file, or UTF-16 without its BOM
                return Err(ImportError::BadEncoding);
            }
            if self.after_cr {
                self.after_cr = false;
                if c == '\n' {
                    continue;
                }
            }
            match self.state {
                State::CellStart | State::Plain if c == delim => self.end_cell()?,
                State::CellStart | State::Plain if c == '\n' || c == '\r' => {
                    self.after_cr = c == '\r';
                    self.end_row()?;
                }
                State::CellStart if c == '"' => {
                    self.state = State::Quoted;
                    self.quote_row = self.row_number();
                }
                State::CellStart | State::Plain => {
                    self.state = State::Plain;
                    self.push(c)?;
                }
                State::Quoted if c == '"' => self.state = State::QuoteInQuoted,
                State::Quoted => self.push(c)?,
                State::QuoteInQuoted if c == '"' => {
                    self.state = State::Quoted;
                    self.push('"')?;
                }
                State::QuoteInQuoted if c == delim => self.end_cell()?,
                State::QuoteInQuoted if c == '\n' || c == '\r' => {
                    self.after_cr = c == '\r';
                    self.end_row()?;
                }
                // `"abc"x`: the quote that closed the cell did not end it —
                // a quote left open further up has run into later rows
                State::QuoteInQuoted => return Err(ImportError::OpenQuote { row: self.quote_row }),
            }
        }
        Ok(())
    }

    fn push(&mut self, c: char) -> Result<(), ImportError> {
        self.cell_chars += 1;
        if self.cell_chars > MAX_CELL_CHARS {
            let row = if self.state == State::Quoted { self.quote_row } else { self.row_number() };
            return Err(ImportError::CellTooLong { row, max: MAX_CELL_CHARS });
        }
        self.cell.push(c);
        Ok(())
    }

    fn end_cell(&mut self) -> Result<(), ImportError> {
        if self.row.len() >= MAX_COLUMNS {
            return Err(ImportError::TooWide { row: self.row_number(), max: MAX_COLUMNS });
        }
        let cell = undefuse(&self.cell);
        self.row.push(cell);
        self.cell.clear();
        self.cell_chars = 0;
        self.state = State::CellStart;
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), ImportError> {
        self.end_cell()?;
        let mut row = std::mem::take(&mut self.row);
        while row.last().is_some_and(String::is_empty) {
            row.pop();
        }
        row.shrink_to_fit();
        if self.rows.len() >= MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        self.rows.push(row);
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<Sheet, ImportError> {
        if self.delim.is_none() && !self.first_line.is_empty() {
            // one line without a line break
            let line = std::mem::take(&mut self.first_line) + "\n";
            self.delim = Some([',', '\t', ';'].into_iter().max_by_key(|d| line.matches(*d).count()).unwrap_or(','));
            self.chars(&line)?;
        }
        match self.state {
            State::Quoted => return Err(ImportError::OpenQuote { row: self.quote_row }),
            State::QuoteInQuoted => self.end_row()?,
            State::Plain => self.end_row()?,
            State::CellStart if !self.row.is_empty() => self.end_row()?,
            State::CellStart => {}
        }
        // a trailing empty line is no row
        while self.rows.last().is_some_and(Vec::is_empty) {
            self.rows.pop();
        }
        self.rows.shrink_to_fit();
        Ok(Sheet { rows: self.rows, first_row: 1 })
    }
}

/// Parses CSV bytes (see [`decode_text`] for the encodings).
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, ImportError> {
    let mut p = CsvParser::new();
    decode_stream(&mut std::io::Cursor::new(bytes), u64::MAX, |s| p.feed(s))?;
    p.finish()
}

/// Parses a CSV file as it is read, 64 KB at a time.
fn read_csv_from(mut file: File) -> Result<Sheet, ImportError> {
    let mut p = CsvParser::new();
    decode_stream(&mut file, MAX_FILE_BYTES, |s| p.feed(s))?;
    p.finish()
}

// ---- XLSX, ODS, XLS ----------------------------------------------------------

/// Measures every part of a zipped workbook by unpacking it into nothing,
/// stopping past the bound (a zip's own size fields can lie).
fn check_unpacked(file: File) -> Result<(), ImportError> {
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let mut total = 0u64;
    let max_mb = MAX_UNPACKED_BYTES >> 20;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| ImportError::Unreadable(e.to_string()))?;
        if part.size() > MAX_UNPACKED_BYTES - total {
            return Err(ImportError::TooBigUnpacked { max_mb });
        }
        let left = MAX_UNPACKED_BYTES - total;
        let read = std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink())
            .map_err(|e| ImportError::Unreadable(e.to_string()))?;
        total += read;
        if read > left {
            return Err(ImportError::TooBigUnpacked { max_mb });
        }
    }
    Ok(())
}

fn read_zipped(path: &Path, file: File) -> Result<Sheet, ImportError> {
    check_unpacked(file)?;
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if ext == "ods" {
        return read_range(path);
    }
    read_xlsx_cells(path)
}

/// An XLSX's first sheet, cell by cell (they come row by row). Columns
/// keep their sheet positions (the map's `C` is the sheet's C); rows start
/// at the first used one.
fn read_xlsx_cells(path: &Path) -> Result<Sheet, ImportError> {
    use calamine::{DataRef, Reader};
    let unreadable = |e: calamine::XlsxError| ImportError::Unreadable(e.to_string());
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(unreadable)?;
    let name = book.sheet_names().first().cloned().ok_or_else(|| ImportError::Unreadable("no worksheet".into()))?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut first_row = None::<u32>;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let text = match cell.get_value() {
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => undefuse(s),
            DataRef::SharedString(s) => undefuse(s),
            // phone numbers typed into Excel become numbers: 13812345678.0
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(d) => d.to_string(),
            DataRef::Error(_) | DataRef::Empty => continue,
        };
        if text.is_empty() {
            continue;
        }
        let first = *first_row.get_or_insert(r);
        let at = r.saturating_sub(first) as usize;
        if at >= MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        if c as usize >= MAX_COLUMNS {
            return Err(ImportError::TooWide { row: r as usize + 1, max: MAX_COLUMNS });
        }
        if text.chars().count() > MAX_CELL_CHARS {
            return Err(ImportError::CellTooLong { row: r as usize + 1, max: MAX_CELL_CHARS });
        }
        if rows.len() <= at {
            if let Some(done) = rows.last_mut() {
                done.shrink_to_fit();
            }
            rows.resize_with(at + 1, Vec::new);
        }
        let row = &mut rows[at];
        if row.len() <= c as usize {
            row.resize(c as usize + 1, String::new());
        }
        row[c as usize] = text;
    }
    rows.shrink_to_fit();
    Ok(Sheet { rows, first_row: first_row.map_or(1, |r| r as usize + 1) })
}

/// XLS and ODS through calamine's grid (after the file size, and for ODS
/// the unpacked size, were checked).
fn read_range(path: &Path) -> Result<Sheet, ImportError> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::Unreadable("no worksheet".into()))?
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    if range.height() > MAX_ROWS {
        return Err(ImportError::TooManyRows { max: MAX_ROWS });
    }
    let mut rows = Vec::with_capacity(range.height());
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); first_col as usize];
        for c in row {
            let text = match c {
                Data::String(s) => undefuse(s),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Int(i) => i.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => d.to_string(),
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Error(_) | Data::Empty => String::new(),
            };
            if text.chars().count() > MAX_CELL_CHARS {
                return Err(ImportError::CellTooLong { row: first_row as usize + i + 1, max: MAX_CELL_CHARS });
            }
            cells.push(text);
        }
        if cells.len() > MAX_COLUMNS {
            cells.truncate(MAX_COLUMNS);
        }
        rows.push(cells);
    }
    Ok(Sheet { rows, first_row: first_row as usize + 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        read_csv(text.as_bytes()).unwrap().rows
    }

    #[test]
    fn quoted_cells_commas_quotes_and_line_breaks() {
        assert_eq!(
            rows("姓名,备注\r\n张三,\"住3楼, 独居\"\r\n李四,\"说\"\"你好\"\"\n第二行\"\n"),
            [vec!["姓名", "备注"], vec!["张三", "住3楼, 独居"], vec!["李四", "说\"你好\"\n第二行"]]
        );
        assert_eq!(rows("a;b;c\n1;2;3"), [vec!["a", "b", "c"], vec!["1", "2", "3"]]);
        assert_eq!(rows("a\tb\n1\t2\n\n"), [vec!["a", "b"], vec!["1", "2"]]);
        // a quote inside a plain cell is just a character
        assert_eq!(rows("a,b\n5\"寸,x\n"), [vec!["a", "b"], vec!["5\"寸", "x"]]);
    }

    #[test]
    fn an_open_quote_names_its_row_and_never_swallows_the_rows_below() {
        let text = "姓名,电话,住址\n张三,13812345678,\"幸福小区\n李四,13900001111,锦绣花园\n王五,13700002222,老街坊\n";
        match read_csv(text.as_bytes()) {
            Err(ImportError::OpenQuote { row: 2 }) => {}
            other => panic!("{other:?}"),
        }
        // closed by a quote that starts a later cell: caught where it closes
        let text = "姓名,电话,住址\n张三,\"13812345678,幸福小区\n李四,13900001111,\"锦绣花园\"\n";
        assert!(matches!(read_csv(text.as_bytes()), Err(ImportError::OpenQuote { row: 2 })));
    }

    #[test]
    fn bounds_give_messages() {
        let long = format!("姓名\n{}\n", "长".repeat(MAX_CELL_CHARS + 1));
        assert!(matches!(read_csv(long.as_bytes()), Err(ImportError::CellTooLong { row: 2, .. })));
        let wide = format!("{}\n", ",".repeat(MAX_COLUMNS + 1));
        assert!(matches!(read_csv(wide.as_bytes()), Err(ImportError::TooWide { row: 1, .. })));
        let many = "x\n".repeat(MAX_ROWS + 1);
        assert!(matches!(read_csv(many.as_bytes()), Err(ImportError::TooManyRows { .. })));
        assert!(matches!(read_csv(&[0u8; 100]), Err(ImportError::BadEncoding)));
    }

    #[test]
    fn gbk_found_after_the_first_piece_restarts_cleanly() {
        // plain ASCII for more than one 64 KB piece, then GBK
        let mut text = "姓名,电话\n".to_string();
        text = text.replace("姓名", "name");
        let mut bytes = text.into_bytes();
        for i in 0..5000 {
            bytes.extend_from_slice(format!("person{i},13800000000\n").as_bytes());
        }
        let (gbk, _, _) = encoding_rs::GBK.encode("张三,13812345678\n");
        bytes.extend_from_slice(&gbk);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gbk.csv");
        std::fs::write(&path, &bytes).unwrap();
        let sheet = read_sheet(&path).unwrap();
        assert_eq!(sheet.rows.len(), 5002);
        assert_eq!(sheet.rows[5001], ["张三", "13812345678"]);
    }

    #[test]
    fn only_regular_files_are_read() {
        assert!(matches!(read_sheet(Path::new("/dev/zero")), Err(ImportError::NotAFile(_))));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_sheet(dir.path()), Err(ImportError::NotAFile(_))));
    }
}
