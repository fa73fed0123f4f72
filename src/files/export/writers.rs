//! The two sheet writers behind every export: CSV (UTF-8 with a BOM, or
//! GBK; formulas defused; full phone numbers as text) and XLSX (typed cells,
//! widths from content, a frozen header, an autofilter and an A4 print
//! set-up), each synced through a writable handle when finished.

use super::*;

/// Where rows go: a CSV or an XLSX file.
pub(super) trait Sheet {
    fn row(&mut self, cells: &[String]) -> Result<(), StoreError>;
    fn finish(self: Box<Self>) -> Result<(), StoreError>;
}

pub(super) fn io_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(e.to_string())
}

/// The rows the CSV writer has formatted and not yet moved to the file.
#[derive(Clone, Default)]
struct Pending(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Pending {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) struct Csv {
    w: csv::Writer<Pending>,
    pending: Pending,
    file: BufWriter<File>,
    gbk: bool,
    kinds: Vec<CellKind>,
    full_numbers: bool,
    path: PathBuf,
}

impl Csv {
    pub(super) fn create(
        path: &Path,
        headers: &[String],
        kinds: Vec<CellKind>,
        gbk: bool,
        full_numbers: bool,
    ) -> Result<Csv, StoreError> {
        let mut file =
            BufWriter::new(crate::platform::private::create_file(path).map_err(|e| StoreError::at(path, &e))?);
        if !gbk {
            // the BOM is what makes Excel read the file as UTF-8
            file.write_all("\u{feff}".as_bytes())?;
        }
        let pending = Pending::default();
        let w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(pending.clone());
        let mut csv = Csv { w, pending, file, gbk, kinds, full_numbers, path: path.to_path_buf() };
        csv.w.write_record(headers).map_err(io_err)?;
        csv.drain()?;
        Ok(csv)
    }

    /// Moves the rows written so far (always whole rows) into the file,
    /// in GBK when asked.
    fn drain(&mut self) -> Result<(), StoreError> {
        self.w.flush()?;
        let bytes = std::mem::take(&mut *self.pending.0.borrow_mut());
        if self.gbk {
            let text = String::from_utf8_lossy(&bytes);
            let (out, _, _) = encoding_rs::GBK.encode(&text);
            self.file.write_all(&out)?;
        } else {
            self.file.write_all(&bytes)?;
        }
        Ok(())
    }
}

/// A phone number in full as a CSV cell that Excel, WPS and LibreOffice
/// all read as text: `="02888157379"` (a formula whose value is the text;
/// a leading tab or apostrophe would stay in the cell or show). Masked
/// numbers (`028-****79`) read as text anyway and are left as they are.
pub(super) fn csv_phone(p: &str) -> String {
    if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) { format!("=\"{p}\"") } else { defuse(p).into_owned() }
}

/// Text that a spreadsheet would take for a formula — any cell beginning
/// with `=`, `+`, `-`, `@`, a tab or a carriage return, even `-2+3+cmd|…`
/// — gets a leading apostrophe, the same in CSV and XLSX, so a typed note
/// can never run as one; imports drop it again.
pub(crate) fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

impl Sheet for Csv {
    fn row(&mut self, cells: &[String]) -> Result<(), StoreError> {
        let kinds = &self.kinds;
        let full = self.full_numbers;
        let row: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| match kinds.get(i) {
                Some(CellKind::Phone) if full => csv_phone(c),
                _ => defuse(c).into_owned(),
            })
            .collect();
        self.w.write_record(row).map_err(io_err)?;
        if self.pending.0.borrow().len() >= 64 * 1024 {
            self.drain()?;
        }
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> Result<(), StoreError> {
        self.drain()?;
        let file = self.file.into_inner().map_err(|e| io_err(e.error()))?;
        file.sync_all().map_err(|e| StoreError::at(&self.path, &e))
    }
}

/// Excel's limit on one cell's text.
pub(super) const XLSX_CELL_MAX: usize = 32_767;
/// The widest a column is made (in character widths; longer text wraps
/// in Excel only when asked, and is cut on screen, not in the file).
pub(super) const XLSX_WIDTH_MAX: usize = 50;

/// How wide text is on screen and paper: a Chinese character counts two.
pub(crate) fn display_width_of(s: &str) -> usize {
    display_width(s)
}

pub(super) fn display_width(s: &str) -> usize {
    s.lines().map(unicode_width::UnicodeWidthStr::width).max().unwrap_or(0)
}

pub(super) struct Xlsx {
    book: rust_xlsxwriter::Workbook,
    path: PathBuf,
    row: u32,
    kinds: Vec<CellKind>,
    widths: Vec<usize>,
    date: rust_xlsxwriter::Format,
    datetime: rust_xlsxwriter::Format,
}

