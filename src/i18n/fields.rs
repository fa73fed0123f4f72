//! One description of every field a record keeps, per kind of record: its
//! key (as the audit trail stores it, `store::record::Record::fields`), its
//! label in both languages, and how its stored value is shown (a worker's
//! id as the worker's name, an enum's stored name in words, minutes as
//! hours). The forms label their fields from here, the audit trail labels
//! its changes from here, and the exports of the kinds without a sheet of
//! their own take their columns from here. A test walks every kind and
//! fails when a stored field has no description.

use super::Lang;
use crate::domain::duties::training::TrainingKind;
use crate::store::record::RecordKind;
use serde::de::DeserializeOwned;

/// Ids a stored value refers to, named by whoever shows it (the screen from
/// its lists, an export from the store). `None`: shown as `#id`.
pub trait Names {
    fn worker(&self, _id: u64) -> Option<String> {
        None
    }
    fn resident(&self, _id: u64) -> Option<String> {
        None
    }
    fn team(&self, _id: u64) -> Option<String> {
        None
    }
    fn post(&self, _id: u64) -> Option<String> {
        None
    }
    fn volunteer(&self, _id: u64) -> Option<String> {
        None
    }
    fn activity(&self, _id: u64) -> Option<String> {
        None
    }
}

/// Names nothing: ids are shown as `#id`.
pub struct NoNames;
impl Names for NoNames {}

/// How a field's stored value is shown.
#[derive(Clone, Copy)]
pub enum Shown {
    /// As stored (text, a date, a number, a masked phone).
    Text,
    /// `true` / `false` as 是 / 否.
    Bool,
    Worker,
    Resident,
    /// Several residents' ids, comma-separated.
    Residents,
    Team,
    Post,
    Volunteer,
    /// Several volunteers' ids, comma-separated (a post's regulars).
    Volunteers,
    Activity,
    /// A team's members: `id:Role:joined[..left]`, comma-separated.
    Members,
    /// Whole minutes, shown as hours.
    Minutes,
    /// Half days, shown as days.
    HalfDays,
    /// An enum's stored name, in words.
    Code(fn(Lang, &str) -> Option<&'static str>),
}

/// One field of one kind of record.
pub struct FieldDesc {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub shown: Shown,
}

impl FieldDesc {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// A stored value in words.
    pub fn show(&self, lang: Lang, raw: &str, names: &dyn Names) -> String {
        if raw.is_empty() {
            return String::new();
        }
        let id = |f: &dyn Fn(u64) -> Option<String>, s: &str| {
            s.trim().parse::<u64>().ok().and_then(f).unwrap_or_else(|| format!("#{}", s.trim()))
        };
        let list = |f: &dyn Fn(u64) -> Option<String>| raw.split(',').map(|s| id(f, s)).collect::<Vec<_>>().join("、");
        match self.shown {
            Shown::Text => raw.to_string(),
            Shown::Bool => super::yes_no(lang, raw == "true").to_string(),
            Shown::Worker => id(&|i| names.worker(i), raw),
            Shown::Resident => id(&|i| names.resident(i), raw),
            Shown::Residents => list(&|i| names.resident(i)),
            Shown::Team => id(&|i| names.team(i), raw),
            Shown::Post => id(&|i| names.post(i), raw),
            Shown::Volunteer => id(&|i| names.volunteer(i), raw),
            Shown::Volunteers => list(&|i| names.volunteer(i)),
            Shown::Activity => id(&|i| names.activity(i), raw),
            Shown::Members => raw
                .split(',')
                .map(|m| {
                    let mut parts = m.splitn(3, ':');
                    let who = id(&|i| names.volunteer(i), parts.next().unwrap_or(""));
                    let role = parts.next().and_then(|r| role(lang, r)).unwrap_or("");
                    format!("{who}{}{role}{}", lang.t().paren_open, lang.t().paren_close)
                })
                .collect::<Vec<_>>()
                .join("、"),
            Shown::Minutes => raw.parse::<u64>().map_or_else(
                |_| raw.to_string(),
                |m| format!("{} {}", crate::domain::volunteer::hours(m), lang.volunteers().hours_unit),
            ),
            Shown::HalfDays => raw.parse::<u32>().map_or_else(
                |_| raw.to_string(),
                |h| format!("{}{}", crate::domain::duties::half_days_text(h), lang.duties().days),
            ),
            Shown::Code(f) => f(lang, raw).map_or_else(|| raw.to_string(), str::to_string),
        }
    }
}

/// An enum's value from its stored name (the name serde writes: the same
/// as in backups).
fn decode<T: DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.to_string())).ok()
}

