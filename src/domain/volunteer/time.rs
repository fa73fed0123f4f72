//! When volunteers are free and when posts are staffed: days of the week,
//! parts of the day, spans of clock time, read from what an office types
//! (周六上午, 工作日晚上, sat am, 9:00-11:30).

use super::*;

// ---------------------------------------------------------------------------
// Days of the week and times of day

/// A set of weekdays: bit 0 is Monday, bit 6 Sunday.
pub type Days = u8;
pub const ALL_DAYS: Days = 0x7f;
pub const WORKDAYS: Days = 0x1f;
pub const WEEKEND: Days = 0x60;

/// Parts of a day a volunteer may be free: bit 0 morning, 1 afternoon,
/// 2 evening.
pub type Slots = u8;
pub const MORNING: Slots = 1;
pub const AFTERNOON: Slots = 2;
pub const EVENING: Slots = 4;
pub const ALL_SLOTS: Slots = 7;

/// Words that name days (checked longest first where they share a start).
const DAY_WORDS: &[(&str, Days)] = &[
    ("每天", ALL_DAYS),
    ("天天", ALL_DAYS),
    ("每日", ALL_DAYS),
    ("全周", ALL_DAYS),
    ("工作日", WORKDAYS),
    ("平日", WORKDAYS),
    ("周末", WEEKEND),
    ("双休日", WEEKEND),
    ("双休", WEEKEND),
    ("everyday", ALL_DAYS),
    ("daily", ALL_DAYS),
    ("weekdays", WORKDAYS),
    ("weekday", WORKDAYS),
    ("weekends", WEEKEND),
    ("weekend", WEEKEND),
];

const EN_DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Words that start a list of day characters: 周六, 星期二、四, 每周一至周五.
const DAY_LIST_WORDS: &[&str] = &["每周", "星期", "礼拜", "周"];

const SLOT_WORDS: &[(&str, Slots)] = &[
    ("上午", MORNING),
    ("早上", MORNING),
    ("早晨", MORNING),
    ("下午", AFTERNOON),
    ("晚上", EVENING),
    ("晚间", EVENING),
    ("傍晚", EVENING),
    ("夜间", EVENING),
    ("全天", ALL_SLOTS),
    ("整天", ALL_SLOTS),
    ("白天", MORNING | AFTERNOON),
    ("morning", MORNING),
    ("afternoon", AFTERNOON),
    ("evening", EVENING),
    ("eve", EVENING),
    ("night", EVENING),
    ("allday", ALL_SLOTS),
    ("am", MORNING),
    ("pm", AFTERNOON),
];

fn day_char(c: char) -> Option<u8> {
    Some(match c {
        '一' | '1' => 0,
        '二' | '2' => 1,
        '三' | '3' => 2,
        '四' | '4' => 3,
        '五' | '5' => 4,
        '六' | '6' => 5,
        '日' | '天' | '七' | '7' => 6,
        _ => return None,
    })
}

fn starts(s: &[char], i: usize, word: &str) -> bool {
    (i..).zip(word.chars()).all(|(j, w)| s.get(j) == Some(&w))
}

pub(super) fn is_sep(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；' | '/' | '+' | '和' | '及')
}

