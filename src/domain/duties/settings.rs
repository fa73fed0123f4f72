//! The office's own settings for the duties board, in two plain text files
//! in the data dir that staff can edit in Notepad (like `categories.txt`):
//!
//! * `grades.txt`: the post-grade sequence (岗位等级序列), one grade per
//!   line in order, e.g. 三岗十八级 (the default).
//! * `duties.txt`: `名称 值…` lines: the community's name on exported
//!   sheets, whether the rota includes weekends and holidays, the training
//!   days required a year, the evaluation weights and grade bands.
//!
//! A broken line is reported with its number and the defaults are used,
//! never stopping the app.

use super::evaluation::{Bands, Weights};
use super::parse_tenths;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutySettings {
    /// Printed on the notice and the evaluation sheet.
    pub community: String,
    /// The rota covers weekends and public holidays too.
    pub rota_includes_off_days: bool,
    pub training_days: u32,
    pub weights: Weights,
    pub bands: Bands,
}

impl Default for DutySettings {
    fn default() -> Self {
        DutySettings {
            community: "本社区".into(),
            rota_includes_off_days: false,
            training_days: 7,
            weights: Weights::default(),
            bands: Bands::default(),
        }
    }
}

/// A line of a settings file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsLineError {
    pub line: usize,
    pub text: String,
}

fn yes(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "包括" | "yes" | "y" | "true" | "1" => Some(true),
        "否" | "不包括" | "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str, &str)> {
    text.trim_start_matches('\u{feff}').lines().enumerate().filter_map(|(i, raw)| {
        let body = raw.split(['#', '＃']).next().unwrap_or("").trim();
        (!body.is_empty()).then_some((i + 1, body, raw.trim()))
    })
}

impl DutySettings {
    pub fn parse(text: &str) -> Result<DutySettings, SettingsLineError> {
        let mut s = DutySettings::default();
        for (line, body, raw) in lines(text) {
            let bad = || SettingsLineError { line, text: raw.to_string() };
            let mut words = body.split_whitespace();
            let name = words.next().unwrap_or("");
            let rest: Vec<&str> = words.collect();
            match name {
                "社区名称" | "community" => {
                    let v = rest.join(" ");
                    if v.is_empty() {
                        return Err(bad());
                    }
                    s.community = crate::domain::text::clean_input(&v, false);
                }
                "值班含周末节假日" | "rota_includes_off_days" => {
                    s.rota_includes_off_days = rest.first().and_then(|v| yes(v)).ok_or_else(bad)?;
                }
                "每年培训天数" | "training_days" => {
                    s.training_days =
                        rest.first().and_then(|v| v.parse().ok()).filter(|d| *d <= 365).ok_or_else(bad)?;
                }
                "考评权重" | "weights" => {
                    // 考评权重 街道 50 居民代表 30 自评 20 (names optional: 50 30 20)
                    let nums: Vec<u32> = rest.iter().filter_map(|w| w.parse().ok()).collect();
                    let [a, b, c] = nums[..] else { return Err(bad()) };
                    if a + b + c == 0 || a > 1000 || b > 1000 || c > 1000 {
                        return Err(bad());
                    }
                    s.weights = Weights { street: a, residents: b, own: c };
                }
                "考评等次" | "bands" => {
                    // 考评等次 优秀 90 称职 75 基本称职 60 不称职
                    let mut bands = Vec::new();
                    let mut it = rest.iter().peekable();
                    let mut bottom = None;
                    while let Some(name) = it.next() {
                        match it.peek().and_then(|v| parse_tenths(v)) {
                            Some(min) => {
                                it.next();
                                bands.push((name.to_string(), min));
                            }
                            None if it.peek().is_none() => bottom = Some(name.to_string()),
                            None => return Err(bad()),
                        }
                    }
                    if bands.is_empty() || bands.windows(2).any(|p| p[0].1 <= p[1].1) {
                        return Err(bad());
                    }
                    s.bands = Bands { bands, bottom: bottom.unwrap_or_else(|| Bands::default().bottom) };
                }
                _ => return Err(bad()),
            }
        }
        Ok(s)
    }

