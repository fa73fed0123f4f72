//! Every word linli shows, in Chinese (the default) and English, in one
//! place per language. Labels for domain enums live here too, so the domain
//! stays free of presentation.

use crate::domain::request::{Channel, Deadline, MoveKind, Satisfaction, Status, Urgency};
use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "zh_cn" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn t(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// Words with a `{}` take one argument through [`fill`].
pub struct Text {
    pub app_name: &'static str,
    pub panel_requests: &'static str,
    pub panel_residents: &'static str,
    pub panel_workers: &'static str,
    pub operator: &'static str,
    pub demo_badge: &'static str,
    pub loading: &'static str,
    pub too_small: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub filter: &'static str,
    pub sort: &'static str,
    pub all: &'static str,
    pub none: &'static str,
    pub anonymous: &'static str,
    pub shown_of: &'static str,
    pub no_rows: &'static str,
    // request columns and fields
    pub col_id: &'static str,
    pub col_date: &'static str,
    pub col_resident: &'static str,
    pub col_category: &'static str,
    pub col_title: &'static str,
    pub col_assignee: &'static str,
    pub col_status: &'static str,
    pub col_due: &'static str,
    pub f_channel: &'static str,
    pub f_description: &'static str,
    pub f_location: &'static str,
    pub f_urgency: &'static str,
    pub f_logged: &'static str,
    pub f_satisfaction: &'static str,
    pub f_timeline: &'static str,
    pub f_name: &'static str,
    pub f_phone: &'static str,
    pub f_address: &'static str,
    pub f_grid: &'static str,
    pub f_tags: &'static str,
    pub f_notes: &'static str,
    pub f_post: &'static str,
    pub f_history: &'static str,
    pub f_text: &'static str,
    pub f_department: &'static str,
    pub f_reason: &'static str,
    pub f_resolution: &'static str,
    pub f_from: &'static str,
    pub f_to: &'static str,
    pub f_active: &'static str,
    // sorts and quick filters
    pub sort_newest: &'static str,
    pub sort_due: &'static str,
    pub sort_oldest: &'static str,
    pub q_mine: &'static str,
    pub q_attention: &'static str,
    pub q_callback: &'static str,
    pub q_overdue: &'static str,
    pub q_due_soon: &'static str,
    // deadline words
    pub due_today: &'static str,
    pub due_tomorrow: &'static str,
    pub overdue_days: &'static str,
    // forms and layers
    pub new_request: &'static str,
    pub edit_request: &'static str,
    pub new_resident: &'static str,
    pub edit_resident: &'static str,
    pub new_worker: &'static str,
    pub edit_worker: &'static str,
    pub add_note: &'static str,
    pub choose_move: &'static str,
    pub choose_worker: &'static str,
    pub choose_resident: &'static str,
    pub choose_operator: &'static str,
    pub create_resident_named: &'static str,
    pub pick_anonymous: &'static str,
    pub add_first_worker: &'static str,
    pub welcome: &'static str,
    pub welcome_body: &'static str,
    pub welcome_demo: &'static str,
    pub filters_title: &'static str,
    pub help_title: &'static str,
    pub help_footer: &'static str,
    pub confirm: &'static str,
    pub confirm_discard: &'static str,
    pub confirm_quit_demo: &'static str,
    pub yes_no: &'static str,
    pub form_keys: &'static str,
    pub picker_keys: &'static str,
    pub required: &'static str,
    pub bad_phone: &'static str,
    pub bad_date: &'static str,
    pub duplicate_warning: &'static str,
    pub saved: &'static str,
    pub saved_request: &'static str,
    pub revealed: &'static str,
    pub no_operator: &'static str,
    pub nothing_selected: &'static str,
    pub no_moves: &'static str,
    pub calendar_warning: &'static str,
    pub categories_warning: &'static str,
    pub request_history_empty: &'static str,
    pub masked_hint: &'static str,
    // timeline words
    pub tl_created: &'static str,
    pub tl_comment: &'static str,
    pub menu_keys: &'static str,
    // actions (footer and help)
    pub a_quit: &'static str,
    pub a_help: &'static str,
    pub a_next_panel: &'static str,
    pub a_panel: &'static str,
    pub a_up: &'static str,
    pub a_down: &'static str,
    pub a_page: &'static str,
    pub a_top_bottom: &'static str,
    pub a_open: &'static str,
    pub a_back: &'static str,
    pub a_search: &'static str,
    pub a_new: &'static str,
    pub a_edit: &'static str,
    pub a_move: &'static str,
    pub a_assign: &'static str,
    pub a_note: &'static str,
    pub a_filter: &'static str,
    pub a_sort: &'static str,
    pub a_mine: &'static str,
    pub a_attention: &'static str,
    pub a_callback: &'static str,
    pub a_clear: &'static str,
    pub a_reveal: &'static str,
    pub a_operator: &'static str,
    pub a_submit: &'static str,
    pub a_next_field: &'static str,
    pub a_prev_field: &'static str,
    pub a_choose: &'static str,
    pub a_pick: &'static str,
    pub a_new_request_for: &'static str,
    // errors
    pub e_locked: &'static str,
    pub e_newer: &'static str,
    pub e_corrupt: &'static str,
    pub e_not_found: &'static str,
    pub e_disk_full: &'static str,
    pub e_read_only: &'static str,
    pub e_io: &'static str,
    pub e_not_allowed: &'static str,
    pub e_text_required: &'static str,
    pub e_invalid: &'static str,
    pub e_no_data_dir: &'static str,
}

/// Puts `arg` where `{}` stands in `template` (once).
pub fn fill(template: &str, arg: impl std::fmt::Display) -> String {
    template.replacen("{}", &arg.to_string(), 1)
}

pub static ZH: Text = Text {
    app_name: "邻里",
    panel_requests: "居民诉求",
    panel_residents: "居民名册",
    panel_workers: "社区工作者",
    operator: "操作员",
    demo_badge: "演示数据",
    loading: "正在载入全部记录…",
    too_small: "窗口太小，请把终端窗口放大到至少 80×24",
    search: "搜索",
    search_hint: "按 / 搜索：标题、描述、姓名、地址、拼音首字母（如 zs）、电话尾号",
    filter: "筛选",
    sort: "排序",
    all: "全部",
    none: "无",
    anonymous: "匿名",
    shown_of: "共 {} 条",
    no_rows: "没有符合条件的记录",
    col_id: "编号",
    col_date: "日期",
    col_resident: "居民",
    col_category: "类别",
    col_title: "标题",
    col_assignee: "经办",
    col_status: "状态",
    col_due: "截止",
    f_channel: "渠道",
    f_description: "描述",
    f_location: "地点",
    f_urgency: "紧急程度",
    f_logged: "登记",
    f_satisfaction: "满意度",
    f_timeline: "办理记录",
    f_name: "姓名",
    f_phone: "电话",
    f_address: "住址",
    f_grid: "网格",
    f_tags: "标签",
    f_notes: "备注",
    f_post: "岗位",
    f_history: "诉求记录",
    f_text: "内容",
    f_department: "转办部门",
    f_reason: "原因",
    f_resolution: "办理结果",
    f_from: "起始日期",
    f_to: "截止日期",
    f_active: "在岗",
    sort_newest: "最新登记",
    sort_due: "截止日期",
    sort_oldest: "最久未办",
    q_mine: "我的",
    q_attention: "需关注",
    q_callback: "待回访",
    q_overdue: "已逾期",
    q_due_soon: "将到期",
    due_today: "今日到期",
    due_tomorrow: "明日到期",
    overdue_days: "逾期{}天",
    new_request: "登记新诉求",
    edit_request: "修改诉求",
    new_resident: "新增居民",
    edit_resident: "修改居民信息",
    new_worker: "新增社区工作者",
    edit_worker: "修改社区工作者",
    add_note: "添加办理备注",
    choose_move: "流转",
    choose_worker: "选择社区工作者",
    choose_resident: "选择居民",
    choose_operator: "请选择操作员（谁在使用）",
    create_resident_named: "+ 新建居民“{}”",
    pick_anonymous: "（匿名，不关联居民）",
    add_first_worker: "+ 新增社区工作者",
    welcome: "欢迎使用邻里",
    welcome_body: "这里还没有任何记录。请先添加第一位社区工作者（通常就是您自己），之后登记的每一条记录都会记下经办人。",
    welcome_demo: "想先看看？按 F5 打开演示数据（演示数据单独存放，不会混入正式记录）。",
    filters_title: "筛选条件",
    help_title: "按键帮助",
    help_footer: "Esc 关闭",
    confirm: "请确认",
    confirm_discard: "放弃已填写的内容？",
    confirm_quit_demo: "",
    yes_no: "y 是 / n 否",
    form_keys: "Tab/↓ 下一项  ↑ 上一项  ←/→ 选择  Ctrl+S 保存  Esc 取消",
    picker_keys: "输入以筛选  ↑↓ 选择  Enter 确定  Esc 取消",
    required: "“{}”不能为空",
    bad_phone: "电话号码格式不对：手机 11 位，座机 7–12 位数字",
    bad_date: "日期格式不对，请写成 2026-11-24",
    duplicate_warning: "注意：该居民已有同类未办结诉求 {}，可能是重复登记",
    saved: "已保存",
    saved_request: "已保存诉求 {}",
    revealed: "已显示完整号码（本次查看已记入审计日志）",
    no_operator: "请先选择操作员",
    nothing_selected: "没有选中的记录",
    no_moves: "该诉求已结束，没有可办理的流转",
    calendar_warning: "工作日历文件有误，已改用内置日历：{}",
    categories_warning: "类别文件有误，已改用默认类别：{}",
    request_history_empty: "暂无诉求记录",
    masked_hint: "v 显示完整号码",
    tl_created: "登记",
    tl_comment: "备注",
    menu_keys: "↑↓ 选择  数字或 Enter 确定  Esc 取消",
    a_quit: "退出",
    a_help: "帮助",
    a_next_panel: "切换面板",
    a_panel: "面板",
    a_up: "上移",
    a_down: "下移",
    a_page: "翻页",
    a_top_bottom: "首/末",
    a_open: "详情",
    a_back: "返回",
    a_search: "搜索",
    a_new: "新建",
    a_edit: "修改",
    a_move: "流转",
    a_assign: "分派",
    a_note: "备注",
    a_filter: "筛选",
    a_sort: "排序",
    a_mine: "我的",
    a_attention: "需关注",
    a_callback: "待回访",
    a_clear: "清除筛选",
    a_reveal: "显示号码",
    a_operator: "换操作员",
    a_submit: "保存",
    a_next_field: "下一项",
    a_prev_field: "上一项",
    a_choose: "选择",
    a_pick: "确定",
    a_new_request_for: "为此居民登记诉求",
    e_locked: "数据目录 {} 正被另一个邻里窗口使用。请先关闭那个窗口。",
    e_newer: "这些数据由更新版本的邻里写入（数据版本 {}），请升级本程序后再打开。",
    e_corrupt: "有一条记录无法读取：{}。请运行 linli check，或从备份恢复。",
    e_not_found: "找不到该记录：{}",
    e_disk_full: "磁盘已满，未能保存。请清理磁盘空间后重试；已保存的记录不受影响。",
    e_read_only: "数据目录无法写入（只读或没有权限）：{}",
    e_io: "读写磁盘出错：{}",
    e_not_allowed: "当前状态下不能进行该操作",
    e_text_required: "请填写内容",
    e_invalid: "内容不完整：{}",
    e_no_data_dir: "找不到数据目录，请用 --data-dir 或环境变量 LINLI_DATA_DIR 指定",
};

pub static EN: Text = Text {
    app_name: "linli",
    panel_requests: "Requests",
    panel_residents: "Residents",
    panel_workers: "Workers",
    operator: "Operator",
    demo_badge: "DEMO",
    loading: "Loading all records…",
    too_small: "Window too small: please enlarge the terminal to at least 80×24",
    search: "Search",
    search_hint: "/ to search: title, description, name, address, pinyin initials (zs), phone tail",
    filter: "Filter",
    sort: "Sort",
    all: "All",
    none: "None",
    anonymous: "Anonymous",
    shown_of: "{} total",
    no_rows: "Nothing matches",
    col_id: "No.",
    col_date: "Date",
    col_resident: "Resident",
    col_category: "Category",
    col_title: "Title",
    col_assignee: "Handler",
    col_status: "Status",
    col_due: "Due",
    f_channel: "Channel",
    f_description: "Description",
    f_location: "Location",
    f_urgency: "Urgency",
    f_logged: "Logged",
    f_satisfaction: "Satisfaction",
    f_timeline: "Timeline",
    f_name: "Name",
    f_phone: "Phone",
    f_address: "Address",
    f_grid: "Grid",
    f_tags: "Tags",
    f_notes: "Notes",
    f_post: "Post",
    f_history: "Requests",
    f_text: "Text",
    f_department: "Department",
    f_reason: "Reason",
    f_resolution: "What was done",
    f_from: "From",
    f_to: "To",
    f_active: "Active",
    sort_newest: "Newest",
    sort_due: "Due date",
    sort_oldest: "Oldest open",
    q_mine: "Mine",
    q_attention: "Attention",
    q_callback: "Callback queue",
    q_overdue: "Overdue",
    q_due_soon: "Due soon",
    due_today: "due today",
    due_tomorrow: "due tomorrow",
    overdue_days: "{}d late",
    new_request: "Log a new request",
    edit_request: "Edit request",
    new_resident: "New resident",
    edit_resident: "Edit resident",
    new_worker: "New worker",
    edit_worker: "Edit worker",
    add_note: "Add a note",
    choose_move: "Next step",
    choose_worker: "Choose a worker",
    choose_resident: "Choose a resident",
    choose_operator: "Who is at the keyboard?",
    create_resident_named: "+ New resident \"{}\"",
    pick_anonymous: "(anonymous, no resident)",
    add_first_worker: "+ Add a worker",
    welcome: "Welcome to linli",
    welcome_body: "There are no records yet. First add the office's first worker (usually you): every record you log will name who did it.",
    welcome_demo: "Just looking? Press F5 to open the demo data (kept apart, never mixed with real records).",
    filters_title: "Filters",
    help_title: "Keys",
    help_footer: "Esc closes",
    confirm: "Please confirm",
    confirm_discard: "Discard what you typed?",
    confirm_quit_demo: "",
    yes_no: "y yes / n no",
    form_keys: "Tab/↓ next  ↑ previous  ←/→ choose  Ctrl+S save  Esc cancel",
    picker_keys: "Type to filter  ↑↓ move  Enter choose  Esc cancel",
    required: "\"{}\" cannot be empty",
    bad_phone: "Phone number looks wrong: 11 digits for a mobile, 7–12 for a landline",
    bad_date: "Date looks wrong: write it as 2026-11-24",
    duplicate_warning: "Note: this resident already has an open request in this category ({}): likely a duplicate",
    saved: "Saved",
    saved_request: "Saved request {}",
    revealed: "Full number shown (this viewing is recorded in the audit trail)",
    no_operator: "Choose an operator first",
    nothing_selected: "Nothing selected",
    no_moves: "This request is finished: no next step",
    calendar_warning: "The working-day calendar file has an error, using the built-in one: {}",
    categories_warning: "The categories file has an error, using the defaults: {}",
    request_history_empty: "No requests yet",
    masked_hint: "v shows the full number",
    tl_created: "Logged",
    tl_comment: "Note",
    menu_keys: "↑↓ move  number or Enter choose  Esc cancel",
    a_quit: "Quit",
    a_help: "Help",
    a_next_panel: "Next panel",
    a_panel: "Panel",
    a_up: "Up",
    a_down: "Down",
    a_page: "Page",
    a_top_bottom: "Top/bottom",
    a_open: "Details",
    a_back: "Back",
    a_search: "Search",
    a_new: "New",
    a_edit: "Edit",
    a_move: "Next step",
    a_assign: "Assign",
    a_note: "Note",
    a_filter: "Filter",
    a_sort: "Sort",
    a_mine: "Mine",
    a_attention: "Attention",
    a_callback: "Callbacks",
    a_clear: "Clear filters",
    a_reveal: "Show number",
    a_operator: "Operator",
    a_submit: "Save",
    a_next_field: "Next field",
    a_prev_field: "Previous field",
    a_choose: "Choose",
    a_pick: "Pick",
    a_new_request_for: "New request for resident",
    e_locked: "The data in {} is open in another linli window. Close that one first.",
    e_newer: "This data was written by a newer linli (data version {}). Please upgrade linli to open it.",
    e_corrupt: "A record could not be read: {}. Run linli check, or restore from a backup.",
    e_not_found: "Record not found: {}",
    e_disk_full: "The disk is full: nothing was saved. Free some space and try again; saved records are unharmed.",
    e_read_only: "The data dir cannot be written (read-only or no permission): {}",
    e_io: "Disk error: {}",
    e_not_allowed: "That step is not possible in the current state",
    e_text_required: "Please write something",
    e_invalid: "Incomplete: {}",
    e_no_data_dir: "No data dir found: give one with --data-dir or LINLI_DATA_DIR",
};

pub fn store_error(lang: Lang, e: &StoreError) -> String {
    let t = lang.t();
    match e {
        StoreError::Locked(p) => fill(t.e_locked, p.display()),
        StoreError::NewerSchema { found, .. } => fill(t.e_newer, found),
        StoreError::Corrupt { what, key, detail } => fill(t.e_corrupt, format!("{what} {key}: {detail}")),
        StoreError::NotFound { what, key } => fill(t.e_not_found, format!("{what} {key}")),
        StoreError::DiskFull => t.e_disk_full.to_string(),
        StoreError::ReadOnly(d) => fill(t.e_read_only, d),
        StoreError::Io(d) => fill(t.e_io, d),
        StoreError::Rule(crate::domain::request::MoveError::NotAllowed(..)) => t.e_not_allowed.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::TextRequired) => t.e_text_required.to_string(),
        StoreError::Invalid(d) => fill(t.e_invalid, d),
    }
}

