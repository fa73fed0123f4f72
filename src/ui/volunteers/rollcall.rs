//! The roll call (点名): the fast way to credit an activity. The user types
//! a name, pinyin initials or phone tail, presses Enter to tick the first
//! match (the filter clears, ready for the next name), and adjusts anyone's
//! hours with ←/→; everyone ticked gets the activity's length by default.
//! Ctrl+S saves the activity and every credit in one write.
//!
//! The team's members come first, then the post's regular volunteers, then
//! everyone else, so a typical roll call needs a few keystrokes a person.
//! Someone who came but is not on the roster is added on the spot: a typed
//! name that matches nobody offers `+ 登记新志愿者“…”`, Enter asks for the
//! phone, and they join the roll call ticked, every other tick kept.

use crate::domain::pinyin::name_initials;
use crate::domain::text::{display_safe, fit, width};
use crate::domain::volunteer::{Activity, MAX_RECORD_MINUTES, VolunteerId, hours};
use crate::i18n::volunteers as ir;
use crate::i18n::{Lang, fill};
use crate::store::roster::index::RosterIndex;
use crate::ui::text::line;
use crate::ui::theme::Theme;
use crate::ui::widgets::input::LineInput;
use crate::ui::widgets::picker::query_words;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Widget};

struct Candidate {
    id: VolunteerId,
    name: String,
    initials: crate::domain::pinyin::Initials,
    phone: String,
    /// Lower-cased name and team names, for substring search.
    hay: String,
    /// What the list says beside the name (team and role, or skills).
    note: String,
    /// 0 the activity's team, 1 the post's regulars, 2 everyone else.
    group: u8,
}

pub enum RollOutcome {
    Consumed,
    Cancel,
    Save,
    /// Enter on `+ 登记新志愿者`: the name (and phone) typed.
    WalkIn(String, String),
}

pub struct RollCall {
    /// The activity being credited; `id` 0 until it is saved.
    pub activity: Activity,
    pub existing: bool,
    title: String,
    candidates: Vec<Candidate>,
    /// Ticked volunteers and their minutes, in the order they were ticked.
    pub ticks: Vec<(VolunteerId, u32)>,
    pub input: LineInput,
    shown: Vec<usize>,
    /// The list ends with `+ 登记新志愿者“…”` (a name is typed).
    offer_new: bool,
    pub selected: usize,
    only_ticked: bool,
    pub dirty: bool,
    /// Why an existing roll call is changed (kept on corrected records).
    pub reason: String,
    /// A saved activity, as stored when the roll call opened: its save is
    /// refused if a colleague has changed the activity since.
    pub editing: Option<crate::ui::colleagues::Editing>,
}

/// Minutes ←/→ add or take away.
const STEP: u32 = 30;

impl RollCall {
    /// A roll call for `activity` over the roster's active volunteers;
    /// `ticks` are those already credited (for a saved activity).
    pub fn new(
        activity: Activity,
        existing: bool,
        ticks: Vec<(VolunteerId, u32)>,
        data: &RosterIndex,
        lang: Lang,
    ) -> RollCall {
        let team = activity.team.and_then(|t| data.team(t));
        let post = activity.post.and_then(|p| data.post(p));
        let mut candidates: Vec<Candidate> = data
            .volunteers
            .iter()
            .filter(|r| r.v.active || ticks.iter().any(|(v, _)| *v == r.v.id))
            .map(|r| {
                let member = team.and_then(|t| t.member(r.v.id));
                let group = if member.is_some() {
                    0
                } else if post.is_some_and(|p| p.staff.contains(&r.v.id)) {
                    1
                } else {
                    2
                };
                let teams: Vec<&str> = r.teams.iter().map(|t| data.team_name(*t)).collect();
                let note = match member {
                    Some(m) => ir::role(lang, m.role).to_string(),
                    None => {
                        let short: Vec<&str> = teams.iter().map(|t| ir::short_team(t)).collect();
                        format!("{} {}", short.join("、"), r.v.skills.join("、"))
                    }
                };
                Candidate {
                    id: r.v.id,
                    name: r.name.clone(),
                    initials: name_initials(&r.name),
                    phone: r.phone.clone(),
                    hay: format!("{} {}", r.name, teams.join(" ")).to_lowercase(),
                    note,
                    group,
                }
            })
            .collect();
        candidates.sort_by(|a, b| (a.group, a.initials.first(), a.id).cmp(&(b.group, b.initials.first(), b.id)));
        let t = lang.volunteers();
        let mut title = format!("{} {} {} {}", t.roll_call, activity.date, activity.span, activity.title);
        if let Some(tm) = team {
            title.push_str(&format!(" {}", tm.name));
        }
        let mut r = RollCall {
            activity,
            existing,
            title,
            candidates,
            ticks,
            input: LineInput::default(),
            shown: Vec::new(),
            offer_new: false,
            selected: 0,
            only_ticked: false,
            dirty: false,
            reason: String::new(),
            editing: None,
        };
        r.refilter();
        r
    }

