//! The volunteer roster's words on screen, in Chinese and English, kept
//! apart from `i18n::Text` so the roster can grow without touching it.
//! Labels of the roster's domain enums live here too.

use crate::domain::volunteer::{
    AFTERNOON, ALL_DAYS, ALL_SLOTS, Availability, Days, EVENING, Gender, MORNING, PostStatus, Role, Schedule, Slots,
    Staffing, TeamStatus, VolunteerKind, WEEKEND, WORKDAYS,
};
use crate::i18n::{Lang, fill};

/// Words with a `{}` take one argument through [`fill`].
#[derive(serde::Serialize)]
pub struct VolunteersText {
    /// The volunteers list's orders: Registered, Hours, Name.
    pub sorts: [&'static str; 3],
    pub panel: &'static str,
    pub v_teams: &'static str,
    pub v_posts: &'static str,
    pub v_volunteers: &'static str,
    pub v_activities: &'static str,
    pub v_months: &'static str,
    pub v_certificates: &'static str,
    pub loading: &'static str,
    pub hint_volunteers: &'static str,
    pub hint_teams: &'static str,
    pub hint_posts: &'static str,
    pub hint_activities: &'static str,
    pub hint_months: &'static str,
    pub hint_certificates: &'static str,
    pub attention_on: &'static str,
    pub empty: &'static str,
    // columns and fields
    pub c_name: &'static str,
    pub c_kind: &'static str,
    pub c_phone: &'static str,
    pub c_teams: &'static str,
    pub c_skills: &'static str,
    pub c_all: &'static str,
    pub c_year: &'static str,
    pub c_month: &'static str,
    pub c_stars: &'static str,
    pub c_team: &'static str,
    pub c_leader: &'static str,
    pub c_types: &'static str,
    pub c_members: &'static str,
    pub c_posts: &'static str,
    pub c_status: &'static str,
    pub c_post: &'static str,
    pub c_type: &'static str,
    pub c_schedule: &'static str,
    pub c_staff: &'static str,
    pub c_flag: &'static str,
    pub c_date: &'static str,
    pub c_ym: &'static str,
    pub empty_certificates: &'static str,
    pub c_time: &'static str,
    pub c_title: &'static str,
    pub c_people: &'static str,
    pub c_hours: &'static str,
    pub c_count: &'static str,
    /// One volunteer's number of services (not 人次: that counts people).
    pub c_times: &'static str,
    pub c_number: &'static str,
    pub c_period: &'static str,
    pub c_issued: &'static str,
    pub c_by: &'static str,
    pub f_resident: &'static str,
    pub f_gender: &'static str,
    pub f_birth_year: &'static str,
    pub f_kind: &'static str,
    pub f_org: &'static str,
    pub f_skills: &'static str,
    pub f_availability: &'static str,
    pub f_active: &'static str,
    pub f_notes: &'static str,
    pub f_team_name: &'static str,
    pub f_types: &'static str,
    pub f_founded: &'static str,
    pub f_status: &'static str,
    pub f_post_name: &'static str,
    pub f_type: &'static str,
    pub f_place: &'static str,
    pub f_schedule: &'static str,
    pub f_needed: &'static str,
    pub f_team: &'static str,
    pub f_post: &'static str,
    pub f_date: &'static str,
    pub f_time: &'static str,
    pub f_title: &'static str,
    pub f_hours: &'static str,
    pub f_what: &'static str,
    pub f_minutes: &'static str,
    pub f_registered: &'static str,
    pub d_members_field: &'static str,
    pub d_staff_field: &'static str,
    pub d_claimed_on: &'static str,
    pub choose_volunteer_field: &'static str,
    pub f_void: &'static str,
    pub f_reason: &'static str,
    pub f_from: &'static str,
    pub f_to: &'static str,
    pub f_role: &'static str,
    pub f_joined: &'static str,
    pub f_note: &'static str,
    pub no_team: &'static str,
    pub no_post: &'static str,
    pub not_linked: &'static str,
    // detail words
    pub d_born: &'static str,
    pub d_free: &'static str,
    pub d_hours: &'static str,
    pub d_next_star: &'static str,
    pub d_top_star: &'static str,
    pub d_stars: &'static str,
    pub d_no_star: &'static str,
    pub d_records: &'static str,
    pub d_voided: &'static str,
    pub d_was: &'static str,
    pub d_founded: &'static str,
    pub d_members: &'static str,
    pub d_left: &'static str,
    pub d_claimed_posts: &'static str,
    pub d_recent_months: &'static str,
    pub d_claimed_by: &'static str,
    pub d_staff: &'static str,
    pub d_credited: &'static str,
    pub list_sep: &'static str,
    pub d_no_members: &'static str,
    pub d_no_posts: &'static str,
    pub d_no_staff: &'static str,
    pub d_logged_by: &'static str,
    pub d_month_teams: &'static str,
    pub d_file: &'static str,
    pub d_file_missing: &'static str,
    pub d_year_total: &'static str,
    pub unclaimed: &'static str,
    pub short: &'static str,
    pub hours_unit: &'static str,
    pub times_unit: &'static str,
    // forms, pickers, messages
    pub new_team: &'static str,
    pub edit_team: &'static str,
    pub new_post: &'static str,
    pub edit_post: &'static str,
    pub new_volunteer: &'static str,
    pub edit_volunteer: &'static str,
    pub new_activity: &'static str,
    pub edit_activity: &'static str,
    pub log_hours: &'static str,
    pub correct_record: &'static str,
    pub certificate: &'static str,
    pub member_form: &'static str,
    pub hand_form: &'static str,
    pub choose_team: &'static str,
    pub choose_post: &'static str,
    pub choose_volunteer: &'static str,
    pub choose_member: &'static str,
    pub choose_record: &'static str,
    pub choose_hand: &'static str,
    pub pick_no_team: &'static str,
    pub pick_no_post: &'static str,
    pub pick_unclaim: &'static str,
    pub pick_not_linked: &'static str,
    pub leave_team: &'static str,
    pub types_hint: &'static str,
    pub skills_hint: &'static str,
    pub availability_read: &'static str,
    pub linked_hint: &'static str,
    pub schedule_hint: &'static str,
    pub bad_date: &'static str,
    pub bad_time: &'static str,
    pub bad_hours: &'static str,
    pub bad_availability: &'static str,
    pub bad_schedule: &'static str,
    pub bad_needed: &'static str,
    pub bad_birth_year: &'static str,
    pub bad_period: &'static str,
    pub already_volunteer: &'static str,
    pub name_or_resident: &'static str,
    pub nothing_changed: &'static str,
    pub saved: &'static str,
    pub saved_activity: &'static str,
    pub saved_hours: &'static str,
    pub corrected: &'static str,
    pub issued: &'static str,
    pub issued_no_file: &'static str,
    pub reprinted: &'static str,
    pub handed: &'static str,
    pub claimed: &'static str,
    pub unclaimed_msg: &'static str,
    pub staff_added: &'static str,
    pub staff_removed: &'static str,
    pub member_saved: &'static str,
    pub member_left: &'static str,
    pub no_volunteer: &'static str,
    pub no_records: &'static str,
    pub not_loaded: &'static str,
    pub settings_warning: &'static str,
    pub pick_a_volunteer: &'static str,
    pub tl_handed: &'static str,
    // roll call
    pub roll_call: &'static str,
    pub roll_filter: &'static str,
    pub roll_ticked: &'static str,
    pub roll_only_ticked: &'static str,
    pub roll_member: &'static str,
    pub roll_staff: &'static str,
    pub roll_none: &'static str,
    pub confirm_roll_discard: &'static str,
    /// `{}` the name typed
    pub roll_new: &'static str,
    pub roll_walk_in: &'static str,
    pub walk_in_title: &'static str,
    pub walk_in_hint: &'static str,
    /// `{}` the name
    pub walk_in_added: &'static str,
    pub roll_redone: &'static str,
    // actions
    pub a_prev_view: &'static str,
    pub a_next_view: &'static str,
    pub a_log_activity: &'static str,
    pub a_log_hours: &'static str,
    pub a_certificate: &'static str,
    pub a_correct: &'static str,
    pub a_add_member: &'static str,
    pub a_member_role: &'static str,
    pub a_add_staff: &'static str,
    pub a_remove_staff: &'static str,
    pub a_claim: &'static str,
    pub a_attention: &'static str,
    pub a_roll_call: &'static str,
    pub a_hand: &'static str,
}

pub static ZH: VolunteersText = VolunteersText {
    sorts: ["按登记顺序", "按累计时长", "按姓名"],
    panel: "志愿服务",
    v_teams: "服务队",
    v_posts: "服务岗位",
    v_volunteers: "志愿者",
    v_activities: "活动",
    v_months: "月度统计",
    v_certificates: "证明登记",
    loading: "正在载入志愿服务记录…",
    hint_volunteers: "按 / 输入姓名、拼音首字母、电话尾号、技能、空闲时间（如：法律 周六上午）",
    hint_teams: "按 / 输入队名、服务类别、队长",
    hint_posts: "按 / 输入岗位、类别、地点、服务队；u 只看未认领和缺人的岗位",
    hint_activities: "按 / 输入活动内容、地点、服务队、日期（如 2026-11）",
    hint_months: "各月服务时长；下方是所选月份各服务队的时长",
    hint_certificates: "按 / 输入编号、姓名；Enter 重新生成证明文件",
    attention_on: "只看未认领/缺人",
    empty: "（还没有记录，按 n 新建）",
    c_name: "姓名",
    c_kind: "类别",
    c_phone: "电话",
    c_teams: "服务队",
    c_skills: "技能",
    c_all: "累计",
    c_year: "今年",
    c_month: "本月",
    c_stars: "星级",
    c_team: "服务队",
    c_leader: "队长",
    c_types: "服务类别",
    c_members: "队员",
    c_posts: "岗位",
    c_status: "状态",
    c_post: "岗位",
    c_type: "类别",
    c_schedule: "时间",
    c_staff: "上岗人数",
    c_flag: "提示",
    c_date: "日期",
    c_ym: "月份",
    empty_certificates: "（还没有出具证明：在“志愿者”视图选中一位志愿者，按 c）",
    c_time: "时间",
    c_title: "活动内容",
    c_people: "人数",
    c_hours: "时长",
    c_count: "人次",
    c_times: "次数",
    c_number: "编号",
    c_period: "期间",
    c_issued: "出具日期",
    c_by: "经办",
    f_resident: "关联居民",
    f_gender: "性别",
    f_birth_year: "出生年份",
    f_kind: "类别",
    f_org: "单位/学校",
    f_skills: "技能特长",
    f_availability: "空闲时间",
    f_active: "在册",
    f_notes: "备注",
    f_team_name: "队名",
    f_types: "服务类别",
    f_founded: "成立日期",
    f_status: "状态",
    f_post_name: "岗位名称",
    f_type: "服务类别",
    f_place: "地点",
    f_schedule: "固定时间",
    f_needed: "需要人数",
    f_team: "服务队",
    f_post: "服务岗位",
    f_date: "日期",
    f_time: "时间段",
    f_title: "活动内容",
    f_hours: "时长（小时）",
    f_what: "服务内容",
    f_minutes: "服务时长",
    f_registered: "登记日期",
    d_members_field: "队员（编号、角色、入队日期）",
    d_staff_field: "上岗志愿者（编号）",
    d_claimed_on: "认领日期",
    choose_volunteer_field: "志愿者（编号）",
    f_void: "作废",
    f_reason: "更正原因",
    f_from: "开始日期",
    f_to: "结束日期",
    f_role: "角色",
    f_joined: "入队日期",
    f_note: "说明",
    no_team: "（不属于服务队）",
    no_post: "（不属于固定岗位）",
    not_linked: "（不关联；按 Enter 从居民名册中选）",
    d_born: "{}年生",
    d_free: "空闲",
    d_hours: "服务时长：累计 {} 小时（{} 次）",
    d_next_star: "距{}还差 {} 小时",
    d_top_star: "已是最高星级",
    d_stars: "星级",
    d_no_star: "未评星",
    d_records: "服务记录",
    d_voided: "[已作废]",
    d_was: "原",
    d_founded: "成立于",
    d_members: "队员 {} 人：",
    d_left: "（已退出 {} 人）",
    d_claimed_posts: "认领岗位 {} 个：",
    d_recent_months: "近六个月",
    d_claimed_by: "认领：{}（{}）",
    d_staff: "上岗志愿者 {} 人：",
    d_credited: "到场 {} 人，共 {} 小时：",
    list_sep: "、",
    d_no_members: "还没有队员，按 a 添加",
    d_no_posts: "还没有，在“服务岗位”中选岗位按 c 认领",
    d_no_staff: "还没有，按 a 添加",
    d_logged_by: "登记人",
    d_month_teams: "各服务队",
    d_file: "文件",
    d_file_missing: "（文件不在了，按 Enter 重新生成）",
    d_year_total: "{}年合计",
    unclaimed: "未认领",
    short: "缺{}人",
    hours_unit: "小时",
    times_unit: "次",
    new_team: "新建服务队",
    edit_team: "修改服务队",
    new_post: "新建服务岗位",
    edit_post: "修改服务岗位",
    new_volunteer: "登记志愿者",
    edit_volunteer: "修改志愿者信息",
    new_activity: "登记志愿服务活动",
    edit_activity: "修改活动",
    log_hours: "记录服务时长",
    correct_record: "更正服务记录",
    certificate: "出具志愿服务记录证明",
    member_form: "队员角色",
    hand_form: "转交志愿服务",
    choose_team: "选择服务队",
    choose_post: "选择服务岗位",
    choose_volunteer: "选择志愿者",
    choose_member: "选择队员",
    choose_record: "选择要更正的服务记录",
    choose_hand: "转交给服务队或志愿者",
    pick_no_team: "（不属于服务队）",
    pick_no_post: "（不属于固定岗位）",
    pick_unclaim: "（取消认领）",
    pick_not_linked: "（不关联居民）",
    leave_team: "退出服务队",
    types_hint: "可选：{}",
    skills_hint: "例如：{}",
    availability_read: "空闲时间读作：{}",
    linked_hint: "已关联居民名册：姓名、电话以居民名册为准",
    schedule_hint: "固定时间写法：每周六 09:00-11:00、工作日 7:30-8:30",
    bad_date: "日期看不懂，请写成 2026-11-24 或 11-24",
    bad_time: "时间段看不懂，请写成 09:00-11:00",
    bad_hours: "时长看不懂，请写成 2 或 1.5（小时），最多 24 小时",
    bad_availability: "空闲时间看不懂，请写成：周六上午 工作日晚上 周末全天",
    bad_schedule: "固定时间看不懂，请写成：每周六 09:00-11:00",
    bad_needed: "需要人数请写 1 到 999 之间的数，如 3",
    bad_birth_year: "出生年份请写四位数，如 1958",
    bad_period: "开始日期不能晚于结束日期",
    already_volunteer: "该居民已登记为志愿者：{}",
    name_or_resident: "请填写姓名，或关联一位居民",
    nothing_changed: "没有修改任何内容",
    saved: "已保存",
    saved_activity: "已保存活动，{} 人记入服务时长",
    saved_hours: "已记录 {} 小时",
    corrected: "已更正，原记录保留在历史中",
    issued: "已出具证明 {}，可打开打印：",
    issued_no_file: "证明 {} 已登记，但文件未能写入：",
    reprinted: "已重新生成：",
    handed: "已转交，诉求办理记录中可见",
    claimed: "已认领",
    unclaimed_msg: "已取消认领",
    staff_added: "已加入上岗人员",
    staff_removed: "已移出上岗人员",
    member_saved: "已保存队员信息",
    member_left: "已记为退出服务队（历史记录保留）",
    no_volunteer: "请先选中一位志愿者",
    no_records: "没有可更正的服务记录",
    not_loaded: "志愿服务记录还在载入，请稍候",
    settings_warning: "roster.txt 第 {} 行有误，已改用默认设置",
    pick_a_volunteer: "出具证明：请在“志愿者”视图中选中一位志愿者后按 c",
    tl_handed: "转交志愿服务",
    roll_call: "点名",
    roll_filter: "找人",
    roll_ticked: "已到 {} 人",
    roll_only_ticked: "只看已到",
    roll_member: "本队",
    roll_staff: "本岗",
    roll_none: "没有找到这个人",
    confirm_roll_discard: "放弃本次点名？",
    roll_new: "+ 登记新志愿者“{}”（Enter）",
    roll_walk_in: "临时到场",
    walk_in_title: "登记新志愿者（临时到场）",
    walk_in_hint: "填好后按 Ctrl+S：登记为志愿者并在本次点名中勾选，已勾选的人不变。其他信息以后在“志愿者”视图中补全。",
    walk_in_added: "已登记新志愿者 {}，并已勾选",
    roll_redone: "重新点名",
    a_prev_view: "上一视图",
    a_next_view: "下一视图",
    a_log_activity: "登记活动",
    a_log_hours: "记时长",
    a_certificate: "出具证明",
    a_correct: "更正记录",
    a_add_member: "加队员",
    a_member_role: "队员角色/退出",
    a_add_staff: "加上岗人员",
    a_remove_staff: "移出上岗人员",
    a_claim: "认领",
    a_attention: "只看未认领/缺人",
    a_roll_call: "点名",
    a_hand: "转交志愿服务",
};

pub static EN: VolunteersText = VolunteersText {
    sorts: ["as registered", "most hours first", "by name"],
    panel: "Volunteers",
    v_teams: "Teams",
    v_posts: "Posts",
    v_volunteers: "Volunteers",
    v_activities: "Activities",
    v_months: "Months",
    v_certificates: "Certificates",
    loading: "Loading the volunteer records…",
    hint_volunteers: "/ to search: name, initials, phone tail, skill, free time (e.g. legal sat am)",
    hint_teams: "/ to search: team name, service type, leader",
    hint_posts: "/ to search: post, type, place, team; u shows unclaimed and short posts",
    hint_activities: "/ to search: what was done, place, team, date (2026-11)",
    hint_months: "Hours per month; below, each team's hours in the selected month",
    hint_certificates: "/ to search: number, name; Enter writes the certificate files again",
    attention_on: "unclaimed/short only",
    empty: "(nothing yet: n to add)",
    c_name: "Name",
    c_kind: "Kind",
    c_phone: "Phone",
    c_teams: "Teams",
    c_skills: "Skills",
    c_all: "Total",
    c_year: "Year",
    c_month: "Month",
    c_stars: "Lv",
    c_team: "Team",
    c_leader: "Leader",
    c_types: "Service",
    c_members: "Memb",
    c_posts: "Posts",
    c_status: "Status",
    c_post: "Post",
    c_type: "Type",
    c_schedule: "When",
    c_staff: "Staff",
    c_flag: "Note",
    c_date: "Date",
    c_ym: "Month",
    empty_certificates: "(none yet: select a volunteer in Volunteers and press c)",
    c_time: "Time",
    c_title: "Activity",
    c_people: "Ppl",
    c_hours: "Hours",
    c_count: "Times",
    c_times: "Times",
    c_number: "No.",
    c_period: "Period",
    c_issued: "Issued",
    c_by: "By",
    f_resident: "Resident",
    f_gender: "Sex",
    f_birth_year: "Born (year)",
    f_kind: "Kind",
    f_org: "Work/school",
    f_skills: "Skills",
    f_availability: "Free time",
    f_active: "Active",
    f_notes: "Notes",
    f_team_name: "Team name",
    f_types: "Service types",
    f_founded: "Founded",
    f_status: "Status",
    f_post_name: "Post name",
    f_type: "Service type",
    f_place: "Place",
    f_schedule: "Regular time",
    f_needed: "People needed",
    f_team: "Team",
    f_post: "Post",
    f_date: "Date",
    f_time: "Time",
    f_title: "What was done",
    f_hours: "Hours",
    f_what: "What was done",
    f_minutes: "Service time",
    f_registered: "Registered",
    d_members_field: "Members (id:role:joined)",
    d_staff_field: "Regular volunteers (ids)",
    d_claimed_on: "Claimed on",
    choose_volunteer_field: "Volunteer (id)",
    f_void: "Void",
    f_reason: "Reason",
    f_from: "From",
    f_to: "To",
    f_role: "Role",
    f_joined: "Joined",
    f_note: "Note",
    no_team: "(no team)",
    no_post: "(no post)",
    not_linked: "(none: Enter picks from the directory)",
    d_born: "born {}",
    d_free: "Free",
    d_hours: "Service: {} hours in all ({} times)",
    d_next_star: "{} more hours to {}",
    d_top_star: "top level reached",
    d_stars: "Stars",
    d_no_star: "no star yet",
    d_records: "Service records",
    d_voided: "[void]",
    d_was: "was",
    d_founded: "founded",
    d_members: "{} members: ",
    d_left: " ({} left)",
    d_claimed_posts: "{} posts claimed: ",
    d_recent_months: "Last six months",
    d_claimed_by: "claimed by {} (since {})",
    d_staff: "{} regular volunteers: ",
    d_credited: "{} came, {} hours in all: ",
    list_sep: ", ",
    d_no_members: "none yet: a adds one",
    d_no_posts: "none yet: select a post in Posts and press c",
    d_no_staff: "none yet: a adds one",
    d_logged_by: "logged by",
    d_month_teams: "Teams",
    d_file: "File",
    d_file_missing: "(file is gone: Enter writes it again)",
    d_year_total: "{} in all",
    unclaimed: "unclaimed",
    short: "{} short",
    hours_unit: "h",
    times_unit: "x",
    new_team: "New team",
    edit_team: "Edit team",
    new_post: "New service post",
    edit_post: "Edit service post",
    new_volunteer: "New volunteer",
    edit_volunteer: "Edit volunteer",
    new_activity: "Log an activity",
    edit_activity: "Edit activity",
    log_hours: "Log service hours",
    correct_record: "Correct a service record",
    certificate: "Issue a service certificate",
    member_form: "Member role",
    hand_form: "Hand to volunteers",
    choose_team: "Choose a team",
    choose_post: "Choose a post",
    choose_volunteer: "Choose a volunteer",
    choose_member: "Choose a member",
    choose_record: "Choose the record to correct",
    choose_hand: "Hand to a team or volunteer",
    pick_no_team: "(no team)",
    pick_no_post: "(no post)",
    pick_unclaim: "(nobody: give the post up)",
    pick_not_linked: "(not linked to a resident)",
    leave_team: "Leaves the team",
    types_hint: "Offered: {}",
    skills_hint: "e.g. {}",
    availability_read: "Free time reads: {}",
    linked_hint: "Linked to the residents directory: name and phone come from there",
    schedule_hint: "Regular time: every Sat 09:00-11:00, weekdays 7:30-8:30",
    bad_date: "Date not understood: write 2026-11-24 or 11-24",
    bad_time: "Time not understood: write 09:00-11:00",
    bad_hours: "Hours not understood: write 2 or 1.5, at most 24",
    bad_availability: "Free time not understood: write sat am, weekdays eve, weekend",
    bad_schedule: "Regular time not understood: write sat 09:00-11:00",
    bad_needed: "Write how many people are needed as a number from 1 to 999, e.g. 3",
    bad_birth_year: "Write the birth year as four digits, e.g. 1958",
    bad_period: "The start cannot be after the end",
    already_volunteer: "This resident is already a volunteer: {}",
    name_or_resident: "Write a name, or link a resident",
    nothing_changed: "Nothing was changed",
    saved: "Saved",
    saved_activity: "Activity saved, {} people credited",
    saved_hours: "{} hours logged",
    corrected: "Corrected; the original stays in the history",
    issued: "Certificate {} issued, open it to print:",
    issued_no_file: "Certificate {} registered, but the file could not be written:",
    reprinted: "Written again:",
    handed: "Handed over; the request's timeline shows it",
    claimed: "Claimed",
    unclaimed_msg: "Given up",
    staff_added: "Added to the post",
    staff_removed: "Removed from the post",
    member_saved: "Member saved",
    member_left: "Recorded as having left (history kept)",
    no_volunteer: "Select a volunteer first",
    no_records: "No service records to correct",
    not_loaded: "The volunteer records are still loading",
    settings_warning: "roster.txt line {} is wrong; using the defaults",
    pick_a_volunteer: "To issue a certificate, select a volunteer in the Volunteers view and press c",
    tl_handed: "Handed to volunteers",
    roll_call: "Roll call",
    roll_filter: "Find",
    roll_ticked: "{} here",
    roll_only_ticked: "ticked only",
    roll_member: "team",
    roll_staff: "post",
    roll_none: "Nobody by that name",
    confirm_roll_discard: "Discard this roll call?",
    roll_new: "+ Register \"{}\" as a new volunteer (Enter)",
    roll_walk_in: "walk-in",
    walk_in_title: "New volunteer (came today)",
    walk_in_hint: "Ctrl+S registers them and ticks them on this roll call; the other ticks stay. Fill in the rest later in the Volunteers view.",
    walk_in_added: "Registered {} and ticked them",
    roll_redone: "roll call redone",
    a_prev_view: "Previous view",
    a_next_view: "Next view",
    a_log_activity: "Log activity",
    a_log_hours: "Log hours",
    a_certificate: "Certificate",
    a_correct: "Correct a record",
    a_add_member: "Add member",
    a_member_role: "Member role/leave",
    a_add_staff: "Add to post",
    a_remove_staff: "Remove from post",
    a_claim: "Claim",
    a_attention: "Unclaimed/short",
    a_roll_call: "Roll call",
    a_hand: "Hand to volunteers",
};

pub fn t(lang: Lang) -> &'static VolunteersText {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

pub fn role(lang: Lang, r: Role) -> &'static str {
    match (lang, r) {
        (Lang::Zh, Role::Leader) => "队长",
        (Lang::Zh, Role::Deputy) => "副队长",
        (Lang::Zh, Role::Member) => "队员",
        (Lang::En, Role::Leader) => "Leader",
        (Lang::En, Role::Deputy) => "Deputy",
        (Lang::En, Role::Member) => "Member",
    }
}

