//! Star levels (星级志愿者) and the roster's office-editable settings
//! (`roster.txt`).

use super::*;

// ---------------------------------------------------------------------------
// Star levels and settings

/// Star-level thresholds (星级志愿者) in hours: one star from the first,
/// five from the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarLevels(pub Vec<u32>);

pub const DEFAULT_STARS: [u32; 5] = [100, 300, 600, 1000, 1500];

impl Default for StarLevels {
    fn default() -> Self {
        StarLevels(DEFAULT_STARS.to_vec())
    }
}

/// Where a volunteer stands: their level and how far to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StarProgress {
    pub level: u8,
    /// The next level's threshold in hours; `None` at the top.
    pub next_hours: Option<u32>,
    /// Minutes still needed for the next level.
    pub to_go: u64,
    /// Progress from this level's threshold to the next, in per mille.
    pub permille: u32,
}

impl StarLevels {
    pub fn level(&self, minutes: u64) -> u8 {
        self.0.iter().take_while(|h| minutes >= u64::from(**h) * 60).count() as u8
    }

    pub fn progress(&self, minutes: u64) -> StarProgress {
        let level = self.level(minutes);
        let from = if level == 0 { 0 } else { u64::from(self.0[level as usize - 1]) * 60 };
        match self.0.get(level as usize) {
            Some(&next) => {
                let to = u64::from(next) * 60;
                let permille = ((minutes - from) * 1000 / (to - from).max(1)) as u32;
                StarProgress { level, next_hours: Some(next), to_go: to - minutes, permille }
            }
            None => StarProgress { level, next_hours: None, to_go: 0, permille: 1000 },
        }
    }
}

/// The roster's office-editable settings, kept in `roster.txt` in the data
/// dir: star thresholds, the service types offered, and who issues
/// certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterSettings {
    pub stars: StarLevels,
    pub service_types: Vec<String>,
    /// 出具单位, printed on certificates.
    pub issuer: String,
}

pub const DEFAULT_ISSUER: &str = "社区居民委员会";

impl Default for RosterSettings {
    fn default() -> Self {
        RosterSettings {
            stars: StarLevels::default(),
            service_types: SERVICE_TYPES.iter().map(|s| s.to_string()).collect(),
            issuer: DEFAULT_ISSUER.to_string(),
        }
    }
}

/// A line of `roster.txt` that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsLineError {
    pub line: usize,
    pub text: String,
}

impl RosterSettings {
    /// Reads `星级 100 300 600 1000 1500`, `服务类别 助老 助残 …` and
    /// `出具单位 幸福社区居民委员会` lines (English keys `stars`, `types`,
    /// `issuer` too); `#` starts a comment. What is missing keeps its
    /// default. Thresholds must rise, one to five of them.
    pub fn parse(text: &str) -> Result<RosterSettings, SettingsLineError> {
        let mut out = RosterSettings::default();
        for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = raw.split(['#', '＃']).next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = || SettingsLineError { line: i + 1, text: raw.trim().to_string() };
            let (key, rest) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
            let rest = rest.trim();
            match key {
                "星级" | "stars" => {
                    let v: Vec<u32> =
                        rest.split_whitespace().map(|x| x.parse().ok()).collect::<Option<_>>().ok_or_else(bad)?;
                    if v.is_empty() || v.len() > 5 || v[0] == 0 || v.windows(2).any(|w| w[0] >= w[1]) {
                        return Err(bad());
                    }
                    out.stars = StarLevels(v);
                }
                "服务类别" | "types" => {
                    let v = split_list(rest);
                    if v.is_empty() {
                        return Err(bad());
                    }
                    out.service_types = v;
                }
                "出具单位" | "issuer" => {
                    let v = crate::domain::text::clean_input(rest, false);
                    if v.is_empty() {
                        return Err(bad());
                    }
                    out.issuer = v;
                }
                _ => return Err(bad()),
            }
        }
        Ok(out)
    }

    pub fn to_text(&self) -> String {
        let stars: Vec<String> = self.stars.0.iter().map(u32::to_string).collect();
        format!(
            "# 志愿服务设置。可用记事本修改，重启 linli 生效。\n\
             # Volunteer roster settings: edit in any text editor, restart linli.\n\
             #\n\
             # 星级志愿者门槛（累计服务小时数，一星到五星，依次增大）\n\
             星级 {}\n\
             # 服务类别（用空格或顿号分隔）\n\
             服务类别 {}\n\
             # 志愿服务记录证明上的出具单位\n\
             出具单位 {}\n",
            stars.join(" "),
            self.service_types.join(" "),
            self.issuer
        )
    }
}
