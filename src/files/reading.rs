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
//! - [`read_rows`] hands the rows on one by one as they are read, so an
//!   import's preview never holds the whole sheet (30,000 rows of 9 cells
//!   as `Vec<Vec<String>>` were ~20 MB, issue 19); [`read_sheet`] collects
//!   them for the callers that want the grid.

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
    let mut sheet = Sheet { rows: Vec::new(), first_row: 1 };
    read_rows(path, &mut |n, row| {
        collect(&mut sheet, n, row);
        Ok(())
    })?;
    Ok(finish_sheet(sheet))
}

/// A row handed on by [`read_rows`]: its number as the spreadsheet shows
/// it (1-based) and its cells.
pub type RowSink<'a> = dyn FnMut(usize, Vec<String>) -> Result<(), ImportError> + 'a;

/// Reads a CSV, XLSX or XLS file row by row, within the bounds above,
/// handing each row to `each` as it is read: nothing but the row being
/// read is kept (an import's preview judges each row and keeps only its
/// verdict). Rows come in order; rows a workbook leaves out (no cell
/// with text) are not handed on, so numbers may jump. An error from
/// `each` stops the reading and is returned. A CSV's encoding is settled
/// before the first row is handed on (a GBK file is never half read as
/// UTF-8).
pub fn read_rows(path: &Path, each: &mut RowSink<'_>) -> Result<(), ImportError> {
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
        read_zipped(path, file, each)
    } else if is_ole || ext == "xls" {
        read_range(path, each)
    } else {
        read_csv_rows(file, MAX_FILE_BYTES, each)
    }
}

/// Puts row `n` of a sheet being collected in its place (rows a workbook
/// left out become empty rows).
fn collect(sheet: &mut Sheet, n: usize, row: Vec<String>) {
    if sheet.rows.is_empty() {
        sheet.first_row = n;
    }
    let at = n.saturating_sub(sheet.first_row);
    if sheet.rows.len() < at {
        sheet.rows.resize_with(at, Vec::new);
    }
    sheet.rows.push(row);
}