    pub fn to_text(&self) -> String {
        let bands: Vec<String> =
            self.bands.bands.iter().map(|(g, min)| format!("{g} {}", super::tenths_text(*min))).collect();
        format!(
            "# 职责看板设置。可用记事本修改，重启 linli 生效。# 后面是说明。\n\
             # Duties board settings: NAME VALUES per line; restart linli after editing.\n\
             社区名称 {}\n\
             值班含周末节假日 {}    # 是：周末和法定节假日也排班；否：只排工作日（按 calendar.txt）\n\
             每年培训天数 {}\n\
             考评权重 街道 {} 居民代表 {} 自评 {}    # 比例即可，不必合计 100\n\
             考评等次 {} {}    # 总分不低于该分数即为该等次，最后一个为其余\n",
            self.community,
            if self.rota_includes_off_days { "是" } else { "否" },
            self.training_days,
            self.weights.street,
            self.weights.residents,
            self.weights.own,
            bands.join(" "),
            self.bands.bottom,
        )
    }
}

/// The post-grade sequence, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grades(pub Vec<String>);

impl Default for Grades {
    /// 三岗十八级: three kinds of post (正职, 副职, 其他) and six grades each.
    fn default() -> Self {
        let posts = ["一岗", "二岗", "三岗"];
        let levels = ["一级", "二级", "三级", "四级", "五级", "六级"];
        Grades(posts.iter().flat_map(|p| levels.iter().map(move |l| format!("{p}{l}"))).collect())
    }
}

impl Grades {
    pub fn parse(text: &str) -> Result<Grades, SettingsLineError> {
        let mut out: Vec<String> = Vec::new();
        for (line, body, raw) in lines(text) {
            let g = crate::domain::text::clean_input(body, false);
            if crate::domain::text::width(&g) > 24 {
                return Err(SettingsLineError { line, text: raw.to_string() });
            }
            if !out.contains(&g) {
                out.push(g);
            }
        }
        Ok(if out.is_empty() { Grades::default() } else { Grades(out) })
    }

    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# 岗位等级序列，每行一个等级，按顺序。可用记事本修改，重启 linli 生效。\n\
             # 默认为“三岗十八级”：一岗为社区正职，二岗为副职，三岗为其他社区工作者。\n\
             # Post-grade sequence, one grade per line, in order.\n",
        );
        for g in &self.0 {
            s.push_str(g);
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_read_the_office_s_edits() {
        let d = DutySettings::default();
        assert_eq!(DutySettings::parse(&d.to_text()).unwrap(), d);
        let s = DutySettings::parse(
            "\u{feff}社区名称 幸福里社区\r\n值班含周末节假日 是\n每年培训天数 10\n考评权重 5 3 2\n\
             考评等次 优秀 92.5 合格 60 不合格 # 本街道的说法\n",
        )
        .unwrap();
        assert_eq!(s.community, "幸福里社区");
        assert!(s.rota_includes_off_days);
        assert_eq!(s.training_days, 10);
        assert_eq!(s.weights, Weights { street: 5, residents: 3, own: 2 });
        assert_eq!(s.bands.grade(925), "优秀");
        assert_eq!(s.bands.grade(700), "合格");
        assert_eq!(s.bands.grade(100), "不合格");
        assert_eq!(DutySettings::parse("").unwrap(), d);
    }

    #[test]
    fn bad_lines_are_reported_by_number() {
        let e = DutySettings::parse("社区名称 幸福\n考评权重 50 30\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(DutySettings::parse("值班含周末节假日 也许\n").unwrap_err().line, 1);
        assert_eq!(DutySettings::parse("未知设置 1\n").unwrap_err().line, 1);
        assert_eq!(DutySettings::parse("考评等次 优秀 60 称职 75\n").unwrap_err().line, 1, "bands must descend");
    }

    #[test]
    fn grades_default_to_three_posts_eighteen_grades() {
        let g = Grades::default();
        assert_eq!(g.0.len(), 18);
        assert_eq!(g.0[0], "一岗一级");
        assert_eq!(g.0[17], "三岗六级");
        assert_eq!(Grades::parse(&g.to_text()).unwrap(), g);
        assert_eq!(Grades::parse("# 只有注释\n").unwrap(), g);
        assert_eq!(Grades::parse("A级\nB级\nA级\n").unwrap().0, vec!["A级", "B级"]);
    }
}