pub fn team_status(lang: Lang, s: TeamStatus) -> &'static str {
    match (lang, s) {
        (Lang::Zh, TeamStatus::Active) => "活跃",
        (Lang::Zh, TeamStatus::Paused) => "暂停",
        (Lang::Zh, TeamStatus::Disbanded) => "已解散",
        (Lang::En, TeamStatus::Active) => "Active",
        (Lang::En, TeamStatus::Paused) => "Paused",
        (Lang::En, TeamStatus::Disbanded) => "Disbanded",
    }
}

pub fn post_status(lang: Lang, s: PostStatus) -> &'static str {
    match (lang, s) {
        (Lang::Zh, PostStatus::Open) => "在岗",
        (Lang::Zh, PostStatus::Paused) => "暂停",
        (Lang::Zh, PostStatus::Closed) => "撤销",
        (Lang::En, PostStatus::Open) => "Open",
        (Lang::En, PostStatus::Paused) => "Paused",
        (Lang::En, PostStatus::Closed) => "Closed",
    }
}

/// The kind in full (forms, details).
pub fn kind(lang: Lang, k: VolunteerKind) -> &'static str {
    match (lang, k) {
        (Lang::Zh, VolunteerKind::Resident) => "居民",
        (Lang::Zh, VolunteerKind::PartyMember) => "在职党员双报到",
        (Lang::Zh, VolunteerKind::Partner) => "共建单位",
        (Lang::Zh, VolunteerKind::Student) => "学生",
        (Lang::Zh, VolunteerKind::Other) => "其他",
        (Lang::En, VolunteerKind::Resident) => "Resident",
        (Lang::En, VolunteerKind::PartyMember) => "Party member (双报到)",
        (Lang::En, VolunteerKind::Partner) => "Partner org.",
        (Lang::En, VolunteerKind::Student) => "Student",
        (Lang::En, VolunteerKind::Other) => "Other",
    }
}