    pub(super) fn default_minutes(&self) -> u32 {
        self.activity.minutes().min(MAX_RECORD_MINUTES)
    }

    pub(super) fn minutes_of(&self, v: VolunteerId) -> Option<u32> {
        self.ticks.iter().find(|(x, _)| *x == v).map(|(_, m)| *m)
    }

    pub fn total_minutes(&self) -> u64 {
        self.ticks.iter().map(|(_, m)| u64::from(*m)).sum()
    }

    pub(super) fn refilter(&mut self) {
        let words = query_words(&crate::domain::text::clean_input(&self.input.value(), false));
        self.shown = self
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| !self.only_ticked || self.ticks.iter().any(|(v, _)| *v == c.id))
            .filter(|(_, c)| {
                words.iter().all(|w| {
                    if w.bytes().all(|b| b.is_ascii_digit()) {
                        c.phone.contains(w.as_str())
                    } else if w.bytes().all(|b| b.is_ascii_alphabetic()) {
                        c.initials.has_prefix(w.as_str()) || c.hay.contains(w.as_str())
                    } else {
                        c.hay.contains(w.as_str())
                    }
                })
            })
            .map(|(i, _)| i)
            .collect();
        // a name (not initials or a phone tail) can be someone new
        self.offer_new = !self.only_ticked && !self.walk_in().0.is_ascii();
        self.selected = self.selected.min(self.entries().saturating_sub(1));
    }

    /// Rows in the list: the matches, and `+ 登记新志愿者` after them.
    fn entries(&self) -> usize {
        self.shown.len() + usize::from(self.offer_new)
    }

    /// The typed line as a new volunteer: the name, and a phone number if
    /// one was typed with it (`马秀兰 13912345678`).
    fn walk_in(&self) -> (String, String) {
        let typed = crate::domain::text::clean_input(&self.input.value(), false);
        let typed = crate::domain::text::half_width(&typed).into_owned();
        let (phone, name): (Vec<&str>, Vec<&str>) =
            typed.split_whitespace().partition(|w| w.len() >= 7 && w.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
        (name.join(" "), phone.join(""))
    }

    /// Someone not on the roster came: now saved as a volunteer, they join
    /// the list ticked with the activity's hours; the ticks so far stay.
    pub fn add_walk_in(&mut self, id: VolunteerId, name: &str, phone: &str, lang: Lang) {
        if !self.candidates.iter().any(|c| c.id == id) {
            self.candidates.push(Candidate {
                id,
                name: name.to_string(),
                initials: name_initials(name),
                phone: phone.to_string(),
                hay: name.to_lowercase(),
                note: lang.volunteers().roll_walk_in.to_string(),
                group: 2,
            });
        }
        if self.minutes_of(id).is_none() {
            self.ticks.push((id, self.default_minutes()));
        }
        self.dirty = true;
        self.input.clear();
        self.refilter();
        let i = self.candidates.iter().position(|c| c.id == id);
        if let Some(p) = self.shown.iter().position(|&x| Some(x) == i) {
            self.selected = p;
        }
    }

    pub(super) fn toggle(&mut self) {
        let Some(&i) = self.shown.get(self.selected) else { return };
        let id = self.candidates[i].id;
        match self.ticks.iter().position(|(v, _)| *v == id) {
            Some(p) => {
                self.ticks.remove(p);
            }
            None => self.ticks.push((id, self.default_minutes())),
        }
        self.dirty = true;
    }

    pub(super) fn adjust(&mut self, up: bool) {
        let Some(&i) = self.shown.get(self.selected) else { return };
        let id = self.candidates[i].id;
        // only those ticked have hours to change
        if let Some((_, m)) = self.ticks.iter_mut().find(|(v, _)| *v == id) {
            *m = if up {
                (*m + STEP).min(MAX_RECORD_MINUTES)
            } else {
                // keep at least a quarter of an hour
                m.saturating_sub(STEP).max(15.min(*m))
            };
            self.dirty = true;
        }
    }

    pub fn paste(&mut self, s: &str) {
        self.input.insert_str(s);
        self.selected = 0;
        self.refilter();
        self.select_new_if_nobody();
    }

    /// A typed name that matches nobody: `+ 登记新志愿者` is selected, so
    /// Enter adds them.
    fn select_new_if_nobody(&mut self) {
        if self.shown.is_empty() && self.offer_new {
            self.selected = 0;
        }
    }

    /// A key, as the key map's `RollCall` scope names it; anything else
    /// is typed into the name line.
    pub fn handle_key(&mut self, key: &KeyEvent) -> RollOutcome {
        use crate::ui::keymap::{self, Action, Scope};
        let last = self.entries().saturating_sub(1);
        match keymap::resolve(&[Scope::RollCall], key) {
            Some(Action::Save) => return RollOutcome::Save,
            Some(Action::Cancel) if !self.input.is_empty() => {
                self.input.clear();
                self.refilter();
            }
            Some(Action::Cancel) => return RollOutcome::Cancel,
            Some(Action::Tick) if self.offer_new && self.selected == self.shown.len() => {
                let (name, phone) = self.walk_in();
                return RollOutcome::WalkIn(name, phone);
            }
            Some(Action::Tick) => {
                let person = self.shown.get(self.selected).copied();
                self.toggle();
                // a name was typed to find someone: clear it for the next,
                // and stay on them so ←/→ can change their hours
                if !self.input.is_empty() {
                    self.input.clear();
                }
                self.refilter();
                if let Some(p) = person.and_then(|p| self.shown.iter().position(|&i| i == p)) {
                    self.selected = p;
                }
            }
            Some(Action::Scroll) => match key.code {
                KeyCode::Up => self.selected = self.selected.saturating_sub(1),
                KeyCode::Down => self.selected = (self.selected + 1).min(last),
                KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
                _ => self.selected = (self.selected + 10).min(last),
            },
            Some(Action::Hours) => self.adjust(key.code == KeyCode::Right),
            Some(Action::TickedOnly) => {
                self.only_ticked = !self.only_ticked;
                self.selected = 0;
                self.refilter();
            }
            _ => {
                if self.input.handle_key(key) {
                    self.selected = 0;
                    self.refilter();
                    self.select_new_if_nobody();
                }
            }
        }
        RollOutcome::Consumed
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) -> Position {
        let t = lang.volunteers();
        crate::ui::text::clear_popup(area, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(format!(" {} ", display_safe(&crate::domain::text::truncate(&self.title, area.width as usize - 4))))
            .title_style(theme.title);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 4 || inner.width < 20 {
            return Position::new(inner.x, inner.y);
        }
        let summary =
            format!("{}  {} {}", fill(t.roll_ticked, self.ticks.len()), hours(self.total_minutes()), t.hours_unit,);
        let summary = if self.only_ticked { format!("[{}] {summary}", t.roll_only_ticked) } else { summary };
        let sw = width(&summary) as u16;
        let label = format!("{}> ", t.roll_filter);
        let lw = width(&label) as u16;
        line(buf, inner.x, inner.y, lw, &label, theme.focus);
        let pos = self.input.render(
            Rect::new(inner.x + lw, inner.y, inner.width.saturating_sub(lw + sw + 1), 1),
            buf,
            theme.input,
        );
        line(buf, inner.right().saturating_sub(sw), inner.y, sw, &summary, theme.ok);
        let list_h = inner.height.saturating_sub(2) as usize;
        if self.shown.is_empty() && !self.offer_new {
            line(buf, inner.x + 2, inner.y + 1, inner.width - 2, t.roll_none, theme.dim);
        }
        let offset = self.selected.saturating_sub(list_h.saturating_sub(1));
        let name_w = 10;
        let hours_w = 8;
        let note_w = (inner.width as usize).saturating_sub(4 + name_w + hours_w + 3);
        for (row, &i) in self.shown.iter().skip(offset).take(list_h).enumerate() {
            let c = &self.candidates[i];
            let ticked = self.minutes_of(c.id);
            let mark = if ticked.is_some() { "[x]" } else { "[ ]" };
            let h = ticked.map_or(String::new(), |m| format!("{}{}", hours(u64::from(m)), t.hours_unit));
            let group = match c.group {
                0 => t.roll_member,
                1 => t.roll_staff,
                _ => "",
            };
            let text = format!(
                "{mark} {} {} {}",
                fit(&display_safe(&c.name), name_w),
                fit(&h, hours_w),
                fit(&display_safe(format!("{group} {}", c.note).trim()), note_w)
            );
            let y = inner.y + 1 + row as u16;
            let style = if offset + row == self.selected {
                theme.selected
            } else if ticked.is_some() {
                theme.ok
            } else {
                theme.base
            };
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
            line(buf, inner.x + 1, y, inner.width - 1, &text, style);
        }
        let new_row = self.shown.len().saturating_sub(offset);
        if self.offer_new && new_row < list_h {
            let y = inner.y + 1 + new_row as u16;
            let style = if self.selected == self.shown.len() { theme.selected } else { theme.base };
            let (name, _) = self.walk_in();
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
            line(buf, inner.x + 1, y, inner.width - 1, &fill(t.roll_new, display_safe(&name)), style);
        }
        let keys = crate::ui::keymap::hint_line(lang, crate::ui::keymap::Scope::RollCall);
        line(buf, inner.x, inner.bottom() - 1, inner.width, &keys, theme.dim);
        pos
    }
}

// ---- the flow: open, keys, save -------------------------------------------

use super::{RosterView, VolunteersPanel};
use crate::ui::layers::{ConfirmAction, Layer};
use crate::ui::panel::Panels;
use crate::ui::shared::Shared;

impl VolunteersPanel {
    pub(super) fn open_roll_call_for_selected(&mut self, sh: &mut Shared) {
        if let Some(a) = self.selected_activity() {
            // as stored now (a colleague may have changed it since)
            let a = super::forms::stored(sh, a.id.0, &a);
            self.open_roll_call(sh, a, true);
        }
    }

    /// The roll call for an activity; a saved one starts with who was
    /// credited. A changed length moves those on the old default along.
    pub(super) fn open_roll_call(&mut self, sh: &mut Shared, activity: Activity, existing: bool) {
        let mut ticks = Vec::new();
        if existing {
            match sh.store.service_of_activity(activity.id) {
                Ok(recs) => {
                    let old_len = self.data.activity(activity.id).map(|a| a.minutes());
                    for r in recs.iter().filter(|r| !r.voided) {
                        let m = if Some(r.minutes) == old_len { activity.minutes() } else { r.minutes };
                        ticks.push((r.volunteer, m));
                    }
                }
                Err(e) => return sh.error(&e),
            }
        }
        let mut rc = RollCall::new(activity, existing, ticks, &self.data, sh.lang);
        if existing {
            // what a corrected record says about why it changed
            rc.reason = sh.lang.volunteers().roll_redone.to_string();
            let kind = crate::store::record::RecordKind::Activity;
            rc.editing = Some(crate::ui::colleagues::Editing::read(&sh.store, kind, rc.activity.id.0));
        }
        sh.open(Layer::RollCall(Box::new(rc)));
    }
}

/// A key on the roll call.
pub fn handle_key(mut rc: Box<RollCall>, key: &KeyEvent, sh: &mut Shared, panels: &mut Panels, stack: &mut Vec<Layer>) {
    match rc.handle_key(key) {
        RollOutcome::Consumed => stack.push(Layer::RollCall(rc)),
        RollOutcome::Cancel if rc.dirty => {
            stack.push(Layer::RollCall(rc));
            stack.push(Layer::Confirm(sh.lang.volunteers().confirm_roll_discard.into(), ConfirmAction::DiscardBelow));
        }
        RollOutcome::Cancel => {}
        RollOutcome::Save => save(rc, sh, panels, stack),
        RollOutcome::WalkIn(name, phone) => {
            stack.push(Layer::RollCall(rc));
            open_walk_in(sh, &name, &phone);
        }
    }
}

/// The walk-in's form over the roll call: name and phone. Saved, the new
/// volunteer joins the roll call below ticked ([`Effect::WalkIn`]); Esc
/// goes back to the roll call as it was.
fn open_walk_in(sh: &mut Shared, name: &str, phone: &str) {
    use crate::ui::widgets::form::{Field, Form};
    let t = sh.lang.volunteers();
    let label = |key: &str| crate::i18n::fields::label(sh.lang, crate::store::record::RecordKind::Volunteer, key);
    let mut form = Form::new(
        t.walk_in_title,
        vec![Field::text("name", &label("name"), name, true), Field::text("phone", &label("phone"), phone, false)],
    );
    form.warning = Some(t.walk_in_hint.to_string());
    if !name.is_empty() {
        form.focus_on("phone");
    }
    sh.open(
        crate::ui::layers::FormLayer::new(form, |form, sh, _| {
            let t = sh.lang.volunteers();
            let phone = crate::domain::mask::normalize_phone(&form.text("phone"))
                .map_err(|_| sh.lang.t().bad_phone.to_string())?;
            let name = form.text("name");
            crate::ui::shared::check_name(sh.lang, &name)?;
            let Some(op) = sh.need_operator() else { return Ok(()) };
            let mut v = crate::domain::volunteer::Volunteer::new(VolunteerId(0), &name, sh.today.date);
            v.phone = phone.clone();
            let saved = sh.store.create_volunteer(&v, op, sh.now()).map_err(|e| sh.store_msg(&e))?;
            sh.effect(crate::ui::shared::Effect::WalkIn { id: saved.id, name: saved.name.clone(), phone });
            sh.info(fill(t.walk_in_added, &saved.name));
            Ok(())
        })
        .layer(),
    );
}

/// Saves the whole roll call in one write; the activity form it came from
/// (if any) is done with.
pub(super) fn save(rc: Box<RollCall>, sh: &mut Shared, panels: &mut Panels, stack: &mut Vec<Layer>) {
    let Some(op) = sh.need_operator() else { return stack.push(Layer::RollCall(rc)) };
    // a colleague changed the activity since the roll call opened: the
    // roll call stays, ticks and all, with who and when
    if let Some(msg) = rc.editing.as_ref().and_then(|e| e.refusal(sh)) {
        sh.fail(msg);
        return stack.push(Layer::RollCall(rc));
    }
    let now = sh.now();
    let result = if rc.existing {
        sh.store.update_activity(&rc.activity, &rc.ticks, &rc.reason, op, now).map(|(a, _)| a)
    } else {
        sh.store.log_activity(&rc.activity, &rc.ticks, op, now).map(|(a, _)| a)
    };
    match result {
        Ok(a) => {
            if matches!(stack.last(), Some(Layer::Form(f)) if f.form.fields.iter().any(|x| x.key == "time")) {
                stack.pop();
            }
            panels.sync(sh);
            let p = &mut panels.volunteers;
            let pos = p.data.activities.position(a.id);
            p.roster_show(sh, RosterView::Activities, pos);
            sh.info(fill(sh.lang.volunteers().saved_activity, rc.ticks.len()));
        }
        Err(e) => {
            sh.fail(sh.store_msg(&e));
            stack.push(Layer::RollCall(rc));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::WorkerId;
    use crate::domain::volunteer::{ActivityId, Role, Span, Team, TeamId, Volunteer};
    use chrono::NaiveDate;
    use ratatui::crossterm::event::KeyModifiers;

    pub(super) fn data() -> RosterIndex {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut idx = RosterIndex::default();
        for (i, n) in ["张三", "李四", "王五", "张淑珍"].iter().enumerate() {
            let mut v = Volunteer::new(VolunteerId(i as u64 + 1), n, d);
            v.phone = format!("1380000000{i}");
            idx.upsert_volunteer(&v, None);
        }
        let mut t = Team::new(TeamId(1), "小巷管家");
        t.set_member(VolunteerId(3), Role::Leader, d);
        idx.upsert_team(&t);
        idx
    }

    pub(super) fn activity() -> Activity {
        Activity {
            id: ActivityId(0),
            date: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            span: Span::new(540, 660),
            team: Some(TeamId(1)),
            post: None,
            place: String::new(),
            title: "楼道清扫".into(),
            logged_by: WorkerId(1),
        }
    }

    pub(super) fn typed(r: &mut RollCall, s: &str) {
        for c in s.chars() {
            r.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    pub(super) fn press(r: &mut RollCall, c: KeyCode) {
        r.handle_key(&KeyEvent::new(c, KeyModifiers::NONE));
    }

    #[test]
    pub(super) fn type_initials_enter_tick_and_go_on() {
        let mut r = RollCall::new(activity(), false, Vec::new(), &data(), Lang::Zh);
        // the team's member comes first
        assert_eq!(r.candidates[r.shown[0]].name, "王五");
        typed(&mut r, "zsz");
        press(&mut r, KeyCode::Enter);
        assert_eq!(r.ticks, vec![(VolunteerId(4), 120)]);
        assert!(r.input.is_empty(), "the filter clears for the next name");
        typed(&mut r, "李");
        press(&mut r, KeyCode::Enter);
        typed(&mut r, "0002"); // phone tail of 王五
        press(&mut r, KeyCode::Right);
        assert_eq!(r.ticks.len(), 2, "→ on someone not ticked changes nothing");
        press(&mut r, KeyCode::Enter);
        assert_eq!(r.ticks[2], (VolunteerId(3), 120));
        assert_eq!(r.candidates[r.shown[r.selected]].name, "王五", "the one just ticked stays selected");
        press(&mut r, KeyCode::Right);
        assert_eq!(r.ticks[2].1, 150);
        press(&mut r, KeyCode::Left);
        press(&mut r, KeyCode::Left);
        assert_eq!(r.ticks[2].1, 90);
        assert_eq!(r.total_minutes(), 330);
        // Tab shows only the ticked; Enter there unticks
        press(&mut r, KeyCode::Tab);
        assert_eq!(r.shown.len(), 3);
        press(&mut r, KeyCode::Enter);
        assert_eq!(r.ticks.len(), 2);
        assert!(matches!(r.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), RollOutcome::Save));
        assert!(matches!(r.handle_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)), RollOutcome::Cancel));
    }

    #[test]
    fn a_walk_in_is_offered_added_and_ticked_without_losing_ticks() {
        let mut r = RollCall::new(activity(), false, Vec::new(), &data(), Lang::Zh);
        typed(&mut r, "zs");
        press(&mut r, KeyCode::Enter);
        assert_eq!(r.ticks.len(), 1);
        // initials that match nobody offer nothing new
        typed(&mut r, "qq");
        assert!(!r.offer_new);
        r.input.clear();
        r.paste("马秀兰 13912345678");
        assert!(r.shown.is_empty() && r.offer_new);
        let RollOutcome::WalkIn(name, phone) = r.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)) else {
            panic!("Enter on a new name asks for the walk-in")
        };
        assert_eq!((name.as_str(), phone.as_str()), ("马秀兰", "13912345678"));
        assert_eq!(r.ticks.len(), 1, "nothing ticked yet");
        r.add_walk_in(VolunteerId(9), "马秀兰", "13912345678", Lang::Zh);
        assert_eq!(r.ticks, vec![(VolunteerId(1), 120), (VolunteerId(9), 120)], "the earlier tick is kept");
        assert!(r.input.is_empty());
        assert_eq!(r.candidates[r.shown[r.selected]].name, "马秀兰");
        typed(&mut r, "mxl");
        assert_eq!(r.shown.len(), 1, "found again by initials");
    }
}
