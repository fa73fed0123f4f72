//! The words of Chinese office practice that came together (issue 17):
//! the 12345 hotline's loop (退单, 并单, 延期, 督办, the hotline's own
//! deadline), the work calendar's years and upgrades, the post grades
//! (三岗十八级), the evaluation's dimensions (德能勤绩廉) and sensitive
//! residents' tags. Reached as `lang.practice()`.

use super::Lang;

#[derive(serde::Serialize)]
pub struct PracticeText {
    // ---- the 12345 loop: forms ----
    pub f_return_reason: &'static str,
    pub f_merge_note: &'static str,
    pub merge_default: &'static str,
    pub choose_merge_into: &'static str,
    pub no_merge_target: &'static str,
    pub f_ask_due: &'static str,
    pub f_reason: &'static str,
    pub f_decision: &'static str,
    pub f_press_note: &'static str,
    pub bad_ask_due: &'static str,
    pub e_not_later: &'static str,
    pub e_bad_merge: &'static str,
    pub e_not_leader: &'static str,
    // ---- the 12345 loop: details and timeline ----
    /// `延期待批：申请至 {}`
    pub asked_pending: &'static str,
    pub card_yellow: &'static str,
    pub card_red: &'static str,
    /// `已并入 {}`
    pub merged_into: &'static str,
    /// `并单：{}`
    pub merged_repeats: &'static str,
    /// `12345时限 {}`
    pub hotline_due: &'static str,
    /// `并入重复诉求 {}`
    pub tl_merged_in: &'static str,
    /// `办理时限因工作日历更新由 {} 改为 {}`
    pub tl_recomputed: &'static str,
    /// Who wrote a note the program wrote.
    pub program: &'static str,
    /// `至 {}`: the date a step names (an extension asked, approved, refused)
    pub tl_on: &'static str,
    /// A leader's board: `延期待批 至{} · {} · {}` (the date, who, what)
    pub to_decide_extension: &'static str,
    // ---- the 12345 loop in the monthly report ----
    pub r_loop: &'static str,
    pub r_returned: &'static str,
    pub r_repeats: &'static str,
    /// `{}（并入原诉求，不另计件数）`
    pub r_repeats_value: &'static str,
    pub r_extensions: &'static str,
    /// `申请 {} · 批准 {} · 不批准 {}`
    pub r_extension_counts: &'static str,
    pub r_pressed: &'static str,
    /// `黄牌 {} · 红牌 {}`
    pub r_card_counts: &'static str,
    // ---- the calendar ----
    /// Marks a date in an estimated or unlisted year.
    pub estimate: &'static str,
    /// Header, short: `! {}年日历为预估` / `! 日历缺{}年`
    pub header_provisional: &'static str,
    pub header_missing: &'static str,
    /// At intake: the year, then what to do.
    pub intake_provisional: &'static str,
    pub intake_missing: &'static str,
    pub notice_title: &'static str,
    /// `calendar.txt 已并入新版日历：{}`
    pub calendar_merged: &'static str,
    pub year_added: &'static str,
    pub year_updated: &'static str,
    /// `{}年：您改过，未动；新版为正式安排，请核对`
    pub year_kept_official: &'static str,
    pub year_kept: &'static str,
    /// `原文件另存为 {}`
    pub calendar_backup: &'static str,
    /// `工作日历有变：{} 件在办诉求的办理时限已重算`
    pub due_recomputed: &'static str,
    // ---- grades ----
    pub grades_notice: &'static str,
    /// `{}：{}–{}`: a band, its first and last grade (`正职：7–18级`)
    pub grade_band: &'static str,
    pub e_grade_out_of_band: &'static str,
    // ---- evaluation ----
    /// 德、能、勤、绩、廉
    pub dimensions: [&'static str; 5],
    pub dimensions_title: &'static str,
    pub dimensions_total: &'static str,
    /// `（权重 {}）`
    pub weights_paren: &'static str,
    /// The list's column of the dimensions' total.
    pub dims_short: &'static str,
    /// The evaluation form's hint: the weights of 德能勤绩廉
    pub dims_form_hint: &'static str,
    // ---- sensitive tags ----
    /// What a list shows in place of sensitive tags.
    pub sensitive_mark: &'static str,
    pub sensitive_hint: &'static str,
}

pub const ZH: PracticeText = PracticeText {
    f_return_reason: "退单理由",
    f_merge_note: "说明",
    merge_default: "与{}重复，并单办理",
    choose_merge_into: "并入哪件诉求（更早登记、仍在办理）",
    no_merge_target: "没有可以并入的更早的在办诉求",
    f_ask_due: "延期至",
    f_reason: "理由",
    f_decision: "意见",
    f_press_note: "督办意见",
    bad_ask_due: "请填写延期后的日期，如 12-10",
    e_not_later: "延期后的日期须晚于现在的办理时限",
    e_bad_merge: "只能并入更早登记、仍在办理的另一件诉求",
    e_not_leader: "只有书记、主任可以审批延期和督办",
    asked_pending: "延期待批：申请至 {}",
    card_yellow: "督办黄牌",
    card_red: "督办红牌",
    merged_into: "已并入 {}",
    merged_repeats: "并单：{}",
    hotline_due: "12345时限 {}",
    tl_merged_in: "并入重复诉求 {}",
    tl_recomputed: "办理时限因工作日历更新由 {} 改为 {}",
    program: "系统",
    tl_on: "至 {}",
    to_decide_extension: "延期待批 至{} · {} · {}",
    r_loop: "12345 闭环",
    r_returned: "退单",
    r_repeats: "并单",
    r_repeats_value: "{}（并入原诉求，不另计件数）",
    r_extensions: "延期",
    r_extension_counts: "申请 {} · 批准 {} · 不批准 {}",
    r_pressed: "督办",
    r_card_counts: "黄牌 {} · 红牌 {}",
    estimate: "预估",
    header_provisional: "! {}年日历为预估",
    header_missing: "! 日历缺{}年",
    intake_provisional: "{}年的放假安排尚为预估，办理时限可能有变。国务院公布后请更新数据目录中的 calendar.txt（或升级 linli）。",
    intake_missing: "calendar.txt 中没有{}年的放假安排，办理时限只按周末计算。请按国务院通知在 calendar.txt 中补上该年（或升级 linli）。",
    notice_title: "升级说明",
    calendar_merged: "calendar.txt 已并入新版日历：{}",
    year_added: "补上{}年",
    year_updated: "更新{}年",
    year_kept_official: "{}年您改过，未动；新版已是正式安排，请核对",
    year_kept: "{}年您改过，未动（与新版估计不同）",
    calendar_backup: "原文件另存为 {}",
    due_recomputed: "工作日历有变：{} 件在办诉求的办理时限已重算，各诉求的办理记录中有说明",
    grades_notice: "岗位等级沿用本单位 grades.txt 中原有的写法，已有人员的等级不变。新版默认按三岗十八级：1–18 级一个序列，正职 7–18 级、副职 4–15 级、其他社区工作者 1–12 级。如要改用，删去数据目录中的 grades.txt 后重启，再逐一修改人员的等级。",
    grade_band: "{}：{}–{}",
    e_grade_out_of_band: "该等级不在此岗位的等级范围内（{}）",
    dimensions: ["德", "能", "勤", "绩", "廉"],
    dimensions_title: "德能勤绩廉",
    dimensions_total: "五项综合",
    weights_paren: "（权重 {}）",
    dims_short: "五项",
    dims_form_hint: "德能勤绩廉各项满分 100，五项综合按 {} 计（见 duties.txt）",
    sensitive_mark: "〔敏感〕",
    sensitive_hint: "敏感标签已隐藏，v 查看（记入操作记录）",
};

pub const EN: PracticeText = PracticeText {
    f_return_reason: "Why returned",
    f_merge_note: "Note",
    merge_default: "Repeats {}: merged",
    choose_merge_into: "Merge into (an earlier open request)",
    no_merge_target: "No earlier open request to merge into",
    f_ask_due: "New due date",
    f_reason: "Reason",
    f_decision: "Comment",
    f_press_note: "What to do",
    bad_ask_due: "Give the new due date, e.g. 12-10",
    e_not_later: "The new due date must be after the current one",
    e_bad_merge: "Only into another, earlier request that is still open",
    e_not_leader: "Only the secretary or the director decides extensions and presses",
    asked_pending: "Extension asked: to {}",
    card_yellow: "Yellow card",
    card_red: "Red card",
    merged_into: "Merged into {}",
    merged_repeats: "Repeats merged: {}",
    hotline_due: "12345 due {}",
    tl_merged_in: "Repeat merged in: {}",
    tl_recomputed: "Due date moved from {} to {}: the work calendar changed",
    program: "linli",
    tl_on: "to {}",
    to_decide_extension: "Extension to decide: to {} · {} · {}",
    r_loop: "The 12345 loop",
    r_returned: "Returned",
    r_repeats: "Merged repeats",
    r_repeats_value: "{} (counted with the request each joined)",
    r_extensions: "Extensions",
    r_extension_counts: "asked {} · approved {} · refused {}",
    r_pressed: "Pressed",
    r_card_counts: "yellow {} · red {}",
    estimate: "est.",
    header_provisional: "! {} calendar estimated",
    header_missing: "! No calendar for {}",
    intake_provisional: "The {} holidays are still an estimate: due dates may change. Update calendar.txt in the data dir (or linli) once the State Council publishes them.",
    intake_missing: "calendar.txt has no holidays for {}: due dates count weekends only. Add that year to calendar.txt from the State Council's notice (or update linli).",
    notice_title: "What changed",
    calendar_merged: "calendar.txt now has the new calendar: {}",
    year_added: "{} added",
    year_updated: "{} updated",
    year_kept_official: "{}: your edits kept, but the official arrangement is out: please check",
    year_kept: "{}: your edits kept (the new estimate differs)",
    calendar_backup: "the old file is kept as {}",
    due_recomputed: "The work calendar changed: the due dates of {} open requests were recomputed (each request's timeline says so)",
    grades_notice: "Post grades keep the labels of your grades.txt; no worker's grade changed. New offices now start with 三岗十八级 as it is: one ladder of grades 1–18, heads 7–18, deputies 4–15, other workers 1–12. To switch, delete grades.txt in the data dir, restart, and set each worker's grade again.",
    grade_band: "{}: {}–{}",
    e_grade_out_of_band: "That grade is outside this post's band ({})",
    dimensions: ["Integrity", "Ability", "Diligence", "Results", "Probity"],
    dimensions_title: "Dimensions",
    dimensions_total: "Dimensions, weighted",
    weights_paren: " (weights {})",
    dims_short: "Dims",
    dims_form_hint: "Each dimension out of 100, weighted {} (see duties.txt)",
    sensitive_mark: "(sensitive)",
    sensitive_hint: "Sensitive tags hidden: v shows them (recorded)",
};

pub fn t(lang: Lang) -> &'static PracticeText {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
