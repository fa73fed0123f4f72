//! The volunteer roster panel (志愿服务): six views of one roster, switched
//! with ←/→ (or [ and ]): teams, service posts, volunteers, activities,
//! monthly totals and the certificate register. Each view is a list (only
//! the visible rows are drawn) over the selected item's details. Totals
//! come from the kept aggregate, never from a scan of the records.

mod detail;
pub mod forms;
pub mod hand;
mod prelude;
pub mod rollcall;
mod save;
mod view;

use crate::store::undo::ChangeSet;
use crate::ui::panel::{Panel, SearchKey, list_step, search_line_key};
use prelude::*;
use ratatui::crossterm::event::KeyEvent;

/// What the roster's keys do (bound in `keymap::BINDINGS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterAction {
    PrevView,
    NextView,
    LogActivity,
    LogHours,
    Certificate,
    Correct,
    AddMember,
    MemberRole,
    AddStaff,
    RemoveStaff,
    Claim,
    Attention,
    RollCall,
    /// From the requests panel: hand the request to a team or volunteer.
    HandOver,
    /// Volunteers: registration order, most hours first, or by name.
    Sort,
}

impl RosterAction {
    /// The action in the footer and the help.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let t = lang.volunteers();
        match self {
            RosterAction::PrevView => t.a_prev_view,
            RosterAction::NextView => t.a_next_view,
            RosterAction::LogActivity => t.a_log_activity,
            RosterAction::LogHours => t.a_log_hours,
            RosterAction::Certificate => t.a_certificate,
            RosterAction::Correct => t.a_correct,
            RosterAction::AddMember => t.a_add_member,
            RosterAction::MemberRole => t.a_member_role,
            RosterAction::AddStaff => t.a_add_staff,
            RosterAction::RemoveStaff => t.a_remove_staff,
            RosterAction::Claim => t.a_claim,
            RosterAction::Attention => t.a_attention,
            RosterAction::RollCall => t.a_roll_call,
            RosterAction::HandOver => t.a_hand,
            RosterAction::Sort => lang.t().a_sort,
        }
    }
}

/// The order of the volunteers list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VolunteerSort {
    #[default]
    Registered,
    Hours,
    Name,
}

impl VolunteerSort {
    /// The order, as the count line says it.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        lang.volunteers().sorts[self as usize]
    }

    pub fn next(self) -> VolunteerSort {
        match self {
            VolunteerSort::Registered => VolunteerSort::Hours,
            VolunteerSort::Hours => VolunteerSort::Name,
            VolunteerSort::Name => VolunteerSort::Registered,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RosterView {
    Teams,
    Posts,
    #[default]
    Volunteers,
    Activities,
    Months,
    Certificates,
}

impl RosterView {
    pub const ALL: [RosterView; 6] = [
        RosterView::Teams,
        RosterView::Posts,
        RosterView::Volunteers,
        RosterView::Activities,
        RosterView::Months,
        RosterView::Certificates,
    ];

    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }

    pub fn label(self, t: &VolunteersText) -> &'static str {
        match self {
            RosterView::Teams => t.v_teams,
            RosterView::Posts => t.v_posts,
            RosterView::Volunteers => t.v_volunteers,
            RosterView::Activities => t.v_activities,
            RosterView::Months => t.v_months,
            RosterView::Certificates => t.v_certificates,
        }
    }

    fn hint(self, t: &VolunteersText) -> &'static str {
        match self {
            RosterView::Teams => t.hint_teams,
            RosterView::Posts => t.hint_posts,
            RosterView::Volunteers => t.hint_volunteers,
            RosterView::Activities => t.hint_activities,
            RosterView::Months => t.hint_months,
            RosterView::Certificates => t.hint_certificates,
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            RosterView::Teams => Scope::RosterTeams,
            RosterView::Posts => Scope::RosterPosts,
            RosterView::Volunteers => Scope::RosterVolunteers,
            RosterView::Activities => Scope::RosterActivities,
            RosterView::Months => Scope::RosterMonths,
            RosterView::Certificates => Scope::RosterCertificates,
        }
    }
}