/// Reads days starting at `i`: a day word, or 周/星期 and a list of day
/// characters (`周二、四`, `周一至周五`), or an English day name.
pub(super) fn scan_days(s: &[char], i: usize) -> Option<(Days, usize)> {
    for (w, d) in DAY_WORDS {
        if starts(s, i, w) {
            return Some((*d, i + w.chars().count()));
        }
    }
    let en_day = |i: usize| -> Option<(u8, usize)> {
        let n = EN_DAYS.iter().position(|w| starts(s, i, w))?;
        let mut j = i + 3;
        // monday, tues, thursday…
        while s.get(j).is_some_and(|c| c.is_ascii_alphabetic()) {
            j += 1;
        }
        Some((n as u8, j))
    };
    if let Some((a, j)) = en_day(i) {
        // mon-thu
        if s.get(j) == Some(&'-')
            && let Some((b, k)) = en_day(j + 1)
            && b >= a
        {
            return Some(((a..=b).fold(0, |m, d| m | (1 << d)), k));
        }
        return Some((1 << a, j));
    }
    let word = DAY_LIST_WORDS.iter().find(|w| starts(s, i, w))?;
    let mut j = i + word.chars().count();
    let mut days: Days = 0;
    let day_at = |j: usize| s.get(j).copied().and_then(day_char);
    let list_sep = |j: usize| matches!(s.get(j), Some('、' | ',' | '，')) && day_at(j + 1).is_some();
    while let Some(d) = day_at(j) {
        days |= 1 << d;
        j += 1;
        // 、四 continues the list; 至周五 / -五 makes a range
        if list_sep(j) {
            j += 1;
            continue;
        }
        if !matches!(s.get(j), Some('至' | '到' | '-' | '~' | '～' | '—')) {
            break;
        }
        let mut k = j + 1;
        if let Some(w) = DAY_LIST_WORDS.iter().find(|w| starts(s, k, w)) {
            k += w.chars().count();
        }
        match day_at(k) {
            Some(b) if b >= d => {
                for x in d..=b {
                    days |= 1 << x;
                }
                j = k + 1;
                if list_sep(j) {
                    j += 1;
                    continue;
                }
                break;
            }
            _ => break,
        }
    }
    (days != 0).then_some((days, j))
}

fn scan_slot(s: &[char], i: usize) -> Option<(Slots, usize)> {
    SLOT_WORDS.iter().find(|(w, _)| starts(s, i, w)).map(|(w, sl)| (*sl, i + w.chars().count()))
}

/// When a volunteer is free: a set of (weekday, part of day) cells, bit
/// `day * 3 + slot`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Availability(pub u32);

impl Availability {
    pub fn cell(day: u8, slot: Slots) -> u32 {
        u32::from(slot & ALL_SLOTS) << (u32::from(day) * 3)
    }

    pub fn of(days: Days, slots: Slots) -> Availability {
        Availability((0..7).filter(|d| days & (1 << d) != 0).map(|d| Self::cell(d, slots)).fold(0, |a, b| a | b))
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn slots_on(self, day: u8) -> Slots {
        ((self.0 >> (u32::from(day) * 3)) & 7) as Slots
    }

    /// Free at some time in `wanted` (a search for 周末上午 finds people
    /// free on Saturday or Sunday morning).
    pub fn overlaps(self, wanted: Availability) -> bool {
        self.0 & wanted.0 != 0
    }

    /// Reads what people write: `周六上午`, `周末全天 工作日晚上`,
    /// `周二、四下午`, `周一至周五晚上`, `晚上` (every evening), `sat am`.
    /// Days without a part of day mean the whole day. `None` if any part
    /// of the text is not understood; empty text is "not given".
    pub fn parse(s: &str) -> Option<Availability> {
        let s: Vec<char> = crate::domain::text::search_text(s.trim()).chars().collect();
        let mut bits = 0u32;
        let mut pending: Days = 0;
        let mut used = false;
        let mut i = 0;
        while i < s.len() {
            if is_sep(s[i]) {
                i += 1;
                continue;
            }
            if let Some((d, j)) = scan_days(&s, i) {
                // days follow days until a part of the day closes them:
                // 周六 周日上午 is both mornings
                if used {
                    pending = 0;
                    used = false;
                }
                pending |= d;
                i = j;
            } else if let Some((sl, j)) = scan_slot(&s, i) {
                let days = if pending == 0 { ALL_DAYS } else { pending };
                bits |= Availability::of(days, sl).0;
                used = true;
                i = j;
            } else if starts(&s, i, "all") && s.get(i + 3) == Some(&' ') && starts(&s, i + 4, "day") {
                let days = if pending == 0 { ALL_DAYS } else { pending };
                bits |= Availability::of(days, ALL_SLOTS).0;
                used = true;
                i += 7;
            } else {
                return None;
            }
        }
        if pending != 0 && !used {
            bits |= Availability::of(pending, ALL_SLOTS).0;
        }
        Some(Availability(bits))
    }

    /// The cells grouped for display: (days, parts of day) with the same
    /// parts of day, in weekday order of their first day.
    pub fn groups(self) -> Vec<(Days, Slots)> {
        let mut out: Vec<(Days, Slots)> = Vec::new();
        for d in 0..7u8 {
            let sl = self.slots_on(d);
            if sl == 0 {
                continue;
            }
            match out.iter_mut().find(|(_, s)| *s == sl) {
                Some((days, _)) => *days |= 1 << d,
                None => out.push((1 << d, sl)),
            }
        }
        out
    }
}

const ZH_DAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

/// Days as the office writes them, in the canonical (Chinese) form that
/// [`Availability::parse`] and [`Schedule::parse`] read back: `每天`,
/// `工作日`, `周末`, `周一至周四`, `周二、四`.
pub fn days_text(d: Days) -> String {
    let set: Vec<usize> = (0..7).filter(|i| d & (1 << i) != 0).collect();
    match d {
        0 => String::new(),
        ALL_DAYS => "每天".into(),
        WORKDAYS => "工作日".into(),
        WEEKEND => "周末".into(),
        _ if set.len() >= 3 && set.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("周{}至周{}", ZH_DAYS[set[0]], ZH_DAYS[set[set.len() - 1]])
        }
        _ => format!("周{}", set.iter().map(|&i| ZH_DAYS[i]).collect::<Vec<_>>().join("、")),
    }
}