macro_rules! coded {
    ($name:ident, $ty:ty, $label:expr) => {
        fn $name(lang: Lang, raw: &str) -> Option<&'static str> {
            decode::<$ty>(raw).map(|v| $label(lang, v))
        }
    };
}

coded!(channel, crate::domain::Channel, super::channel);
coded!(urgency, crate::domain::Urgency, super::urgency);
coded!(status, crate::domain::Status, super::status);
coded!(satisfaction, crate::domain::Satisfaction, super::satisfaction);
coded!(card, crate::domain::request::Card, super::card);
coded!(worker_status, crate::domain::worker::WorkerStatus, super::duties::worker_status);
coded!(period, crate::domain::duties::standing::Period, super::duties::period);
coded!(task_status, crate::domain::duties::task::TaskStatus, super::duties::task_status);
coded!(leave_kind, crate::domain::duties::leave::LeaveKind, super::duties::leave_kind);
coded!(leave_status, crate::domain::duties::leave::LeaveStatus, super::duties::leave_status);
coded!(log_kind, crate::domain::duties::log::LogKind, super::duties::log_kind);
coded!(training_kind, TrainingKind, |lang: Lang, k| match k {
    TrainingKind::Training => lang.duties().kind_training,
    TrainingKind::Study => lang.duties().kind_study,
});
coded!(team_status, crate::domain::volunteer::TeamStatus, super::volunteers::team_status);
coded!(post_status, crate::domain::volunteer::PostStatus, super::volunteers::post_status);
coded!(gender, crate::domain::volunteer::Gender, super::volunteers::gender);
coded!(volunteer_kind, crate::domain::volunteer::VolunteerKind, super::volunteers::kind);
coded!(role, crate::domain::volunteer::Role, super::volunteers::role);

const fn f(key: &'static str, zh: &'static str, en: &'static str, shown: Shown) -> FieldDesc {
    FieldDesc { key, zh, en, shown }
}

use Shown::*;

const REQUEST: &[FieldDesc] = &[
    f("channel", "渠道", "Channel", Code(channel)),
    f("category", "类别", "Category", Text),
    f("title", "标题", "Title", Text),
    f("description", "描述", "Description", Text),
    f("location", "地点", "Location", Text),
    f("resident", "居民", "Resident", Resident),
    f("urgency", "紧急程度", "Urgency", Code(urgency)),
    f("status", "状态", "Status", Code(status)),
    f("assignee", "经办人", "Handler", Worker),
    f("due", "截止日期", "Due", Text),
    f("satisfaction", "满意度", "Satisfaction", Code(satisfaction)),
    f("timeline", "办理记录条数", "Timeline entries", Text),
    f("work_order", "12345工单号", "12345 work order", Text),
    f("hotline_due", "12345时限", "12345 due", Text),
    f("merged_into", "并入诉求", "Merged into", Text),
    f("asked_due", "申请延期至", "Extension asked to", Text),
    f("card", "督办", "Pressed", Code(card)),
];

const RESIDENT: &[FieldDesc] = &[
    f("name", "姓名", "Name", Text),
    f("phone", "电话", "Phone", Text),
    f("address", "住址", "Address", Text),
    f("grid", "网格", "Grid", Text),
    f("tags", "标签", "Tags", Text),
    f("notes", "备注", "Notes", Text),
];

const WORKER: &[FieldDesc] = &[
    f("name", "姓名", "Name", Text),
    f("post", "岗位", "Post", Text),
    f("phone", "电话", "Phone", Text),
    f("grid", "网格", "Grid", Text),
    f("active", "在职", "Active", Bool),
    f("grade", "岗位等级", "Grade", Text),
    f("areas", "分管领域", "Areas", Text),
    f("start", "入职日期", "Started", Text),
    f("status", "状态", "Status", Code(worker_status)),
];

