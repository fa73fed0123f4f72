//! Text that came from a user or a file, made safe and measured for a grid
//! of terminal cells.
//!
//! Stored text is kept as typed; these functions make what is *shown* safe:
//! control characters and escape sequences never reach the terminal, and
//! widths count CJK characters as two columns.

use chrono::{Datelike, Days, NaiveDate};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Longest text a single field accepts; a huge paste is cut here.
pub const MAX_FIELD_CHARS: usize = 2000;

/// Longest name of a person (a resident, a worker, a volunteer), in
/// characters: room for long minority and foreign names written in full
/// (阿卜杜热合曼·买买提明), short enough to show in a list.
pub const MAX_NAME_CHARS: usize = 30;

/// Full-width forms an IME types in its full-width mode (`１３８`, `ＡＢ`,
/// `：`, `－`, `．`, `／`, `～`, `（）`) and the ideographic space, as their
/// half-width ASCII, so that whatever reads a number, a date, a phone, a
/// time or a search query reads them the same. Everything else is kept.
pub fn half_width(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(half_width_char).collect())
}

fn half_width_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// A number as typed through an IME, ready for `str::parse`: half-width,
/// trimmed, and with the Chinese full stop an IME gives for the `.` key
/// (`1。5`) read as a decimal point.
pub fn number_text(s: &str) -> String {
    half_width(s).trim().replace('。', ".")
}

/// A search query as typed: lower-case, with full-width digits, letters
/// and spaces half-width, so `ＺＳ`, `zs` and `ZS` find the same and `１３８`
/// finds a phone number. Chinese punctuation stays (records keep theirs).
pub fn search_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' | '\u{3000}' => {
                half_width_char(c)
            }
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Characters that take no room and mean nothing in a record (zero-width
/// spaces and joiners, the byte-order mark, the soft hyphen), and bidi
/// overrides that could reorder what the user sees. Dropped on input.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{180E}'
    )
}

/// Cleans text on its way *into* a record: escape sequences are dropped
/// whole (`\x1b[2J` leaves nothing behind), so are invisible characters (see
/// [`is_invisible`]); other control characters become spaces, except
/// newlines where `multiline`; full-width digits and letters become
/// half-width (so `３栋` is found by `3栋`); the result is trimmed and capped
/// at [`MAX_FIELD_CHARS`].
pub fn clean_input(s: &str, multiline: bool) -> String {
    cleaned(s, multiline).0
}

/// [`clean_input`], and whether anything was taken out (an escape sequence,
/// a control or an invisible character) beyond the surrounding spaces and
/// the width of digits and letters: an import says which rows it cleaned.
pub fn cleaned(s: &str, multiline: bool) -> (String, bool) {
    let mut out = String::with_capacity(s.len().min(MAX_FIELD_CHARS * 4));
    let mut removed = false;
    let mut n = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if n >= MAX_FIELD_CHARS {
            break;
        }
        match c {
            '\n' if multiline => out.push('\n'),
            '\r' => continue,
            '\u{1b}' | '\u{9b}' => {
                skip_escape(c, &mut chars);
                removed = true;
                continue;
            }
            c if is_invisible(c) => {
                removed = true;
                continue;
            }
            '\t' | '\n' => out.push(' '),
            c if c.is_control() => {
                removed = true;
                out.push(' ');
            }
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => out.push(half_width_char(c)),
            c => out.push(c),
        }
        n += 1;
    }
    (out.trim().to_string(), removed)
}

/// Skips the rest of an escape sequence whose introducer (`ESC` or the
/// one-character CSI) was just read: `ESC [ … final`, `ESC ] … BEL` (or
/// `ESC \\`), `ESC P/X/^/_ … ESC \\`, or `ESC` and one character.
fn skip_escape(first: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    let csi = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        for c in chars.by_ref() {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                break;
            }
        }
    };
    if first == '\u{9b}' {
        return csi(chars);
    }
    match chars.next() {
        Some('[') => csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' {
                    break;
                }
                if c == '\u{1b}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Whether a person's name (cleaned, see [`clean_input`]) is longer than
/// [`MAX_NAME_CHARS`].
pub fn name_too_long(name: &str) -> bool {
    name.chars().count() > MAX_NAME_CHARS
}

/// Makes any stored text safe to draw on one line: control characters are
/// shown as `�`-free visible placeholders (`␛` for ESC, a space otherwise),
/// newlines become ` ⏎ `.
pub fn display_safe(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() || is_invisible(c)) {
        return s.to_string();
    }
    s.chars()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'))
        .map(|c| match c {
            '\n' => '⏎',
            '\u{1b}' => '␛',
            c if c.is_control() || is_invisible(c) => ' ',
            c => c,
        })
        .collect()
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending with `…` when something was cut.
/// Never splits a double-width character.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    // A string's width is not always the sum of its characters' (emoji
    // joined by ZWJ, combining marks, controls): measure the whole and trim.
    while width(&out) > max - 1 {
        out.pop();
    }
    out.push('…');
    out
}

/// `truncate`, then pads with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut t = truncate(s, cols);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    t
}

