//! Bad input never panics: seeded random input (control characters,
//! escape sequences, huge pastes, emoji, rare CJK, invalid UTF-8 read from
//! files, impossible dates) through every parser and text field, and onto
//! the screen. Bounded so it runs in CI in about a second.

use crate::support::Fixture;
use linli::domain::{Address, Categories, WorkCalendar, text};
use linli::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A nasty string: pieces of real input mixed with garbage.
    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "张三",
            "曾",
            "单",
            "楼道灯",
            "𠀋𡈽𪚥",
            "😀👨‍👩‍👧",
            "\u{1b}[2J",
            "\u{1b}]0;pwned\u{7}",
            "\u{1b}[?1049l",
            "\r\n",
            "\t",
            "\u{0}",
            "\u{7f}",
            "\u{202e}",
            "\u{200b}",
            "2025-02-30",
            "2月30日",
            "休",
            "班",
            "..",
            "-",
            "#",
            "3-2-301",
            "13812345678",
            " ",
            "a",
            "Z",
            "9",
            "\u{feff}",
            "\u{fffd}",
        ];
        let n = self.below(40);
        let mut s = String::new();
        for _ in 0..n {
            if self.below(4) == 0 {
                s.push(char::from_u32(self.below(0x3_0000) as u32).unwrap_or('?'));
            } else {
                s.push_str(PIECES[self.below(PIECES.len() as u64) as usize]);
            }
        }
        if self.below(50) == 0 {
            s = s.repeat(500); // a huge paste
        }
        s
    }

    /// Bytes as a file might hold them: often not UTF-8 at all.
    fn bytes(&mut self) -> Vec<u8> {
        let mut b = self.string().into_bytes();
        for _ in 0..self.below(5) {
            let i = self.below(b.len() as u64 + 1) as usize;
            b.insert(i, self.next() as u8);
        }
        b
    }
}

#[test]
fn text_parsers_never_panic() {
    let mut r = Rng(0xDEAD_BEEF_1234_5678);
    for _ in 0..3000 {
        let s = r.string();
        let cleaned = text::clean_input(&s, r.below(2) == 0);
        assert!(!cleaned.chars().any(|c| (c.is_control() && c != '\n') || text::is_invisible(c)), "{cleaned:?}");
        assert!(cleaned.chars().count() <= text::MAX_FIELD_CHARS);
        let shown = text::display_safe(&s);
        assert!(!shown.chars().any(|c| c.is_control() || text::is_invisible(c)), "{shown:?}");
        // what display_safe marks stays visible: ESC becomes ␛, never vanishes
        assert_eq!(shown.matches('␛').count(), s.matches('\u{1b}').count(), "{s:?} -> {shown:?}");
        let w = r.below(30) as usize;
        assert!(text::width(&text::truncate(&s, w)) <= w.max(1));
        let _ = Address::parse(&s).to_string();
        let _ = linli::domain::pinyin::name_initials(&s);
        let _ = linli::domain::mask::phone(&s);
        let _ = linli::domain::mask::normalize_phone(&s);
        let _ = linli::domain::RequestId::parse(&s);
        // office-editable files arrive as bytes, maybe not UTF-8
        let file = String::from_utf8_lossy(&r.bytes()).into_owned();
        let _ = WorkCalendar::parse(&file).map_err(|e| e.message_zh());
        let _ = Categories::parse(&file);
        let mut input = linli::ui::widgets::input::LineInput::default();
        input.insert_str(&s);
        assert!(!input.value().chars().any(char::is_control));
    }
}

#[test]
fn stored_garbage_is_drawn_safely_at_any_size() {
    let mut r = Rng(42);
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    for round in 0..60 {
        let mut req = f.requests[round % f.requests.len()].clone();
        req.title = r.string();
        req.description = r.string();
        req.location = r.string();
        req.category = r.string();
        req.notes[0].text = r.string();
        app.sh.index.upsert(&req);
        app.panels.requests.detail = Some(req);
        // every panel in turn (the garbage request shows in the requests
        // panel and on the duties board's to-do list)
        let id = linli::ui::panel::PanelId::ALL[round % linli::ui::panel::PanelId::ALL.len()];
        app.panels.show(id, &mut app.sh);
        // down to 1x1: the too-small sentence, or `!`, never a panic
        let (w, h) = (1 + r.below(160) as u16, 1 + r.below(50) as u16);
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|frame| app.draw(frame)).unwrap();
        let buf = t.backend().buffer();
        assert!(
            buf.content.iter().all(|c| !c.symbol().chars().any(|ch| ch.is_control() || text::is_invisible(ch))),
            "round {round}"
        );
        if round % 10 == 0 {
            app.panels.requests.full = Some(0);
        } else {
            app.panels.requests.full = None;
        }
    }
}