/// The kind in a list column.
pub fn kind_short(lang: Lang, k: VolunteerKind) -> &'static str {
    match (lang, k) {
        (Lang::Zh, VolunteerKind::PartyMember) => "双报到",
        (Lang::En, VolunteerKind::PartyMember) => "Party",
        (Lang::En, VolunteerKind::Partner) => "Partner",
        _ => kind(lang, k),
    }
}

pub fn gender(lang: Lang, g: Gender) -> &'static str {
    match (lang, g) {
        (Lang::Zh, Gender::Unknown) => "未填",
        (Lang::Zh, Gender::Male) => "男",
        (Lang::Zh, Gender::Female) => "女",
        (Lang::En, Gender::Unknown) => "-",
        (Lang::En, Gender::Male) => "M",
        (Lang::En, Gender::Female) => "F",
    }
}

pub fn staffing(lang: Lang, s: Staffing) -> String {
    let t = t(lang);
    match s {
        Staffing::Unclaimed => format!("! {}", t.unclaimed),
        Staffing::Short(n) => format!("! {}", fill(t.short, n)),
        Staffing::Staffed | Staffing::Inactive => String::new(),
    }
}

/// A team's name without the common suffix, for narrow columns:
/// 小巷管家志愿服务队 → 小巷管家.
pub fn short_team(name: &str) -> &str {
    for suffix in ["志愿服务队", "志愿者服务队", "服务队", "志愿队"] {
        if let Some(s) = name.strip_suffix(suffix)
            && !s.is_empty()
        {
            return s;
        }
    }
    name
}

