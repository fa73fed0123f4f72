//! Demo data for the duties board, on top of [`crate::demo::generate`]: the
//! workers' grades, areas and start dates, standing duties, a year of rota
//! and leave, some tasks, five years of daily-log entries (民情日志), two
//! years of training and study, and the last two years' evaluations.
//!
//! Deterministic like the rest of the demo: a given `(size, seed, today)`
//! gives the same records. It draws from its own random stream (the same
//! SplitMix64, `demo::rng`, with its own salt), so adding it changed none of the
//! requests or residents that `demo::generate` makes.
//!
//! The recent weeks are denser than the past: grid workers visit the
//! elderly living alone in their grid every week, most of them already this
//! week, so a worker's board shows a lively "not yet visited" list.

use super::rng::Rng;
use super::{Dataset, Size};
use crate::domain::duties::evaluation::Evaluation;
use crate::domain::duties::leave::{Leave, LeaveKind, LeaveStatus};
use crate::domain::duties::log::{Comment, LogEntry, LogKind};
use crate::domain::duties::rota::{self, RotaSlot};
use crate::domain::duties::standing::{Duty, Period};
use crate::domain::duties::task::{Task, TaskStatus};
use crate::domain::duties::training::{Training, TrainingKind};
use crate::domain::duties::{DutyId, LeaveId, LogId, TaskId, TrainingId, month_bounds, week_bounds};
use crate::domain::request::Channel;
use crate::domain::worker::WorkerStatus;
use crate::domain::{ResidentId, WorkCalendar, Worker, WorkerId};
use crate::store::duties::DutiesData;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashMap;

/// Daily-log entries over five years.
pub fn log_count(size: Size) -> usize {
    match size {
        Size::Demo => 3_000,
        Size::Typical => 12_000,
        Size::Large => 50_000,
    }
}

fn at(d: NaiveDate, minutes: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or(NaiveTime::MIN))
}

const AREAS_BY_POST: &[(&str, &[&str])] = &[
    ("书记", &["党建", "信访"]),
    ("主任", &["综治", "安全生产"]),
    ("副主任", &["民政", "老龄", "社保", "城管"]),
    ("委员", &["计生", "妇联", "残联", "共青团", "文体"]),
    ("专干", &["社保", "民政", "残联", "退役军人", "统计"]),
    ("网格员", &["综治", "环境卫生", "安全生产", "老龄"]),
];

/// Fills in the workers' schema-2 fields and makes everything else.
pub fn generate(data: &mut Dataset, size: Size, seed: u64, today: NaiveDate, cal: &WorkCalendar) -> DutiesData {
    let mut rng = Rng::salted(seed, 0x6475_7469_6573_2121); // "duties!!"
    fill_workers(&mut data.workers, size, today, &mut rng);
    let workers = data.workers.clone();
    let leaders: Vec<WorkerId> = workers.iter().filter(|w| w.is_leader()).map(|w| w.id).collect();
    let duties = make_duties(&workers, &data.residents, today);
    let mut leaves = make_leaves(&workers, &leaders, today, cal, &mut rng);
    let rota = make_rota(&workers, &leaves, today, cal);
    late_leave(&mut leaves, &rota, &leaders, today, cal);
    let tasks = make_tasks(&workers, &leaders, today, cal, &mut rng);
    let logs = make_logs(data, &duties, &leaders, size, today, cal, &mut rng);
    let trainings = make_trainings(&workers, today, cal, &mut rng);
    let evaluations = make_evaluations(&workers, today, &mut rng);
    DutiesData { duties, tasks, rota, leaves, logs, trainings, evaluations }
}