impl Xlsx {
    pub(super) fn create(
        path: &Path,
        headers: &[String],
        kinds: Vec<CellKind>,
        sheet_name: &str,
        community: &str,
        lang: Lang,
    ) -> Result<Xlsx, StoreError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            // constant-memory mode spills rows to a temp file: beside the target
            let _ = book.set_tempdir(dir);
        }
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let ws = book.add_worksheet_with_constant_memory().map_err(io_err)?;
        ws.set_name(sheet_name).map_err(io_err)?;
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &bold).map_err(io_err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(io_err)?;
        // print set-up: A4, fit to the page's width, the header row on
        // every page, the community and the page number on every page
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(io_err)?;
        let title = format!("{} {sheet_name}", community.trim()).trim().replace('&', "&&");
        ws.set_header(format!("&C{title}"));
        ws.set_footer(match lang {
            Lang::Zh => "&C第 &P 页，共 &N 页".to_string(),
            Lang::En => "&CPage &P of &N".to_string(),
        });
        let widths = headers.iter().map(|h| display_width(h) + 2).collect();
        Ok(Xlsx {
            book,
            path: path.to_path_buf(),
            row: 1,
            kinds,
            widths,
            date: rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
            datetime: rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        })
    }
}

/// A date or a date and time as Excel keeps it; `None` when the text is
/// no date (it is then written as text).
pub(super) fn excel_datetime(s: &str) -> Option<rust_xlsxwriter::ExcelDateTime> {
    use chrono::{Datelike, Timelike};
    let t = s.trim();
    let at = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map(|d| d.and_time(chrono::NaiveTime::MIN)))
        .ok()?;
    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(u16::try_from(at.year()).ok()?, at.month() as u8, at.day() as u8)
        .ok()?;
    d.and_hms(at.hour() as u16, at.minute() as u8, at.second() as f64).ok()
}

impl Sheet for Xlsx {
    fn row(&mut self, cells: &[String]) -> Result<(), StoreError> {
        let ws = self.book.worksheet_from_index(0).map_err(io_err)?;
        for (i, c) in cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let col = i as u16;
            let kind = self.kinds.get(i).copied().unwrap_or(CellKind::Text);
            let number = match kind {
                CellKind::Number => c.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
                _ => None,
            };
            let when = match kind {
                CellKind::Date | CellKind::DateTime => excel_datetime(c),
                _ => None,
            };
            let width = if let Some(n) = number {
                ws.write_number(self.row, col, n).map_err(io_err)?;
                c.trim().len()
            } else if let Some(d) = when {
                let f = if kind == CellKind::Date { &self.date } else { &self.datetime };
                ws.write_datetime_with_format(self.row, col, d, f).map_err(io_err)?;
                if kind == CellKind::Date { 10 } else { 16 }
            } else {
                let c = defuse(c);
                // (bytes are at least as many as characters: count only when needed)
                if c.len() > XLSX_CELL_MAX && c.chars().count() > XLSX_CELL_MAX {
                    let cut: String = c.chars().take(XLSX_CELL_MAX - 1).collect();
                    ws.write_string(self.row, col, cut + "…").map_err(io_err)?;
                } else {
                    ws.write_string(self.row, col, c.as_ref()).map_err(io_err)?;
                }
                display_width(&c)
            };
            if let Some(w) = self.widths.get_mut(i) {
                *w = (*w).max((width + 2).min(XLSX_WIDTH_MAX));
            }
        }
        self.row += 1;
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> Result<(), StoreError> {
        let last_col = self.widths.len().saturating_sub(1) as u16;
        let last_row = self.row.saturating_sub(1);
        let widths = std::mem::take(&mut self.widths);
        let ws = self.book.worksheet_from_index(0).map_err(io_err)?;
        for (i, w) in widths.iter().enumerate() {
            ws.set_column_width(i as u16, *w as f64).map_err(io_err)?;
        }
        // wider than an A4 page's width in portrait: landscape
        if widths.iter().sum::<usize>() > 95 {
            ws.set_landscape();
        }
        ws.autofilter(0, 0, last_row.max(1), last_col).map_err(io_err)?;
        self.book.save(&self.path).map_err(io_err)?;
        crate::platform::private::restrict(&self.path).map_err(|e| StoreError::at(&self.path, &e))?;
        sync_written(&self.path)
    }
}

/// Puts a finished file on disk. Through a handle opened for writing:
/// Windows refuses `FlushFileBuffers` on a read-only one ("Access denied",
/// which made every XLSX export fail there). An error names the file, not
/// the data folder: the export may go anywhere.
pub(super) fn sync_written(path: &Path) -> Result<(), StoreError> {
    let at = |e: std::io::Error| StoreError::at(path, &e);
    std::fs::OpenOptions::new().write(true).open(path).map_err(at)?.sync_all().map_err(at)
}
