//! Residents known to the office (居民): who they are, where they live,
//! and the tags that say who needs looking after.

use super::ids::ResidentId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Tags offered by default; the office may type others.
pub const TAGS: &[&str] = &["独居老人", "空巢老人", "残疾人", "低保户", "退役军人", "特困人员", "孕产妇", "租户"];

/// Words that make a tag sensitive personal information (PIPL Art. 28:
/// specific identities and health). A tag containing one (低保 in 低保户,
/// 残疾 in 残疾人) is shown as one neutral mark in lists and exports until
/// someone reveals it on purpose, which the audit trail records, as for a
/// phone number. The office edits the list in `sensitive_tags.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SensitiveTags(pub Vec<String>);

impl Default for SensitiveTags {
    fn default() -> Self {
        SensitiveTags(["低保", "特困", "残疾", "重病"].iter().map(|s| s.to_string()).collect())
    }
}

impl SensitiveTags {
    pub fn is_sensitive(&self, tag: &str) -> bool {
        self.0.iter().any(|w| !w.is_empty() && tag.contains(w.as_str()))
    }

    /// Whether any of `tags` is sensitive.
    pub fn any(&self, tags: &[String]) -> bool {
        tags.iter().any(|t| self.is_sensitive(t))
    }

    /// The tags as a list or an export shows them, joined with 、: unless
    /// `revealed`, the sensitive ones give way to one `mark`, where the
    /// first of them stood (how many there are is not told either).
    pub fn shown<S: std::borrow::Borrow<str>>(&self, tags: &[S], revealed: bool, mark: &str) -> String {
        if revealed {
            return tags.join("、");
        }
        let mut out: Vec<&str> = Vec::with_capacity(tags.len());
        let mut marked = false;
        for t in tags {
            let t = t.borrow();
            if !self.is_sensitive(t) {
                out.push(t);
            } else if !marked {
                out.push(mark);
                marked = true;
            }
        }
        out.join("、")
    }

    /// One word a line; `#` starts a comment.
    pub fn parse(text: &str) -> SensitiveTags {
        let words = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|l| l.split(['#', '＃']).next().unwrap_or("").trim())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        SensitiveTags(words)
    }

    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# 敏感标签：居民标签中含有下列词语的（如“低保户”含“低保”），属于敏感个人信息\n\
             # （特定身份、健康状况，个人信息保护法第二十八条）。居民名册列表和导出中只显示\n\
             # “〔敏感〕”，按 v 查看并记入操作记录；按标签搜索照常可用。每行一个词，可用记事本修改。\n\
             # Sensitive tags: a resident's tag containing one of these words is shown as a\n\
             # neutral mark in lists and exports until revealed with v (recorded). One a line.\n",
        );
        for w in &self.0 {
            s.push_str(w);
            s.push('\n');
        }
        s
    }
}

/// Building–unit–room (楼栋–单元–室), with the estate (小区) when the
/// community has several.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub estate: String,
    pub building: String,
    pub unit: String,
    pub room: String,
}

impl Address {
    /// Reads `幸福小区 3-2-301`, `3-2-301`, `3栋2单元301室` or `3/2/301`.
    pub fn parse(s: &str) -> Address {
        let s = s.trim();
        let (estate, rest) = match s.rfind(|c: char| c.is_whitespace()) {
            Some(i) => (s[..i].trim().to_string(), s[i..].trim()),
            None if s.chars().next().is_some_and(|c| c.is_ascii_digit()) => (String::new(), s),
            None => {
                // 幸福小区3栋2单元301室: split at the first digit
                match s.find(|c: char| c.is_ascii_digit()) {
                    Some(i) => (s[..i].to_string(), &s[i..]),
                    None => return Address { estate: s.to_string(), ..Default::default() },
                }
            }
        };
        let parts: Vec<String> = rest
            .split(['-', '/', '栋', '幢', '号', '单', '元', '室', '楼'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        let get = |i: usize| parts.get(i).cloned().unwrap_or_default();
        Address { estate, building: get(0), unit: get(1), room: get(2) }
    }

    pub fn is_empty(&self) -> bool {
        self.estate.is_empty() && self.building.is_empty() && self.unit.is_empty() && self.room.is_empty()
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let brief = [&self.building, &self.unit, &self.room]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("-");
        match (self.estate.is_empty(), brief.is_empty()) {
            (true, _) => write!(f, "{brief}"),
            (false, true) => write!(f, "{}", self.estate),
            (false, false) => write!(f, "{} {brief}", self.estate),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    pub id: ResidentId,
    pub name: String,
    pub phone: String,
    pub address: Address,
    pub grid: String,
    pub tags: Vec<String>,
    pub notes: String,
}

impl Resident {
    pub fn new(id: ResidentId, name: &str) -> Self {
        Resident {
            id,
            name: name.to_string(),
            phone: String::new(),
            address: Address::default(),
            grid: String::new(),
            tags: Vec::new(),
            notes: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_tags_give_way_to_one_neutral_mark_until_revealed() {
        let s = SensitiveTags::default();
        let tags: Vec<String> = ["独居老人", "低保户", "残疾人", "退役军人"].iter().map(|t| t.to_string()).collect();
        assert!(s.is_sensitive("低保户") && s.is_sensitive("特困人员") && s.is_sensitive("重病"));
        assert!(!s.is_sensitive("独居老人") && !s.is_sensitive("退役军人"));
        assert!(s.any(&tags));
        assert_eq!(s.shown(&tags, false, "〔敏感〕"), "独居老人、〔敏感〕、退役军人", "one mark for two");
        assert_eq!(s.shown(&tags, true, "〔敏感〕"), "独居老人、低保户、残疾人、退役军人");
        assert_eq!(s.shown(&tags[..1], false, "〔敏感〕"), "独居老人");
        assert_eq!(SensitiveTags::parse(&s.to_text()), s, "the file round-trips");
        let own = SensitiveTags::parse("\u{feff}# 本社区\n低保\n  精神障碍 # 加上\n\n");
        assert_eq!(own.0, ["低保", "精神障碍"]);
        assert!(!own.is_sensitive("残疾人"), "the office's own list decides");
        assert!(!SensitiveTags(vec![String::new()]).is_sensitive("独居老人"), "an empty word marks nothing");
    }

    #[test]
    fn addresses_read_the_ways_offices_write_them() {
        let a = Address::parse("幸福小区 3-2-301");
        assert_eq!(
            (a.estate.as_str(), a.building.as_str(), a.unit.as_str(), a.room.as_str()),
            ("幸福小区", "3", "2", "301")
        );
        assert_eq!(a.to_string(), "幸福小区 3-2-301");
        let b = Address::parse("幸福小区3栋2单元301室");
        assert_eq!(b.to_string(), "幸福小区 3-2-301");
        assert_eq!(Address::parse("12/1/502").to_string(), "12-1-502");
        assert_eq!(Address::parse("").to_string(), "");
        assert_eq!(Address::parse("老街").to_string(), "老街");
    }
}