const TEAM: &[FieldDesc] = &[
    f("name", "队名", "Name", Text),
    f("service_types", "服务类型", "Service types", Text),
    f("founded", "成立日期", "Founded", Text),
    f("status", "状态", "Status", Code(team_status)),
    f("members", "队员", "Members", Members),
    f("notes", "备注", "Notes", Text),
];

const POST: &[FieldDesc] = &[
    f("name", "岗位名称", "Name", Text),
    f("service_type", "服务类型", "Service type", Text),
    f("place", "地点", "Place", Text),
    f("schedule", "服务时间", "Schedule", Text),
    f("needed", "需要人数", "Needed", Text),
    f("status", "状态", "Status", Code(post_status)),
    f("team", "认领队伍", "Claimed by", Team),
    f("claimed_on", "认领日期", "Claimed on", Text),
    f("staff", "固定志愿者", "Regulars", Volunteers),
];

const VOLUNTEER: &[FieldDesc] = &[
    f("resident", "关联居民", "Resident", Resident),
    f("name", "姓名", "Name", Text),
    f("phone", "电话", "Phone", Text),
    f("gender", "性别", "Gender", Code(gender)),
    f("birth_year", "出生年份", "Born", Text),
    f("kind", "类别", "Kind", Code(volunteer_kind)),
    f("org", "单位", "Organisation", Text),
    f("skills", "技能", "Skills", Text),
    f("availability", "空闲时间", "Free", Text),
    f("joined", "登记日期", "Registered", Text),
    f("active", "在册", "Active", Bool),
    f("notes", "备注", "Notes", Text),
];

const ACTIVITY: &[FieldDesc] = &[
    f("date", "日期", "Date", Text),
    f("span", "时间", "Time", Text),
    f("team", "服务队", "Team", Team),
    f("post", "服务岗位", "Post", Post),
    f("place", "地点", "Place", Text),
    f("title", "活动", "Activity", Text),
];

const SERVICE: &[FieldDesc] = &[
    f("volunteer", "志愿者", "Volunteer", Volunteer),
    f("date", "日期", "Date", Text),
    f("minutes", "服务时长", "Hours", Minutes),
    f("activity", "活动", "Activity", Activity),
    f("team", "服务队", "Team", Team),
    f("post", "服务岗位", "Post", Post),
    f("what", "服务内容", "Service", Text),
    f("voided", "作废", "Void", Bool),
    f("reason", "更正原因", "Reason", Text),
];

const CERTIFICATE: &[FieldDesc] = &[
    f("number", "证明编号", "Number", Text),
    f("volunteer", "志愿者", "Volunteer", Volunteer),
    f("name", "姓名", "Name", Text),
    f("from", "开始日期", "From", Text),
    f("to", "结束日期", "To", Text),
    f("minutes", "服务时长", "Hours", Minutes),
    f("count", "服务次数", "Times", Text),
    f("issued_on", "出具日期", "Issued", Text),
];

const DUTY: &[FieldDesc] = &[
    f("worker", "社区工作者", "Worker", Worker),
    f("title", "职责", "Duty", Text),
    f("period", "周期", "Period", Code(period)),
    f("tag", "对象标签", "Residents tagged", Text),
    f("grid", "网格", "Grid", Text),
    f("active", "有效", "In force", Bool),
];

const TASK: &[FieldDesc] = &[
    f("worker", "社区工作者", "Worker", Worker),
    f("title", "任务", "Task", Text),
    f("detail", "说明", "Detail", Text),
    f("due", "截止日期", "Due", Text),
    f("status", "状态", "Status", Code(task_status)),
    f("closed_on", "完成日期", "Closed on", Text),
];

const ROTA: &[FieldDesc] =
    &[f("date", "日期", "Date", Text), f("worker", "值班人员", "On duty", Worker), f("note", "备注", "Note", Text)];