pub fn status(lang: Lang, s: Status) -> &'static str {
    use Status::*;
    match (lang, s) {
        (Lang::Zh, Logged) => "登记",
        (Lang::Zh, Assigned) => "已分派",
        (Lang::Zh, InProgress) => "办理中",
        (Lang::Zh, Resolved) => "已办结",
        (Lang::Zh, CalledBack) => "已回访",
        (Lang::Zh, Closed) => "已归档",
        (Lang::Zh, Escalated) => "已上报",
        (Lang::Zh, Transferred) => "已转办",
        (Lang::Zh, Withdrawn) => "已撤回",
        (Lang::En, Logged) => "Logged",
        (Lang::En, Assigned) => "Assigned",
        (Lang::En, InProgress) => "Working",
        (Lang::En, Resolved) => "Resolved",
        (Lang::En, CalledBack) => "Called",
        (Lang::En, Closed) => "Closed",
        (Lang::En, Escalated) => "Escalated",
        (Lang::En, Transferred) => "Transfer",
        (Lang::En, Withdrawn) => "Withdrawn",
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
        (Lang::En, Assign) => "Assign",
        (Lang::En, Start) => "Start work",
        (Lang::En, Resolve) => "Resolve",
        (Lang::En, CallBack) => "Call back",
        (Lang::En, Close) => "Close",
        (Lang::En, Reopen) => "Reopen",
        (Lang::En, Escalate) => "Escalate to street office",
        (Lang::En, Transfer) => "Transfer",
        (Lang::En, Withdraw) => "Withdraw",
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

/// The due column: the date, with words and marks that do not rely on
/// colour (`!` due soon, `!!` overdue).
pub fn deadline(lang: Lang, d: Deadline, due: chrono::NaiveDate) -> String {
    let t = lang.t();
    match d {
        Deadline::Done | Deadline::Ok(_) => due.format("%m-%d").to_string(),
        Deadline::DueSoon(0) => format!("! {}", t.due_today),
        Deadline::DueSoon(_) => format!("! {}", t.due_tomorrow),
        Deadline::Overdue(n) => format!("!! {}", fill(t.overdue_days, n)),
    }
}

// ---- backups, exports and imports -------------------------------------------------

use crate::store::backup::{BackupError, BackupInfo};

/// Words of the backup, restore, export and import commands and screens.
/// Words with `{}` take arguments through [`fill`] (in order).
pub struct DataText {
    pub e_missing: &'static str,
    pub e_not_backup: &'static str,
    pub e_truncated: &'static str,
    pub e_corrupted: &'static str,
    pub e_newer_backup: &'static str,
    pub e_passphrase_required: &'static str,
    pub e_wrong_passphrase: &'static str,
    pub e_empty_passphrase: &'static str,
    pub backup_done: &'static str,
    pub verify_ok: &'static str,
    pub restore_done: &'static str,
    pub safety_copy: &'static str,
    pub restore_confirm: &'static str,
    pub restore_cancelled: &'static str,
    pub restore_needs_yes: &'static str,
    pub holds: &'static str,
    pub made_at: &'static str,
    pub made_by: &'static str,
    pub encrypted: &'static str,
    pub passphrase: &'static str,
    pub passphrase_again: &'static str,
    pub passphrase_mismatch: &'static str,
    pub passphrase_no_terminal: &'static str,
    pub offsite_hint: &'static str,
    pub kind_request: &'static str,
    pub kind_resident: &'static str,
    pub kind_worker: &'static str,
    pub kind_audit: &'static str,
    pub kind_meta: &'static str,
    pub export_done: &'static str,
    pub export_full_numbers: &'static str,
    pub import_summary: &'static str,
    pub import_done: &'static str,
    pub import_dry_run: &'static str,
    pub import_has_errors: &'static str,
    pub import_columns: &'static str,
    pub import_no_name_column: &'static str,
    pub import_bad_encoding: &'static str,
    pub import_unreadable: &'static str,
    pub p_empty_name: &'static str,
    pub p_bad_phone: &'static str,
    pub p_masked_phone: &'static str,
    pub p_duplicate_existing: &'static str,
    pub p_duplicate_in_file: &'static str,
    pub unknown_kind: &'static str,
    pub no_operator: &'static str,
}

pub static ZH_DATA: DataText = DataText {
    e_missing: "找不到文件：{}",
    e_not_backup: "这不是邻里的备份文件。",
    e_truncated: "备份文件不完整（可能复制时中断或U盘被拔出），无法使用。",
    e_corrupted: "备份文件已损坏（校验不一致），无法使用：{}",
    e_newer_backup: "这个备份由更新版本的邻里制作（数据版本 {}），请先升级本程序。",
    e_passphrase_required: "这个备份已加密，请输入密码。",
    e_wrong_passphrase: "密码不对，无法解开这个备份。",
    e_empty_passphrase: "密码不能为空。",
    backup_done: "备份完成并已校验：{}",
    verify_ok: "备份完好：{}",
    restore_done: "已从备份恢复：{}",
    safety_copy: "原来的数据已另存为：{}",
    restore_confirm: "恢复会用这个备份替换现有数据（现有数据会先另存一份）。确定恢复吗？输入 y 确认：",
    restore_cancelled: "已取消，数据没有改动。",
    restore_needs_yes: "恢复会替换现有数据：请在终端里确认，或加上 --yes。",
    holds: "内容",
    made_at: "备份时间",
    made_by: "备份人",
    encrypted: "已加密",
    passphrase: "请输入备份密码：",
    passphrase_again: "请再输入一次：",
    passphrase_mismatch: "两次输入的密码不一致。",
    passphrase_no_terminal: "需要密码：请在终端里运行，或设置环境变量 LINLI_PASSPHRASE。",
    offsite_hint: "提示：备份到U盘等可移动存储时建议加密（--encrypt），U盘丢失也不会泄露居民信息。",
    kind_request: "诉求",
    kind_resident: "居民",
    kind_worker: "社区工作者",
    kind_audit: "审计记录",
    kind_meta: "设置与编号",
    export_done: "已导出 {} 条到 {}",
    export_full_numbers: "（含完整电话号码，本次导出已记入审计日志）",
    import_summary: "共 {} 行：可导入 {} 人，已存在 {} 人，有错误 {} 行",
    import_done: "已导入 {} 位居民",
    import_dry_run: "试运行：没有写入任何数据。",
    import_has_errors: "有 {} 行有错误，没有导入任何人。请修改表格后重试，或加上 --skip-bad-rows 只导入正确的行。",
    import_columns: "列的对应：{}",
    import_no_name_column: "找不到“姓名”列。请用 --column name=列名 指定。",
    import_bad_encoding: "无法识别文件的编码：请在 Excel 里另存为“CSV UTF-8（逗号分隔）”或 xlsx 后再导入。",
    import_unreadable: "无法读取表格：{}",
    p_empty_name: "姓名为空",
    p_bad_phone: "电话号码格式不对：{}",
    p_masked_phone: "电话号码被遮挡了：{}（请用“完整号码”导出的表格）",
    p_duplicate_existing: "已有此人（编号 {}），跳过",
    p_duplicate_in_file: "与第 {} 行重复，跳过",
    unknown_kind: "不认识的类别：{}（可用：requests 诉求、residents 居民、workers 工作者、audit 审计记录）",
    no_operator: "需要写明是谁在操作：请用 --by 指定社区工作者（姓名或编号）。",
};

pub static EN_DATA: DataText = DataText {
    e_missing: "File not found: {}",
    e_not_backup: "This is not a linli backup.",
    e_truncated: "The backup is incomplete (copying was interrupted or the stick pulled out): it cannot be used.",
    e_corrupted: "The backup is damaged (its checksum does not match): it cannot be used: {}",
    e_newer_backup: "This backup was made by a newer linli (data version {}). Please upgrade linli first.",
    e_passphrase_required: "This backup is encrypted: a passphrase is needed.",
    e_wrong_passphrase: "Wrong passphrase: the backup cannot be opened with it.",
    e_empty_passphrase: "The passphrase cannot be empty.",
    backup_done: "Backup written and verified: {}",
    verify_ok: "The backup is sound: {}",
    restore_done: "Restored from the backup: {}",
    safety_copy: "The previous data was kept as: {}",
    restore_confirm: "Restoring replaces the current data with this backup (the current data is kept aside first). Type y to restore: ",
    restore_cancelled: "Cancelled: nothing changed.",
    restore_needs_yes: "Restoring replaces the current data: confirm in a terminal, or add --yes.",
    holds: "Holds",
    made_at: "Made at",
    made_by: "Made by",
    encrypted: "encrypted",
    passphrase: "Backup passphrase: ",
    passphrase_again: "Once more: ",
    passphrase_mismatch: "The two passphrases differ.",
    passphrase_no_terminal: "A passphrase is needed: run this in a terminal, or set LINLI_PASSPHRASE.",
    offsite_hint: "Tip: encrypt backups that go on a USB stick (--encrypt): a lost stick then leaks nothing.",
    kind_request: "requests",
    kind_resident: "residents",
    kind_worker: "workers",
    kind_audit: "audit entries",
    kind_meta: "settings and counters",
    export_done: "Exported {} rows to {}",
    export_full_numbers: " (with full phone numbers: this export is recorded in the audit trail)",
    import_summary: "{} rows: {} to import, {} already there, {} with errors",
    import_done: "Imported {} residents",
    import_dry_run: "Dry run: nothing was written.",
    import_has_errors: "{} rows have errors: nobody was imported. Fix the sheet and try again, or add --skip-bad-rows to import the good rows only.",
    import_columns: "Columns: {}",
    import_no_name_column: "No name column (姓名) found. Name it with --column name=HEADER.",
    import_bad_encoding: "The file's encoding is not recognised: save it from Excel as \"CSV UTF-8\" or as xlsx and import that.",
    import_unreadable: "The sheet cannot be read: {}",
    p_empty_name: "empty name",
    p_bad_phone: "phone number looks wrong: {}",
    p_masked_phone: "phone number is masked: {} (use a sheet exported with full numbers)",
    p_duplicate_existing: "already there (no. {}): skipped",
    p_duplicate_in_file: "same as row {}: skipped",
    unknown_kind: "Unknown kind: {} (use requests, residents, workers or audit)",
    no_operator: "Say who is doing this: name a worker with --by (name or number).",
};

impl Lang {
    pub fn d(self) -> &'static DataText {
        match self {
            Lang::Zh => &ZH_DATA,
            Lang::En => &EN_DATA,
        }
    }
}

