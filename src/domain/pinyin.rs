//! Pinyin initials for finding people by typing `zs` for 张三.
//!
//! The `pinyin` crate gives each character's everyday reading, but names
//! are read otherwise: surnames often read differently (曾 is zēng, not
//! céng; 单 is shàn, not dān), some surnames have two surname readings
//! (尉 wèi or yù, 隗 wěi or kuí), and a given name may use either reading
//! of a polyphone (李长春 is lcc, 长 zhǎng in another name). A name is
//! therefore indexed under every reading it may have: [`name_initials`]
//! returns all of them, [`Initials::has_prefix`] matches any. The tables
//! below hold only characters whose readings differ in their *initial*
//! (readings that share it change nothing), and the combinations per name
//! are capped at [`MAX_READINGS`] so that search stays as fast as before.

use pinyin::ToPinyin;
use serde::{Deserialize, Serialize};

/// At most this many readings are indexed per name: a name full of
/// polyphones keeps its everyday reading and the first alternatives.
pub const MAX_READINGS: usize = 8;

/// Compound surnames and their initials, checked before single characters.
const COMPOUND_SURNAMES: &[(&str, &str)] = &[
    ("欧阳", "oy"),
    ("司马", "sm"),
    ("诸葛", "zg"),
    ("上官", "sg"),
    ("尉迟", "yc"),
    ("万俟", "mq"),
    ("长孙", "zs"),
    ("令狐", "lh"),
    ("皇甫", "hf"),
    ("东方", "df"),
    ("夏侯", "xh"),
    ("慕容", "mr"),
    ("公孙", "gs"),
    ("司徒", "st"),
    ("澹台", "tt"),
];

/// Single-character surnames read otherwise than in everyday words, with
/// the initials of their surname readings, the usual one first. Most have
/// one (曾 z, 单 s, 解 x, 仇 q, 区 o); a few are two surnames written alike
/// (尉 Wèi and Yù, 隗 Wěi and Kuí, 乐 Yuè and Lè, 覃 Qín and Tán, 翟 Zhái
/// and Dí …), and both are indexed.
const SURNAME_INITIALS: &[(char, &str)] = &[
    ('曾', "z"),
    ('单', "s"),
    ('解', "x"),
    ('仇', "q"),
    ('区', "o"),
    ('朴', "p"),
    ('查', "zc"),
    ('盖', "g"),
    ('覃', "qt"),
    ('缪', "m"),
    ('翟', "zd"),
    ('乐', "yl"),
    ('尉', "wy"),
    ('隗', "wk"),
    ('秘', "bm"),
    ('召', "sz"),
    ('繁', "pf"),
    ('种', "cz"),
    ('员', "y"),
    ('宿', "s"),
    ('长', "c"),
    ('沈', "s"),
    ('重', "cz"),
    ('参', "s"),
    ('阚', "k"),
    ('贲', "b"),
    ('句', "gj"),
    ('华', "h"),
    ('纪', "j"),
    ('任', "r"),
    ('过', "g"),
    ('薄', "b"),
];