#[derive(Default)]
pub struct VolunteersPanel {
    pub data: RosterIndex,
    pub loaded: bool,
    pub settings: RosterSettings,
    pub view: RosterView,
    pub search: LineInput,
    pub searching: bool,
    /// Positions in the current view's list that pass the search.
    pub hits: Vec<usize>,
    lists: [ListState; 6],
    /// Posts: only the unclaimed and short.
    pub attention: bool,
    pub sort: VolunteerSort,
    pub revealed: Option<VolunteerId>,
    /// The selected volunteer's newest records, and how many there are.
    pub recent: Vec<ServiceRecord>,
    pub recent_total: usize,
    pub recent_for: Option<VolunteerId>,
    /// Who was credited for the selected activity.
    pub credited: Vec<ServiceRecord>,
    pub credited_for: Option<ActivityId>,
    /// Months view: months with service, newest first (this month always).
    pub months: Vec<Ym>,
    pub list_height: usize,
    /// Where certificates are written (`exports/` in the data dir).
    pub exports: std::path::PathBuf,
    /// The background read was started.
    requested: bool,
    /// Select this record in this view once its change is shown (a save).
    select_after: Option<(RosterView, RecordKind, u64)>,
}

/// `s` cut or padded on the left to exactly `w` columns (numbers).
pub(super) fn rfit(s: &str, w: usize) -> String {
    let t = crate::domain::text::truncate(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// How many of a volunteer's newest records the detail pane reads.
pub const RECENT: usize = 40;

impl VolunteersPanel {
    pub fn list(&mut self) -> &mut ListState {
        &mut self.lists[self.view.index()]
    }

    fn sel(&self) -> usize {
        self.lists[self.view.index()].sel
    }

    pub fn switch(&mut self, forward: bool) {
        let n = RosterView::ALL.len();
        let i = self.view.index();
        self.view = RosterView::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }];
        self.search.clear();
        self.searching = false;
    }

    /// Recomputes the current view's hits after a search edit or a save,
    /// keeping the selection where it was.
    pub fn refilter(&mut self, today: chrono::NaiveDate) {
        let q = crate::domain::text::clean_input(&self.search.value(), false);
        self.hits = match self.view {
            RosterView::Teams => self.data.search_teams(&q),
            RosterView::Posts => self.data.search_posts(&q, self.attention),
            RosterView::Volunteers => {
                let mut hits = self.data.search_volunteers(&q, false);
                let d = &self.data;
                match self.sort {
                    VolunteerSort::Registered => {}
                    VolunteerSort::Hours => hits.sort_by_key(|&i| {
                        std::cmp::Reverse(d.totals.volunteer_series(d.volunteers[i].v.id).all.minutes)
                    }),
                    VolunteerSort::Name => hits.sort_by(|&a, &b| {
                        let (a, b) = (&d.volunteers[a], &d.volunteers[b]);
                        (a.initials.first(), &a.name).cmp(&(b.initials.first(), &b.name))
                    }),
                }
                hits
            }
            RosterView::Activities => self.data.search_activities(&q),
            RosterView::Months => {
                let now = ym(today);
                let mut m: Vec<Ym> = self.data.totals.community().months().map(|(m, _)| m).collect();
                if !m.contains(&now) {
                    m.insert(0, now);
                }
                m.retain(|x| *x <= now || self.data.totals.community().month(*x).count > 0);
                m.sort_unstable_by(|a, b| b.cmp(a));
                self.months = m;
                (0..self.months.len()).collect()
            }
            RosterView::Certificates => self.data.search_certificates(&q),
        };
        let len = self.hits.len();
        let sel = self.sel();
        self.list().to(sel, len);
    }

    pub fn step(&mut self, delta: isize) {
        let len = self.hits.len();
        self.list().step(delta, len);
        self.revealed = None;
    }

    /// Selects the item with this position in its list, if it is shown.
    pub fn select_pos(&mut self, pos: usize) {
        if let Some(i) = self.hits.iter().position(|&h| h == pos) {
            let len = self.hits.len();
            self.list().to(i, len);
        }
    }

    fn selected_pos(&self) -> Option<usize> {
        self.hits.get(self.sel()).copied()
    }

    pub fn selected_team(&self) -> Option<&Team> {
        (self.view == RosterView::Teams).then(|| self.selected_pos().and_then(|i| self.data.teams.get(i))).flatten()
    }

    pub fn selected_post(&self) -> Option<&crate::domain::volunteer::Post> {
        (self.view == RosterView::Posts).then(|| self.selected_pos().and_then(|i| self.data.posts.get(i))).flatten()
    }

    pub fn selected_volunteer(&self) -> Option<&VolunteerRow> {
        (self.view == RosterView::Volunteers)
            .then(|| self.selected_pos().and_then(|i| self.data.volunteers.get(i)))
            .flatten()
    }

    /// The selected activity, made from the compact list.
    pub fn selected_activity(&self) -> Option<Activity> {
        (self.view == RosterView::Activities)
            .then(|| self.selected_pos().and_then(|i| self.data.activities.at(i)).map(|a| a.to_activity()))
            .flatten()
    }

    pub fn selected_certificate(&self) -> Option<&crate::domain::volunteer::Certificate> {
        (self.view == RosterView::Certificates)
            .then(|| self.selected_pos().and_then(|i| self.data.certificates.get(i)))
            .flatten()
    }

    pub fn selected_month(&self) -> Option<Ym> {
        (self.view == RosterView::Months)
            .then(|| self.selected_pos().and_then(|i| self.months.get(i).copied()))
            .flatten()
    }
}