/// Puts each argument where a `{}` stands, in order.
pub fn fill_all(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    args.iter().fold(template.to_string(), |t, a| fill(&t, a))
}

pub fn backup_error(lang: Lang, e: &BackupError) -> String {
    let d = lang.d();
    match e {
        BackupError::Missing(p) => fill(d.e_missing, p.display()),
        BackupError::NotABackup => d.e_not_backup.to_string(),
        BackupError::Truncated => d.e_truncated.to_string(),
        BackupError::Corrupted(detail) => fill(d.e_corrupted, detail),
        BackupError::NewerSchema { found, .. } => fill(d.e_newer_backup, found),
        BackupError::PassphraseRequired => d.e_passphrase_required.to_string(),
        BackupError::WrongPassphrase => d.e_wrong_passphrase.to_string(),
        BackupError::EmptyPassphrase => d.e_empty_passphrase.to_string(),
        BackupError::Store(e) => store_error(lang, e),
    }
}

/// A section of a backup (a record kind, `audit`, `meta`) by its name.
pub fn section(lang: Lang, name: &str) -> String {
    let d = lang.d();
    match name {
        "request" => d.kind_request,
        "resident" => d.kind_resident,
        "worker" => d.kind_worker,
        "audit" => d.kind_audit,
        "meta" => d.kind_meta,
        other => other,
    }
    .to_string()
}

