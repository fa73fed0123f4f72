//! Every word linli shows, in Chinese (the default) and English. One table
//! per part of the program, each reached the same way: `lang.t()` (what
//! every screen shares, requests and residents), `lang.data()` (backups,
//! exports, imports), `lang.data_ui()` (the data screens), `lang.report()`,
//! `lang.duties()`, `lang.volunteers()` and `lang.trust()`. Labels for domain enums live
//! here too, so the domain stays free of presentation. Nothing here knows a
//! screen or a file format: a screen labels its own enums with these words.

pub mod colleagues;
pub mod columns;
pub mod data;
pub mod duties;
mod errors;
pub mod fields;
mod help;
pub mod hosted;
mod labels;
pub mod overview;
pub mod practice;
pub mod sharing;
pub mod sheets;
mod text;
pub mod trust;
pub mod volunteers;
#[cfg(test)]
mod words_test;

pub use columns::column;
pub use data::{DataText, DataUiText, ReportText, backup_summary, section};
pub use duties::DutiesText;
pub use errors::{backup_error, io_error, store_error};
pub use help::{HelpHeadings, USAGE_ERRORS_ZH, UsageErrorText, cli_headings, cli_help, cli_value_name};
pub use labels::*;
pub use practice::PracticeText;
pub use text::{EN, Text, ZH};
pub use trust::TrustText;
pub use volunteers::VolunteersText;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "zh_cn" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// What every screen shares, and the requests and residents panels.
    pub fn t(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// Backups, restores, exports and imports (commands and screens).
    pub fn data(self) -> &'static DataText {
        match self {
            Lang::Zh => &data::ZH_DATA,
            Lang::En => &data::EN_DATA,
        }
    }

    /// The data screens (`B`).
    pub fn data_ui(self) -> &'static DataUiText {
        DataUiText::of(self)
    }

    /// The overview (概览) and the report's charts.
    pub fn overview(self) -> &'static overview::OverviewText {
        overview::OverviewText::of(self)
    }

    /// The monthly report.
    pub fn report(self) -> &'static ReportText {
        ReportText::of(self)
    }

    /// The duties board (panel 3).
    pub fn duties(self) -> &'static DutiesText {
        duties::t(self)
    }

    /// Office practice: the 12345 loop, the calendar's years, grades,
    /// the evaluation's dimensions, sensitive tags.
    pub fn practice(self) -> &'static PracticeText {
        practice::t(self)
    }

    /// The volunteer roster (panel 4).
    pub fn volunteers(self) -> &'static VolunteersText {
        volunteers::t(self)
    }

    /// Keeping the data whole and private: disk errors, the way back from a
    /// store that will not open, signed backups, the PIN on the command line.
    pub fn trust(self) -> &'static TrustText {
        trust::t(self)
    }

    /// Several staff on one store at once: the colleagues' count, `who`,
    /// the store server's messages.
    pub fn sharing(self) -> &'static sharing::SharingText {
        sharing::t(self)
    }

    /// Working beside colleagues on one store: saves and undos refused
    /// because someone changed the record since, naming who and when.
    pub fn colleagues(self) -> &'static colleagues::ColleaguesText {
        colleagues::t(self)
    }
}

/// Puts `arg` where `{}` stands in `template` (once).
pub fn fill(template: &str, arg: impl std::fmt::Display) -> String {
    template.replacen("{}", &arg.to_string(), 1)
}

/// `s` as a label on its own (an item of a list): its first letter a
/// capital (`request` → `Request`); Chinese is unchanged.
pub fn as_label(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Puts each argument where a `{}` stands, in order.
pub fn fill_all(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    args.iter().fold(template.to_string(), |t, a| fill(&t, a))
}

pub fn yes_no(lang: Lang, b: bool) -> &'static str {
    match (lang, b) {
        (Lang::Zh, true) => "是",
        (Lang::Zh, false) => "否",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    }
}