impl VolunteersPanel {
    /// The roster at start: `roster.txt` read, where certificates go noted;
    /// the records themselves are read when the panel is first opened.
    pub fn new(sh: &mut Shared) -> VolunteersPanel {
        let mut p = VolunteersPanel::default();
        p.roster_init(sh);
        p
    }

    pub fn roster_init(&mut self, sh: &mut Shared) {
        let dir = sh.store.dir().to_path_buf();
        let (settings, err) = crate::store::roster::load_settings(&dir);
        self.settings = settings;
        self.exports = dir.join(crate::store::roster::EXPORTS_DIR);
        if let Some(e) = err {
            sh.message = Some((fill(sh.lang.volunteers().settings_warning, e.line), true));
        }
    }

    /// The roster has been read in the background.
    pub fn finish_loading(&mut self, r: Result<RosterIndex, StoreError>, sh: &mut Shared) {
        match r {
            Ok(data) => {
                self.data = data;
                self.loaded = true;
                self.roster_refresh(sh);
            }
            Err(e) => sh.error(&e),
        }
    }

    /// Under the store server: the roster the apps share, lent to this
    /// one for an event (see `serve::server`). A first lend shows it as a
    /// finished load would.
    pub fn lend(&mut self, data: RosterIndex, sh: &mut Shared) {
        if self.loaded {
            self.data = data;
        } else {
            self.requested = true;
            self.finish_loading(Ok(data), sh);
        }
    }

    /// Under the store server: another app is reading the roster the
    /// apps will share; this one waits for it instead of reading its own.
    pub fn wait_for_shared(&mut self) {
        self.requested = true;
    }

    /// Whether this app is reading the roster (asked, not yet here).
    pub fn reading(&self) -> bool {
        self.requested && !self.loaded
    }

    /// The read it waited for failed: it reads for itself when shown again.
    pub fn stop_waiting(&mut self) {
        if !self.loaded {
            self.requested = false;
        }
    }

    /// Gives the shared roster back after the event, if this app has it.
    pub fn give_back(&mut self) -> Option<RosterIndex> {
        self.loaded.then(|| std::mem::take(&mut self.data))
    }

    fn roster_ready(&mut self, sh: &mut Shared) -> bool {
        if !self.loaded {
            sh.info(sh.lang.volunteers().not_loaded);
        }
        self.loaded
    }

    /// Re-runs the current view's search and reloads the selection's details.
    pub fn roster_refresh(&mut self, sh: &mut Shared) {
        self.refilter(sh.today.date);
        self.roster_load_detail(sh);
    }