/// What a backup holds, in a few lines: for `verify`, and before a restore.
pub fn backup_summary(lang: Lang, info: &BackupInfo) -> String {
    let d = lang.d();
    let m = &info.manifest;
    let counts: Vec<String> = m
        .counts
        .iter()
        .filter(|(k, _)| k.as_str() != "meta")
        .map(|(k, n)| format!("{} {n}", section(lang, k)))
        .collect();
    let mut out = format!("{}: {}\n", d.made_at, m.created_at.format("%Y-%m-%d %H:%M"));
    if let Some(op) = &m.operator {
        out += &format!("{}: {}\n", d.made_by, op.name);
    }
    out += &format!("{}: {}\n", d.holds, counts.join(", "));
    out += &format!(
        "linli {} · schema {} · {:.1} MB{}",
        m.app_version,
        m.schema_version,
        info.bytes as f64 / 1e6,
        if info.encrypted { format!(" · {}", d.encrypted) } else { String::new() }
    );
    out
}

/// Column headers of exported sheets (Chinese first: what the office and
/// the street office read; imports recognise these and common variants).
pub fn column(lang: Lang, c: crate::sheets::Col) -> &'static str {
    use crate::sheets::Col::*;
    let (zh, en) = match c {
        Id => ("编号", "No."),
        LoggedAt => ("登记时间", "Logged at"),
        LoggedBy => ("登记人", "Logged by"),
        Channel => ("渠道", "Channel"),
        Category => ("类别", "Category"),
        Title => ("标题", "Title"),
        Description => ("描述", "Description"),
        Location => ("地点", "Location"),
        Resident => ("居民", "Resident"),
        ResidentPhone => ("居民电话", "Resident's phone"),
        Urgency => ("紧急程度", "Urgency"),
        Status => ("状态", "Status"),
        Assignee => ("经办人", "Handler"),
        Due => ("办理时限", "Due"),
        Satisfaction => ("满意度", "Satisfaction"),
        Timeline => ("办理记录", "Timeline"),
        Name => ("姓名", "Name"),
        Phone => ("电话", "Phone"),
        Address => ("住址", "Address"),
        Estate => ("小区", "Estate"),
        Building => ("楼栋", "Building"),
        Unit => ("单元", "Unit"),
        Room => ("室", "Room"),
        Grid => ("网格", "Grid"),
        Tags => ("标签", "Tags"),
        Notes => ("备注", "Notes"),
        Post => ("岗位", "Post"),
        Active => ("在岗", "Active"),
        At => ("时间", "Time"),
        By => ("操作人", "By"),
        What => ("对象", "Record"),
        Key => ("记录编号", "Record no."),
        Action => ("操作", "Action"),
        Changes => ("内容", "Changes"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn audit_action(lang: Lang, a: crate::store::audit::AuditAction) -> &'static str {
    use crate::store::audit::AuditAction::*;
    match (lang, a) {
        (Lang::Zh, Create) => "新建",
        (Lang::Zh, Update) => "修改",
        (Lang::Zh, Reveal) => "查看完整号码",
        (Lang::Zh, Export) => "导出",
        (Lang::En, Create) => "Created",
        (Lang::En, Update) => "Changed",
        (Lang::En, Reveal) => "Full number shown",
        (Lang::En, Export) => "Exported",
    }
}

pub fn yes_no(lang: Lang, b: bool) -> &'static str {
    match (lang, b) {
        (Lang::Zh, true) => "是",
        (Lang::Zh, false) => "否",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    }
}

pub fn import_error(lang: Lang, e: &crate::sheets::import::ImportError) -> String {
    use crate::sheets::import::ImportError as E;
    let d = lang.d();
    match e {
        E::BadEncoding => d.import_bad_encoding.to_string(),
        E::Unreadable(why) => fill(d.import_unreadable, why),
        E::NoNameColumn => d.import_no_name_column.to_string(),
        E::RowsHaveErrors(n) => fill(d.import_has_errors, n),
        E::Store(e) => store_error(lang, e),
    }
}

/// What is wrong with one row of an import, for the preview.
pub fn import_problem(lang: Lang, p: &crate::sheets::import::Problem) -> String {
    use crate::sheets::import::Problem as P;
    let d = lang.d();
    match p {
        P::EmptyName => d.p_empty_name.to_string(),
        P::BadPhone(s) => fill(d.p_bad_phone, s),
        P::MaskedPhone(s) => fill(d.p_masked_phone, s),
        P::DuplicateExisting(id) => fill(d.p_duplicate_existing, id.0),
        P::DuplicateInFile(row) => fill(d.p_duplicate_in_file, row),
    }
}
