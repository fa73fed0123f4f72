//! The duties board's keys: the list moves and the generic actions (open,
//! new, edit, search, back) of the view shown, and its own actions.

use super::prelude::*;
use super::{BoardRow, DutyAction, registry, training};
use ratatui::crossterm::event::KeyEvent;

impl DutiesPanel {
    /// List keys and the generic actions (new, edit, open, search, back) on
    /// panel 3. Returns whether the action was used here.
    pub fn duty_generic(&mut self, sh: &mut Shared, a: Action) -> bool {
        let page = self.list_height.max(1) as isize;
        match a {
            Action::Up => self.duty_step(sh, -1),
            Action::Down => self.duty_step(sh, 1),
            Action::PageUp => self.duty_step(sh, -page),
            Action::PageDown => self.duty_step(sh, page),
            Action::Top => self.duty_step(sh, isize::MIN / 2),
            Action::Bottom => self.duty_step(sh, isize::MAX / 2),
            Action::Open => self.duty_open(sh),
            Action::New => self.duty_new(sh),
            Action::Edit => self.duty_edit(sh),
            Action::Search if self.view == View::Log => self.log_searching = true,
            Action::Search => {}
            Action::Back => self.duty_back(sh),
            Action::Reveal if self.view == View::Registry => self.reveal_worker(sh),
            Action::Reveal => {}
            _ => return false,
        }
        true
    }
    pub(super) fn duty_step(&mut self, sh: &mut Shared, delta: isize) {
        match self.view {
            View::Board => {
                let n = self.board_rows_len();
                self.board_list.step(delta, n);
            }
            View::Registry => {
                self.registry_list.step(delta, sh.workers.len());
                self.registry_revealed = None;
            }
            View::Rota => {
                let (y, m) = self.month;
                let Some((first, last)) = month_bounds(y, m) else { return };
                self.cursor = match delta {
                    d if d <= isize::MIN / 4 => first,
                    d if d >= isize::MAX / 4 => last,
                    d => super::rota::move_day(self.cursor, 7 * d.signum() as i64),
                };
                self.rota_follow_cursor(sh);
            }
            View::Leave => {
                let n = self.leaves.len();
                self.leave_list.step(delta, n);
            }
            View::Log => {
                let n = self.log_hits.len();
                self.log_list.step(delta, n);
                self.load_log_detail(sh);
            }
            View::Training => {
                let n = sh.workers.iter().filter(|w| w.active).count();
                self.people_list.step(delta, n);
            }
            View::Evaluation => {
                let n = training::eval_people(self, sh).len();
                self.people_list.step(delta, n);
            }
        }
    }
    pub(super) fn duty_back(&mut self, sh: &mut Shared) {
        if self.swap_from.take().is_some() {
            sh.info(sh.lang.duties().swap_cancelled);
        } else if self.view == View::Board && self.expanded.take().is_some() {
        } else if self.view == View::Log && !self.log_search.is_empty() {
            self.log_search.clear();
            self.refilter_log(sh);
        }
    }
    pub(super) fn duty_open(&mut self, sh: &mut Shared) {
        match self.view {
            View::Board => match self.board_row() {
                Some(BoardRow::Duty(i)) => {
                    let Some(d) = self.board.as_ref().and_then(|b| b.duties.get(i)) else { return };
                    let id = d.duty.id;
                    if d.visits.is_some() {
                        self.expanded = if self.expanded == Some(id) { None } else { Some(id) };
                    } else {
                        self.duty_edit(sh);
                    }
                }
                Some(BoardRow::Resident(_, r)) => self.open_log_form(sh, None, Some(r)),
                Some(BoardRow::Todo(_)) => match self.selected_todo() {
                    Some(TodoRef::Request(id)) => sh.effect(Effect::ShowRequest(id)),
                    Some(TodoRef::Task(id)) => self.open_task_form(sh, Some(id)),
                    Some(TodoRef::Leave(id)) => self.show_leave(sh, id),
                    None => {}
                },
                None => {}
            },
            View::Registry => {
                if let Some(w) = sh.workers.get(self.registry_list.sel) {
                    self.worker = Some(w.id);
                    self.view = View::Board;
                    self.stale = true;
                }
            }
            View::Rota => self.open_rota_day_picker(sh),
            View::Leave => self.open_leave_decide(sh),
            View::Log => {
                if let Some(e) = self.log_detail.clone() {
                    self.open_log_form(sh, Some(&e), None);
                }
            }
            View::Training => self.duty_new(sh),
            View::Evaluation => self.duty_edit(sh),
        }
    }
    pub(super) fn duty_new(&mut self, sh: &mut Shared) {
        match self.view {
            View::Board => self.open_task_form(sh, None),
            View::Registry => registry::open_worker_form(sh, &self.grades, None),
            View::Rota => self.open_rota_generate(sh),
            View::Leave => self.open_leave_form(sh),
            View::Log => self.open_log_form(sh, None, None),
            View::Training => self.open_training_form(sh),
            View::Evaluation => self.duty_edit(sh),
        }
    }
    pub(super) fn duty_edit(&mut self, sh: &mut Shared) {
        match self.view {
            View::Board => match self.board_row() {
                Some(BoardRow::Duty(i)) => {
                    let Some(d) = self.board.as_ref().and_then(|b| b.duties.get(i)) else { return };
                    let duty = d.duty.clone();
                    self.open_duty_form(sh, duty.worker, Some(&duty));
                }
                Some(BoardRow::Todo(_)) => match self.selected_todo() {
                    Some(TodoRef::Task(id)) => self.open_task_form(sh, Some(id)),
                    Some(TodoRef::Request(_)) | Some(TodoRef::Leave(_)) => self.duty_open(sh),
                    None => {}
                },
                _ => {}
            },
            View::Registry => {
                if let Some(w) = sh.workers.get(self.registry_list.sel).cloned() {
                    registry::open_worker_form(sh, &self.grades, Some(&w));
                }
            }
            View::Rota => self.open_rota_day_picker(sh),
            View::Leave => self.open_leave_decide(sh),
            View::Log => self.duty_open(sh),
            View::Training => self.open_training_form(sh),
            View::Evaluation => {
                let w = training::eval_people(self, sh).get(self.people_list.sel).map(|w| w.id);
                if let Some(w) = w {
                    self.open_evaluation_form(sh, w);
                }
            }
        }
    }
    /// The duties actions of the key map.
    pub fn duty_act(&mut self, sh: &mut Shared, a: DutyAction) {
        self.duty_act_inner(sh, a);
    }
    pub(super) fn duty_act_inner(&mut self, sh: &mut Shared, a: DutyAction) {
        let range = sh.lang.t().range;
        match a {
            DutyAction::LogNew => self.open_log_form(sh, None, None),
            DutyAction::NextView | DutyAction::PrevView => {
                self.view = self.view.step(if a == DutyAction::NextView { 1 } else { -1 });
                self.swap_from = None;
                self.log_searching = false;
                self.stale = true;
            }
            DutyAction::ChooseWorker => {
                let items = self.worker_pick_items(sh, false);
                let d = sh.lang.duties();
                let sel = self.subject(sh.operator).map_or(0, |w| w.0);
                let picker = Picker::new(d.choose_board_worker, items).with_selected_id(sel);
                sh.open(
                    PickerLayer::new(picker, |pick, _, sh, panels| panels.duties.pick_board_worker(sh, pick)).layer(),
                );
            }
            DutyAction::TaskNew => self.open_task_form(sh, None),
            DutyAction::DutyNew => {
                if let Some(w) = self.subject(sh.operator) {
                    self.open_duty_form(sh, w, None);
                }
            }
            DutyAction::TaskDone => self.ask_finish_task(sh),
            DutyAction::Export => match self.view {
                View::Registry => self.export_notice(sh),
                View::Evaluation => self.export_evaluation(sh),
                _ => {}
            },
            DutyAction::RotaGenerate => self.open_rota_generate(sh),
            DutyAction::RotaSwap => self.rota_swap(sh),
            DutyAction::DayPrev | DutyAction::DayNext => {
                self.cursor = super::rota::move_day(self.cursor, if a == DutyAction::DayNext { 1 } else { -1 });
                self.rota_follow_cursor(sh);
            }
            DutyAction::MonthPrev | DutyAction::MonthNext => {
                let (y, m) = add_months(self.month.0, self.month.1, if a == DutyAction::MonthNext { 1 } else { -1 });
                self.month = (y, m);
                if let Some((first, last)) = month_bounds(y, m) {
                    let day = self.cursor.day();
                    self.cursor = NaiveDate::from_ymd_opt(y, m, day).unwrap_or(last).max(first);
                }
                self.stale = true;
            }
            DutyAction::YearPrev | DutyAction::YearNext => {
                let delta = if a == DutyAction::YearNext { 1 } else { -1 };
                if self.view == View::Evaluation {
                    self.eval_year += delta;
                } else {
                    self.year += delta;
                }
                self.stale = true;
            }
            DutyAction::LeaveNew => self.open_leave_form(sh),
            DutyAction::LeaveDecide => self.open_leave_decide(sh),
            DutyAction::LeaveClose => self.open_leave_close(sh),
            DutyAction::LeaveWithdraw => {
                if let Some(l) = self.selected_leave() {
                    let msg = fill(
                        sh.lang.duties().confirm_withdraw,
                        format!("{} {}{range}{}", sh.worker_name(Some(l.worker)), l.from, l.to),
                    );
                    let id = l.id;
                    sh.open(Layer::confirm(msg, move |sh, panels| panels.duties.withdraw_leave(sh, id)));
                }
            }
            DutyAction::LogToRequest => self.log_to_request(sh),
            DutyAction::LogComment => self.open_comment_form(sh),
            DutyAction::LogAll => {
                self.log_all = !self.log_all;
                self.refilter_log(sh);
            }
            DutyAction::TrainingNew => self.open_training_form(sh),
        }
    }
    /// Keys while the log's search line has focus; returns whether used.
    pub fn duty_search_key(&mut self, sh: &mut Shared, key: &KeyEvent) -> bool {
        if self.view != View::Log || !self.log_searching {
            return false;
        }
        match crate::ui::panel::search_line_key(&mut self.log_search, &mut self.log_searching, key) {
            crate::ui::panel::SearchKey::Cleared | crate::ui::panel::SearchKey::Edited => self.refilter_log(sh),
            crate::ui::panel::SearchKey::Move(a) => {
                self.duty_generic(sh, a);
            }
            _ => {}
        }
        true
    }
    pub fn duty_paste(&mut self, sh: &mut Shared, s: &str) {
        if self.view == View::Log && self.log_searching {
            self.log_search.insert_str(s);
            self.refilter_log(sh);
        }
    }
    pub fn duty_searching(&self) -> bool {
        self.view == View::Log && self.log_searching
    }
}
