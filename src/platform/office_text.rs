//! The office's own text files in the data dir (`calendar.txt`,
//! `duties.txt`, `grades.txt`, `categories.txt`, `roster.txt`,
//! `sensitive_tags.txt`): staff edit them in Notepad, so they come back in
//! whatever Notepad saved (UTF-8 with or without a BOM, "ANSI", which on a
//! Chinese Windows is GBK, or "Unicode", UTF-16) with CRLF line ends, and
//! linli writes them so that Notepad, even the old one that knows neither
//! a missing BOM nor LF alone, shows them right: UTF-8 with a BOM, CRLF.
//! On every system alike, so a data dir carried from one PC to another
//! reads the same (Linux editors take both).

use std::io;
use std::path::Path;

/// The file's text as linli reads it: decoded, BOM gone, line ends `\n`.
/// `None` when it cannot be read.
///
/// When it is missing, `default` is written first (owner-only, Notepad's
/// way) and read back as every other time; a data dir that cannot be
/// written leaves the file missing and gives `default`.
pub fn read_or_create(path: &Path, default: &str) -> Option<String> {
    if !path.exists() {
        let _ = write(path, default);
        if !path.exists() {
            return Some(default.to_string());
        }
    }
    std::fs::read(path).ok().map(|b| decode(&b))
}

/// Writes `text` (with `\n` line ends) the way Notepad reads it.
pub fn write(path: &Path, text: &str) -> io::Result<()> {
    super::private::write(path, &encode(text))
}

/// UTF-8 with a BOM and CRLF line ends.
pub fn encode(text: &str) -> Vec<u8> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::with_capacity(text.len() + text.len() / 16 + 3);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut prev = 0u8;
    for &b in text.as_bytes() {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// A text file's bytes as text: UTF-8 (with or without a BOM), UTF-16 with
/// a BOM, else GB18030 (which covers GBK, Notepad's "ANSI" on a Chinese
/// Windows). Line ends become `\n`. Bytes that fit none become `�`, so a
/// parser names the line instead of the file being skipped unseen.
pub fn decode(bytes: &[u8]) -> String {
    use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(rest).into_owned()
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        UTF_16LE.decode_without_bom_handling(rest).0.into_owned()
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        UTF_16BE.decode_without_bom_handling(rest).0.into_owned()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => GB18030.decode_without_bom_handling(bytes).0.into_owned(),
        }
    };
    if text.contains('\r') { text.replace("\r\n", "\n") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAL: &str = "# 放假安排\n2027-01-01 休 元旦\n2027-02-07 班 春节调休\n";

    #[test]
    fn written_for_notepad_utf8_with_a_bom_and_crlf() {
        let bytes = encode(CAL);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF# "));
        let s = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(s, "# 放假安排\r\n2027-01-01 休 元旦\r\n2027-02-07 班 春节调休\r\n");
        // never a second BOM, never \r\r\n
        assert_eq!(encode(&decode(&bytes)), bytes);
        assert_eq!(encode("a\r\nb"), b"\xEF\xBB\xBFa\r\nb");
    }

    #[test]
    fn notepad_files_are_read_in_every_encoding() {
        let crlf = CAL.replace('\n', "\r\n");
        // "ANSI" on a Chinese Windows: GBK, CRLF
        let (gbk, _, bad) = encoding_rs::GBK.encode(&crlf);
        assert!(!bad);
        assert_ne!(&gbk[..], crlf.as_bytes(), "really other bytes");
        assert_eq!(decode(&gbk), CAL);
        // UTF-8, BOM or not, CRLF or LF
        assert_eq!(decode(CAL.as_bytes()), CAL);
        assert_eq!(decode(crlf.as_bytes()), CAL);
        assert_eq!(decode(&encode(CAL)), CAL);
        // "Unicode" (UTF-16 LE) and "Unicode big endian"
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(crlf.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(crlf.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&le), CAL);
        assert_eq!(decode(&be), CAL);
    }

    #[test]
    fn a_missing_file_is_written_the_notepad_way_and_an_edited_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("duties.txt");
        assert_eq!(read_or_create(&path, CAL).as_deref(), Some(CAL));
        assert_eq!(std::fs::read(&path).unwrap(), encode(CAL));
        // the office saves it as ANSI
        let (gbk, _, _) = encoding_rs::GBK.encode("社区名称 幸福里社区\r\n");
        std::fs::write(&path, &gbk).unwrap();
        assert_eq!(read_or_create(&path, CAL).as_deref(), Some("社区名称 幸福里社区\n"));
        // a folder that cannot be written: the defaults
        let nowhere = dir.path().join("gone").join("duties.txt");
        assert_eq!(read_or_create(&nowhere, CAL).as_deref(), Some(CAL));
    }
}
