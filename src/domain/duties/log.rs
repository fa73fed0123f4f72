//! The daily log (民情日志 / 工作日志): dated entries of what a worker did,
//! whom they visited and what they found. Typing these quickly is the daily
//! job, so an entry needs only a kind and what was found; a leader (书记 or
//! 主任) may add a comment (点评), and an entry that needs action becomes a
//! resident's request, pre-filled from the entry.

use super::LogId;
use crate::domain::request::{Channel, NewRequest, Urgency};
use crate::domain::{RequestId, ResidentId, Worker, WorkerId};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LogKind {
    /// 走访: a door-to-door visit; the residents seen count as visited.
    Visit,
    /// 巡查: a patrol of the grid.
    Patrol,
    /// 会议
    Meeting,
    /// 学习
    Study,
    /// 其他
    Other,
}

impl LogKind {
    pub const ALL: [LogKind; 5] = [LogKind::Visit, LogKind::Patrol, LogKind::Meeting, LogKind::Study, LogKind::Other];

    /// The channel a request made from such an entry came in by.
    pub fn channel(self) -> Channel {
        match self {
            LogKind::Visit => Channel::DoorVisit,
            LogKind::Patrol => Channel::Patrol,
            _ => Channel::Visit,
        }
    }
}

/// A leader's comment (点评) on an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub by: WorkerId,
    #[serde(with = "crate::domain::stored_time::datetime")]
    pub at: NaiveDateTime,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: LogId,
    pub worker: WorkerId,
    /// The day it happened (may be before the day it was written down).
    #[serde(with = "crate::domain::stored_time::date")]
    pub date: NaiveDate,
    pub kind: LogKind,
    pub residents: Vec<ResidentId>,
    /// 情况: what was found.
    pub found: String,
    /// 后续: what happens next.
    pub follow_up: String,
    /// The request made from this entry, if any.
    pub request: Option<RequestId>,
    pub comments: Vec<Comment>,
    #[serde(with = "crate::domain::stored_time::datetime")]
    pub logged_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    #[error("only the 书记 or 主任 comments on daily logs")]
    NotLeader,
    #[error("the comment is empty")]
    Empty,
    #[error("this entry has already been turned into request {0}")]
    AlreadyRequest(RequestId),
}

/// How long a request title made from an entry may be, in characters.
const TITLE_CHARS: usize = 30;

impl LogEntry {
    /// Residents seen on a visit: they count for standing visit duties.
    pub fn visits(&self) -> impl Iterator<Item = (ResidentId, NaiveDate)> + '_ {
        let d = self.date;
        self.residents.iter().filter(move |_| self.kind == LogKind::Visit).map(move |r| (*r, d))
    }

    pub fn add_comment(&mut self, by: &Worker, at: NaiveDateTime, text: &str) -> Result<(), LogError> {
        if !by.is_leader() {
            return Err(LogError::NotLeader);
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(LogError::Empty);
        }
        self.comments.push(Comment { by: by.id, at, text: text.to_string() });
        Ok(())
    }

    /// A request pre-filled from this entry: the title is the first phrase
    /// of what was found, the description the whole entry; the category is
    /// left for the worker to choose.
    pub fn draft_request(&self) -> Result<NewRequest, LogError> {
        if let Some(id) = self.request {
            return Err(LogError::AlreadyRequest(id));
        }
        let mut description = self.found.clone();
        if !self.follow_up.is_empty() {
            description.push_str(&format!("\n后续：{}", self.follow_up));
        }
        description.push_str(&format!("\n（民情日志 {} #{}）", self.date, self.id.0));
        Ok(NewRequest {
            channel: self.kind.channel(),
            category: String::new(),
            title: title_from(&self.found),
            description,
            location: String::new(),
            resident: self.residents.first().copied(),
            urgency: Urgency::Normal,
            work_order: String::new(),
            hotline_due: None,
        })
    }

    /// Whether every lower-cased word is in the entry's text or in
    /// `extra` (resident and worker names, already lower-cased).
    pub fn matches(&self, words: &[String], extra: &str) -> bool {
        let hay = format!("{}\u{1f}{}", self.found, self.follow_up).to_lowercase();
        words.iter().all(|w| hay.contains(w.as_str()) || extra.contains(w.as_str()))
    }
}

/// The first phrase of `found` (up to a sentence mark), at most
/// [`TITLE_CHARS`] characters.
pub fn title_from(found: &str) -> String {
    let first = found.split(['。', '；', ';', '\n', '！', '!', '？', '?']).map(str::trim).find(|s| !s.is_empty());
    let first = first.unwrap_or("").trim_end_matches(['，', ',', '、']);
    let mut t: String = first.chars().take(TITLE_CHARS).collect();
    if first.chars().count() > TITLE_CHARS {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> LogEntry {
        LogEntry {
            id: LogId(12),
            worker: WorkerId(3),
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            kind: LogKind::Visit,
            residents: vec![ResidentId(7), ResidentId(8)],
            found: "张大爷反映楼道灯坏了，晚上看不见。其他情况良好".into(),
            follow_up: "联系物业维修".into(),
            request: None,
            comments: vec![],
            logged_at: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(16, 0, 0).unwrap(),
        }
    }

    #[test]
    fn a_visit_counts_its_residents_other_kinds_do_not() {
        let e = entry();
        assert_eq!(e.visits().count(), 2);
        let mut p = entry();
        p.kind = LogKind::Patrol;
        assert_eq!(p.visits().count(), 0);
    }

    #[test]
    fn only_leaders_comment() {
        let mut e = entry();
        let grid = Worker::new(WorkerId(3), "李娜", "网格员");
        let shuji = Worker::new(WorkerId(1), "王建国", "书记");
        let at = e.logged_at;
        assert_eq!(e.add_comment(&grid, at, "好"), Err(LogError::NotLeader));
        assert_eq!(e.add_comment(&shuji, at, "  "), Err(LogError::Empty));
        e.add_comment(&shuji, at, "及时跟进，做得好").unwrap();
        assert_eq!(e.comments[0].by, WorkerId(1));
    }

    #[test]
    fn a_request_draft_carries_the_entry() {
        let e = entry();
        let r = e.draft_request().unwrap();
        assert_eq!(r.title, "张大爷反映楼道灯坏了，晚上看不见");
        assert_eq!(r.channel, Channel::DoorVisit);
        assert_eq!(r.resident, Some(ResidentId(7)));
        assert!(r.description.contains("后续：联系物业维修") && r.description.contains("#12"));
        let mut done = e.clone();
        done.request = Some(RequestId::new(2026, 5));
        assert!(done.draft_request().is_err());
        assert_eq!(title_from(&"很".repeat(40)).chars().count(), 31);
        assert_eq!(title_from(""), "");
    }

    #[test]
    fn search_looks_at_text_and_names() {
        let e = entry();
        assert!(e.matches(&["楼道".into()], ""));
        assert!(e.matches(&["物业".into(), "张三".into()], "张三"));
        assert!(!e.matches(&["漏水".into()], "张三"));
    }
}