const LEAVE: &[FieldDesc] = &[
    f("worker", "社区工作者", "Worker", Worker),
    f("kind", "假别", "Kind", Code(leave_kind)),
    f("from", "开始日期", "From", Text),
    f("to", "结束日期", "To", Text),
    f("reason", "事由", "Reason", Text),
    f("status", "状态", "Status", Code(leave_status)),
    f("decided_by", "审批人", "Decided by", Worker),
    f("decision_note", "审批意见", "Decision note", Text),
    f("returned", "销假日期", "Back on", Text),
];

const LOG_ENTRY: &[FieldDesc] = &[
    f("worker", "社区工作者", "Worker", Worker),
    f("date", "日期", "Date", Text),
    f("kind", "类型", "Kind", Code(log_kind)),
    f("residents", "居民", "Residents", Residents),
    f("found", "情况", "Found", Text),
    f("follow_up", "后续", "Follow-up", Text),
    f("request", "转为诉求", "Request", Text),
    f("comments", "点评条数", "Comments", Text),
];

const TRAINING: &[FieldDesc] = &[
    f("worker", "社区工作者", "Worker", Worker),
    f("date", "日期", "Date", Text),
    f("kind", "类型", "Kind", Code(training_kind)),
    f("title", "内容", "Title", Text),
    f("half_days", "天数", "Days", HalfDays),
    f("organizer", "组织单位", "Organizer", Text),
];

const EVALUATION: &[FieldDesc] = &[
    f("year", "年度", "Year", Text),
    f("worker", "社区工作者", "Worker", Worker),
    f("street", "街道考评", "Street", Text),
    f("residents", "居民代表测评", "Residents' representatives", Text),
    f("own", "自评", "Self", Text),
    f("comment", "评语", "Comment", Text),
    f("dim_de", "德", "Integrity", Text),
    f("dim_neng", "能", "Ability", Text),
    f("dim_qin", "勤", "Diligence", Text),
    f("dim_ji", "绩", "Results", Text),
    f("dim_lian", "廉", "Probity", Text),
];

/// A kind of record in words (the audit trail, undo, backups' contents).
pub fn kind_name(lang: Lang, k: RecordKind) -> &'static str {
    use RecordKind as K;
    let (zh, en) = match k {
        K::Request => ("诉求", "request"),
        K::Resident => ("居民", "resident"),
        K::Worker => ("社区工作者", "worker"),
        K::Team => ("服务队", "team"),
        K::Post => ("服务岗位", "post"),
        K::Volunteer => ("志愿者", "volunteer"),
        K::Activity => ("志愿活动", "activity"),
        K::ServiceRecord => ("服务记录", "service record"),
        K::Certificate => ("服务证明", "certificate"),
        K::Duty => ("常规职责", "standing duty"),
        K::Task => ("任务", "task"),
        K::RotaSlot => ("值班", "rota shift"),
        K::Leave => ("请假", "leave"),
        K::LogEntry => ("民情日志", "daily log"),
        K::Training => ("培训", "training"),
        K::Evaluation => ("考评", "evaluation"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Every field a kind of record keeps, in the order it keeps them.
pub fn fields(kind: RecordKind) -> &'static [FieldDesc] {
    match kind {
        RecordKind::Request => REQUEST,
        RecordKind::Resident => RESIDENT,
        RecordKind::Worker => WORKER,
        RecordKind::Team => TEAM,
        RecordKind::Post => POST,
        RecordKind::Volunteer => VOLUNTEER,
        RecordKind::Activity => ACTIVITY,
        RecordKind::ServiceRecord => SERVICE,
        RecordKind::Certificate => CERTIFICATE,
        RecordKind::Duty => DUTY,
        RecordKind::Task => TASK,
        RecordKind::RotaSlot => ROTA,
        RecordKind::Leave => LEAVE,
        RecordKind::LogEntry => LOG_ENTRY,
        RecordKind::Training => TRAINING,
        RecordKind::Evaluation => EVALUATION,
    }
}

/// One field's description.
pub fn find(kind: RecordKind, key: &str) -> Option<&'static FieldDesc> {
    fields(kind).iter().find(|d| d.key == key)
}