    /// Reads what the detail pane shows beyond the roster in memory: a
    /// volunteer's newest records, an activity's credits.
    pub fn roster_load_detail(&mut self, sh: &mut Shared) {
        if !self.loaded {
            return;
        }
        match self.view {
            RosterView::Volunteers => {
                let id = self.selected_volunteer().map(|r| r.v.id);
                if id.is_some() && id != self.recent_for {
                    let id = id.unwrap_or(VolunteerId(0));
                    match sh.store.latest_service_of(id, RECENT) {
                        Ok((mut recent, total)) => {
                            // the newest logged, shown by the day they served
                            recent.sort_by_key(|r| std::cmp::Reverse((r.date, r.id)));
                            self.recent = recent;
                            self.recent_total = total;
                            self.recent_for = Some(id);
                        }
                        Err(e) => sh.error(&e),
                    }
                }
            }
            RosterView::Activities => {
                let id = self.selected_activity().map(|a| a.id);
                if id.is_some() && id != self.credited_for {
                    let id = id.unwrap_or(ActivityId(0));
                    match sh.store.service_of_activity(id) {
                        Ok(v) => {
                            self.credited = v;
                            self.credited_for = Some(id);
                        }
                        Err(e) => sh.error(&e),
                    }
                }
            }
            _ => {}
        }
    }

    /// Details read from the store are stale after a save.
    fn roster_saved(&mut self, sh: &mut Shared) {
        self.recent_for = None;
        self.credited_for = None;
        self.roster_refresh(sh);
    }

    pub fn roster_step(&mut self, sh: &mut Shared, delta: isize) {
        self.step(delta);
        self.roster_load_detail(sh);
    }

    /// Shows view `v` with the item at `pos` selected (after a save).
    fn roster_show(&mut self, sh: &mut Shared, v: RosterView, pos: Option<usize>) {
        if self.view != v {
            self.view = v;
            self.search.clear();
            self.searching = false;
        }
        self.refilter(sh.today.date);
        if let Some(p) = pos {
            if !self.hits.contains(&p) {
                self.search.clear();
                self.attention = false;
                self.refilter(sh.today.date);
            }
            self.select_pos(p);
        }
        self.roster_saved(sh);
    }

    pub fn roster_act(&mut self, sh: &mut Shared, a: RosterAction) {
        if matches!(a, RosterAction::PrevView | RosterAction::NextView) {
            self.switch(a == RosterAction::NextView);
            self.roster_refresh(sh);
            return;
        }
        if !self.roster_ready(sh) {
            return;
        }
        match a {
            RosterAction::LogActivity => self.open_activity_form(sh, None),
            RosterAction::LogHours => self.open_hours_form(sh),
            RosterAction::Certificate => self.open_certificate_form(sh),
            RosterAction::Correct => self.open_correct_picker(sh),
            RosterAction::AddMember => self.open_member_picker(sh, false),
            RosterAction::MemberRole => self.open_member_picker(sh, true),
            RosterAction::AddStaff => self.open_staff_picker(sh, true),
            RosterAction::RemoveStaff => self.open_staff_picker(sh, false),
            RosterAction::Claim => self.open_claim_picker(sh),
            RosterAction::Attention => {
                self.attention = !self.attention;
                self.roster_refresh(sh);
            }
            RosterAction::RollCall => self.open_roll_call_for_selected(sh),
            RosterAction::Sort => {
                self.sort = self.sort.next();
                self.roster_refresh(sh);
            }
            RosterAction::PrevView | RosterAction::NextView | RosterAction::HandOver => {}
        }
    }

    /// `n` in the roster.
    pub fn roster_new(&mut self, sh: &mut Shared) {
        if !self.roster_ready(sh) {
            return;
        }
        match self.view {
            RosterView::Teams => self.open_team_form(sh, None),
            RosterView::Posts => self.open_post_form(sh, None),
            RosterView::Volunteers => self.open_volunteer_form(sh, None),
            RosterView::Activities | RosterView::Months => self.open_activity_form(sh, None),
            RosterView::Certificates => sh.info(sh.lang.volunteers().pick_a_volunteer),
        }
    }

    /// `e` in the roster.
    pub fn roster_edit(&mut self, sh: &mut Shared) {
        if !self.roster_ready(sh) {
            return;
        }
        match self.view {
            RosterView::Teams => {
                if let Some(t) = self.selected_team().cloned() {
                    self.open_team_form(sh, Some(&t));
                }
            }
            RosterView::Posts => {
                if let Some(p) = self.selected_post().cloned() {
                    self.open_post_form(sh, Some(&p));
                }
            }
            RosterView::Volunteers => {
                if let Some(v) = self.selected_volunteer().map(|r| r.v.clone()) {
                    self.open_volunteer_form(sh, Some(&v));
                }
            }
            RosterView::Activities => {
                if let Some(a) = self.selected_activity() {
                    self.open_activity_form(sh, Some(&a));
                }
            }
            RosterView::Months | RosterView::Certificates => {}
        }
    }

