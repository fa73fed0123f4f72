//! One worker's board (我的看板): today's duty shift, leave, standing duties
//! with who has not been visited yet, and everything that is due (one-off
//! tasks and the requests assigned to them), overdue first.
//!
//! The store gathers the records and the app adds the requests from its
//! in-memory index; [`Board::new`] puts them in the order the office reads
//! them. Nothing here reads the clock.

use super::leave::{Leave, LeaveStatus};
use super::standing::{Duty, VisitStatus};
use super::task::Task;
use super::training::Progress;
use super::{TaskId, rota::RotaSlot};
use crate::domain::request::{Deadline, Status, deadline};
use crate::domain::{RequestId, ResidentId, WorkCalendar, Worker};
use chrono::NaiveDate;

/// Something with a due date on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TodoRef {
    Request(RequestId),
    Task(TaskId),
    /// Leave a leader is to decide on, due when it would start.
    Leave(super::LeaveId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    pub what: TodoRef,
    pub title: String,
    pub due: NaiveDate,
    pub deadline: Deadline,
}

impl Todo {
    pub fn request(
        id: RequestId,
        title: &str,
        status: Status,
        due: NaiveDate,
        today: NaiveDate,
        cal: &WorkCalendar,
    ) -> Todo {
        Todo { what: TodoRef::Request(id), title: title.to_string(), due, deadline: deadline(status, due, today, cal) }
    }

    /// Leave waiting for `title`'s reader to decide; due the day before it
    /// starts (the day it starts, it is late).
    pub fn leave(l: &Leave, title: String, today: NaiveDate, cal: &WorkCalendar) -> Todo {
        let due = l.from.pred_opt().unwrap_or(l.from);
        Todo { what: TodoRef::Leave(l.id), title, due, deadline: deadline(Status::InProgress, due, today, cal) }
    }

    pub fn task(t: &Task, today: NaiveDate, cal: &WorkCalendar) -> Todo {
        let status = if t.is_open() { Status::InProgress } else { Status::Closed };
        Todo {
            what: TodoRef::Task(t.id),
            title: t.title.clone(),
            due: t.due,
            deadline: deadline(status, t.due, today, cal),
        }
    }
}

/// Overdue first (most overdue first), then due today or next, then by due
/// date; ties by kind and id so the order is stable.
pub fn order(todos: &mut [Todo]) {
    let rank = |d: Deadline| match d {
        Deadline::Overdue(n) => (0, -n),
        Deadline::DueSoon(n) => (1, n),
        Deadline::Ok(n) => (2, n),
        Deadline::Done => (3, 0),
    };
    let what = |w: TodoRef| match w {
        TodoRef::Request(id) => (0, id.0),
        TodoRef::Task(id) => (1, id.0),
        TodoRef::Leave(id) => (2, id.0),
    };
    todos.sort_by_key(|t| (rank(t.deadline), t.due, what(t.what)));
}

/// A standing duty and how it stands this period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyLine {
    pub duty: Duty,
    /// For duties that cover residents: their names with the status.
    pub visits: Option<(VisitStatus, Vec<(ResidentId, String)>)>,
}

impl DutyLine {
    /// Covered residents not yet visited this period, with their names.
    pub fn not_visited(&self) -> Vec<(ResidentId, &str)> {
        let Some((status, names)) = &self.visits else { return Vec::new() };
        status
            .not_visited()
            .map(|id| (id, names.iter().find(|(r, _)| *r == id).map_or("", |(_, n)| n.as_str())))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub worker: Worker,
    pub today: NaiveDate,
    pub on_duty_today: bool,
    /// The next shift after today.
    pub next_shift: Option<NaiveDate>,
    /// Shifts from today on that fall in approved leave: someone must swap.
    pub clashes: Vec<NaiveDate>,
    /// Leave that keeps them away today.
    pub away: Option<Leave>,
    /// Leave asked for and not yet decided, or approved and still ahead.
    pub coming_leave: Vec<Leave>,
    pub duties: Vec<DutyLine>,
    pub todos: Vec<Todo>,
    pub training: Progress,
    pub log_this_month: usize,
    /// Whether the requests came from the full index (false while it loads).
    pub requests_complete: bool,
}

/// What [`Board::new`] is made from.
pub struct BoardParts {
    pub worker: Worker,
    pub today: NaiveDate,
    /// This worker's slots (any span around today).
    pub slots: Vec<RotaSlot>,
    pub leaves: Vec<Leave>,
    pub duties: Vec<DutyLine>,
    pub tasks: Vec<Task>,
    pub requests: Vec<Todo>,
    pub training: Progress,
    pub log_this_month: usize,
    pub requests_complete: bool,
}

impl Board {
    pub fn new(p: BoardParts, cal: &WorkCalendar) -> Board {
        let today = p.today;
        let mine = |s: &&RotaSlot| s.worker == Some(p.worker.id);
        let on_duty_today = p.slots.iter().filter(mine).any(|s| s.date == today);
        let next_shift = p.slots.iter().filter(mine).map(|s| s.date).filter(|d| *d > today).min();
        let away = p.leaves.iter().find(|l| l.keeps_away(today)).cloned();
        let mut clashes: Vec<NaiveDate> = p
            .slots
            .iter()
            .filter(mine)
            .map(|s| s.date)
            .filter(|d| *d >= today && p.leaves.iter().any(|l| l.keeps_away(*d)))
            .collect();
        clashes.sort();
        let mut coming_leave: Vec<Leave> = p
            .leaves
            .iter()
            .filter(|l| {
                (l.status == LeaveStatus::Requested && l.to >= today)
                    || (l.status == LeaveStatus::Approved && l.from > today)
            })
            .cloned()
            .collect();
        coming_leave.sort_by_key(|l| l.from);
        let mut todos: Vec<Todo> =
            p.tasks.iter().filter(|t| t.is_open()).map(|t| Todo::task(t, today, cal)).chain(p.requests).collect();
        order(&mut todos);
        Board {
            worker: p.worker,
            today,
            on_duty_today,
            next_shift,
            clashes,
            away,
            coming_leave,
            duties: p.duties.into_iter().filter(|d| d.duty.active).collect(),
            todos,
            training: p.training,
            log_this_month: p.log_this_month,
            requests_complete: p.requests_complete,
        }
    }

