//! Words of the overview (概览, key `0`) and of the report's charts.

use super::Lang;

#[derive(serde::Serialize)]
pub struct OverviewText {
    pub title: &'static str,
    pub a_overview: &'static str,
    pub today: &'static str,
    pub on_duty: &'static str,
    pub nobody_on_duty: &'static str,
    pub worker: &'static str,
    pub overdue: &'static str,
    pub due_soon: &'static str,
    pub open: &'static str,
    pub unassigned: &'static str,
    pub nothing_open: &'static str,
    pub per_month: &'static str,
    pub this_year: &'static str,
    pub last_year: &'static str,
    pub by_category: &'static str,
    pub satisfaction: &'static str,
    pub on_time: &'static str,
    pub hours: &'static str,
    pub top_teams: &'static str,
    pub workers_month: &'static str,
    pub leave_days: &'static str,
    pub training_days: &'static str,
    pub log_entries: &'static str,
    pub loading: &'static str,
    pub none: &'static str,
    pub hours_unit: &'static str,
    /// The figure Enter opens, in the footer.
    pub opens: &'static str,
    pub too_small: &'static str,
    /// The setting "the director sees the overview first".
    pub first_setting: &'static str,
    pub charts: &'static str,
    pub count: &'static str,
}

const ZH: OverviewText = OverviewText {
    title: "概览",
    a_overview: "概览",
    today: "今日",
    on_duty: "值班",
    nobody_on_duty: "今日未排值班",
    worker: "社区工作者",
    overdue: "超期",
    due_soon: "即将到期",
    open: "在办",
    unassigned: "未分派",
    nothing_open: "没有在办的诉求",
    per_month: "近12个月诉求登记",
    this_year: "本年",
    last_year: "上年同月",
    by_category: "本月诉求分类",
    satisfaction: "回访满意度",
    on_time: "按期办结率",
    hours: "志愿服务时长",
    top_teams: "本月服务最多的队伍",
    workers_month: "本月工作者情况",
    leave_days: "请假天数",
    training_days: "培训天数",
    log_entries: "民情日志",
    loading: "正在读取全部记录……",
    none: "无",
    hours_unit: "小时",
    opens: "Enter 打开所选数字背后的诉求列表",
    too_small: "窗口太小",
    first_setting: "启动时先显示概览",
    charts: "图表",
    count: "件数",
};

const EN: OverviewText = OverviewText {
    title: "Overview",
    a_overview: "Overview",
    today: "Today",
    on_duty: "On duty",
    nobody_on_duty: "Nobody on the rota today",
    worker: "Worker",
    overdue: "Overdue",
    due_soon: "Due soon",
    open: "Open",
    unassigned: "Unassigned",
    nothing_open: "No open requests",
    per_month: "Requests logged, last 12 months",
    this_year: "This year",
    last_year: "Same month last year",
    by_category: "This month by category",
    satisfaction: "Callback satisfaction",
    on_time: "Resolved on time",
    hours: "Volunteer hours",
    top_teams: "Most active teams this month",
    workers_month: "Workers this month",
    leave_days: "Leave days",
    training_days: "Training days",
    log_entries: "Log entries",
    loading: "Reading all records…",
    none: "none",
    hours_unit: "h",
    opens: "Enter opens the requests behind the selected figure",
    too_small: "Window too small",
    first_setting: "Show the overview first at start",
    charts: "Charts",
    count: "Count",
};

impl OverviewText {
    pub fn of(lang: Lang) -> &'static OverviewText {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