    /// Enter in the roster.
    pub fn roster_open(&mut self, sh: &mut Shared) {
        if !self.roster_ready(sh) {
            return;
        }
        match self.view {
            RosterView::Activities => self.open_roll_call_for_selected(sh),
            RosterView::Certificates => self.reprint_certificate(sh),
            RosterView::Months => {}
            _ => self.roster_edit(sh),
        }
    }

    /// `v`: the selected volunteer's full phone number, recorded first.
    pub fn roster_reveal(&mut self, sh: &mut Shared) {
        let Some(r) = self.selected_volunteer() else { return };
        if r.phone.is_empty() {
            return;
        }
        let (kind, key) = match r.v.resident {
            Some(res) => (RecordKind::Resident, res.0),
            None => (RecordKind::Volunteer, r.v.id.0),
        };
        let id = r.v.id;
        let Some(op) = sh.need_operator() else { return };
        match sh.store.record_reveal(kind, key, "phone", op, sh.now()) {
            Ok(()) => {
                self.revealed = Some(id);
                sh.info(sh.lang.t().revealed);
            }
            Err(e) => sh.error(&e),
        }
    }

    /// Brings the roster in memory in line with one record's change (a
    /// save, an undo, a colleague's save): the record as it is now, and the
    /// totals moved from what it was to what it is.
    fn apply_change(&mut self, sh: &mut Shared, c: &crate::store::undo::Change) {
        fn dec<T: serde::de::DeserializeOwned>(b: &Option<crate::store::undo::Bytes>) -> Option<T> {
            b.as_deref().and_then(|b| crate::store::codec::decode::<T>(b).ok())
        }
        let d = &mut self.data;
        match c.kind {
            RecordKind::ServiceRecord => {
                let (from, to): (Option<ServiceRecord>, Option<ServiceRecord>) = (dec(&c.before), dec(&c.after));
                d.totals.apply(from.as_ref(), to.as_ref());
            }
            RecordKind::Team => match dec::<Team>(&c.after) {
                Some(t) => d.upsert_team(&t),
                None => d.remove_team(TeamId(c.id)),
            },
            RecordKind::Post => match dec::<Post>(&c.after) {
                Some(p) => d.upsert_post(&p),
                None => d.remove_post(PostId(c.id)),
            },
            RecordKind::Volunteer => match dec::<Volunteer>(&c.after) {
                Some(v) => {
                    let res = match v.resident {
                        Some(r) => sh.store.resident(r).unwrap_or_else(|e| {
                            sh.error(&e);
                            None
                        }),
                        None => None,
                    };
                    d.upsert_volunteer(&v, res.as_ref());
                }
                None => d.remove_volunteer(VolunteerId(c.id)),
            },
            RecordKind::Activity => match dec::<Activity>(&c.after) {
                Some(a) => d.upsert_activity(&a),
                None => d.remove_activity(ActivityId(c.id)),
            },
            RecordKind::Certificate => match dec::<crate::domain::volunteer::Certificate>(&c.after) {
                Some(x) => d.upsert_certificate(&x),
                None => d.remove_certificate(crate::domain::volunteer::CertificateId(c.id)),
            },
            _ => {}
        }
    }

    /// What `H` shows the history of in the roster: the selected item.
    fn history_of(&self) -> Option<(RecordKind, u64, String)> {
        match self.view {
            RosterView::Volunteers => {
                self.selected_volunteer().map(|r| (RecordKind::Volunteer, r.v.id.0, r.name.clone()))
            }
            RosterView::Teams => self.selected_team().map(|t| (RecordKind::Team, t.id.0, t.name.clone())),
            RosterView::Posts => self.selected_post().map(|x| (RecordKind::Post, x.id.0, x.name.clone())),
            RosterView::Activities => {
                self.selected_activity().map(|a| (RecordKind::Activity, a.id.0, format!("{} {}", a.date, a.title)))
            }
            RosterView::Certificates => self
                .selected_certificate()
                .map(|c| (RecordKind::Certificate, c.id.0, format!("{} {}", c.number, c.name))),
            RosterView::Months => None,
        }
    }

