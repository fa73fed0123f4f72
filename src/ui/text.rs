//! Drawing text on the screen: one line cut to fit and safe for the
//! terminal, wrapping by display width (Chinese characters are two columns),
//! and the boxes popups are drawn in.

use super::theme::Theme;
use crate::domain::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// A rectangle of `w`×`h` centred in `area` (clamped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// Clears the area of a popup. A double-width character just left of it
/// would still be drawn by the terminal over the popup's left border, so it
/// is blanked too.
pub fn clear_popup(area: Rect, buf: &mut Buffer) {
    if area.x > buf.area.x {
        for y in area.top()..area.bottom().min(buf.area.bottom()) {
            let cell = &mut buf[(area.x - 1, y)];
            if text::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    Clear.render(area, buf);
}

/// Draws one line of text, cut to fit, safe for the terminal.
pub fn line(buf: &mut Buffer, x: u16, y: u16, w: u16, s: &str, style: Style) {
    buf.set_stringn(x, y, text::truncate(&text::display_safe(s), w as usize), w as usize, style);
}

/// A bordered box with a title; returns the area inside it.
pub fn boxed(r: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    clear_popup(r, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(format!(" {title} "))
        .title_style(theme.title);
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// Wraps text at `width` display columns (CJK-aware). Chinese breaks
/// between any two characters, but never puts closing punctuation
/// (`，。、）：` …) at the start of a line or an opening one (`（“《`) at
/// the end (GB/T 15834); a run of Latin letters or digits breaks at a
/// space rather than mid-word.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(2);
    let w_of = |cs: &[char]| cs.iter().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut cur: Vec<char> = Vec::new();
        for c in crate::domain::text::display_safe(para).chars() {
            let cw = c.width().unwrap_or(0);
            if w_of(&cur) + cw > width && !cur.is_empty() {
                let k = break_at(&cur, c, width);
                let mut line: String = cur[..k].iter().collect();
                line.truncate(line.trim_end().len());
                out.push(line);
                let rest: Vec<char> = cur[k..].iter().copied().skip_while(|c| *c == ' ').collect();
                cur = rest;
                if c == ' ' && cur.is_empty() {
                    continue;
                }
            }
            cur.push(c);
        }
        out.push(cur.into_iter().collect());
    }
    out
}

/// Where to end a full line `cur` when `next` does not fit in `width`:
/// the number of its characters that stay (the rest carries over), never 0.
fn break_at(cur: &[char], next: char, width: usize) -> usize {
    use unicode_width::UnicodeWidthChar;
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | '\\' | ':');
    let n = cur.len();
    let at = |k: usize| if k < n { cur[k] } else { next };
    // a Latin word or a path: back to the space before it, when the word
    // then fits on the next line
    if word(next) && word(cur[n - 1]) {
        if let Some(sp) = cur.iter().rposition(|c| *c == ' ')
            && sp > 0
        {
            let carried: usize = cur[sp + 1..].iter().map(|c| c.width().unwrap_or(0)).sum();
            if carried + next.width().unwrap_or(0) < width {
                return sp + 1;
            }
        }
        return n;
    }
    // punctuation that may not start a line pulls the last character along,
    // one that may not end a line goes down with what follows it
    let mut k = n;
    for _ in 0..2 {
        if k > 1 && (no_line_start(at(k)) || no_line_end(cur[k - 1])) {
            k -= 1;
        } else {
            break;
        }
    }
    k
}

fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '］'
            | '】'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '”'
            | '’'
            | '…'
            | '·'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '%'
    )
}

fn no_line_end(c: char) -> bool {
    matches!(c, '（' | '［' | '【' | '《' | '〈' | '「' | '『' | '“' | '‘' | '(' | '[')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::width;

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        let body =
            "这里还没有任何记录。请先添加第一位社区工作者（通常就是您自己），之后登记的每一条记录都会记下经办人。";
        for w in 8..40 {
            let lines = wrap(body, w);
            for l in &lines {
                assert!(width(l) <= w, "{l:?} wider than {w}");
                assert!(!l.starts_with(['）', '、', '，', '。']), "{l:?} at {w}");
                assert!(!l.ends_with('（'), "{l:?} at {w}");
            }
            assert_eq!(lines.concat(), body, "nothing lost at {w}");
        }
        let tags = "标签：独居老人、空巢老人、残疾人、低保户、退役军人、特困人员、孕产妇、租户";
        for l in wrap(tags, 68) {
            assert!(!l.starts_with('、'), "{l:?}");
        }
    }

    #[test]
    fn a_path_goes_whole_to_the_next_line() {
        let lines = wrap("完成：备份已写入并校验无误 /tmp/w16/out/linli-backup-20261124-100000.jsonl.gz", 76);
        assert_eq!(lines, ["完成：备份已写入并校验无误", "/tmp/w16/out/linli-backup-20261124-100000.jsonl.gz"]);
    }

    #[test]
    fn latin_words_break_at_spaces() {
        let lines = wrap("activity 1, certificate 1, rota 41, service 15, training 8", 52);
        assert!(lines.iter().all(|l| !l.starts_with("ng")), "{lines:?}");
        assert_eq!(lines[1], "training 8");
    }
}