fn fill_workers(workers: &mut [Worker], size: Size, today: NaiveDate, rng: &mut Rng) {
    let n = workers.len();
    for (i, w) in workers.iter_mut().enumerate() {
        // 三岗十八级: one ladder, each post within its band (正职 7–18,
        // 副职 4–15, 其他 1–12), most of them in its middle
        let (lo, hi) = match w.post.as_str() {
            "书记" | "主任" => (9, 15),
            "副主任" => (6, 12),
            _ => (2, 9),
        };
        w.grade = format!("{}级", rng.range(lo, hi));
        let pool = AREAS_BY_POST.iter().find(|(p, _)| *p == w.post).map_or(&["综治"][..], |(_, a)| a);
        let k = rng.range(1, 2.min(pool.len() as u32)) as usize;
        let first = rng.index(pool.len());
        w.areas = (0..k).map(|j| pool[(first + j) % pool.len()].to_string()).collect();
        let years = if w.is_leader() { rng.range(8, 18) } else { rng.range(1, 12) };
        w.start = today
            .checked_sub_days(Days::new(u64::from(years) * 365 + u64::from(rng.range(0, 300))))
            .map(|d| d.with_day(1).unwrap_or(d));
        // the newest grid worker is still on probation; a large office has
        // one worker seconded to the street office
        if i + 1 == n && w.post == "网格员" {
            w.set_status(WorkerStatus::Probation);
            w.start = today.checked_sub_days(Days::new(90)).map(|d| d.with_day(1).unwrap_or(d));
        }
        if size == Size::Large && i + 2 == n {
            w.set_status(WorkerStatus::Seconded);
        }
    }
}

fn make_duties(workers: &[Worker], residents: &[crate::domain::Resident], today: NaiveDate) -> Vec<Duty> {
    let has = |tag: &str, grid: &str| residents.iter().any(|r| r.grid == grid && r.tags.iter().any(|t| t == tag));
    let since = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today);
    let mut out: Vec<Duty> = Vec::new();
    let mut add = |w: &Worker, title: String, period: Period, tag: &str, grid: &str| {
        out.push(Duty {
            id: DutyId(out.len() as u64 + 1),
            worker: w.id,
            title,
            period,
            tag: tag.into(),
            grid: grid.into(),
            active: true,
            since,
        });
    };
    for w in workers {
        match w.post.as_str() {
            "网格员" => {
                add(w, format!("每周走访{}独居老人", w.grid), Period::Weekly, "独居老人", &w.grid);
                if has("低保户", &w.grid) {
                    add(w, format!("每月走访{}低保户", w.grid), Period::Monthly, "低保户", &w.grid);
                }
                add(w, format!("每周巡查{}消防通道和楼道", w.grid), Period::Weekly, "", "");
            }
            "书记" => add(w, "每周一主持召开社区工作例会".into(), Period::Weekly, "", ""),
            "主任" => add(w, "每月组织一次居民议事会".into(), Period::Monthly, "", ""),
            "委员" => add(w, "每月走访残疾人家庭".into(), Period::Monthly, "残疾人", ""),
            "专干" => add(
                w,
                format!("每月报送{}台账", w.areas.first().map_or("民政", |s| s.as_str())),
                Period::Monthly,
                "",
                "",
            ),
            _ => {}
        }
    }
    out
}

fn leave_kind(rng: &mut Rng) -> LeaveKind {
    rng.weighted(&[
        (LeaveKind::Annual, 300),
        (LeaveKind::Personal, 250),
        (LeaveKind::Sick, 200),
        (LeaveKind::TimeOff, 200),
        (LeaveKind::Bereavement, 20),
        (LeaveKind::Other, 30),
    ])
}

const LEAVE_REASONS: &[(LeaveKind, &[&str])] = &[
    (LeaveKind::Annual, &["回老家探亲", "陪父母体检", "带孩子出游"]),
    (LeaveKind::Personal, &["孩子家长会", "办理房产手续", "家中装修"]),
    (LeaveKind::Sick, &["感冒发烧", "腰椎不适，需理疗", "拔牙"]),
    (LeaveKind::TimeOff, &["周末加班调休", "防汛值守后调休"]),
    (LeaveKind::Bereavement, &["外婆去世"]),
    (LeaveKind::Other, &["参加学历考试"]),
];

