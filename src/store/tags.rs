//! `sensitive_tags.txt`, the office's list of words that make a resident's
//! tag sensitive (see `domain::resident::SensitiveTags`): read from the data
//! dir, written there with the default list the first time. Any line is a
//! word, so the file cannot be wrong; an unreadable file gives the default.

use crate::domain::resident::SensitiveTags;
use std::path::Path;

pub const FILE: &str = "sensitive_tags.txt";

pub fn load_sensitive_tags(dir: &Path) -> SensitiveTags {
    match crate::platform::office_text::read_or_create(&dir.join(FILE), &SensitiveTags::default().to_text()) {
        Some(text) => SensitiveTags::parse(&text),
        None => SensitiveTags::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_written_once_and_the_office_s_edits_are_read() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_sensitive_tags(dir.path()), SensitiveTags::default());
        assert!(dir.path().join(FILE).exists());
        std::fs::write(dir.path().join(FILE), "低保\n精神障碍\n").unwrap();
        assert_eq!(load_sensitive_tags(dir.path()).0, ["低保", "精神障碍"]);
    }
}
