//! Request categories and their time limits (办理时限) in working days.
//!
//! The list is the office's to change: it lives in `categories.txt` in the
//! data dir (one `名称 天数` per line), seeded from [`DEFAULTS`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub name: String,
    /// Time limit in working days.
    pub limit_days: u32,
}

/// Defaults drawn from what residents bring to the office (DOMAIN.md).
pub const DEFAULTS: &[(&str, u32)] = &[
    ("小修小补", 3),
    ("楼道照明", 2),
    ("停车难", 10),
    ("邻里纠纷", 5),
    ("长者食堂", 5),
    ("低保救助", 10),
    ("文明养犬", 3),
    ("老旧小区", 15),
    ("环境卫生", 3),
    ("政策咨询", 3),
    ("其他", 5),
];

/// Used when a request names a category the list no longer has.
pub const FALLBACK_LIMIT: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Categories(pub Vec<Category>);

impl Default for Categories {
    fn default() -> Self {
        Categories(DEFAULTS.iter().map(|(n, d)| Category { name: n.to_string(), limit_days: *d }).collect())
    }
}

/// A line of `categories.txt` that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryLineError {
    pub line: usize,
    pub text: String,
}

impl Categories {
    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(|c| c.name.clone()).collect()
    }

    pub fn limit_of(&self, name: &str) -> u32 {
        self.0.iter().find(|c| c.name == name).map_or(FALLBACK_LIMIT, |c| c.limit_days)
    }

    /// Reads `名称 天数` lines; `#` starts a comment. An empty file gives the
    /// defaults, so the app always has something to offer.
    pub fn parse(text: &str) -> Result<Self, CategoryLineError> {
        let mut out = Vec::new();
        for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = || CategoryLineError { line: i + 1, text: raw.trim().to_string() };
            let (name, days) = line.rsplit_once(char::is_whitespace).ok_or_else(bad)?;
            let days: u32 = days.trim().parse().map_err(|_| bad())?;
            let name = super::text::clean_input(name, false);
            if name.is_empty() || days > 365 {
                return Err(bad());
            }
            if !out.iter().any(|c: &Category| c.name == name) {
                out.push(Category { name, limit_days: days });
            }
        }
        if out.is_empty() { Ok(Categories::default()) } else { Ok(Categories(out)) }
    }

    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# 诉求类别与办理时限（工作日）。每行：类别名称 天数。可用记事本修改，重启 linli 生效。\n\
             # Request categories and time limits in working days: NAME DAYS per line.\n",
        );
        for c in &self.0 {
            s.push_str(&format!("{} {}\n", c.name, c.limit_days));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_bad_lines() {
        let c = Categories::default();
        assert_eq!(Categories::parse(&c.to_text()).unwrap(), c);
        let e = Categories::parse("停车难 10\n漏水 abc\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(Categories::parse("\u{feff}# x\n养犬 3 # note\r\n").unwrap().limit_of("养犬"), 3);
        assert_eq!(Categories::parse("").unwrap(), Categories::default());
        assert_eq!(c.limit_of("不存在"), FALLBACK_LIMIT);
    }
}