    pub fn overdue(&self) -> usize {
        self.todos.iter().filter(|t| matches!(t.deadline, Deadline::Overdue(_))).count()
    }
}

#[cfg(test)]
mod tests {
    use super::super::leave::LeaveKind;
    use super::super::standing::{Period, visit_status};
    use super::super::task::TaskStatus;
    use super::super::{DutyId, LeaveId, training};
    use super::*;
    use crate::domain::WorkerId;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn task(id: u64, due: NaiveDate, status: TaskStatus) -> Task {
        Task {
            id: TaskId(id),
            worker: WorkerId(1),
            title: format!("任务{id}"),
            detail: String::new(),
            due,
            status,
            closed_on: None,
            assigned_by: WorkerId(2),
            created: d(11, 1),
        }
    }

    #[test]
    fn overdue_items_come_first_then_by_due_date() {
        let cal = WorkCalendar::builtin();
        let today = d(11, 24);
        let req = |seq, due| Todo::request(RequestId::new(2026, seq), "诉求", Status::Assigned, due, today, &cal);
        let mut v = vec![
            req(1, d(12, 10)),
            Todo::task(&task(1, d(11, 25), TaskStatus::Open), today, &cal),
            req(2, d(11, 20)),
            req(3, d(11, 10)),
            Todo::task(&task(2, d(11, 24), TaskStatus::Open), today, &cal),
        ];
        order(&mut v);
        let got: Vec<TodoRef> = v.iter().map(|t| t.what).collect();
        assert_eq!(
            got,
            vec![
                TodoRef::Request(RequestId::new(2026, 3)),
                TodoRef::Request(RequestId::new(2026, 2)),
                TodoRef::Task(TaskId(2)),
                TodoRef::Task(TaskId(1)),
                TodoRef::Request(RequestId::new(2026, 1)),
            ]
        );
    }

    #[test]
    fn the_board_reads_shift_leave_duties_and_todos() {
        let cal = WorkCalendar::builtin();
        let today = d(11, 24);
        let w = Worker::new(WorkerId(1), "李娜", "网格员");
        let mut away = Leave::new(
            LeaveId(1),
            w.id,
            LeaveKind::Sick,
            d(11, 24),
            d(11, 25),
            "",
            d(11, 23).and_hms_opt(8, 0, 0).unwrap(),
        );
        away.status = LeaveStatus::Approved;
        let pending = Leave::new(
            LeaveId(2),
            w.id,
            LeaveKind::Annual,
            d(12, 7),
            d(12, 11),
            "",
            d(11, 20).and_hms_opt(8, 0, 0).unwrap(),
        );
        let duty = Duty {
            id: DutyId(1),
            worker: w.id,
            title: "每周走访第3网格独居老人".into(),
            period: Period::Weekly,
            tag: "独居老人".into(),
            grid: "第3网格".into(),
            active: true,
            since: d(1, 1),
        };
        let covered = [ResidentId(1), ResidentId(2)];
        let status = visit_status(Period::Weekly, today, &covered, [(ResidentId(2), d(11, 23))]);
        let names = vec![(ResidentId(1), "张三".to_string()), (ResidentId(2), "李四".to_string())];
        let mut retired = duty.clone();
        retired.active = false;
        let b = Board::new(
            BoardParts {
                worker: w,
                today,
                slots: vec![
                    RotaSlot::new(d(11, 24), Some(WorkerId(1))),
                    RotaSlot::new(d(12, 2), Some(WorkerId(1))),
                    RotaSlot::new(d(11, 30), Some(WorkerId(2))),
                ],
                leaves: vec![away, pending],
                duties: vec![
                    DutyLine { duty, visits: Some((status, names)) },
                    DutyLine { duty: retired, visits: None },
                ],
                tasks: vec![task(1, d(11, 20), TaskStatus::Open), task(2, d(11, 1), TaskStatus::Done)],
                requests: vec![],
                training: training::progress(&[], 2026, today, 7, d(1, 1)),
                log_this_month: 3,
                requests_complete: true,
            },
            &cal,
        );
        assert!(b.on_duty_today);
        assert_eq!(b.next_shift, Some(d(12, 2)));
        assert_eq!(b.clashes, vec![d(11, 24)], "on duty today while on sick leave");
        assert_eq!(b.away.as_ref().map(|l| l.id), Some(LeaveId(1)));
        assert_eq!(b.coming_leave.iter().map(|l| l.id).collect::<Vec<_>>(), vec![LeaveId(2)]);
        assert_eq!(b.duties.len(), 1, "inactive duties are not shown");
        assert_eq!(b.duties[0].not_visited(), vec![(ResidentId(1), "张三")]);
        assert_eq!(b.todos.len(), 1, "done tasks are not shown");
        assert_eq!(b.overdue(), 1);
    }
}