/// Characters common in given names whose readings start with different
/// letters, with every initial, the reading usual in names first (the
/// `pinyin` crate's first reading is not always it: it reads 长 zhǎng).
const GIVEN_NAME_INITIALS: &[(char, &str)] = &[
    ('长', "cz"), // 长春 cháng, 长江; 长 zhǎng
    ('朝', "zc"), // 朝阳 zhāo or cháo
    ('晟', "sc"), // shèng, chéng
    ('行', "xh"), // xíng, háng
    ('乐', "ly"), // lè, yuè
    ('重', "zc"), // zhòng, chóng
    ('曾', "cz"), // céng, zēng
    ('单', "ds"), // dān, shàn
    ('藏', "cz"), // cáng, zàng
    ('茜', "qx"), // qiàn, xī
    ('传', "cz"), // chuán, zhuàn
    ('调', "td"), // tiáo, diào
    ('奇', "qj"), // qí, jī
    ('会', "hk"), // huì, kuài
    ('省', "sx"), // shěng, xǐng
    ('降', "jx"), // jiàng, xiáng
    ('参', "cs"), // cān, shēn
    ('厦', "xs"), // xià, shà
    ('解', "jx"), // jiě, xiè
    ('蕃', "fb"), // fán, bō
    ('便', "bp"), // biàn, pián
    ('率', "sl"), // shuài, lǜ
    ('莘', "sx"), // shēn, xīn
    ('校', "xj"), // xiào, jiào
    ('区', "qo"), // qū, ōu
    ('蔚', "wy"), // wèi, yù
    ('尉', "wy"), // wèi, yù
    ('查', "cz"), // chá, zhā
    ('翟', "zd"), // zhái, dí
    ('覃', "tq"), // tán, qín
    ('种', "zc"), // zhǒng, chóng
    ('仇', "cq"), // chóu, qiú
    ('石', "sd"), // shí, dàn
];

/// Every reading of a name, as initials, the everyday one first; see
/// [`name_initials`]. Stored as one string, readings separated by spaces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Initials(String);

impl Initials {
    /// The usual reading (for sorting by name).
    pub fn first(&self) -> &str {
        self.0.split(' ').next().unwrap_or("")
    }

    /// Every reading.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split(' ').filter(|s| !s.is_empty())
    }

    /// Whether any reading starts with `prefix` (already lower-case).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.iter().any(|r| r.starts_with(prefix))
    }

    /// Bytes held (for measuring memory).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The initials of a person's name in every reading it may have, surname
/// read as a surname: 张三 → `zs`; 曾小明 → `zxm`; 欧阳娜娜 → `oynn`;
/// 尉健行 → `wjx` `yjx` `wjh` `yjh`; 李长春 → `lcc` `lzc`. Letters and digits
/// in the name are kept (lower-cased); other characters without a reading
/// are skipped. At most [`MAX_READINGS`], the everyday reading first.
pub fn name_initials(name: &str) -> Initials {
    let name = name.trim();
    // one slot per character (or compound surname): its possible initials
    let mut slots: Vec<Vec<String>> = Vec::new();
    let mut rest = name;
    if let Some((sur, ini)) = COMPOUND_SURNAMES.iter().find(|(s, _)| name.starts_with(s)) {
        slots.push(vec![ini.to_string()]);
        rest = &name[sur.len()..];
    } else if let Some(first) = name.chars().next()
        && let Some((_, ini)) = SURNAME_INITIALS.iter().find(|(c, _)| *c == first)
    {
        slots.push(ini.chars().map(String::from).collect());
        rest = &name[first.len_utf8()..];
    }
    for (c, p) in rest.chars().zip(rest.to_pinyin()) {
        match p {
            Some(p) => {
                // the table's order (the reading usual in names first),
                // then the crate's reading if the table does not have it
                let mut options: Vec<String> = match GIVEN_NAME_INITIALS.iter().find(|(x, _)| *x == c) {
                    Some((_, all)) => all.chars().map(String::from).collect(),
                    None => Vec::new(),
                };
                let everyday = p.first_letter().to_string();
                if !options.contains(&everyday) {
                    options.push(everyday);
                }
                options.dedup();
                slots.push(options);
            }
            None if c.is_ascii_alphanumeric() => slots.push(vec![c.to_ascii_lowercase().to_string()]),
            None => {}
        }
    }
    Initials(combine(&slots).join(" "))
}

/// Every combination of one option per slot, the first options first,
/// stopping at [`MAX_READINGS`]. Counting like an odometer whose first
/// wheel turns fastest keeps the everyday reading first and varies the
/// surname before the given name.
fn combine(slots: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut pick = vec![0usize; slots.len()];
    loop {
        out.push(slots.iter().zip(&pick).map(|(s, &i)| s[i].as_str()).collect::<String>());
        if out.len() >= MAX_READINGS {
            break;
        }
        // next combination
        let mut k = 0;
        loop {
            if k == slots.len() {
                return out;
            }
            pick[k] += 1;
            if pick[k] < slots[k].len() {
                break;
            }
            pick[k] = 0;
            k += 1;
        }
    }
    out
}

