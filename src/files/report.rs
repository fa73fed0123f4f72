//! The monthly report (月报): pure computation over the records of a month,
//! and its two printable forms (HTML and XLSX). Requests, daily-log entries
//! (民情日志, with their visits) and volunteer service records are each
//! added one record at a time ([`Builder::add`], [`Builder::add_log`],
//! [`Builder::add_service`]); a new kind adds a column to [`WorkerLine`] and
//! one scan where the report is built.

use crate::domain::RequestId;
use crate::domain::duties::log::{LogEntry, LogKind};
use crate::domain::request::{Card, MoveKind, NoteKind, Request, Satisfaction, Status};
use crate::domain::volunteer::{ServiceRecord, Sum, Team, TeamId, Totals, hours, ym};
use crate::domain::{Worker, WorkerId};
use crate::i18n::{self, Lang};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        Month { year: d.year(), month: d.month() }
    }
    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }
    pub fn contains(self, d: NaiveDate) -> bool {
        d.year() == self.year && d.month() == self.month
    }
    pub fn prev(self) -> Month {
        if self.month == 1 { Month { year: self.year - 1, month: 12 } } else { Month { month: self.month - 1, ..self } }
    }
    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }
    /// `2026-11`
    pub fn label(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// One worker's line of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerLine {
    pub name: String,
    /// Requests this worker logged in the month.
    pub logged: u64,
    /// Requests this worker resolved in the month.
    pub resolved: u64,
    /// Comments (log entries on requests) this worker wrote in the month.
    pub notes: u64,
    /// Daily-log entries (民情日志) dated in the month.
    pub log_entries: u64,
    /// Of those, visits (走访).
    pub visits: u64,
    /// Residents seen on those visits (a resident seen twice counts twice).
    pub visited: u64,
}

/// The 12345 loop's steps taken in the month (国办发〔2020〕53号 and
/// hotline practice: 退单, 并单, 延期, 督办).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoopCounts {
    /// 退单: returned for another dispatch.
    pub returned: u64,
    /// 并单: repeats merged into an earlier request (not counted as
    /// requests of their own anywhere in the report).
    pub merged: u64,
    pub extensions_asked: u64,
    pub extensions_approved: u64,
    pub extensions_refused: u64,
    pub yellow: u64,
    pub red: u64,
}

/// A request a leader pressed (督办) in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pressed {
    pub id: RequestId,
    pub title: String,
    /// The strongest card given in the month.
    pub card: Card,
    pub assignee: Option<WorkerId>,
    /// The assignee's name (filled by `Builder::finish`).
    pub assignee_name: String,
}

/// One team's volunteer service in the month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamLine {
    pub name: String,
    pub minutes: u64,
    /// Services (人次).
    pub count: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub month: Option<(i32, u32)>,
    /// Requests logged in the month.
    pub total: u64,
    pub by_category: BTreeMap<String, u64>,
    /// In [`Channel::ALL`](crate::domain::request::Channel::ALL) order, with their labels.
    pub by_channel: Vec<(String, u64)>,
    pub by_status: Vec<(String, u64)>,
    /// Of the month's requests, how many are resolved (or later).
    pub resolved: u64,
    /// Of those, resolved on or before the due date.
    pub on_time: u64,
    /// Callbacks with a satisfaction, by answer.
    pub satisfaction: Vec<(String, u64)>,
    pub called_back: u64,
    pub satisfied: u64,
    pub workers: Vec<WorkerLine>,
    /// Volunteer service by team, most hours first, as the roster counts it
    /// (voided records left out, corrected ones at their corrected date).
    pub teams: Vec<TeamLine>,
    /// All volunteer service in the month, with or without a team.
    pub service: Sum,
    /// 退单, 并单, 延期 and 督办 in the month.
    pub loop_counts: LoopCounts,
    /// The requests pressed (督办) in the month, by id.
    pub pressed: Vec<Pressed>,
}

impl Report {
    /// The categories with their counts, most first (ties by name): the
    /// order of the report's table, its printout and its chart, so that
    /// what residents asked about most leads.
    pub fn categories_most_first(&self) -> Vec<(String, u64)> {
        let mut cats: Vec<(String, u64)> = self.by_category.iter().map(|(k, v)| (k.clone(), *v)).collect();
        cats.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        cats
    }
}