/// A year of leave per worker, ending a month ahead: past leave closed,
/// leave under way approved, leave ahead approved or still asked for.
fn make_leaves(
    workers: &[Worker],
    leaders: &[WorkerId],
    today: NaiveDate,
    cal: &WorkCalendar,
    rng: &mut Rng,
) -> Vec<Leave> {
    let start = today.checked_sub_days(Days::new(365)).unwrap_or(today);
    let mut out = Vec::new();
    for w in workers.iter().filter(|w| w.status.takes_rota()) {
        let approver = leaders.iter().copied().find(|l| *l != w.id).unwrap_or(w.id);
        let mut d = start + Days::new(u64::from(rng.range(0, 60)));
        while d < today + Days::new(30) {
            let kind = leave_kind(rng);
            let from = cal.add_working_days(d, 1);
            let days = match kind {
                LeaveKind::Annual => rng.range(2, 5),
                LeaveKind::Sick => rng.range(1, 3),
                _ => rng.range(1, 2),
            };
            let to = cal.add_working_days(from, days - 1);
            let asked = at(
                from.checked_sub_days(Days::new(u64::from(rng.range(1, 7)))).unwrap_or(from),
                9 * 60 + rng.range(0, 400),
            );
            let reason = LEAVE_REASONS.iter().find(|(k, _)| *k == kind).map_or("", |(_, r)| rng.pick(r));
            let mut l = Leave::new(LeaveId(out.len() as u64 + 1), w.id, kind, from, to, reason, asked);
            let decided = |rng: &mut Rng| Some(asked + chrono::Duration::minutes(i64::from(rng.range(20, 600))));
            if to < today {
                l.status = LeaveStatus::Closed;
                l.decided_by = Some(approver);
                l.decided_at = decided(rng);
                l.decision_note = "同意".into();
                l.returned = Some(cal.add_working_days(to, 1));
            } else if from <= today || rng.chance(500) {
                l.status = LeaveStatus::Approved;
                l.decided_by = Some(approver);
                l.decided_at = decided(rng);
                l.decision_note = "同意，请安排好工作交接".into();
            }
            // a request asked for after today would be from the future
            if asked.date() <= today {
                out.push(l);
            }
            d = to + Days::new(u64::from(rng.range(40, 150)));
        }
    }
    out.sort_by_key(|l| (l.requested_at, l.worker));
    for (i, l) in out.iter_mut().enumerate() {
        l.id = LeaveId(i as u64 + 1);
    }
    out
}

/// The rota for the twelve months up to next month, generated the way the
/// office would have: month by month, around the approved leave.
fn make_rota(workers: &[Worker], leaves: &[Leave], today: NaiveDate, cal: &WorkCalendar) -> Vec<RotaSlot> {
    let on_rota: Vec<WorkerId> = workers.iter().filter(|w| w.status.takes_rota()).map(|w| w.id).collect();
    let planned: Vec<&Leave> = leaves.iter().collect();
    let mut out: Vec<RotaSlot> = Vec::new();
    let (y, m) = crate::domain::duties::add_months(today.year(), today.month(), -11);
    for k in 0..13 {
        let (yy, mm) = crate::domain::duties::add_months(y, m, k);
        let Some((from, to)) = month_bounds(yy, mm) else { continue };
        let days = rota::duty_days(from, to, cal, false);
        let mut last: HashMap<WorkerId, NaiveDate> = HashMap::new();
        for s in &out {
            if let Some(w) = s.worker {
                last.insert(w, s.date);
            }
        }
        let away = |w: WorkerId, d: NaiveDate| planned.iter().any(|l| l.worker == w && l.keeps_away(d));
        out.extend(rota::generate(&days, &on_rota, away, &last));
    }
    out
}

/// One day of leave approved yesterday for someone already on the rota a
/// few working days ahead: the conflict the office must fix by a swap.
fn late_leave(leaves: &mut Vec<Leave>, rota: &[RotaSlot], leaders: &[WorkerId], today: NaiveDate, cal: &WorkCalendar) {
    let soon = cal.add_working_days(today, 3);
    let Some((date, worker)) = rota.iter().filter(|s| s.date >= soon).find_map(|s| {
        let w = s.worker?;
        let free =
            !leaves.iter().any(|l| l.worker == w && l.from <= s.date + Days::new(3) && l.to + Days::new(3) >= s.date);
        free.then_some((s.date, w))
    }) else {
        return;
    };
    let asked = at(today.pred_opt().unwrap_or(today), 10 * 60);
    let mut l = Leave::new(
        LeaveId(leaves.len() as u64 + 1),
        worker,
        LeaveKind::Personal,
        date,
        date,
        "孩子学校开家长会",
        asked,
    );
    l.status = LeaveStatus::Approved;
    l.decided_by = leaders.iter().copied().find(|x| *x != worker);
    l.decided_at = Some(asked + chrono::Duration::hours(2));
    l.decision_note = "同意，请与同事调换值班".into();
    leaves.push(l);
    // and one asked for this morning, for the 书记 or 主任 to decide
    let from = cal.add_working_days(today, 6);
    let to = cal.add_working_days(from, 1);
    let free = |w: WorkerId| !leaves.iter().any(|l| l.worker == w && l.from <= to && l.to >= from);
    if let Some(w) = rota.iter().filter_map(|s| s.worker).find(|w| *w != worker && !leaders.contains(w) && free(*w)) {
        let asked = at(today, 8 * 60 + 40);
        leaves.push(Leave::new(LeaveId(leaves.len() as u64 + 1), w, LeaveKind::Annual, from, to, "陪父母体检", asked));
    }
}

