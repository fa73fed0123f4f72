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

use super::evaluation::{Bands, DimWeights, Weights};
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
    /// 德、能、勤、绩、廉's weights.
    pub dim_weights: DimWeights,
}

impl Default for DutySettings {
    fn default() -> Self {
        DutySettings {
            community: "本社区".into(),
            rota_includes_off_days: false,
            training_days: 7,
            weights: Weights::default(),
            bands: Bands::default(),
            dim_weights: DimWeights::default(),
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
                "考评五项权重" | "dimension_weights" => {
                    // 考评五项权重 德 20 能 20 勤 20 绩 30 廉 10 (names optional)
                    let nums: Vec<u32> = rest.iter().filter_map(|w| w.parse().ok()).collect();
                    let Ok(w) = <[u32; 5]>::try_from(nums) else { return Err(bad()) };
                    if w.iter().all(|x| *x == 0) || w.iter().any(|x| *x > 1000) {
                        return Err(bad());
                    }
                    s.dim_weights = DimWeights(w);
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
             考评五项权重 德 {} 能 {} 勤 {} 绩 {} 廉 {}    # 德能勤绩廉各项的比重\n\
             考评等次 {} {}    # 总分不低于该分数即为该等次，最后一个为其余\n",
            self.community,
            if self.rota_includes_off_days { "是" } else { "否" },
            self.training_days,
            self.weights.street,
            self.weights.residents,
            self.weights.own,
            self.dim_weights.0[0],
            self.dim_weights.0[1],
            self.dim_weights.0[2],
            self.dim_weights.0[3],
            self.dim_weights.0[4],
            bands.join(" "),
            self.bands.bottom,
        )
    }
}

/// The post-grade sequence (岗位等级序列), in order, and which part of it
/// each kind of post may hold.
///
/// 三岗十八级 is one numbered ladder of eighteen grades; each of the three
/// kinds of post (社区正职, 副职, 其他社区工作者) spans an overlapping band of
/// it, roughly 正职 7–18, 副职 4–15, 其他 1–12. Cities differ, so it lives in
/// `grades.txt`: one grade a line, then `岗位 名称 起-止 [岗位…]` lines giving
/// each band (positions in the list, counted from 1) and the posts in it; a
/// band without posts takes every post no other band names. A file without
/// band lines (what linli wrote before) keeps its labels and checks nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grades {
    pub list: Vec<String>,
    pub bands: Vec<GradeBand>,
}

/// Which grades a kind of post may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeBand {
    /// 正职, 副职, 其他
    pub name: String,
    /// First and last grade, as positions in the list counted from 1.
    pub from: usize,
    pub to: usize,
    /// The posts in this band (`书记 主任`); empty: every other post.
    pub posts: Vec<String>,
}

impl Default for Grades {
    /// 三岗十八级 as it is: grades 1–18, 正职 7–18 (书记, 主任), 副职 4–15
    /// (副书记, 副主任), 其他 1–12 (everyone else).
    fn default() -> Self {
        let band = |name: &str, from, to, posts: &[&str]| GradeBand {
            name: name.into(),
            from,
            to,
            posts: posts.iter().map(|p| p.to_string()).collect(),
        };
        Grades {
            list: (1..=18).map(|n| format!("{n}级")).collect(),
            bands: vec![
                band("正职", 7, 18, &["书记", "主任"]),
                band("副职", 4, 15, &["副书记", "副主任"]),
                band("其他", 1, 12, &[]),
            ],
        }
    }
}

/// Words that start a band line.
const BAND_WORDS: [&str; 2] = ["岗位", "band"];