/// A month of `Ym` by itself: `11月`, `Nov`.
pub fn month_name(lang: Lang, m: crate::domain::volunteer::Ym) -> String {
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match lang {
        Lang::Zh => format!("{}月", m % 100),
        Lang::En => EN[((m % 100).clamp(1, 12) - 1) as usize].to_string(),
    }
}

/// `一星` … `五星` (or `3*`); empty below one star.
pub fn stars(lang: Lang, level: u8) -> String {
    if level == 0 {
        return String::new();
    }
    match lang {
        Lang::Zh => {
            format!("{}星", ["一", "二", "三", "四", "五", "六", "七", "八", "九"][(level as usize - 1).min(8)])
        }
        Lang::En => format!("{level}*"),
    }
}

const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `每天`, `工作日`, `周末`, `周一至周四`, `周二、四` (or English).
pub fn days(lang: Lang, d: Days) -> String {
    if lang == Lang::Zh {
        return crate::domain::volunteer::days_text(d);
    }
    let set: Vec<usize> = (0..7).filter(|i| d & (1 << i) != 0).collect();
    match d {
        0 => String::new(),
        ALL_DAYS => "daily".into(),
        WORKDAYS => "weekdays".into(),
        WEEKEND => "weekend".into(),
        _ if set.len() >= 3 && set.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{}-{}", EN_DAYS[set[0]], EN_DAYS[set[set.len() - 1]])
        }
        _ => set.iter().map(|&i| EN_DAYS[i]).collect::<Vec<_>>().join(","),
    }
}