const TASKS: &[&str] = &[
    "报送本月低保动态管理台账",
    "收集加装电梯意见征询表",
    "组织冬季消防安全演练",
    "核对高龄津贴发放名单",
    "更新网格内流动人口信息",
    "整理居民议事会会议纪要",
    "上报退役军人信息采集表",
    "张贴垃圾分类宣传海报",
    "统计独居老人冬季取暖情况",
    "准备文明城市创建迎检材料",
    "完成残疾人两项补贴年审",
    "更新楼栋长联系方式",
];

fn make_tasks(
    workers: &[Worker],
    leaders: &[WorkerId],
    today: NaiveDate,
    cal: &WorkCalendar,
    rng: &mut Rng,
) -> Vec<Task> {
    let mut out = Vec::new();
    let by = leaders.first().copied().unwrap_or(WorkerId(1));
    for w in workers.iter().filter(|w| w.status.is_active()) {
        let first = rng.index(TASKS.len());
        for j in 0..rng.range(2, 5) {
            let created = today.checked_sub_days(Days::new(u64::from(rng.range(3, 40)))).unwrap_or(today);
            let due = cal.add_working_days(created, rng.range(3, 25));
            let mut t = Task {
                id: TaskId(0),
                worker: w.id,
                title: TASKS[(first + 3 * j as usize) % TASKS.len()].to_string(),
                detail: String::new(),
                due,
                status: TaskStatus::Open,
                closed_on: None,
                assigned_by: if w.id == by { w.id } else { by },
                created,
            };
            // most tasks due in the past are done; a few are overdue
            if due < today && rng.chance(750) {
                let done = cal.add_working_days(created, rng.range(1, 20)).min(today);
                t.status = TaskStatus::Done;
                t.closed_on = Some(done);
            }
            out.push(t);
        }
    }
    out.sort_by_key(|t| (t.created, t.worker));
    for (i, t) in out.iter_mut().enumerate() {
        t.id = TaskId(i as u64 + 1);
    }
    out
}

const FOUND_VISIT: &[&str] = &[
    "老人身体状况良好，家中燃气、用电安全",
    "老人反映腿脚不便，希望有人帮忙买菜",
    "家中暖气不热，已帮助联系物业",
    "子女近期回来探望，老人情绪较好",
    "提醒老人防范电信诈骗，发放宣传单",
    "老人血压偏高，已提醒按时服药",
    "反映楼道灯不亮，晚上出行不便",
    "询问高龄津贴申领办法，已当面解释",
    "屋内有漏水痕迹，需物业查看",
    "独自在家，精神状态良好，聊天半小时",
    "冰箱里食物不多，已联系长者食堂送餐",
    "老人想报名社区老年大学书法班",
];
const FOUND_PATROL: &[&str] = &[
    "巡查发现楼道堆放杂物，已劝导清理",
    "消防通道被电动车占用，已通知车主挪车",
    "发现一处井盖松动，已上报",
    "垃圾分类点满溢，已联系环卫",
    "小区门口有流动摊贩，已劝离",
    "发现飞线充电，已劝阻并讲解危害",
    "巡查一切正常",
    "两盏路灯不亮，已报修",
];
const FOUND_MEETING: &[&str] = &[
    "参加街道网格工作例会，传达近期重点工作",
    "召开居民议事会，讨论加装电梯事宜",
    "参加社区两委会议，研究低保复核",
    "组织楼栋长会议，布置冬季防火",
];
const FOUND_STUDY: &[&str] =
    &["参加社区集中学习", "学习《关于加强社区工作者队伍建设的意见》", "参加网格化管理业务培训"];
const FOUND_OTHER: &[&str] =
    &["协助开展人口信息登记", "整理民政台账", "配合开展文明城市创建检查", "接待居民来访咨询医保政策"];