/// `n / d` as a percentage with one decimal, `-` when nothing to divide.
pub fn percent(n: u64, d: u64) -> String {
    if d == 0 { "-".into() } else { format!("{:.1}%", n as f64 * 100.0 / d as f64) }
}

fn done(s: Status) -> bool {
    matches!(s, Status::Resolved | Status::CalledBack | Status::Closed)
}

/// The day a request was (last) resolved, from its notes.
fn resolved_on(r: &Request) -> Option<NaiveDate> {
    r.notes
        .iter()
        .rev()
        .find(|n| matches!(n.kind, NoteKind::Moved { kind: MoveKind::Resolve, .. }))
        .map(|n| n.at.date())
}

/// Adds up a month's report one request at a time.
pub struct Builder {
    month: Month,
    rep: Report,
    channels: BTreeMap<usize, u64>,
    statuses: BTreeMap<usize, u64>,
    sats: BTreeMap<usize, u64>,
    per: BTreeMap<WorkerId, WorkerLine>,
    service: Totals,
    team_names: BTreeMap<TeamId, String>,
}

impl Builder {
    pub fn new(month: Month) -> Builder {
        Builder {
            month,
            rep: Report { month: Some((month.year, month.month)), ..Default::default() },
            channels: BTreeMap::new(),
            statuses: BTreeMap::new(),
            sats: BTreeMap::new(),
            per: BTreeMap::new(),
            service: Totals::default(),
            team_names: BTreeMap::new(),
        }
    }

    /// Counts one daily-log entry (of any month) for its worker.
    pub fn add_log(&mut self, e: &LogEntry) {
        if !self.month.contains(e.date) {
            return;
        }
        let l = self.per.entry(e.worker).or_default();
        l.log_entries += 1;
        if e.kind == LogKind::Visit {
            l.visits += 1;
            l.visited += e.visits().count() as u64;
        }
    }

    /// Counts one service record (of any month): the roster's own totals
    /// decide what counts, so the figures match the roster panel.
    pub fn add_service(&mut self, r: &ServiceRecord) {
        if self.month.contains(r.date) {
            self.service.apply(None, Some(r));
        }
    }

    /// Names a team for the hours-by-team section.
    pub fn add_team(&mut self, t: &Team) {
        self.team_names.insert(t.id, t.name.clone());
    }

