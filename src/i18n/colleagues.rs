//! Words for working beside colleagues on one store: a save refused
//! because someone changed the record after the form was opened, and an
//! undo or redo refused because someone changed the record since, each
//! naming who and when.

use super::Lang;

#[derive(serde::Serialize)]
pub struct ColleaguesText {
    /// who, when
    pub form_changed: &'static str,
    /// who, when
    pub form_deleted: &'static str,
    /// No audit entry says who (an old store, a damaged trail).
    pub form_changed_unknown: &'static str,
    /// who, when, the record
    pub undo_changed: &'static str,
    /// who, when, the record
    pub redo_changed: &'static str,
    /// who, when, the record
    pub undo_deleted: &'static str,
    /// the record
    pub undo_changed_unknown: &'static str,
    /// An entry without a worker, or a worker this window does not know.
    pub someone: &'static str,
    /// The store's error, where no audit entry is at hand: the record.
    pub e_changed: &'static str,
}

pub static ZH_COLLEAGUES: ColleaguesText = ColleaguesText {
    form_changed: "{} 在 {} 修改了这条记录，你的修改未保存。按 Esc 关闭后重新打开再改",
    form_deleted: "{} 在 {} 删除了这条记录，你的修改未保存。按 Esc 关闭",
    form_changed_unknown: "这条记录在你打开后被修改过，你的修改未保存。按 Esc 关闭后重新打开再改",
    undo_changed: "无法撤销：{} 在 {} 之后又修改了 {}",
    redo_changed: "无法重做：{} 在 {} 之后又修改了 {}",
    undo_deleted: "无法撤销：{} 在 {} 删除了 {}",
    undo_changed_unknown: "无法撤销：{} 之后又被修改过",
    someone: "另一位同事",
    e_changed: "{} 之后又被修改过",
};

pub static EN_COLLEAGUES: ColleaguesText = ColleaguesText {
    form_changed: "{} changed this record at {}; your changes were not saved. Close (Esc) and open it again to edit",
    form_deleted: "{} removed this record at {}; your changes were not saved. Close (Esc)",
    form_changed_unknown: "This record was changed after you opened it; your changes were not saved. Close (Esc) and open it again to edit",
    undo_changed: "Cannot undo: {} changed it at {}, after you: {}",
    redo_changed: "Cannot redo: {} changed it at {}, after you: {}",
    undo_deleted: "Cannot undo: {} removed it at {}: {}",
    undo_changed_unknown: "Cannot undo: {} was changed again since",
    someone: "a colleague",
    e_changed: "{} was changed again since",
};

pub fn t(lang: Lang) -> &'static ColleaguesText {
    match lang {
        Lang::Zh => &ZH_COLLEAGUES,
        Lang::En => &EN_COLLEAGUES,
    }
}
