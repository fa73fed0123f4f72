//! One-off tasks (临时任务): something a worker must do by a date, e.g.
//! "报送11月低保动态管理台账", usually handed down by a leader.

use super::TaskId;
use crate::domain::WorkerId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaskStatus {
    Open,
    Done,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub worker: WorkerId,
    pub title: String,
    pub detail: String,
    #[serde(with = "crate::domain::stored_time::date")]
    pub due: NaiveDate,
    pub status: TaskStatus,
    /// When it was done (or cancelled).
    #[serde(with = "crate::domain::stored_time::opt_date")]
    pub closed_on: Option<NaiveDate>,
    pub assigned_by: WorkerId,
    #[serde(with = "crate::domain::stored_time::date")]
    pub created: NaiveDate,
}

impl Task {
    pub fn is_open(&self) -> bool {
        self.status == TaskStatus::Open
    }

    /// Marks the task done on `day`; a task that is not open stays as it is.
    pub fn finish(&mut self, day: NaiveDate) -> bool {
        if !self.is_open() {
            return false;
        }
        self.status = TaskStatus::Done;
        self.closed_on = Some(day);
        true
    }

    /// Done on or before its due date.
    pub fn on_time(&self) -> Option<bool> {
        match (self.status, self.closed_on) {
            (TaskStatus::Done, Some(d)) => Some(d <= self.due),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_finished_once() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let mut t = Task {
            id: TaskId(1),
            worker: WorkerId(1),
            title: "报送低保台账".into(),
            detail: String::new(),
            due: d(20),
            status: TaskStatus::Open,
            closed_on: None,
            assigned_by: WorkerId(2),
            created: d(10),
        };
        assert_eq!(t.on_time(), None);
        assert!(t.finish(d(24)));
        assert!(!t.finish(d(25)));
        assert_eq!(t.closed_on, Some(d(24)));
        assert_eq!(t.on_time(), Some(false));
    }
}