/// A field's label; an unknown key (an entry of an export's own fields)
/// is shown as it is stored.
pub fn label(lang: Lang, kind: RecordKind, key: &str) -> String {
    find(kind, key).map_or_else(|| key.to_string(), |d| d.label(lang).to_string())
}

/// A field's stored value in words.
pub fn show(lang: Lang, kind: RecordKind, key: &str, raw: &str, names: &dyn Names) -> String {
    find(kind, key).map_or_else(|| raw.to_string(), |d| d.show(lang, raw, names))
}

/// What an audit entry says beyond who and when, in words: an export's
/// kind, row count, format and file (`居民 4 行 CSV（完整号码） → …`); a
/// change's fields with their values (`姓名：张三 → 张三丰；电话：…`); a
/// viewing's field. The trail on screen and its CSV export both say it so.
pub fn entry_details(lang: Lang, e: &crate::store::audit::AuditEntry, names: &dyn Names) -> String {
    use crate::store::audit::AuditAction;
    let t = lang.t();
    if e.action == AuditAction::Export {
        let what = |key: &str| e.changes.iter().find(|c| c.field == key).map_or("", |c| c.new.as_str());
        let kind = RecordKind::parse(what("what"))
            .map_or_else(|| lang.data().kind_audit.to_string(), |k| kind_name(lang, k).to_string());
        let full = if what("full_numbers") == "true" { t.export_full_numbers_mark } else { "" };
        return format!(
            "{kind} {} {}{full} → {}",
            super::fill(t.rows_n, what("rows")),
            what("format").to_uppercase(),
            what("target")
        );
    }
    let changes: Vec<String> = e
        .changes
        .iter()
        .map(|c| {
            let label = label(lang, e.kind, &c.field);
            // an empty value (no handler yet) says so rather than nothing
            let value =
                |v: &str| if v.is_empty() { t.none.to_string() } else { show(lang, e.kind, &c.field, v, names) };
            match e.action {
                AuditAction::Reveal => label,
                AuditAction::Create => format!("{label}{}{}", t.colon, value(&c.new)),
                _ => format!("{label}{}{} → {}", t.colon, value(&c.old), value(&c.new)),
            }
        })
        .collect();
    changes.join(lang.data_ui().notes_sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Some1;
    impl Names for Some1 {
        fn worker(&self, id: u64) -> Option<String> {
            (id == 1).then(|| "李娜".into())
        }
        fn volunteer(&self, id: u64) -> Option<String> {
            (id == 7).then(|| "陈阿姨".into())
        }
    }

    #[test]
    fn stored_values_are_shown_in_words() {
        let zh = Lang::Zh;
        assert_eq!(show(zh, RecordKind::Request, "status", "InProgress", &NoNames), "办理中");
        assert_eq!(show(zh, RecordKind::Request, "assignee", "1", &Some1), "李娜");
        assert_eq!(show(zh, RecordKind::Request, "assignee", "9", &Some1), "#9");
        assert_eq!(show(zh, RecordKind::Worker, "active", "true", &NoNames), "是");
        assert_eq!(show(zh, RecordKind::ServiceRecord, "minutes", "90", &NoNames), "1.5 小时");
        assert_eq!(show(zh, RecordKind::Team, "members", "7:Leader:2026-01-02", &Some1), "陈阿姨（队长）");
        assert_eq!(label(zh, RecordKind::Request, "work_order"), "12345工单号");
        assert_eq!(label(Lang::En, RecordKind::Request, "assignee"), "Handler");
        // an unknown stored name is shown as it is, never dropped
        assert_eq!(show(zh, RecordKind::Request, "status", "Lost", &NoNames), "Lost");
        assert_eq!(show(zh, RecordKind::Request, "status", "Merged", &NoNames), "已并单");
        assert_eq!(show(zh, RecordKind::Request, "card", "Red", &NoNames), "督办红牌");
    }

    #[test]
    fn every_kind_has_each_key_once() {
        for kind in RecordKind::ALL {
            let keys: Vec<&str> = fields(kind).iter().map(|d| d.key).collect();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), keys.len(), "{kind:?} repeats a key");
            assert!(fields(kind).iter().all(|d| !d.zh.is_empty() && !d.en.is_empty()));
        }
    }
}
