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

/// Cleans text on its way *into* a record: control characters (including ESC,
/// so no escape sequence survives) become spaces, except newlines where
/// `multiline`; the result is trimmed and capped at [`MAX_FIELD_CHARS`].
pub fn clean_input(s: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_FIELD_CHARS * 4));
    for (n, c) in s.chars().enumerate() {
        if n >= MAX_FIELD_CHARS {
            break;
        }
        if c == '\n' && multiline {
            out.push('\n');
        } else if c == '\r' {
            continue;
        } else if c.is_control() || is_invisible_format(c) {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Bidi overrides and similar format characters that could reorder what the
/// user sees; they are never needed in a community office's records.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Makes any stored text safe to draw on one line: control characters are
/// shown as `�`-free visible placeholders (`␛` for ESC, a space otherwise),
/// newlines become ` ⏎ `.
pub fn display_safe(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() || is_invisible_format(c)) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' => '⏎',
            '\u{1b}' => '␛',
            c if c.is_control() || is_invisible_format(c) => ' ',
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
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '／' | '．' | '/' | '.' | '年' | '月' => '-',
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