const FOLLOW_VISIT: &[&str] = &["下周再访", "联系子女说明情况", "已告知物业", "持续关注", "", ""];
const FOLLOW_PATROL: &[&str] = &["明日复查", "已拍照留存", "上报街道城管科", "", ""];
const COMMENTS: &[&str] = &["情况掌握细致，继续保持", "请尽快跟进落实", "做得好", "注意做好记录，按时回访"];

fn entry(
    worker: WorkerId,
    date: NaiveDate,
    kind: LogKind,
    residents: Vec<ResidentId>,
    rng: &mut Rng,
    today: NaiveDate,
) -> LogEntry {
    let (found, follow) = match kind {
        LogKind::Visit => (rng.pick(FOUND_VISIT), rng.pick(FOLLOW_VISIT)),
        LogKind::Patrol => (rng.pick(FOUND_PATROL), rng.pick(FOLLOW_PATROL)),
        LogKind::Meeting => (rng.pick(FOUND_MEETING), ""),
        LogKind::Study => (rng.pick(FOUND_STUDY), ""),
        LogKind::Other => (rng.pick(FOUND_OTHER), ""),
    };
    // written the same evening, or (one in ten) the next morning
    let logged = if rng.chance(100) && date < today {
        at(date.succ_opt().unwrap_or(date), 8 * 60 + rng.range(30, 90))
    } else {
        at(date, 16 * 60 + rng.range(0, 150))
    };
    LogEntry {
        id: LogId(0),
        worker,
        date,
        kind,
        residents,
        found: found.to_string(),
        follow_up: follow.to_string(),
        request: None,
        comments: Vec::new(),
        logged_at: logged,
    }
}

fn make_logs(
    data: &Dataset,
    duties: &[Duty],
    leaders: &[WorkerId],
    size: Size,
    today: NaiveDate,
    cal: &WorkCalendar,
    rng: &mut Rng,
) -> Vec<LogEntry> {
    let target = log_count(size);
    let mut out: Vec<LogEntry> = Vec::with_capacity(target + 100);
    // residents by grid and tag
    // ordered, so that picks from it are the same on every run
    let mut by_grid: std::collections::BTreeMap<&str, Vec<ResidentId>> = Default::default();
    for r in &data.residents {
        by_grid.entry(r.grid.as_str()).or_default().push(r.id);
    }
    let all_pools: Vec<&Vec<ResidentId>> = by_grid.values().filter(|p| !p.is_empty()).collect();
    // 1. the visiting duties of the last six weeks or three months (the
    //    current period: part done)
    let (monday, _) = week_bounds(today);
    for duty in duties.iter().filter(|d| d.covers_residents()) {
        let covered: Vec<ResidentId> = data.residents.iter().filter(|r| duty.covers(r)).map(|r| r.id).collect();
        let periods: Vec<(NaiveDate, NaiveDate)> = match duty.period {
            Period::Weekly => (0..6u64)
                .filter_map(|w| monday.checked_sub_days(Days::new(7 * w)))
                .map(|start| (start, start + Days::new(6)))
                .collect(),
            Period::Monthly => (0..3)
                .filter_map(|k| {
                    let (y, m) = crate::domain::duties::add_months(today.year(), today.month(), -k);
                    month_bounds(y, m)
                })
                .collect(),
        };
        for (n, (start, end)) in periods.into_iter().enumerate() {
            let days: Vec<NaiveDate> =
                start.iter_days().take_while(|d| *d <= end && *d <= today).filter(|d| cal.is_working_day(*d)).collect();
            if days.is_empty() {
                continue;
            }
            let share = if n == 0 { 650 } else { 930 };
            let mut todo: Vec<ResidentId> = covered.iter().copied().filter(|_| rng.chance(share)).collect();
            while !todo.is_empty() {
                let k = (rng.range(1, 3) as usize).min(todo.len());
                let group: Vec<ResidentId> = todo.drain(..k).collect();
                out.push(entry(duty.worker, rng.pick(&days), LogKind::Visit, group, rng, today));
            }
        }
    }
    // 2. entries that became requests (走访 and 巡查发现 requests)
    for r in data.requests.iter().filter(|r| matches!(r.channel, Channel::DoorVisit | Channel::Patrol)) {
        if out.len() >= target {
            break;
        }
        let kind = if r.channel == Channel::DoorVisit { LogKind::Visit } else { LogKind::Patrol };
        let mut e = entry(r.logged_by, r.logged_at.date(), kind, r.resident.into_iter().collect(), rng, today);
        e.found = r.title.clone();
        e.follow_up = "已登记为居民诉求".into();
        e.request = Some(r.id);
        e.logged_at = r.logged_at - chrono::Duration::minutes(i64::from(rng.range(5, 40)));
        out.push(e);
    }
    // 3. everything else over five years, on working days
    let start = today.checked_sub_days(Days::new(5 * 365)).unwrap_or(today);
    let span = (today - start).num_days().max(1) as u64;
    let active: Vec<&Worker> = data.workers.iter().filter(|w| w.status.is_active()).collect();
    let weights: Vec<(usize, u32)> =
        active.iter().enumerate().map(|(i, w)| (i, if w.post == "网格员" { 5 } else { 2 })).collect();
    while out.len() < target && !active.is_empty() {
        let w = active[rng.weighted(&weights)];
        let mut date = start + Days::new(rng.below(span + 1));
        while !cal.is_working_day(date) && date < today {
            date = date.succ_opt().unwrap_or(date);
        }
        let kind = if w.post == "网格员" {
            rng.weighted(&[
                (LogKind::Visit, 600),
                (LogKind::Patrol, 250),
                (LogKind::Meeting, 60),
                (LogKind::Study, 40),
                (LogKind::Other, 50),
            ])
        } else {
            rng.weighted(&[
                (LogKind::Visit, 300),
                (LogKind::Patrol, 100),
                (LogKind::Meeting, 300),
                (LogKind::Study, 100),
                (LogKind::Other, 200),
            ])
        };
        // a leader's or officer's visit goes anywhere in the community
        let pool = by_grid
            .get(w.grid.as_str())
            .filter(|p| !p.is_empty())
            .or_else(|| all_pools.get(rng.index(all_pools.len())).copied());
        let (kind, mut residents) = match (kind, pool) {
            (LogKind::Visit, Some(pool)) => (kind, (0..rng.range(1, 2)).map(|_| rng.pick(pool)).collect::<Vec<_>>()),
            (LogKind::Visit, None) => (LogKind::Patrol, Vec::new()),
            _ => (kind, Vec::new()),
        };
        residents.dedup();
        out.push(entry(w.id, date, kind, residents, rng, today));
    }
    out.sort_by_key(|e| (e.logged_at, e.worker));
    for (i, e) in out.iter_mut().enumerate() {
        e.id = LogId(i as u64 + 1);
        // a leader comments on about one entry in twenty
        if !leaders.is_empty() && rng.chance(50) {
            let by = rng.pick(leaders);
            if by != e.worker {
                e.comments.push(Comment {
                    by,
                    at: e.logged_at + chrono::Duration::hours(i64::from(rng.range(1, 40))),
                    text: rng.pick(COMMENTS).to_string(),
                });
            }
        }
    }
    out
}