    /// Starts reading the roster in the background, once (its 200,000
    /// service records are not needed by the other panels).
    pub fn request_roster(&mut self, sh: &Shared) {
        if self.loaded || self.requested {
            return;
        }
        if let Some(tx) = sh.events.clone() {
            self.requested = true;
            let store = sh.store.clone();
            std::thread::spawn(move || {
                let r = RosterIndex::read(&store);
                let _ = tx.send(crate::ui::app::AppEvent::Roster(Box::new(r)));
            });
        }
    }
}

impl Panel for VolunteersPanel {
    fn scopes(&self) -> Vec<Scope> {
        vec![self.view.scope(), Scope::Roster, Scope::List]
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared) -> Option<Position> {
        self.draw(area, buf, sh)
    }

    fn act(&mut self, action: Action, sh: &mut Shared) -> bool {
        if let Some(d) = list_step(action, self.list_height) {
            // the requests list's page size means nothing here
            let d = if d.abs() > 1 && d.abs() < 1000 { d.signum() * self.list_height.max(1) as isize } else { d };
            self.roster_step(sh, d);
            return true;
        }
        match action {
            Action::Roster(a) => self.roster_act(sh, a),
            Action::Search => self.searching = true,
            Action::New => self.roster_new(sh),
            Action::Edit => self.roster_edit(sh),
            Action::Open => self.roster_open(sh),
            Action::Reveal => self.roster_reveal(sh),
            _ => return false,
        }
        true
    }

    fn search_key(&mut self, key: &KeyEvent, sh: &mut Shared) -> bool {
        if !self.searching {
            return false;
        }
        match search_line_key(&mut self.search, &mut self.searching, key) {
            SearchKey::Cleared | SearchKey::Edited => self.roster_refresh(sh),
            SearchKey::Move(a) => {
                self.act(a, sh);
            }
            SearchKey::Done | SearchKey::Nothing => {}
        }
        true
    }

    fn searching(&self) -> bool {
        self.searching
    }

    fn paste(&mut self, s: &str, sh: &mut Shared) {
        if self.searching {
            self.search.insert_str(s);
            self.roster_refresh(sh);
        }
    }

    fn on_change(&mut self, set: &ChangeSet, sh: &mut Shared) {
        if !self.loaded {
            return;
        }
        let mut any = false;
        for c in &set.0 {
            match c.kind {
                RecordKind::Resident => {
                    // a linked volunteer follows the directory
                    if let Some(b) = &c.after
                        && let Ok(r) = crate::store::codec::decode::<crate::domain::Resident>(b)
                    {
                        if !sh.from_colleague {
                            self.data.resident_changed(&r);
                        }
                        any = true;
                    }
                }
                RecordKind::Team
                | RecordKind::Post
                | RecordKind::Volunteer
                | RecordKind::Activity
                | RecordKind::ServiceRecord
                | RecordKind::Certificate => {
                    // a colleague's app brought the shared roster along
                    if !sh.from_colleague {
                        self.apply_change(sh, c);
                    }
                    any = true;
                }
                _ => {}
            }
        }
        if any {
            self.roster_saved(sh);
        }
        if let Some((v, kind, id)) = self.select_after.take() {
            let d = &self.data;
            let pos = match kind {
                RecordKind::Team => d.teams.iter().position(|x| x.id.0 == id),
                RecordKind::Post => d.posts.iter().position(|x| x.id.0 == id),
                RecordKind::Volunteer => d.volunteer_pos(VolunteerId(id)),
                RecordKind::Activity => d.activities.position(ActivityId(id)),
                RecordKind::Certificate => d.certificates.iter().position(|x| x.id.0 == id),
                _ => None,
            };
            self.roster_show(sh, v, pos);
        }
    }

    fn shown(&mut self, sh: &mut Shared) {
        self.request_roster(sh);
        self.roster_refresh(sh);
    }

    fn history_target(&self, _sh: &Shared) -> Option<(RecordKind, u64, String)> {
        self.history_of()
    }
}