    /// Counts one request (of any month).
    pub fn add(&mut self, r: &Request) {
        use crate::domain::request::Channel;
        let (month, rep, per) = (self.month, &mut self.rep, &mut self.per);
        // a repeat merged into an earlier request (并单) is that request's:
        // counted once, as a repeat, never as a request of its own
        let repeat = r.merged_into.is_some();
        // who resolved and who wrote what this month, whenever the request was
        // logged; the 12345 loop's steps
        let mut card: Option<Card> = None;
        for n in &r.notes {
            if !month.contains(n.at.date()) {
                continue;
            }
            let lc = &mut rep.loop_counts;
            match n.kind {
                NoteKind::Moved { kind: MoveKind::Resolve, .. } if !repeat => {
                    per.entry(n.by).or_default().resolved += 1
                }
                NoteKind::Comment => per.entry(n.by).or_default().notes += 1,
                NoteKind::Moved { kind: MoveKind::Return, .. } => lc.returned += 1,
                NoteKind::Moved { kind: MoveKind::Merge, .. } => lc.merged += 1,
                NoteKind::Moved { kind: MoveKind::AskExtension, .. } => lc.extensions_asked += 1,
                NoteKind::Moved { kind: MoveKind::ApproveExtension, .. } => lc.extensions_approved += 1,
                NoteKind::Moved { kind: MoveKind::RefuseExtension, .. } => lc.extensions_refused += 1,
                NoteKind::Moved { kind: MoveKind::YellowCard, .. } => {
                    lc.yellow += 1;
                    card = card.max(Some(Card::Yellow));
                }
                NoteKind::Moved { kind: MoveKind::RedCard, .. } => {
                    lc.red += 1;
                    card = Some(Card::Red);
                }
                _ => {}
            }
        }
        if let Some(card) = card {
            let p =
                Pressed { id: r.id, title: r.title.clone(), card, assignee: r.assignee, assignee_name: String::new() };
            let at = rep.pressed.partition_point(|x| x.id < r.id);
            rep.pressed.insert(at, p);
        }
        if !month.contains(r.logged_at.date()) || repeat {
            return;
        }
        per.entry(r.logged_by).or_default().logged += 1;
        rep.total += 1;
        *rep.by_category.entry(r.category.clone()).or_default() += 1;
        *self.channels.entry(Channel::ALL.iter().position(|c| *c == r.channel).unwrap_or(0)).or_default() += 1;
        *self.statuses.entry(Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0)).or_default() += 1;
        if done(r.status) {
            rep.resolved += 1;
            if resolved_on(r).is_some_and(|d| d <= r.due) {
                rep.on_time += 1;
            }
        }
        if let Some(s) = r.satisfaction {
            rep.called_back += 1;
            if matches!(s, Satisfaction::Satisfied | Satisfaction::Basic) {
                rep.satisfied += 1;
            }
            *self.sats.entry(Satisfaction::ALL.iter().position(|x| *x == s).unwrap_or(0)).or_default() += 1;
        }
    }

    /// The report, with labels in `lang` and the workers' names.
    pub fn finish(self, lang: Lang, workers: &[Worker]) -> Report {
        use crate::domain::request::Channel;
        let mut rep = self.rep;
        rep.by_channel =
            self.channels.into_iter().map(|(i, n)| (i18n::channel(lang, Channel::ALL[i]).to_string(), n)).collect();
        rep.by_status =
            self.statuses.into_iter().map(|(i, n)| (i18n::status(lang, Status::ALL[i]).to_string(), n)).collect();
        rep.satisfaction = self
            .sats
            .into_iter()
            .map(|(i, n)| (i18n::satisfaction(lang, Satisfaction::ALL[i]).to_string(), n))
            .collect();
        for p in &mut rep.pressed {
            p.assignee_name = p
                .assignee
                .and_then(|id| workers.iter().find(|w| w.id == id))
                .map_or_else(String::new, |w| w.name.clone());
        }
        // every worker on the roster is listed, with zeros for a quiet month
        let mut per = self.per;
        for w in workers.iter().filter(|w| w.active) {
            per.entry(w.id).or_default();
        }
        rep.workers = per
            .into_iter()
            .map(|(id, mut l)| {
                l.name = workers.iter().find(|w| w.id == id).map_or_else(|| format!("#{}", id.0), |w| w.name.clone());
                l
            })
            .collect();
        let m = ym(self.month.first());
        rep.service = self.service.community().month(m);
        rep.teams = self
            .service
            .teams_in_month(m)
            .into_iter()
            .map(|(id, s)| TeamLine {
                name: self.team_names.get(&id).cloned().unwrap_or_else(|| format!("#{}", id.0)),
                minutes: s.minutes,
                count: s.count,
            })
            .collect();
        rep
    }
}

/// Computes the report of `month` over `requests` (any order, any months).
pub fn compute(lang: Lang, month: Month, requests: impl IntoIterator<Item = Request>, workers: &[Worker]) -> Report {
    let mut b = Builder::new(month);
    for r in requests {
        b.add(&r);
    }
    b.finish(lang, workers)
}