const TRAININGS: &[(&str, &str)] = &[
    ("网格化管理业务培训", "区委政法委"),
    ("社会救助政策培训", "区民政局"),
    ("矛盾纠纷调解实务", "区司法局"),
    ("社区工作者能力提升班", "区委社会工作部"),
    ("消防安全知识培训", "区消防救援大队"),
    ("信息系统操作培训", "街道办事处"),
];

/// Last year's and this year's training (5–9 days each) and the monthly
/// study session (most attend).
fn make_trainings(workers: &[Worker], today: NaiveDate, cal: &WorkCalendar, rng: &mut Rng) -> Vec<Training> {
    let mut out = Vec::new();
    for year in [today.year() - 1, today.year()] {
        for month in 1..=12 {
            let Some((first, _)) = month_bounds(year, month) else { continue };
            // the second working Thursday or so: the tenth working day
            let day = cal.add_working_days(first, 9);
            if day > today {
                break;
            }
            for w in workers.iter().filter(|w| w.status.is_active()) {
                if rng.chance(985) {
                    out.push(Training {
                        id: TrainingId(0),
                        worker: w.id,
                        date: day,
                        kind: TrainingKind::Study,
                        title: format!("{month}月集中学习"),
                        half_days: 1,
                        organizer: "街道党工委".into(),
                    });
                }
            }
        }
        for w in workers.iter().filter(|w| w.status.is_active()) {
            let total = rng.range(9, 18);
            let mut given = 0;
            while given < total {
                let half = rng.range(1, 6).min(total - given);
                let date =
                    cal.add_working_days(NaiveDate::from_ymd_opt(year, 1, 5).unwrap_or(today), rng.range(0, 240));
                given += half;
                if date > today {
                    continue;
                }
                let (title, org) = rng.pick(TRAININGS);
                out.push(Training {
                    id: TrainingId(0),
                    worker: w.id,
                    date,
                    kind: TrainingKind::Training,
                    title: title.into(),
                    half_days: half,
                    organizer: org.into(),
                });
            }
        }
    }
    out.sort_by_key(|t| (t.date, t.worker));
    for (i, t) in out.iter_mut().enumerate() {
        t.id = TrainingId(i as u64 + 1);
    }
    out
}