pub fn slots(lang: Lang, s: Slots) -> String {
    if lang == Lang::Zh {
        return crate::domain::volunteer::slots_text(s);
    }
    if s == ALL_SLOTS {
        return "all day".into();
    }
    let names: &[(Slots, &str)] = &[(MORNING, "am"), (AFTERNOON, "pm"), (EVENING, "eve")];
    names.iter().filter(|(b, _)| s & b != 0).map(|(_, en)| *en).collect::<Vec<_>>().join("+")
}

/// `周六上午 工作日晚上` (it reads back with `Availability::parse`).
pub fn availability(lang: Lang, a: Availability) -> String {
    match lang {
        Lang::Zh => a.to_string(),
        Lang::En => a
            .groups()
            .into_iter()
            .map(|(d, s)| format!("{} {}", days(lang, d), slots(lang, s)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `每周六 09:00-11:00`.
pub fn schedule(lang: Lang, s: Schedule) -> String {
    match lang {
        Lang::Zh => s.to_string(),
        Lang::En => {
            let d = days(lang, s.days);
            match s.span {
                Some(span) if d.is_empty() => span.to_string(),
                Some(span) => format!("{d} {span}"),
                None => d,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_reads_back_as_written() {
        for s in ["周六上午 工作日晚上", "周末全天", "周二、四下午", "周一至周四上午、晚上", "每天晚上"]
        {
            let a = Availability::parse(s).unwrap();
            let shown = availability(Lang::Zh, a);
            assert_eq!(Availability::parse(&shown), Some(a), "{s} → {shown}");
        }
        let a = Availability::parse("周六上午 工作日晚上").unwrap();
        assert_eq!(availability(Lang::Zh, a), "工作日晚上 周六上午");
        assert_eq!(availability(Lang::En, a), "weekdays eve Sat am");
        assert_eq!(Availability::parse(&availability(Lang::En, a)), Some(a));
    }

    #[test]
    fn schedules_read_back_as_written() {
        for s in ["每周六 09:00-11:00", "工作日 07:30-08:30", "每周二、四 14:00-16:00", "周一至周四 19:00-21:00"]
        {
            let sch = Schedule::parse(s).unwrap();
            assert_eq!(schedule(Lang::Zh, sch), s);
        }
    }

    #[test]
    fn stars_and_staffing_words() {
        assert_eq!(stars(Lang::Zh, 3), "三星");
        assert_eq!(stars(Lang::Zh, 0), "");
        assert_eq!(stars(Lang::En, 5), "5*");
        assert_eq!(staffing(Lang::Zh, Staffing::Short(2)), "! 缺2人");
        assert_eq!(staffing(Lang::Zh, Staffing::Unclaimed), "! 未认领");
    }
}
