//! What comes in from and goes out to files: spreadsheet export (CSV or
//! XLSX, every kind of record, phone numbers masked unless asked for) and
//! import (residents and volunteers from the sheets the office already
//! keeps), the monthly report, and the printable sheets (the public notice
//! of the division of labour, the evaluation sheet). The command line and
//! the screens call the same functions; nothing here knows a screen. All
//! reading and writing of records goes through the store's public API.

pub mod charts;
pub mod export;
pub mod import;
pub mod import_volunteers;
pub mod printable;
pub mod reading;
pub mod report;
pub mod report_print;

pub use crate::i18n::columns::Col;