/// Reads a date as office staff type it: `2026-11-24`, `2026/11/24`,
/// `2026.11.24`, `11-24` (this year), `今天`, `昨天`, `前天`, `明天`.
/// Full-width digits and separators are accepted (an IME may give them).
pub fn parse_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s: String = half_width(s.trim())
        .chars()
        .map(|c| match c {
            '/' | '.' | '。' | '年' | '月' => '-',
            '日' | '号' => ' ',
            c => c,
        })
        .collect();
    let s = s.trim();
    match s {
        "今天" | "今日" | "" => return Some(today),
        "昨天" | "昨日" => return today.pred_opt(),
        "前天" => return today.checked_sub_days(Days::new(2)),
        "明天" | "明日" => return today.succ_opt(),
        _ => {}
    }
    let parts: Vec<&str> = s.split('-').map(str::trim).collect();
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok()).flatten()
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?),
        [m, d] => NaiveDate::from_ymd_opt(today.year(), num(m)?, num(d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_read_the_ways_staff_type_them() {
        let today = d(2026, 11, 24);
        assert_eq!(parse_date("", today), Some(today));
        assert_eq!(parse_date("2026-11-20", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("2026/1/5", today), Some(d(2026, 1, 5)));
        assert_eq!(parse_date("11-20", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("11月20日", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("２０２６－１１－２０", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("２０２６．１１．２０", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("１１／２０", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("2026。11。20", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("昨天", today), Some(d(2026, 11, 23)));
        assert_eq!(parse_date("前天", today), Some(d(2026, 11, 22)));
        assert_eq!(parse_date("2026-02-30", today), None);
        assert_eq!(parse_date("hello", today), None);
        assert_eq!(parse_date("1-2-3-4", today), None);
    }

    #[test]
    fn escape_sequences_never_survive_input_or_display() {
        let evil = "张三\u{1b}[2J\u{1b}]0;pwned\u{7}\r\n";
        let cleaned = clean_input(evil, false);
        assert!(!cleaned.contains('\u{1b}'));
        assert!(!cleaned.contains('\u{7}'));
        assert!(cleaned.starts_with("张三"));
        let shown = display_safe(evil);
        assert!(!shown.chars().any(|c| c.is_control()));
        assert!(shown.contains('␛'));
    }

    #[test]
    fn escape_sequences_and_invisible_characters_are_dropped_whole() {
        assert_eq!(clean_input("\u{1b}[2J\u{1b}[H清屏王", false), "清屏王");
        assert_eq!(clean_input("零宽\u{200b}周", false), "零宽周");
        assert_eq!(clean_input("\u{feff}张三\u{200d}", false), "张三");
        assert_eq!(clean_input("标题\u{1b}]0;pwned\u{7}尾", false), "标题尾");
        assert_eq!(clean_input("a\u{9b}31mb", false), "ab");
        assert_eq!(cleaned("王五", false), ("王五".to_string(), false));
        assert_eq!(cleaned("  王五  ", false), ("王五".to_string(), false), "spaces are not a cleaning");
        assert_eq!(cleaned("王\u{200b}五", false), ("王五".to_string(), true));
        assert_eq!(cleaned("王\u{7}五", false), ("王 五".to_string(), true));
    }

    #[test]
    fn full_width_forms_read_as_half_width() {
        assert_eq!(half_width("１３８１２３４９９９９"), "13812349999");
        assert_eq!(half_width("ＺＳ　９：３０－１１：００（周六）"), "ZS 9:30-11:00(周六)");
        assert_eq!(half_width("（１０）"), "(10)", "for reading numbers, brackets are brackets");
        assert_eq!(number_text(" １。５ "), "1.5");
        assert_eq!(search_text("ＺＳ　１３８"), "zs 138");
        assert_eq!(search_text("楼道灯，不亮"), "楼道灯，不亮", "a search keeps Chinese punctuation");
        assert_eq!(clean_input("幸福小区３栋２单元", false), "幸福小区3栋2单元");
        assert_eq!(clean_input("你好，世界！", false), "你好，世界！", "full-width punctuation in text stays");
    }

    #[test]
    fn names_have_a_limit() {
        assert!(!name_too_long(&"欧".repeat(MAX_NAME_CHARS)));
        assert!(name_too_long(&"欧".repeat(MAX_NAME_CHARS + 1)));
    }

    #[test]
    fn multiline_keeps_newlines_single_line_does_not() {
        assert_eq!(clean_input("一\n二", true), "一\n二");
        assert_eq!(clean_input("一\n二", false), "一 二");
    }

    #[test]
    fn huge_paste_is_capped() {
        let s = "漏".repeat(10_000);
        assert_eq!(clean_input(&s, false).chars().count(), MAX_FIELD_CHARS);
    }

    #[test]
    fn truncation_never_exceeds_the_width_even_for_joined_emoji() {
        for s in [
            "👨\u{200d}👩\u{200d}👧👨\u{200d}👩\u{200d}👧",
            "a\u{0}\u{7f}b\u{1b}c",
            "e\u{301}\u{301}\u{301}x",
            "\u{1b}[2J张三",
        ] {
            for w in 0..8 {
                assert!(width(&truncate(s, w)) <= w.max(1), "{s:?} at {w}");
            }
        }
    }

    #[test]
    fn truncation_respects_double_width() {
        assert_eq!(width("张三"), 4);
        assert_eq!(truncate("张三丰", 5), "张三…");
        assert_eq!(truncate("张三丰", 6), "张三丰");
        assert_eq!(truncate("张三丰", 4), "张…");
        assert_eq!(fit("张三丰", 5), "张三…");
        assert_eq!(width(&fit("张三丰x", 6)), 6);
        assert_eq!(fit("ab", 4), "ab  ");
    }
}
