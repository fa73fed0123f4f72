//! Domain enums in words: a request's status, steps, channel, urgency,
//! satisfaction and deadline, and the audit trail's actions.

use super::{Lang, fill};
use crate::domain::RequestId;
use crate::domain::request::{Card, Channel, Deadline, MoveKind, Note, NoteKind, Satisfaction, Status, Urgency};

pub fn status(lang: Lang, s: Status) -> &'static str {
    use Status::*;
    match (lang, s) {
        (Lang::Zh, Logged) => "已登记",
        (Lang::Zh, Assigned) => "已分派",
        (Lang::Zh, InProgress) => "办理中",
        (Lang::Zh, Resolved) => "已办结",
        (Lang::Zh, CalledBack) => "已回访",
        (Lang::Zh, Closed) => "已归档",
        (Lang::Zh, Escalated) => "已上报",
        (Lang::Zh, Transferred) => "已转办",
        (Lang::Zh, Withdrawn) => "已撤回",
        (Lang::Zh, Merged) => "已并单",
        (Lang::En, Logged) => "Logged",
        (Lang::En, Assigned) => "Assigned",
        (Lang::En, InProgress) => "Working",
        (Lang::En, Resolved) => "Resolved",
        (Lang::En, CalledBack) => "Called",
        (Lang::En, Closed) => "Closed",
        (Lang::En, Escalated) => "Escalated",
        (Lang::En, Transferred) => "Transfer",
        (Lang::En, Withdrawn) => "Withdrawn",
        (Lang::En, Merged) => "Merged",
    }
}

pub fn move_kind(lang: Lang, m: MoveKind) -> &'static str {
    use MoveKind::*;
    match (lang, m) {
        (Lang::Zh, Assign) => "分派",
        (Lang::Zh, Start) => "开始办理",
        (Lang::Zh, Resolve) => "办结",
        (Lang::Zh, CallBack) => "回访",
        (Lang::Zh, Close) => "归档",
        (Lang::Zh, Reopen) => "重新办理",
        (Lang::Zh, Escalate) => "上报街道",
        (Lang::Zh, Transfer) => "转办",
        (Lang::Zh, Withdraw) => "撤回",
        (Lang::Zh, Return) => "退单",
        (Lang::Zh, Merge) => "并单",
        (Lang::Zh, AskExtension) => "申请延期",
        (Lang::Zh, ApproveExtension) => "批准延期",
        (Lang::Zh, RefuseExtension) => "不批准延期",
        (Lang::Zh, YellowCard) => "督办（黄牌）",
        (Lang::Zh, RedCard) => "督办（红牌）",
        (Lang::En, Assign) => "Assign",
        (Lang::En, Start) => "Start work",
        (Lang::En, Resolve) => "Resolve",
        (Lang::En, CallBack) => "Call back",
        (Lang::En, Close) => "Close",
        (Lang::En, Reopen) => "Reopen",
        (Lang::En, Escalate) => "Escalate to street office",
        (Lang::En, Transfer) => "Transfer",
        (Lang::En, Withdraw) => "Withdraw",
        (Lang::En, Return) => "Return (wrong dispatch)",
        (Lang::En, Merge) => "Merge as a repeat",
        (Lang::En, AskExtension) => "Ask for an extension",
        (Lang::En, ApproveExtension) => "Approve the extension",
        (Lang::En, RefuseExtension) => "Refuse the extension",
        (Lang::En, YellowCard) => "Press (yellow card)",
        (Lang::En, RedCard) => "Press (red card)",
    }
}

/// A 督办 card in words.
pub fn card(lang: Lang, c: Card) -> &'static str {
    let p = lang.practice();
    match c {
        Card::Yellow => p.card_yellow,
        Card::Red => p.card_red,
    }
}

/// A timeline entry's step in words, with what it names: `分派`,
/// `申请延期 至 2026-12-10`, `并单 → 2026-000003`, `并入重复诉求
/// 2026-000009`, `办理时限因工作日历更新由 … 改为 …`. Who it was assigned
/// to and the satisfaction are the caller's to add. `merged_into` is the
/// request's own (a 并单 step names it).
pub fn note_step(lang: Lang, n: &Note, merged_into: Option<RequestId>) -> String {
    let t = lang.t();
    let p = lang.practice();
    let on = |s: String| match n.on {
        Some(d) => format!("{s} {}", fill(p.tl_on, d)),
        None => s,
    };
    match &n.kind {
        NoteKind::Created => t.tl_created.to_string(),
        NoteKind::Comment => t.tl_comment.to_string(),
        NoteKind::Handed { .. } => lang.volunteers().tl_handed.to_string(),
        NoteKind::MergedIn { from } => fill(p.tl_merged_in, from),
        NoteKind::DueRecomputed { from } => {
            super::fill_all(p.tl_recomputed, &[from, &n.on.map(|d| d.to_string()).unwrap_or_default()])
        }
        NoteKind::Moved { kind: MoveKind::Merge, .. } => match merged_into {
            Some(into) => format!("{} → {into}", move_kind(lang, MoveKind::Merge)),
            None => move_kind(lang, MoveKind::Merge).to_string(),
        },
        NoteKind::Moved { kind, .. } => on(move_kind(lang, *kind).to_string()),
    }
}

