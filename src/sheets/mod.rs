//! The office's spreadsheets in and out: every kind of record exported as
//! CSV (UTF-8 with a BOM, so Excel shows Chinese) or XLSX, with phone
//! numbers masked unless asked for; residents imported from the CSV or XLSX
//! files the office already keeps. Both go through the store's public
//! functions, like the UI.

pub mod export;
pub mod import;
pub mod import_volunteers;

/// A column of an export, and what an import recognises. Headers in both
/// languages are in `i18n::column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Col {
    Id,
    LoggedAt,
    LoggedBy,
    Channel,
    Category,
    Title,
    Description,
    Location,
    Resident,
    ResidentPhone,
    Urgency,
    Status,
    Assignee,
    Due,
    Satisfaction,
    Timeline,
    Name,
    Phone,
    Address,
    Estate,
    Building,
    Unit,
    Room,
    Grid,
    Tags,
    Notes,
    Post,
    Active,
    At,
    By,
    What,
    Key,
    Action,
    Changes,
    Gender,
    BirthYear,
    Org,
    Skills,
    Availability,
}
