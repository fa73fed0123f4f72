//! Community workers (社区工作者): who is at the keyboard, to whom requests
//! are assigned, and what the duties board and the public notice of the
//! division of labour (分工公示) say about them.
//!
//! The store encodes records positionally (postcard), so fields are only
//! ever appended; the fields after `active` came with schema version 2 (see
//! `store::migrate`).

use super::ids::WorkerId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Posts a worker can hold; the first few are the ones that approve leave.
pub const POSTS: &[&str] = &["书记", "主任", "副主任", "委员", "专干", "网格员", "其他"];

/// Areas of responsibility (分工) offered by default; the office may type
/// others.
pub const AREAS: &[&str] = &[
    "党建",
    "社保",
    "民政",
    "综治",
    "计生",
    "残联",
    "老龄",
    "退役军人",
    "安全生产",
    "环境卫生",
    "统计",
    "文体",
    "妇联",
    "共青团",
    "信访",
    "城管",
];

/// Where a worker stands in the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkerStatus {
    /// 在岗
    InPost,
    /// 试用期
    Probation,
    /// 借调 (working elsewhere for a while)
    Seconded,
    /// 病休 (long sick leave)
    OffSick,
    /// 离职
    Left,
}

impl WorkerStatus {
    pub const ALL: [WorkerStatus; 5] = [
        WorkerStatus::InPost,
        WorkerStatus::Probation,
        WorkerStatus::Seconded,
        WorkerStatus::OffSick,
        WorkerStatus::Left,
    ];

    /// Still one of the office's workers: can be at the keyboard and be
    /// assigned requests.
    pub fn is_active(self) -> bool {
        self != WorkerStatus::Left
    }

    /// Present in the office, so they take turns on the duty rota.
    pub fn takes_rota(self) -> bool {
        matches!(self, WorkerStatus::InPost | WorkerStatus::Probation)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub id: WorkerId,
    pub name: String,
    pub post: String,
    /// The office phone shown on the notice board (a grid worker's mobile).
    pub phone: String,
    pub grid: String,
    /// Kept equal to `status.is_active()`; older code reads this flag.
    pub active: bool,
    // ---- schema 2 ----
    /// Grade in the post-grade sequence (岗位等级序列, e.g. 三岗十八级),
    /// one of the lines of `grades.txt`; empty if not graded.
    pub grade: String,
    /// Areas of responsibility (分工): 社保, 民政, 综治 …
    pub areas: Vec<String>,
    /// The day they started in the community.
    #[serde(with = "crate::domain::stored_time::opt_date")]
    pub start: Option<NaiveDate>,
    pub status: WorkerStatus,
}

impl Worker {
    pub fn new(id: WorkerId, name: &str, post: &str) -> Self {
        Worker {
            id,
            name: name.to_string(),
            post: post.to_string(),
            phone: String::new(),
            grid: String::new(),
            active: true,
            grade: String::new(),
            areas: Vec::new(),
            start: None,
            status: WorkerStatus::InPost,
        }
    }

    /// Sets the status and keeps `active` in step with it.
    pub fn set_status(&mut self, s: WorkerStatus) {
        self.status = s;
        self.active = s.is_active();
    }

    /// 书记 and 主任 approve leave and comment on daily logs (点评).
    pub fn is_leader(&self) -> bool {
        matches!(self.post.as_str(), "书记" | "主任")
    }

    /// Years of service on `today` (whole years), if the start is known.
    pub fn years_of_service(&self, today: NaiveDate) -> Option<u32> {
        let start = self.start?;
        today.years_since(start)
    }
}

/// Splits what was typed in an areas field (`民政、残联 社保`) into areas.
pub fn parse_areas(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in s.split(['、', ',', '，', ' ', ';', '；', '/', '\u{3000}']).map(str::trim).filter(|a| !a.is_empty()) {
        if !out.iter().any(|x| x == a) {
            out.push(a.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keeps_active_in_step() {
        let mut w = Worker::new(WorkerId(1), "李娜", "网格员");
        assert!(w.active && w.status.takes_rota());
        w.set_status(WorkerStatus::OffSick);
        assert!(w.active && !w.status.takes_rota());
        w.set_status(WorkerStatus::Left);
        assert!(!w.active);
    }

    #[test]
    fn areas_split_on_chinese_and_ascii_separators() {
        assert_eq!(parse_areas("民政、残联，社保 民政"), vec!["民政", "残联", "社保"]);
        assert!(parse_areas(" 、 ").is_empty());
    }

    #[test]
    fn leaders_and_service_years() {
        let mut w = Worker::new(WorkerId(1), "王建国", "主任");
        assert!(w.is_leader());
        w.post = "副主任".into();
        assert!(!w.is_leader());
        w.start = NaiveDate::from_ymd_opt(2019, 3, 1);
        assert_eq!(w.years_of_service(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()), Some(6));
        assert_eq!(w.years_of_service(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()), Some(7));
    }
}