/// A collected sheet without its trailing empty rows (a CSV's last line
/// break is no row).
fn finish_sheet(mut sheet: Sheet) -> Sheet {
    while sheet.rows.last().is_some_and(Vec::is_empty) {
        sheet.rows.pop();
    }
    sheet.rows.shrink_to_fit();
    sheet
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

/// Decodes a CSV file's bytes: UTF-8 (BOM or not), UTF-16 with a BOM, or
/// GB18030 (which covers GBK); refuses anything that decodes with errors.
pub fn decode_text(bytes: &[u8]) -> Result<String, ImportError> {
    let mut out = String::new();
    decode_stream(&mut std::io::Cursor::new(bytes), u64::MAX, &mut |s| {
        out.push_str(s);
        Ok(())
    })?;
    Ok(out)
}

/// Decodes `r` piece by piece into `sink`, reading at most `limit` bytes.
/// The encoding is settled, and the whole source checked in it, before
/// the sink sees any text: a BOM names the encoding; without one the
/// source is read as UTF-8 into nothing and, at the first byte that is
/// not UTF-8, as GB18030 (the office's Excel wrote GBK). A source that
/// does not decode is refused, never guessed, and the sink has seen none
/// of it (a preview judging rows as they come never judges a refused
/// file's first half).
fn decode_stream<R: Read + Seek>(
    r: &mut R,
    limit: u64,
    sink: &mut dyn FnMut(&str) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut head = [0u8; 4];
    let n = read_up_to(r, &mut head).map_err(io)?;
    let bom = encoding_rs::Encoding::for_bom(&head[..n]);
    let skip = bom.map_or(0, |(_, len)| len as u64);
    let mut candidates = match bom {
        Some((coder, _)) => vec![coder],
        None => vec![encoding_rs::UTF_8, encoding_rs::GB18030],
    };
    let coder = loop {
        if candidates.is_empty() {
            return Err(ImportError::BadEncoding);
        }
        let coder = candidates.remove(0);
        r.seek(SeekFrom::Start(skip)).map_err(io)?;
        if decode_with(r, coder, limit, &mut |_| Ok(()))? {
            break coder;
        }
    };
    r.seek(SeekFrom::Start(skip)).map_err(io)?;
    // (false only if the file changed between the two readings)
    if decode_with(r, coder, limit, sink)? { Ok(()) } else { Err(ImportError::BadEncoding) }
}

/// Decodes the rest of `r` as `coder` into `sink`, 64 KB at a time;
/// `false` at the first byte that does not decode.
fn decode_with(
    r: &mut impl Read,
    coder: &'static encoding_rs::Encoding,
    limit: u64,
    sink: &mut dyn FnMut(&str) -> Result<(), ImportError>,
) -> Result<bool, ImportError> {
    const PIECE: usize = 64 * 1024;
    let mut buf = vec![0u8; PIECE];
    let mut decoder = coder.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(decoder.max_utf8_buffer_length_without_replacement(PIECE).unwrap_or(PIECE * 3));
    let mut total = 0u64;
    loop {
        let n = read_up_to(r, &mut buf).map_err(io)?;
        total += n as u64;
        if total > limit {
            return Err(ImportError::TooBig { mb: total.div_ceil(1024 * 1024), max_mb: limit >> 20 });
        }
        let last = n == 0;
        let mut input = &buf[..n];
        loop {
            out.clear();
            let (result, read) = decoder.decode_to_string_without_replacement(input, &mut out, last);
            if let encoding_rs::DecoderResult::Malformed(..) = result {
                return Ok(false);
            }
            if !out.is_empty() {
                sink(&out)?;
            }
            input = &input[read..];
            match result {
                encoding_rs::DecoderResult::Malformed(..) => return Ok(false),
                encoding_rs::DecoderResult::OutputFull => out.reserve(PIECE),
                encoding_rs::DecoderResult::InputEmpty => break,
            }
        }
        if last {
            return Ok(true);
        }
    }
}

/// Parses CSV text given in pieces, keeping the bounds, and hands each
/// record to its sink as it ends.
pub(super) struct CsvParser<S: FnMut(usize, Vec<String>) -> Result<(), ImportError>> {
    sink: S,
    /// Records handed on so far.
    count: usize,
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

impl<S: FnMut(usize, Vec<String>) -> Result<(), ImportError>> CsvParser<S> {
    pub(super) fn new(sink: S) -> CsvParser<S> {
        CsvParser {
            sink,
            count: 0,
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

    /// The spreadsheet row number of the record being read.
    fn row_number(&self) -> usize {
        self.count + 1
    }

    pub(super) fn feed(&mut self, text: &str) -> Result<(), ImportError> {
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
        if self.count >= MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        self.count += 1;
        (self.sink)(self.count, row)
    }

    pub(super) fn finish(mut self) -> Result<(), ImportError> {
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
        Ok(())
    }
}

/// Parses CSV bytes (see [`decode_text`] for the encodings).
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, ImportError> {
    let mut sheet = Sheet { rows: Vec::new(), first_row: 1 };
    read_csv_rows(std::io::Cursor::new(bytes), u64::MAX, &mut |n, row| {
        collect(&mut sheet, n, row);
        Ok(())
    })?;
    Ok(finish_sheet(sheet))
}

/// Parses a CSV as it is read, 64 KB at a time, handing on each record
/// (its trailing empty cells dropped; empty records too).
fn read_csv_rows(mut r: impl Read + Seek, limit: u64, each: &mut RowSink<'_>) -> Result<(), ImportError> {
    let mut p = CsvParser::new(&mut *each);
    decode_stream(&mut r, limit, &mut |s| p.feed(s))?;
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

fn read_zipped(path: &Path, file: File, each: &mut RowSink<'_>) -> Result<(), ImportError> {
    check_unpacked(file)?;
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if ext == "ods" {
        return read_range(path, each);
    }
    read_xlsx_cells(path, each)
}

/// An XLSX's first sheet, cell by cell (they come row by row), each row
/// handed on when the next begins. Columns keep their sheet positions
/// (the map's `C` is the sheet's C); rows without text are left out.
fn read_xlsx_cells(path: &Path, each: &mut RowSink<'_>) -> Result<(), ImportError> {
    use calamine::{DataRef, Reader};
    let unreadable = |e: calamine::XlsxError| ImportError::Unreadable(e.to_string());
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(unreadable)?;
    let name = book.sheet_names().first().cloned().ok_or_else(|| ImportError::Unreadable("no worksheet".into()))?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut first_row = None::<u32>;
    // the row being read: its sheet index and cells
    let mut current: Option<(u32, Vec<String>)> = None;
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
        if r.saturating_sub(first) as usize >= MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        if c as usize >= MAX_COLUMNS {
            return Err(ImportError::TooWide { row: r as usize + 1, max: MAX_COLUMNS });
        }
        if text.chars().count() > MAX_CELL_CHARS {
            return Err(ImportError::CellTooLong { row: r as usize + 1, max: MAX_CELL_CHARS });
        }
        match &mut current {
            Some((at, _)) if *at == r => {}
            // Excel writes rows in order; a row coming back would have
            // to be merged into one already handed on
            Some((at, _)) if *at > r => {
                return Err(ImportError::Unreadable(format!("row {} comes after row {}", r + 1, *at + 1)));
            }
            _ => {
                if let Some((at, mut done)) = current.take() {
                    done.shrink_to_fit();
                    each(at as usize + 1, done)?;
                }
                current = Some((r, Vec::new()));
            }
        }
        let Some((_, row)) = &mut current else { continue };
        if row.len() <= c as usize {
            row.resize(c as usize + 1, String::new());
        }
        row[c as usize] = text;
    }
    if let Some((at, mut done)) = current {
        done.shrink_to_fit();
        each(at as usize + 1, done)?;
    }
    Ok(())
}

/// XLS and ODS through calamine's grid (after the file size, and for ODS
/// the unpacked size, were checked), handed on row by row.
fn read_range(path: &Path, each: &mut RowSink<'_>) -> Result<(), ImportError> {
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
        each(first_row as usize + i + 1, cells)?;
    }
    Ok(())
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

    /// Rows with their numbers.
    type Numbered = Vec<(usize, Vec<String>)>;

    /// Every row `read_rows` hands on, with its number.
    fn handed_on(path: &Path) -> (Numbered, Result<(), ImportError>) {
        let mut seen = Vec::new();
        let r = read_rows(path, &mut |n, row| {
            seen.push((n, row));
            Ok(())
        });
        (seen, r)
    }

    #[test]
    fn rows_are_handed_on_in_order_and_a_bad_row_in_the_middle_stops_the_reading_there() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mid.csv");
        let mut text = "姓名,电话\n".to_string();
        for i in 0..3000 {
            text.push_str(&format!("居民{i},13800000000\n"));
        }
        // row 3002: a quoted cell closed and then run on
        text.push_str("\"张三\"x,13800000000\n");
        for i in 0..3000 {
            text.push_str(&format!("后来{i},13800000000\n"));
        }
        std::fs::write(&path, &text).unwrap();
        let (seen, r) = handed_on(&path);
        assert!(matches!(r, Err(ImportError::OpenQuote { row: 3002 })), "{r:?}");
        assert_eq!(seen.len(), 3001);
        assert!(seen.iter().enumerate().all(|(i, (n, _))| *n == i + 1));
        assert_eq!(seen[3000].1, ["居民2999", "13800000000"]);
        // the sink's own error stops the reading at once
        let mut calls = 0;
        let r = read_rows(&path, &mut |n, _| {
            calls += 1;
            if n == 10 { Err(ImportError::NoNameColumn) } else { Ok(()) }
        });
        assert!(matches!(r, Err(ImportError::NoNameColumn)));
        assert_eq!(calls, 10);
    }

    #[test]
    fn a_file_of_too_many_rows_is_refused_after_the_last_row_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.csv");
        std::fs::write(&path, "x\n".repeat(MAX_ROWS + 1)).unwrap();
        let mut last = 0;
        let r = read_rows(&path, &mut |n, _| {
            last = n;
            Ok(())
        });
        assert!(matches!(r, Err(ImportError::TooManyRows { .. })), "{r:?}");
        assert_eq!(last, MAX_ROWS);
    }

    #[test]
    fn the_encoding_is_settled_before_any_row_is_handed_on() {
        let dir = tempfile::tempdir().unwrap();
        // more than one 64 KB piece of plain ASCII, then GBK: no row is
        // handed on twice, none read as UTF-8 first
        let mut bytes = b"name,phone\n".to_vec();
        for i in 0..5000 {
            bytes.extend_from_slice(format!("person{i},13800000000\n").as_bytes());
        }
        let (gbk, _, _) = encoding_rs::GBK.encode("张三,13812345678\n");
        bytes.extend_from_slice(&gbk);
        let path = dir.path().join("gbk.csv");
        std::fs::write(&path, &bytes).unwrap();
        let (seen, r) = handed_on(&path);
        r.unwrap();
        assert_eq!(seen.len(), 5002);
        assert_eq!(seen[5001], (5002, vec!["张三".to_string(), "13812345678".to_string()]));
        // neither UTF-8 nor GB18030 past the first piece: refused, and
        // not one row was handed on
        bytes.truncate(bytes.len() - gbk.len());
        bytes.extend_from_slice(&[0x81, 0x20, 0xFF, 0xFF, b'\n']);
        std::fs::write(&path, &bytes).unwrap();
        let (seen, r) = handed_on(&path);
        assert!(matches!(r, Err(ImportError::BadEncoding)), "{r:?}");
        assert!(seen.is_empty(), "{} rows handed on", seen.len());
        // a UTF-16 file with its BOM, and a bad pair in it
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("姓名\n张三\n".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        std::fs::write(&path, &utf16).unwrap();
        let (seen, r) = handed_on(&path);
        r.unwrap();
        assert_eq!(seen, [(1, vec!["姓名".to_string()]), (2, vec!["张三".to_string()])]);
        let mut bad = utf16.clone();
        bad.extend_from_slice(&0xD800u16.to_le_bytes());
        bad.extend_from_slice(&u16::from(b'x').to_le_bytes());
        std::fs::write(&path, &bad).unwrap();
        let (seen, r) = handed_on(&path);
        assert!(matches!(r, Err(ImportError::BadEncoding)), "{r:?}");
        assert!(seen.is_empty());
    }

    #[test]
    fn only_regular_files_are_read() {
        assert!(matches!(read_sheet(Path::new("/dev/zero")), Err(ImportError::NotAFile(_))));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_sheet(dir.path()), Err(ImportError::NotAFile(_))));
    }
}