/// `7-18`, `7–18`, `7~18`, `7～18`, `7至18`
fn parse_range(s: &str) -> Option<(usize, usize)> {
    let (a, b) = s.split_once(['-', '–', '~', '～', '至'])?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

impl Grades {
    /// What linli wrote as `grades.txt` before it knew the bands: three
    /// ladders of six (一岗一级 … 三岗六级).
    pub fn before_bands() -> Grades {
        let posts = ["一岗", "二岗", "三岗"];
        let levels = ["一级", "二级", "三级", "四级", "五级", "六级"];
        Grades {
            list: posts.iter().flat_map(|p| levels.iter().map(move |l| format!("{p}{l}"))).collect(),
            bands: Vec::new(),
        }
    }

    pub fn parse(text: &str) -> Result<Grades, SettingsLineError> {
        let mut list: Vec<String> = Vec::new();
        let mut bands: Vec<(usize, GradeBand)> = Vec::new();
        for (line, body, raw) in lines(text) {
            let bad = || SettingsLineError { line, text: raw.to_string() };
            let mut words = body.split_whitespace();
            if words.next().is_some_and(|w| BAND_WORDS.contains(&w)) {
                let name = words.next().ok_or_else(bad)?;
                let (from, to) =
                    words.next().and_then(parse_range).filter(|(a, b)| *a >= 1 && a <= b).ok_or_else(bad)?;
                let posts = words.map(str::to_string).collect();
                bands.push((line, GradeBand { name: name.to_string(), from, to, posts }));
                continue;
            }
            let g = crate::domain::text::clean_input(body, false);
            if crate::domain::text::width(&g) > 24 {
                return Err(bad());
            }
            if !list.contains(&g) {
                list.push(g);
            }
        }
        if list.is_empty() {
            return Ok(Grades::default());
        }
        // a band must stay inside the list
        if let Some((line, _)) = bands.iter().find(|(_, b)| b.to > list.len()) {
            let raw = text.trim_start_matches('\u{feff}').lines().nth(line - 1).unwrap_or("").trim();
            return Err(SettingsLineError { line: *line, text: raw.to_string() });
        }
        Ok(Grades { list, bands: bands.into_iter().map(|(_, b)| b).collect() })
    }

    /// The band a post falls in: the one naming it, else the one naming no
    /// post; `None` without bands.
    pub fn band_of(&self, post: &str) -> Option<&GradeBand> {
        self.bands
            .iter()
            .find(|b| b.posts.iter().any(|p| p == post))
            .or_else(|| self.bands.iter().find(|b| b.posts.is_empty()))
    }

    /// Whether a worker in `post` may hold `grade`: always, without bands or
    /// for a grade not in the list (an old label is kept as it is).
    pub fn allows(&self, post: &str, grade: &str) -> bool {
        let Some(pos) = self.list.iter().position(|g| g == grade) else { return true };
        self.band_of(post).is_none_or(|b| (b.from..=b.to).contains(&(pos + 1)))
    }

    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# 岗位等级序列，每行一个等级，按从低到高的顺序。可用记事本修改，重启 linli 生效。\n\
             # 默认为“三岗十八级”：1–18 级一个序列，三类岗位各占其中一段（可以重叠）：\n\
             #   社区正职 7–18 级，副职 4–15 级，其他社区工作者 1–12 级。各地不同，照本地文件改。\n\
             # “岗位 名称 起-止 岗位…”一行给出一类岗位可任的等级（起止是上面等级的序号，从 1 数起），\n\
             # 后面列出属于这一类的岗位；不列岗位的一行适用于其余所有岗位。\n\
             # Post-grade sequence, one grade per line, lowest first; then one line per\n\
             # band: 岗位 NAME FROM-TO [POSTS…] (positions in the list, from 1).\n",
        );
        for g in &self.list {
            s.push_str(g);
            s.push('\n');
        }
        for b in &self.bands {
            s.push_str(&format!("岗位 {} {}-{}", b.name, b.from, b.to));
            for p in &b.posts {
                s.push(' ');
                s.push_str(p);
            }
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
        assert_eq!(s.dim_weights, DimWeights::default(), "an older file without the line keeps the default");
        let five = DutySettings::parse("考评五项权重 德 15 能 15 勤 15 绩 40 廉 15\n").unwrap();
        assert_eq!(five.dim_weights, DimWeights([15, 15, 15, 40, 15]));
        assert_eq!(DutySettings::parse("考评五项权重 20 20 20 30\n").unwrap_err().line, 1, "five numbers");
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
    fn grades_default_to_one_ladder_of_eighteen_with_overlapping_bands() {
        let g = Grades::default();
        assert_eq!(g.list.len(), 18);
        assert_eq!((g.list[0].as_str(), g.list[17].as_str()), ("1级", "18级"));
        let span = |post: &str| g.band_of(post).map(|b| (b.name.as_str(), b.from, b.to));
        assert_eq!(span("书记"), Some(("正职", 7, 18)));
        assert_eq!(span("主任"), Some(("正职", 7, 18)));
        assert_eq!(span("副主任"), Some(("副职", 4, 15)));
        assert_eq!(span("网格员"), Some(("其他", 1, 12)));
        assert_eq!(span("委员"), Some(("其他", 1, 12)));
        assert!(g.allows("书记", "7级") && g.allows("书记", "18级") && !g.allows("书记", "6级"));
        assert!(g.allows("网格员", "12级") && !g.allows("网格员", "13级"));
        assert!(g.allows("副主任", "4级") && !g.allows("副主任", "16级"));
        assert!(g.allows("网格员", "二岗三级"), "an old label is kept as it is");
        assert_eq!(Grades::parse(&g.to_text()).unwrap(), g, "the file round-trips");
        assert_eq!(Grades::parse("# 只有注释\n").unwrap(), g);
    }

    #[test]
    fn an_old_grades_file_keeps_its_labels_and_checks_nothing() {
        let old = Grades::before_bands();
        assert_eq!(old.list.len(), 18);
        assert_eq!((old.list[0].as_str(), old.list[17].as_str()), ("一岗一级", "三岗六级"));
        // what an older linli wrote: its comment lines, then the grades
        let text =
            "# 岗位等级序列，每行一个等级，按顺序。\n# 默认为“三岗十八级”。\n".to_string() + &old.list.join("\n");
        let g = Grades::parse(&text).unwrap();
        assert_eq!(g, old);
        assert!(g.bands.is_empty() && g.allows("书记", "三岗六级"));
        assert_eq!(Grades::parse("A级\nB级\nA级\n").unwrap().list, vec!["A级", "B级"]);
    }

    #[test]
    fn an_office_edits_its_bands() {
        let g = Grades::parse("1级\n2级\n3级\n4级\n岗位 正职 3～4 书记\nband other 1-3\n").unwrap();
        assert!(g.allows("书记", "3级") && !g.allows("书记", "2级"));
        assert!(g.allows("网格员", "1级") && !g.allows("网格员", "4级"));
        assert_eq!(Grades::parse("1级\n岗位 正职 2-1\n").unwrap_err().line, 2, "a range that runs backwards");
        assert_eq!(Grades::parse("1级\n2级\n岗位 正职 1-5\n").unwrap_err().line, 3, "beyond the list");
        assert_eq!(Grades::parse("岗位 正职\n").unwrap_err().line, 1);
    }
}