pub fn channel(lang: Lang, c: Channel) -> &'static str {
    use Channel::*;
    match (lang, c) {
        (Lang::Zh, Visit) => "来访",
        (Lang::Zh, Phone) => "来电",
        (Lang::Zh, Hotline12345) => "12345转办",
        (Lang::Zh, WeChat) => "微信群",
        (Lang::Zh, Patrol) => "巡查发现",
        (Lang::Zh, DoorVisit) => "走访",
        (Lang::En, Visit) => "Walk-in",
        (Lang::En, Phone) => "Phone",
        (Lang::En, Hotline12345) => "12345 hotline",
        (Lang::En, WeChat) => "WeChat group",
        (Lang::En, Patrol) => "Patrol",
        (Lang::En, DoorVisit) => "Home visit",
    }
}

pub fn urgency(lang: Lang, u: Urgency) -> &'static str {
    match (lang, u) {
        (Lang::Zh, Urgency::Normal) => "一般",
        (Lang::Zh, Urgency::Urgent) => "紧急",
        (Lang::En, Urgency::Normal) => "Normal",
        (Lang::En, Urgency::Urgent) => "Urgent",
    }
}

pub fn satisfaction(lang: Lang, s: Satisfaction) -> &'static str {
    match (lang, s) {
        (Lang::Zh, Satisfaction::Satisfied) => "满意",
        (Lang::Zh, Satisfaction::Basic) => "基本满意",
        (Lang::Zh, Satisfaction::Unsatisfied) => "不满意",
        (Lang::En, Satisfaction::Satisfied) => "Satisfied",
        (Lang::En, Satisfaction::Basic) => "Fairly satisfied",
        (Lang::En, Satisfaction::Unsatisfied) => "Unsatisfied",
    }
}

/// A date in a list: `11-24` this year, `2021-11-24` in any other, so a
/// list sorted by date never mixes years unseen.
pub fn day(d: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if d.year() == today.year() { d.format("%m-%d").to_string() } else { d.to_string() }
}

/// A span of days in a list: `11-26` for one day, `12-14至12-18` for
/// more (GB/T 15834's 至), each day as [`day`] shows it.
pub fn span(lang: Lang, from: chrono::NaiveDate, to: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    if from == to { day(from, today) } else { format!("{}{}{}", day(from, today), lang.t().range, day(to, today)) }
}

/// The due column: the date, with words and marks that do not rely on
/// colour (`!` due soon, `!!` overdue) and say what they count: due on
/// the next working day is "明日到期" only when that is tomorrow (on a
/// Friday it is Monday's date), and overdue counts working days.
pub fn deadline(lang: Lang, d: Deadline, due: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let t = lang.t();
    match d {
        Deadline::Overdue(n) => format!("!!{}", fill(t.overdue_short, n)),
        d => deadline_words(lang, d, due, today),
    }
}

/// [`deadline`] in full words, for a request's details.
pub fn deadline_long(lang: Lang, d: Deadline, due: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    match d {
        Deadline::Overdue(n) => format!("!! {}", fill(lang.t().overdue_days, n)),
        d => deadline_words(lang, d, due, today),
    }
}

fn deadline_words(lang: Lang, d: Deadline, due: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let t = lang.t();
    match d {
        Deadline::DueSoon(0) => format!("! {}", t.due_today),
        Deadline::DueSoon(_) if today.succ_opt() == Some(due) => format!("! {}", t.due_tomorrow),
        Deadline::DueSoon(_) => format!("! {}", fill(t.due_on, day(due, today))),
        _ => day(due, today),
    }
}

/// [`deadline`], with `预估` after a date that is only an estimate (in a
/// provisional year, or one the calendar does not list).
pub fn deadline_marked(
    lang: Lang,
    d: Deadline,
    due: chrono::NaiveDate,
    today: chrono::NaiveDate,
    estimate: bool,
) -> String {
    let s = deadline(lang, d, due, today);
    match d {
        Deadline::Done | Deadline::Ok(_) if estimate => format!("{s} {}", lang.practice().estimate),
        _ => s,
    }
}

pub fn audit_action(lang: Lang, a: crate::store::audit::AuditAction) -> &'static str {
    use crate::store::audit::AuditAction::*;
    match (lang, a) {
        (Lang::Zh, Create) => "新建",
        (Lang::Zh, Update) => "修改",
        (Lang::Zh, Reveal) => "查看完整信息",
        (Lang::Zh, Export) => "导出",
        (Lang::Zh, Undo) => "撤销/重做",
        (Lang::En, Create) => "Created",
        (Lang::En, Update) => "Changed",
        (Lang::En, Reveal) => "Hidden details shown",
        (Lang::En, Export) => "Exported",
        (Lang::En, Undo) => "Undo/redo",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn due_marks_say_what_they_count() {
        let zh = Lang::Zh;
        // Friday 27 Nov: due on the next working day, Monday 30 Nov
        assert_eq!(deadline(zh, Deadline::DueSoon(1), d(11, 30), d(11, 27)), "! 11-30到期");
        assert_eq!(deadline(zh, Deadline::DueSoon(1), d(11, 25), d(11, 24)), "! 明日到期");
        assert_eq!(deadline(zh, Deadline::DueSoon(0), d(11, 24), d(11, 24)), "! 今日到期");
        assert_eq!(deadline(zh, Deadline::Overdue(27), d(10, 1), d(11, 24)), "!!逾期27个工作日");
        assert_eq!(deadline_long(zh, Deadline::Overdue(27), d(10, 1), d(11, 24)), "!! 逾期 27 个工作日");
        // a date of another year shows it: a list sorted by due never mixes years unseen
        let old = NaiveDate::from_ymd_opt(2021, 3, 5).unwrap();
        assert_eq!(deadline(zh, Deadline::Done, old, d(11, 24)), "2021-03-05");
        assert_eq!(deadline(zh, Deadline::Ok(9), d(12, 8), d(11, 24)), "12-08");
    }
}