/// The report as sections of (label, value) rows: what the screen, the
/// HTML and the XLSX all show.
pub fn sections(rep: &Report, lang: Lang) -> Vec<(String, Vec<(String, String)>)> {
    let (po, pc) = (lang.t().paren_open, lang.t().paren_close);
    let t = lang.report();
    let n = |v: u64| v.to_string();
    let mut out = vec![(
        t.summary.to_string(),
        vec![
            (t.total.to_string(), n(rep.total)),
            (
                t.resolution_rate.to_string(),
                format!("{}{po}{}/{}{pc}", percent(rep.resolved, rep.total), rep.resolved, rep.total),
            ),
            (
                t.on_time_rate.to_string(),
                format!("{}{po}{}/{}{pc}", percent(rep.on_time, rep.resolved), rep.on_time, rep.resolved),
            ),
            (
                t.satisfaction_rate.to_string(),
                format!("{}{po}{}/{}{pc}", percent(rep.satisfied, rep.called_back), rep.satisfied, rep.called_back),
            ),
        ],
    )];
    let list = |v: &[(String, u64)]| v.iter().map(|(k, c)| (k.clone(), n(*c))).collect::<Vec<_>>();
    out.push((t.by_category.to_string(), list(&rep.categories_most_first())));
    out.push((t.by_channel.to_string(), list(&rep.by_channel)));
    out.push((t.by_status.to_string(), list(&rep.by_status)));
    out.push((t.callbacks.to_string(), list(&rep.satisfaction)));
    let p = lang.practice();
    let lc = &rep.loop_counts;
    let mut steps = vec![
        (p.r_returned.to_string(), n(lc.returned)),
        (p.r_repeats.to_string(), i18n::fill(p.r_repeats_value, lc.merged)),
        (
            p.r_extensions.to_string(),
            i18n::fill_all(
                p.r_extension_counts,
                &[&lc.extensions_asked, &lc.extensions_approved, &lc.extensions_refused],
            ),
        ),
        (p.r_pressed.to_string(), i18n::fill_all(p.r_card_counts, &[&lc.yellow, &lc.red])),
    ];
    steps.extend(rep.pressed.iter().map(|x| {
        let who = if x.assignee_name.is_empty() { String::new() } else { format!(" · {}", x.assignee_name) };
        (format!("{} {}", x.id, x.title), format!("{}{who}", i18n::card(lang, x.card)))
    }));
    out.push((p.r_loop.to_string(), steps));
    out.push((
        t.workers.to_string(),
        rep.workers
            .iter()
            .map(|w| {
                (
                    w.name.clone(),
                    format!(
                        "{} {} · {} {} · {} {} · {} {} · {} {}{po}{} {}{pc}",
                        t.logged,
                        w.logged,
                        t.resolved,
                        w.resolved,
                        t.notes,
                        w.notes,
                        t.log_entries,
                        w.log_entries,
                        t.visits,
                        w.visits,
                        t.visited,
                        w.visited
                    ),
                )
            })
            .collect(),
    ));
    let service = |minutes: u64, count: u32| format!("{} {} · {} {}", hours(minutes), t.hours, count, t.services);
    let mut teams = vec![(t.all_teams.to_string(), service(rep.service.minutes, rep.service.count))];
    teams.extend(rep.teams.iter().map(|l| (l.name.clone(), service(l.minutes, l.count))));
    out.push((t.volunteer_hours.to_string(), teams));
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// `月报-2026-11.html`
pub fn file_name(rep: &Report, lang: Lang, ext: &str) -> String {
    let (y, m) = rep.month.unwrap_or_default();
    format!("{}-{}.{ext}", lang.report().file, Month { year: y, month: m }.label())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::{Channel, Note, Urgency};
    use crate::domain::{RequestId, Worker};
    use chrono::NaiveDateTime;

    fn at(d: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(9, 0, 0).unwrap()
    }

    fn req(id: u64, logged: NaiveDateTime, due: NaiveDate, status: Status, resolved: Option<NaiveDateTime>) -> Request {
        let mut notes = vec![];
        if let Some(t) = resolved {
            notes.push(Note {
                at: t,
                by: WorkerId(2),
                kind: NoteKind::Moved { kind: MoveKind::Resolve, to: Status::Resolved },
                text: "修好了".into(),
                assignee: None,
                satisfaction: None,
                on: None,
            });
        }
        Request {
            id: RequestId(id),
            logged_at: logged,
            logged_by: WorkerId(1),
            channel: Channel::Phone,
            category: "小修小补".into(),
            title: "楼道灯不亮".into(),
            description: String::new(),
            location: String::new(),
            resident: None,
            urgency: Urgency::Normal,
            status,
            assignee: None,
            due,
            satisfaction: None,
            notes,
            work_order: String::new(),
            hotline_due: None,
            merged_into: None,
            asked_due: None,
            card: None,
        }
    }

    fn workers() -> Vec<Worker> {
        vec![Worker::new(WorkerId(1), "李娜", "网格员"), Worker::new(WorkerId(2), "王强", "网格员")]
    }

    #[test]
    fn counts_rates_and_workers_of_one_month() {
        let nov = Month { year: 2026, month: 11 };
        let due = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        let mut called = req(3, at(2, 11), due, Status::CalledBack, Some(at(12, 11)));
        called.satisfaction = Some(Satisfaction::Unsatisfied);
        called.channel = Channel::WeChat;
        let rs = vec![
            req(1, at(2, 11), due, Status::Resolved, Some(at(5, 11))), // on time
            req(2, at(3, 11), due, Status::Logged, None),
            called,                                                     // late
            req(4, at(28, 10), due, Status::Resolved, Some(at(3, 11))), // October's, resolved in November
        ];
        let rep = compute(Lang::Zh, nov, rs, &workers());
        assert_eq!(rep.total, 3);
        assert_eq!(rep.resolved, 2);
        assert_eq!(rep.on_time, 1);
        assert_eq!((rep.called_back, rep.satisfied), (1, 0));
        assert_eq!(rep.by_category.get("小修小补"), Some(&3));
        assert_eq!(rep.by_channel, vec![("来电".to_string(), 2), (i18n::channel(Lang::Zh, Channel::WeChat).into(), 1)]);
        assert_eq!(percent(rep.resolved, rep.total), "66.7%");
        assert_eq!(percent(0, 0), "-");
        let li = rep.workers.iter().find(|w| w.name == "李娜").unwrap();
        assert_eq!((li.logged, li.resolved), (3, 0));
        let wang = rep.workers.iter().find(|w| w.name == "王强").unwrap();
        assert_eq!(wang.resolved, 3, "the October request resolved in November counts for November's work");
    }

    #[test]
    fn categories_are_listed_most_first_on_screen_and_in_print() {
        let due = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        let mut rs = Vec::new();
        for (i, cat) in ["低保救助", "停车难", "停车难", "小修小补", "小修小补", "小修小补", "其他"].iter().enumerate()
        {
            let mut r = req(i as u64 + 1, at(2, 11), due, Status::Logged, None);
            r.category = (*cat).into();
            rs.push(r);
        }
        let rep = compute(Lang::Zh, Month { year: 2026, month: 11 }, rs, &workers());
        let want = ["小修小补", "停车难", "低保救助", "其他"];
        let names = |v: Vec<(String, u64)>| v.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(names(rep.categories_most_first()), want, "most first, ties by name");
        let t = Lang::Zh.report().by_category;
        let on_screen = sections(&rep, Lang::Zh);
        let (_, rows) = on_screen.iter().find(|(title, _)| title == t).expect("a section by category");
        assert_eq!(rows.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), want);
        assert_eq!(rows[0].1, "3");
        let h = crate::files::report_print::html(&rep, Lang::Zh, &crate::files::report_print::Heading::default());
        let at = |w: &str| h.find(w).unwrap_or(usize::MAX);
        assert!(at("小修小补") < at("停车难") && at("停车难") < at("低保救助"), "the printout in the same order");
    }

    #[test]
    fn html_is_escaped_and_xlsx_is_written() {
        let mut r = req(1, at(2, 11), NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(), Status::Logged, None);
        r.category = "<script>&".into();
        let rep = compute(Lang::Zh, Month { year: 2026, month: 11 }, vec![r], &workers());
        let heading = crate::files::report_print::Heading::default();
        let h = crate::files::report_print::html(&rep, Lang::Zh, &heading);
        assert!(h.contains("&lt;script&gt;&amp;"));
        assert!(!h.contains("<script>"));
        assert!(h.contains("月报 2026-11"));
        let dir = tempfile::tempdir().unwrap();
        let x = dir.path().join(file_name(&rep, Lang::Zh, "xlsx"));
        crate::files::report_print::write(&rep, Lang::Zh, &heading, &x).unwrap();
        assert!(std::fs::metadata(&x).unwrap().len() > 1000);
    }

    fn service(id: u64, v: u64, date: NaiveDate, minutes: u32, team: Option<u64>) -> ServiceRecord {
        use crate::domain::volunteer::{ServiceId, VolunteerId};
        ServiceRecord {
            id: ServiceId(id),
            volunteer: VolunteerId(v),
            date,
            minutes,
            activity: None,
            team: team.map(TeamId),
            post: None,
            what: String::new(),
            voided: false,
            history: Vec::new(),
        }
    }

    fn entry(id: u64, worker: u64, date: NaiveDate, kind: LogKind, residents: &[u64]) -> LogEntry {
        use crate::domain::ResidentId;
        use crate::domain::duties::LogId;
        LogEntry {
            id: LogId(id),
            worker: WorkerId(worker),
            date,
            kind,
            residents: residents.iter().map(|r| ResidentId(*r)).collect(),
            found: "好".into(),
            follow_up: String::new(),
            request: None,
            comments: Vec::new(),
            logged_at: date.and_hms_opt(18, 0, 0).unwrap(),
        }
    }

    #[test]
    fn log_entries_visits_and_volunteer_hours_of_one_month() {
        use crate::domain::volunteer::{TeamStatus, Totals};
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let nov = Month { year: 2026, month: 11 };
        let team = |id: u64, name: &str| Team {
            id: TeamId(id),
            name: name.into(),
            service_types: vec![],
            founded: None,
            status: TeamStatus::Active,
            members: vec![],
            notes: String::new(),
        };
        let mut voided = service(4, 2, d(11, 9), 600, Some(1));
        voided.correct(d(11, 9), 600, true, "记错了", WorkerId(1), at(10, 11)).unwrap();
        let mut moved = service(5, 2, d(10, 30), 60, Some(2));
        moved.correct(d(11, 1), 90, false, "日期记错", WorkerId(1), at(10, 11)).unwrap();
        let records = vec![
            service(1, 1, d(11, 1), 120, Some(1)),
            service(2, 2, d(11, 30), 30, Some(1)),
            service(3, 1, d(10, 31), 240, Some(1)), // October
            voided,                                 // never counted
            moved,                                  // corrected into November
            service(6, 3, d(11, 15), 45, None),     // no team: only in the total
            service(7, 3, d(12, 1), 45, Some(2)),   // December
        ];
        let logs = [
            entry(1, 1, d(11, 3), LogKind::Visit, &[10, 11]),
            entry(2, 1, d(11, 4), LogKind::Patrol, &[12]),
            entry(3, 1, d(10, 31), LogKind::Visit, &[10]), // October
            entry(4, 2, d(11, 30), LogKind::Visit, &[10]),
            entry(5, 2, d(11, 30), LogKind::Meeting, &[]),
        ];
        let mut b = Builder::new(nov);
        records.iter().for_each(|r| b.add_service(r));
        logs.iter().for_each(|e| b.add_log(e));
        b.add_team(&team(1, "助老服务队"));
        let rep = b.finish(Lang::Zh, &workers());
        assert_eq!(
            rep.teams,
            vec![
                TeamLine { name: "助老服务队".into(), minutes: 150, count: 2 },
                TeamLine { name: "#2".into(), minutes: 90, count: 1 },
            ]
        );
        assert_eq!((rep.service.minutes, rep.service.count), (285, 4));
        // the same numbers as the roster's own totals
        let roster = Totals::from_records(&records);
        assert_eq!(roster.team(TeamId(1)).month(202611).minutes, 150);
        assert_eq!(roster.community().month(202611), rep.service);
        let li = rep.workers.iter().find(|w| w.name == "李娜").unwrap();
        assert_eq!((li.log_entries, li.visits, li.visited), (2, 1, 2));
        let wang = rep.workers.iter().find(|w| w.name == "王强").unwrap();
        assert_eq!((wang.log_entries, wang.visits, wang.visited), (2, 1, 1));
        let text = sections(&rep, Lang::Zh);
        let (head, rows) = text.last().unwrap();
        assert_eq!(head, "志愿服务时长（按队伍）");
        assert_eq!(rows[0], ("合计".to_string(), "4.8 小时 · 4 人次".to_string()));
        assert_eq!(rows[1], ("助老服务队".to_string(), "2.5 小时 · 2 人次".to_string()));
        let workers = &text.iter().find(|(head, _)| head == Lang::Zh.report().workers).expect("the workers' section").1;
        assert!(workers.iter().any(|(_, v)| v.contains("民情日志 2 · 走访 1（居民 2）")), "{workers:?}");
    }

    #[test]
    fn months_step_over_the_year() {
        let jan = Month { year: 2026, month: 1 };
        assert_eq!(jan.prev(), Month { year: 2025, month: 12 });
        assert_eq!(jan.prev().next(), jan);
        assert_eq!(jan.label(), "2026-01");
    }

    #[test]
    fn the_12345_loop_is_counted_and_a_merged_repeat_only_once() {
        use crate::domain::request::{Move, NewRequest};
        use crate::domain::{Categories, WorkCalendar};
        let cal = WorkCalendar::builtin();
        let cats = Categories::default();
        let new = |title: &str| NewRequest {
            channel: Channel::Hotline12345,
            category: "小修小补".into(),
            title: title.into(),
            description: String::new(),
            location: String::new(),
            resident: None,
            urgency: Urgency::Normal,
            work_order: "2026110200001".into(),
            hotline_due: None,
        };
        let at = |d: u32, h: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
        let limit = cats.limit_of("小修小补");
        let (li, wang) = (WorkerId(1), WorkerId(2));
        let mut a = Request::create(RequestId::new(2026, 1), new("楼道灯不亮"), li, at(2, 9), limit, &cal);
        a.apply(Move::Assign(li), li, at(2, 10), limit, &cal).unwrap();
        a.apply(Move::Return("不是本网格".into()), li, at(2, 11), limit, &cal).unwrap();
        a.apply(Move::Assign(wang), li, at(2, 12), limit, &cal).unwrap();
        // overdue by 11-09: a leader presses, yellow then red
        a.apply(Move::YellowCard("请尽快".into()), wang, at(9, 9), limit, &cal).unwrap();
        a.apply(Move::RedCard("仍未办".into()), wang, at(10, 9), limit, &cal).unwrap();
        a.apply(Move::AskExtension(at(20, 9).date(), "等配件".into()), wang, at(10, 10), limit, &cal).unwrap();
        a.apply(Move::ApproveExtension(String::new()), wang, at(10, 11), limit, &cal).unwrap();
        let mut b = Request::create(RequestId::new(2026, 2), new("三楼灯也不亮"), li, at(3, 9), limit, &cal);
        b.apply(Move::Merge(a.id, "同一件事".into()), li, at(3, 10), limit, &cal).unwrap();
        a.absorb(&b, li, at(3, 10));
        a.apply(Move::Resolve("换了灯".into()), wang, at(12, 9), limit, &cal).unwrap();
        assert!(b.resolve_along(&a, wang, at(12, 9)));
        let rep = compute(Lang::Zh, Month { year: 2026, month: 11 }, [a.clone(), b], &workers());
        assert_eq!(rep.total, 1, "the repeat is counted once, as the request it joined");
        assert_eq!(rep.resolved, 1);
        assert_eq!(rep.workers.iter().find(|w| w.name == "王强").map(|w| w.resolved), Some(1));
        let lc = &rep.loop_counts;
        assert_eq!((lc.returned, lc.merged), (1, 1));
        assert_eq!((lc.extensions_asked, lc.extensions_approved, lc.extensions_refused), (1, 1, 0));
        assert_eq!((lc.yellow, lc.red), (1, 1));
        assert_eq!(rep.pressed.len(), 1);
        assert_eq!(
            (rep.pressed[0].id, rep.pressed[0].card, rep.pressed[0].assignee_name.as_str()),
            (a.id, Card::Red, "王强")
        );
        let rows = &sections(&rep, Lang::Zh).into_iter().find(|(h, _)| h == "12345 闭环").unwrap().1;
        assert!(rows.iter().any(|(k, v)| k == "退单" && v == "1"), "{rows:?}");
        assert!(rows.iter().any(|(k, v)| k == "并单" && v.starts_with("1（")), "{rows:?}");
        assert!(rows.iter().any(|(k, v)| k == "2026-000001 楼道灯不亮" && v == "督办红牌 · 王强"), "{rows:?}");
    }
}
