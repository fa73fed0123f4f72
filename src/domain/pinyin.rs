//! Pinyin initials for finding people by typing `zs` for 张三.
//!
//! The `pinyin` crate gives each character's everyday reading, but surnames
//! often read differently (曾 is zēng, not céng; 单 is shàn, not dān), so the
//! first character, or a compound surname, is looked up in a table of
//! surname readings first.

use pinyin::ToPinyin;

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

/// Single-character surnames whose surname reading differs from the
/// everyday one, with the initial of the surname reading.
const SURNAME_INITIALS: &[(char, char)] = &[
    ('曾', 'z'),
    ('单', 's'),
    ('解', 'x'),
    ('仇', 'q'),
    ('区', 'o'),
    ('朴', 'p'),
    ('查', 'z'),
    ('盖', 'g'),
    ('覃', 'q'),
    ('缪', 'm'),
    ('翟', 'z'),
    ('乐', 'y'),
    ('尉', 'y'),
    ('秘', 'b'),
    ('召', 's'),
    ('繁', 'p'),
    ('种', 'c'),
    ('员', 'y'),
    ('宿', 's'),
    ('长', 'c'),
    ('沈', 's'),
    ('重', 'c'),
    ('参', 's'),
    ('阚', 'k'),
    ('贲', 'b'),
    ('句', 'g'),
    ('华', 'h'),
    ('纪', 'j'),
    ('任', 'r'),
    ('过', 'g'),
    ('薄', 'b'),
];

/// The initials of a person's name, surname read as a surname: 张三 → `zs`,
/// 曾小明 → `zxm`, 欧阳娜娜 → `oynn`. Letters and digits in the name are kept
/// (lower-cased); other characters without a reading are skipped.
pub fn name_initials(name: &str) -> String {
    let name = name.trim();
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    if let Some((sur, ini)) = COMPOUND_SURNAMES.iter().find(|(s, _)| name.starts_with(s)) {
        out.push_str(ini);
        rest = &name[sur.len()..];
    } else if let Some(first) = name.chars().next()
        && let Some((_, ini)) = SURNAME_INITIALS.iter().find(|(c, _)| *c == first)
    {
        out.push(*ini);
        rest = &name[first.len_utf8()..];
    }
    push_initials(rest, &mut out);
    out
}

/// Initials of any text by everyday readings (used for titles and places).
pub fn text_initials(s: &str) -> String {
    let mut out = String::new();
    push_initials(s, &mut out);
    out
}

fn push_initials(s: &str, out: &mut String) {
    for (c, p) in s.chars().zip(s.to_pinyin()) {
        match p {
            Some(p) => out.push_str(p.first_letter()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_names() {
        assert_eq!(name_initials("张三"), "zs");
        assert_eq!(name_initials("李秀英"), "lxy");
        assert_eq!(name_initials(" 王芳 "), "wf");
    }

    #[test]
    fn surnames_read_as_surnames() {
        assert_eq!(name_initials("曾国强"), "zgq");
        assert_eq!(name_initials("单田芳"), "stf");
        assert_eq!(name_initials("解晓东"), "xxd");
        assert_eq!(name_initials("仇英"), "qy");
        assert_eq!(name_initials("欧阳娜娜"), "oynn");
        assert_eq!(name_initials("尉迟恭"), "ycg");
        // only the surname is read specially: 曾 inside a given name is céng
        assert_eq!(name_initials("王曾"), "wc");
    }

    #[test]
    fn latin_letters_and_odd_characters_are_kept_or_skipped() {
        assert_eq!(name_initials("Anna李"), "annal");
        assert_eq!(name_initials("😀张"), "z");
        assert_eq!(name_initials(""), "");
    }
}