fn make_evaluations(workers: &[Worker], today: NaiveDate, rng: &mut Rng) -> Vec<Evaluation> {
    let mut out = Vec::new();
    for year in [today.year() - 2, today.year() - 1] {
        for w in workers.iter().filter(|w| w.start.is_none_or(|s| s.year() <= year)) {
            let mut e = Evaluation::new(year, w.id);
            e.street = Some(rng.range(780, 980) as u16);
            e.residents = Some(rng.range(750, 990) as u16);
            e.own = Some(rng.range(850, 980) as u16);
            // 德能勤绩廉 around the street's score (no draw: the rest of the
            // data stays as it was)
            let base = e.street.unwrap_or(850);
            let spread = [10i32, -25, 5, -15, 30];
            let k = (w.id.0 % 3) as i32 * 10 - 10;
            e.dims = std::array::from_fn(|i| Some((i32::from(base) + spread[i] + k).clamp(0, 1000) as u16));
            e.comment = rng
                .pick(&["工作认真负责，群众评价好", "熟悉网格情况，走访扎实", "业务熟练，有待加强台账管理", "积极肯干"])
                .to_string();
            out.push(e);
        }
    }
    out.sort_by_key(Evaluation::key);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Categories;

    fn demo() -> (Dataset, DutiesData, NaiveDate) {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let cal = WorkCalendar::builtin();
        let mut data = crate::demo::generate(Size::Demo, 1, 7, today, &cal, &Categories::default());
        let d = generate(&mut data, Size::Demo, 7, today, &cal);
        (data, d, today)
    }

    #[test]
    fn demo_duties_are_complete_and_consistent() {
        let (data, d, today) = demo();
        let cal = WorkCalendar::builtin();
        assert!(data.workers.iter().all(|w| !w.grade.is_empty() && !w.areas.is_empty() && w.start.is_some()));
        assert_eq!(d.logs.len(), log_count(Size::Demo));
        assert!(d.logs.windows(2).all(|p| p[0].id < p[1].id && p[0].logged_at <= p[1].logged_at));
        assert!(d.logs.iter().all(|e| e.date <= today && !e.found.is_empty()));
        assert!(d.logs.iter().any(|e| e.request.is_some()));
        // the rota covers the working days of a year and keeps the rules
        let needed = rota::duty_days(d.rota[0].date, d.rota.last().unwrap().date, &cal, false);
        assert_eq!(d.rota.len(), needed.len());
        let conflicts = rota::conflicts(&d.rota, &needed, &d.leaves, &data.workers);
        assert!(!conflicts.is_empty(), "the demo shows a leave approved after the rota was made");
        assert!(conflicts.iter().all(|c| matches!(c, rota::Conflict::OnLeave { .. })));
        // leave: no worker has overlapping live leave, past leave is closed
        for l in &d.leaves {
            assert!(l.validate(&d.leaves).is_ok(), "{l:?}");
            if l.to < today {
                assert_eq!(l.status, LeaveStatus::Closed);
            }
        }
        // this week's visits: some done, some not
        let duty = d.duties.iter().find(|x| x.period == Period::Weekly && x.covers_residents()).unwrap();
        let (mon, _) = week_bounds(today);
        let visited =
            d.logs.iter().filter(|e| e.worker == duty.worker && e.kind == LogKind::Visit && e.date >= mon).count();
        assert!(visited > 0);
        assert!(!d.trainings.is_empty() && !d.evaluations.is_empty() && !d.tasks.is_empty());
        assert!(d.tasks.iter().any(|t| t.is_open() && t.due < today), "some task is overdue");
    }

    #[test]
    fn same_seed_same_duties() {
        let (_, a, _) = demo();
        let (_, b, _) = demo();
        assert_eq!(a, b);
    }
}