/// Parts of a day in the canonical form: `全天`, `上午、晚上`.
pub fn slots_text(s: Slots) -> String {
    if s & ALL_SLOTS == ALL_SLOTS {
        return "全天".into();
    }
    [(MORNING, "上午"), (AFTERNOON, "下午"), (EVENING, "晚上")]
        .iter()
        .filter(|(b, _)| s & b != 0)
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join("、")
}

/// `工作日晚上 周六上午`: reads back with [`Availability::parse`].
impl std::fmt::Display for Availability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> =
            self.groups().into_iter().map(|(d, s)| format!("{}{}", days_text(d), slots_text(s))).collect();
        write!(f, "{}", parts.join(" "))
    }
}

/// A time of day span in minutes from midnight; `end < start` runs past
/// midnight (a night patrol 22:00–01:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: u16,
    pub end: u16,
}

impl Span {
    pub fn new(start: u16, end: u16) -> Span {
        Span { start: start % 1440, end: end % 1440 }
    }

    /// Length in minutes; a span that ends where it starts is a whole day.
    pub fn minutes(self) -> u32 {
        let (s, e) = (u32::from(self.start), u32::from(self.end));
        if e > s { e - s } else { e + 1440 - s }
    }

    /// Which part of the day it starts in.
    pub fn slot(self) -> Slots {
        match self.start {
            0..720 => MORNING,
            720..1080 => AFTERNOON,
            _ => EVENING,
        }
    }

    /// `09:00-11:00`, `9-11`, `9点-11点半`, `9:30~11`, `09:00–11:00`.
    pub fn parse(s: &str) -> Option<Span> {
        let s = crate::domain::text::half_width(s);
        let s = s.trim();
        let cut = s.find(['-', '–', '—', '~', '～', '至', '到'])?;
        let sep_len = s[cut..].chars().next().map_or(1, char::len_utf8);
        let start = parse_clock(&s[..cut])?;
        let end = parse_clock(&s[cut + sep_len..])?;
        (start != end).then(|| Span::new(start, end))
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}-{:02}:{:02}", self.start / 60, self.start % 60, self.end / 60, self.end % 60)
    }
}

/// `9`, `09:30`, `9：30`, `9点`, `9点半`, `14时` → minutes from midnight.
fn parse_clock(s: &str) -> Option<u16> {
    let s = crate::domain::text::number_text(s).replace('：', ":");
    let (s, half) = match s.strip_suffix('半') {
        Some(x) => (x.to_string(), 30),
        None => (s, 0),
    };
    let s = s.trim_end_matches(['点', '时']).trim();
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h.trim().parse::<u16>().ok()?, m.trim().parse::<u16>().ok()?),
        None => (s.parse::<u16>().ok()?, half),
    };
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then(|| h * 60 + m)
}