/// Initials of any text by everyday readings (used for titles and places).
pub fn text_initials(s: &str) -> String {
    let mut out = String::new();
    for (c, p) in s.chars().zip(s.to_pinyin()) {
        match p {
            Some(p) => out.push_str(p.first_letter()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(name: &str) -> Vec<String> {
        name_initials(name).iter().map(str::to_string).collect()
    }

    #[test]
    fn everyday_names() {
        assert_eq!(all("张三"), ["zs"]);
        assert_eq!(all("李秀英"), ["lxy"]);
        assert_eq!(all(" 王芳 "), ["wf"]);
        assert_eq!(name_initials("王芳").first(), "wf");
    }

    #[test]
    fn surnames_read_as_surnames() {
        assert_eq!(all("曾国强"), ["zgq"]);
        assert_eq!(all("单田芳"), ["stf"]);
        assert_eq!(all("解晓东"), ["xxd"]);
        assert_eq!(all("仇英"), ["qy"]);
        assert_eq!(all("区志明"), ["ozm"]);
        assert_eq!(all("欧阳娜娜"), ["oynn"]);
        assert_eq!(all("尉迟恭"), ["ycg"]);
        // only the surname is read as a surname: 曾 in a given name is
        // céng first, and zēng as well
        assert_eq!(all("王曾"), ["wc", "wz"]);
    }

    #[test]
    fn surnames_with_two_readings_are_found_by_both() {
        // 尉健行 is Wèi Jiànxíng; 尉 is also the surname Yù
        let w = name_initials("尉健行");
        for q in ["wjx", "yjx", "wj", "y"] {
            assert!(w.has_prefix(q), "{q} in {w:?}");
        }
        assert_eq!(w.first(), "wjx");
        // 隗 is usually Wěi, sometimes Kuí
        let k = name_initials("隗建国");
        assert!(k.has_prefix("wjg") && k.has_prefix("kjg"), "{k:?}");
        assert!(!k.has_prefix("zjg"));
    }

    #[test]
    fn given_name_polyphones_are_found_by_every_reading() {
        let l = name_initials("李长春");
        assert!(l.has_prefix("lcc") && l.has_prefix("lzc"), "{l:?}");
        assert_eq!(l.first(), "lcc");
        assert!(name_initials("张朝阳").has_prefix("zzy") && name_initials("张朝阳").has_prefix("zcy"));
        assert!(name_initials("王晟").has_prefix("ws") && name_initials("王晟").has_prefix("wc"));
        // a plain name gains nothing
        assert_eq!(all("刘德华"), ["ldh"]);
    }

    #[test]
    fn readings_are_capped() {
        // four characters with two initials each: 16 combinations, 8 kept
        let n = name_initials("尉长朝晟");
        assert_eq!(n.iter().count(), MAX_READINGS);
        let first = n.first().to_string();
        assert!(first.starts_with("wc"), "the everyday reading first: {n:?}");
        assert!(n.has_prefix(&format!("y{}", &first[1..])), "the surname varies before the given name");
        // each reading is as long as the name
        assert!(n.iter().all(|r| r.len() == 4));
    }

    #[test]
    fn latin_letters_and_odd_characters_are_kept_or_skipped() {
        assert_eq!(all("Anna李"), ["annal"]);
        assert_eq!(all("😀张"), ["z"]);
        assert_eq!(all(""), [""; 0]);
        assert!(name_initials("").is_empty());
        assert!(!name_initials("").has_prefix("a"));
    }

    #[test]
    fn text_initials_use_everyday_readings() {
        assert_eq!(text_initials("幸福小区3号"), "xfxq3h");
    }
}
