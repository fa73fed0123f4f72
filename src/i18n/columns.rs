//! Column headers of exported sheets, and what an import recognises.

use super::Lang;

/// A column of an export, and what an import recognises. Headers in both
/// languages are in `i18n::column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Col {
    Id,
    LoggedAt,
    LoggedBy,
    Channel,
    WorkOrder,
    /// The 12345 hotline's own deadline (schema 5).
    HotlineDue,
    Category,
    Title,
    Description,
    Location,
    Resident,
    ResidentPhone,
    Urgency,
    Status,
    Assignee,
    Due,
    Satisfaction,
    Timeline,
    Name,
    Phone,
    Address,
    Estate,
    Building,
    Unit,
    Room,
    Grid,
    Tags,
    Notes,
    Post,
    Active,
    At,
    By,
    What,
    Key,
    Action,
    Changes,
    Gender,
    BirthYear,
    Org,
    Skills,
    Availability,
}

/// Column headers of exported sheets (Chinese first: what the office and
/// the street office read; imports recognise these and common variants).
pub fn column(lang: Lang, c: Col) -> &'static str {
    use Col::*;
    let (zh, en) = match c {
        Id => ("编号", "No."),
        LoggedAt => ("登记时间", "Logged at"),
        LoggedBy => ("登记人", "Logged by"),
        Channel => ("渠道", "Channel"),
        WorkOrder => ("12345工单号", "12345 work order"),
        HotlineDue => ("12345办理时限", "12345 due"),
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
        Gender => ("性别", "Gender"),
        BirthYear => ("出生年份", "Born"),
        Org => ("单位", "Organisation"),
        Skills => ("技能", "Skills"),
        Availability => ("空闲时间", "Free"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
