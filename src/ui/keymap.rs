//! The key map as data. Key handling, the footer hints and the `?` help
//! screen are all drawn from [`BINDINGS`], so a key is declared once.

use super::duties::DutyAction;
use super::volunteers::RosterAction as RA;
use crate::i18n::Lang;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextPanel,
    PrevPanel,
    GoPanel(u8),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Search,
    New,
    Edit,
    Move,
    Assign,
    Note,
    Filter,
    Sort,
    Mine,
    Attention,
    Callback,
    ClearFilter,
    Reveal,
    Operator,
    NewRequestFor,
    Undo,
    Redo,
    Audit,
    History,
    /// The volunteer roster's own actions (see `panels::roster`).
    Roster(RA),
    /// The duties board's actions (and the global daily-log key).
    Duty(DutyAction),
    /// The data screen (backup, restore, export, import, report).
    Data,
    /// The overview (概览).
    Overview,
    /// The overview shows first at start, or not.
    OverviewFirst,
    /// Export the requests list as filtered on screen.
    ExportList,
    // the keys of layers: forms, pickers, questions, the roll call
    NextField,
    PrevField,
    Choose,
    Lookup,
    Save,
    Cancel,
    Pick,
    Yes,
    No,
    Close,
    Scroll,
    TypeToFilter,
    DigitOrEnter,
    Tick,
    Hours,
    TickedOnly,
    TypeName,
    ClearField,
    // the data screens
    OpenItem,
    See,
    BackUp,
    Encrypt,
    Format,
    FullNumbers,
    Export,
    TypePath,
    Preview,
    Month,
    Html,
    Xlsx,
    /// The welcome box: add the first worker, or open the demo.
    Start,
    Demo,
    /// Restore a backup signed on another computer, trusting its key.
    AcceptKey,
}

/// Where a binding applies. The panel's own scope is tried first, then
/// `List`, then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    List,
    Requests,
    Residents,
    Workers,
    /// The roster panel, whichever view; then one scope per view.
    Roster,
    RosterTeams,
    RosterPosts,
    RosterVolunteers,
    RosterActivities,
    RosterMonths,
    RosterCertificates,
    // the duties board's views (panel 3), tried before `Workers`
    DutyBoard,
    DutyRegistry,
    DutyRota,
    DutyLeave,
    DutyLog,
    DutyTraining,
    DutyEvaluation,
    /// A search line with focus.
    Search,
    /// The requests panel's full-screen detail.
    RequestFull,
    // layers
    Form,
    Picker,
    Menu,
    Confirm,
    Help,
    Pin,
    Welcome,
    /// A box saying what changed (an upgrade's notices, once).
    Notice,
    Audit,
    /// The overview (概览).
    Overview,
    RollCall,
    /// Any layer: its keys come first, then these.
    AnyLayer,
    // the data screens, by screen and step
    DataMenu,
    DataBackup,
    DataRestore,
    DataExport,
    DataImport,
    DataReport,
    DataPassphrase,
    DataRunning,
    DataDone,
    /// Work going on in the background that the user may leave (an
    /// import being read or written): only `Esc`.
    DataWaiting,
    /// The restore preview of a backup signed on another computer.
    DataForeign,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}
const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}
const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    /// Shown in the footer (all bindings are shown in help).
    pub footer: bool,
}

const fn b(scope: Scope, keys: &'static [Key], action: Action, footer: bool) -> Binding {
    Binding { scope, keys, action, footer }
}

use Scope::*;

pub const BINDINGS: &[Binding] = &[
    // layers: each resolves its keys here, and its footer and `?` say them
    b(Form, &[code(KeyCode::Tab), code(KeyCode::Down)], Action::NextField, true),
    b(Form, &[code(KeyCode::Up), code(KeyCode::BackTab)], Action::PrevField, true),
    b(
        Form,
        &[
            code(KeyCode::Left),
            code(KeyCode::Right),
            k(' '),
            k('1'),
            k('2'),
            k('3'),
            k('4'),
            k('5'),
            k('6'),
            k('7'),
            k('8'),
            k('9'),
        ],
        Action::Choose,
        true,
    ),
    b(Form, &[ctrl('s')], Action::Save, true),
    b(Form, &[code(KeyCode::Esc)], Action::Cancel, true),
    b(Form, &[code(KeyCode::Enter)], Action::Lookup, false),
    b(Form, &[code(KeyCode::Backspace), code(KeyCode::Delete)], Action::ClearField, false),
    // on a masked phone number only: elsewhere `v` is typing
    b(Form, &[k('v')], Action::Reveal, false),
    b(Picker, &[k('…')], Action::TypeToFilter, true),
    b(Picker, &[code(KeyCode::Up), code(KeyCode::Down), code(KeyCode::Tab)], Action::Choose, true),
    b(Picker, &[code(KeyCode::Enter)], Action::Pick, true),
    b(Picker, &[code(KeyCode::Esc)], Action::Cancel, true),
    b(Picker, &[code(KeyCode::PageUp)], Action::PageUp, false),
    b(Picker, &[code(KeyCode::PageDown)], Action::PageDown, false),
    b(Menu, &[code(KeyCode::Up), code(KeyCode::Down), code(KeyCode::Tab)], Action::Choose, true),
    b(
        Menu,
        &[code(KeyCode::Enter), k('1'), k('2'), k('3'), k('4'), k('5'), k('6'), k('7'), k('8'), k('9')],
        Action::DigitOrEnter,
        true,
    ),
    b(Menu, &[code(KeyCode::Esc)], Action::Cancel, true),
    b(Confirm, &[k('y'), k('Y')], Action::Yes, true),
    b(Confirm, &[k('n'), code(KeyCode::Esc), k('N')], Action::No, true),
    b(Help, &[code(KeyCode::Esc), k('?'), k('q'), code(KeyCode::Enter)], Action::Close, true),
    b(Help, &[code(KeyCode::Up), code(KeyCode::Down)], Action::Scroll, false),
    b(Pin, &[code(KeyCode::Enter)], Action::Pick, true),
    b(Pin, &[code(KeyCode::Esc)], Action::Quit, true),
    b(Welcome, &[code(KeyCode::Enter)], Action::Start, true),
    b(Welcome, &[code(KeyCode::F(5))], Action::Demo, true),
    // Esc is "back" everywhere else: on the welcome box it must not quit
    b(Welcome, &[k('q')], Action::Quit, true),
    b(Notice, &[code(KeyCode::Enter), code(KeyCode::Esc)], Action::Close, true),
    b(
        Audit,
        &[
            code(KeyCode::Up),
            code(KeyCode::Down),
            code(KeyCode::PageUp),
            code(KeyCode::PageDown),
            code(KeyCode::Home),
            code(KeyCode::End),
        ],
        Action::Scroll,
        true,
    ),
    b(Audit, &[k('f')], Action::Filter, true),
    b(Audit, &[code(KeyCode::Esc), k('q')], Action::Close, true),
    b(Overview, &[code(KeyCode::Up), code(KeyCode::Down), k('k'), k('j')], Action::Scroll, true),
    b(Overview, &[code(KeyCode::Enter)], Action::Open, true),
    b(Overview, &[k('s')], Action::OverviewFirst, false),
    b(Overview, &[code(KeyCode::Esc), k('q'), k('0')], Action::Close, true),
    b(RollCall, &[k('…')], Action::TypeName, true),
    b(RollCall, &[code(KeyCode::Enter), k(' ')], Action::Tick, true),
    b(RollCall, &[code(KeyCode::Left), code(KeyCode::Right)], Action::Hours, true),
    b(RollCall, &[code(KeyCode::Tab)], Action::TickedOnly, true),
    b(RollCall, &[ctrl('s')], Action::Save, true),
    b(RollCall, &[code(KeyCode::Esc)], Action::Cancel, true),
    b(
        RollCall,
        &[code(KeyCode::Up), code(KeyCode::Down), code(KeyCode::PageUp), code(KeyCode::PageDown)],
        Action::Scroll,
        false,
    ),
    b(DataMenu, &[code(KeyCode::Up), code(KeyCode::Down), code(KeyCode::Tab), k('k'), k('j')], Action::Choose, true),
    b(
        DataMenu,
        &[code(KeyCode::Enter), k('1'), k('2'), k('3'), k('4'), k('5'), k('6'), k('7')],
        Action::OpenItem,
        true,
    ),
    b(DataMenu, &[code(KeyCode::Esc), k('q')], Action::Back, true),
    b(DataBackup, &[code(KeyCode::Up), code(KeyCode::Down), code(KeyCode::Tab)], Action::Choose, true),
    b(DataBackup, &[code(KeyCode::Enter)], Action::BackUp, true),
    b(DataBackup, &[k('e')], Action::Encrypt, true),
    b(DataBackup, &[code(KeyCode::Esc)], Action::Back, true),
    b(DataRestore, &[code(KeyCode::Up), code(KeyCode::Down), code(KeyCode::Tab)], Action::Choose, true),
    b(DataRestore, &[code(KeyCode::Enter)], Action::See, true),
    b(DataRestore, &[code(KeyCode::Esc)], Action::Back, true),
    b(DataExport, &[code(KeyCode::Up), code(KeyCode::Down)], Action::Choose, true),
    b(DataExport, &[k('t')], Action::Format, true),
    b(DataExport, &[k('v')], Action::FullNumbers, true),
    b(DataExport, &[code(KeyCode::Enter)], Action::Export, true),
    b(DataExport, &[code(KeyCode::Esc)], Action::Back, true),
    b(DataImport, &[k('…')], Action::TypePath, true),
    b(DataImport, &[code(KeyCode::Enter)], Action::Preview, true),
    b(DataImport, &[code(KeyCode::Esc)], Action::Back, true),
    b(DataReport, &[code(KeyCode::Left), code(KeyCode::Right)], Action::Month, true),
    b(DataReport, &[code(KeyCode::Up), code(KeyCode::Down)], Action::Scroll, true),
    b(DataReport, &[k('h')], Action::Html, true),
    b(DataReport, &[k('x')], Action::Xlsx, true),
    b(DataReport, &[code(KeyCode::Esc)], Action::Back, true),
    b(DataPassphrase, &[code(KeyCode::Enter)], Action::Pick, true),
    b(DataPassphrase, &[code(KeyCode::Esc)], Action::Back, true),
    b(DataDone, &[code(KeyCode::Enter), code(KeyCode::Esc)], Action::Back, true),
    b(DataWaiting, &[code(KeyCode::Esc)], Action::Back, true),
    b(DataForeign, &[k('a'), k('A')], Action::AcceptKey, true),
    b(DataForeign, &[k('n'), code(KeyCode::Esc), k('N')], Action::No, true),
    b(AnyLayer, &[code(KeyCode::F(1))], Action::Help, true),
    b(Search, &[code(KeyCode::Enter)], Action::Pick, true),
    b(Search, &[code(KeyCode::Esc)], Action::ClearFilter, true),
    b(RequestFull, &[code(KeyCode::Esc)], Action::Back, true),
    b(RequestFull, &[code(KeyCode::Up), code(KeyCode::Down)], Action::Scroll, true),
    b(Requests, &[k('n')], Action::New, true),
    b(Requests, &[k('m')], Action::Move, true),
    b(Requests, &[k('a')], Action::Assign, false),
    b(Requests, &[k('c')], Action::Note, true),
    b(Requests, &[k('e')], Action::Edit, false),
    b(Requests, &[k('f')], Action::Filter, true),
    b(Requests, &[k('s')], Action::Sort, false),
    b(Requests, &[k('i')], Action::Mine, false),
    b(Requests, &[k('!')], Action::Attention, false),
    b(Requests, &[k('h')], Action::Callback, false),
    b(Requests, &[k('x')], Action::ClearFilter, false),
    b(Requests, &[k('X')], Action::ExportList, false),
    b(Residents, &[k('n')], Action::New, true),
    b(Residents, &[k('e')], Action::Edit, true),
    b(Residents, &[k('r')], Action::NewRequestFor, true),
    b(Residents, &[k('v')], Action::Reveal, false),
    // panel 3's views have their own keys (below); these are the fallbacks
    b(Workers, &[k('n')], Action::New, false),
    b(Workers, &[k('e')], Action::Edit, false),
    b(Workers, &[k('v')], Action::Reveal, false),
    b(List, &[k('/')], Action::Search, true),
    b(List, &[code(KeyCode::Enter)], Action::Open, true),
    b(List, &[code(KeyCode::Up), k('k')], Action::Up, false),
    b(List, &[code(KeyCode::Down), k('j')], Action::Down, false),
    b(List, &[code(KeyCode::PageUp)], Action::PageUp, false),
    b(List, &[code(KeyCode::PageDown)], Action::PageDown, false),
    b(List, &[code(KeyCode::Home), k('g')], Action::Top, false),
    b(List, &[code(KeyCode::End), k('G')], Action::Bottom, false),
    b(List, &[code(KeyCode::Esc)], Action::Back, false),
    b(List, &[k('H')], Action::History, false),
    // Tab stays out of the footer (the header's tabs show 1–4, `?` lists
    // Tab): at 80 columns that room shows `0 概览` and keeps `L 日志`
    b(Global, &[code(KeyCode::Tab)], Action::NextPanel, false),
    b(Global, &[code(KeyCode::BackTab)], Action::PrevPanel, false),
    b(Global, &[k('1'), code(KeyCode::F(1))], Action::GoPanel(0), false),
    b(Global, &[k('2'), code(KeyCode::F(2))], Action::GoPanel(1), false),
    b(Global, &[k('3'), code(KeyCode::F(3))], Action::GoPanel(2), false),
    b(Global, &[k('4'), code(KeyCode::F(4))], Action::GoPanel(3), false),
    b(Global, &[k('o')], Action::Operator, false),
    b(Global, &[k('A')], Action::Audit, false),
    b(Global, &[k('B')], Action::Data, false),
    b(Global, &[ctrl('z')], Action::Undo, false),
    b(Global, &[ctrl('y')], Action::Redo, false),
    b(Global, &[k('?')], Action::Help, true),
    b(Global, &[k('q'), ctrl('c')], Action::Quit, true),
    // after quit: the help's first page at 80×24 keeps every older key
    b(Global, &[k('0')], Action::Overview, true),
    // the volunteer roster (志愿服务): per view first, then the panel's
    b(RosterTeams, &[k('a')], Action::Roster(RA::AddMember), true),
    b(RosterTeams, &[k('r')], Action::Roster(RA::MemberRole), false),
    b(RosterTeams, &[k('l')], Action::Roster(RA::LogActivity), true),
    b(RosterPosts, &[k('c')], Action::Roster(RA::Claim), true),
    b(RosterPosts, &[k('a')], Action::Roster(RA::AddStaff), false),
    b(RosterPosts, &[k('r')], Action::Roster(RA::RemoveStaff), false),
    b(RosterPosts, &[k('u')], Action::Roster(RA::Attention), false),
    b(RosterPosts, &[k('l')], Action::Roster(RA::LogActivity), true),
    b(RosterVolunteers, &[k('h')], Action::Roster(RA::LogHours), true),
    b(RosterVolunteers, &[k('c')], Action::Roster(RA::Certificate), true),
    b(RosterVolunteers, &[k('x')], Action::Roster(RA::Correct), false),
    b(RosterVolunteers, &[k('v')], Action::Reveal, false),
    b(RosterVolunteers, &[k('l')], Action::Roster(RA::LogActivity), false),
    b(RosterVolunteers, &[k('s')], Action::Roster(RA::Sort), false),
    b(RosterActivities, &[k('r')], Action::Roster(RA::RollCall), true),
    b(RosterMonths, &[k('l')], Action::Roster(RA::LogActivity), true),
    b(Roster, &[k('n')], Action::New, true),
    b(Roster, &[k('e')], Action::Edit, false),
    b(Roster, &[code(KeyCode::Right), k(']')], Action::Roster(RA::NextView), false),
    b(Roster, &[code(KeyCode::Left), k('[')], Action::Roster(RA::PrevView), false),
    b(Requests, &[k('t')], Action::Roster(RA::HandOver), false),
    // the duties board (panel 3) and the daily log
    b(Global, &[k('L')], Action::Duty(DutyAction::LogNew), true),
    b(Workers, &[k(']')], Action::Duty(DutyAction::NextView), false),
    b(Workers, &[k('[')], Action::Duty(DutyAction::PrevView), false),
    b(Workers, &[code(KeyCode::Enter)], Action::Open, true),
    b(Workers, &[k('w')], Action::Duty(DutyAction::ChooseWorker), true),
    b(Workers, &[code(KeyCode::Up), k('k')], Action::Up, false),
    b(Workers, &[code(KeyCode::Down), k('j')], Action::Down, false),
    b(Workers, &[code(KeyCode::PageUp)], Action::PageUp, false),
    b(Workers, &[code(KeyCode::PageDown)], Action::PageDown, false),
    b(Workers, &[code(KeyCode::Home), k('g')], Action::Top, false),
    b(Workers, &[code(KeyCode::End), k('G')], Action::Bottom, false),
    b(Workers, &[code(KeyCode::Esc)], Action::Back, false),
    b(DutyBoard, &[k('n')], Action::Duty(DutyAction::TaskNew), true),
    b(DutyBoard, &[k('d')], Action::Duty(DutyAction::TaskDone), true),
    b(DutyBoard, &[k('a')], Action::Duty(DutyAction::DutyNew), true),
    b(DutyBoard, &[k('e')], Action::Edit, false),
    b(DutyRegistry, &[k('n')], Action::New, true),
    b(DutyRegistry, &[k('e')], Action::Edit, true),
    b(DutyRegistry, &[k('x')], Action::Duty(DutyAction::Export), true),
    b(DutyRegistry, &[k('v')], Action::Reveal, false),
    b(DutyRota, &[k('g')], Action::Duty(DutyAction::RotaGenerate), true),
    b(DutyRota, &[k('s')], Action::Duty(DutyAction::RotaSwap), true),
    b(DutyRota, &[k('e')], Action::Edit, false),
    b(DutyRota, &[code(KeyCode::Left), k('h')], Action::Duty(DutyAction::DayPrev), false),
    b(DutyRota, &[code(KeyCode::Right), k('l')], Action::Duty(DutyAction::DayNext), false),
    b(DutyRota, &[code(KeyCode::PageUp)], Action::Duty(DutyAction::MonthPrev), true),
    b(DutyRota, &[code(KeyCode::PageDown)], Action::Duty(DutyAction::MonthNext), false),
    b(DutyLeave, &[k('n')], Action::Duty(DutyAction::LeaveNew), true),
    b(DutyLeave, &[k('a')], Action::Duty(DutyAction::LeaveDecide), true),
    b(DutyLeave, &[k('d')], Action::Duty(DutyAction::LeaveClose), true),
    b(DutyLeave, &[k('x')], Action::Duty(DutyAction::LeaveWithdraw), false),
    b(DutyLeave, &[code(KeyCode::PageUp)], Action::Duty(DutyAction::YearPrev), false),
    b(DutyLeave, &[code(KeyCode::PageDown)], Action::Duty(DutyAction::YearNext), false),
    b(DutyLog, &[k('n')], Action::New, true),
    b(DutyLog, &[k('r')], Action::Duty(DutyAction::LogToRequest), true),
    b(DutyLog, &[k('c')], Action::Duty(DutyAction::LogComment), true),
    b(DutyLog, &[k('/')], Action::Search, true),
    b(DutyLog, &[k('a')], Action::Duty(DutyAction::LogAll), false),
    b(DutyLog, &[k('e')], Action::Edit, false),
    b(DutyLog, &[code(KeyCode::PageUp)], Action::Duty(DutyAction::MonthPrev), false),
    b(DutyLog, &[code(KeyCode::PageDown)], Action::Duty(DutyAction::MonthNext), false),
    b(DutyTraining, &[k('n')], Action::Duty(DutyAction::TrainingNew), true),
    b(DutyTraining, &[code(KeyCode::PageUp)], Action::Duty(DutyAction::YearPrev), true),
    b(DutyTraining, &[code(KeyCode::PageDown)], Action::Duty(DutyAction::YearNext), false),
    b(DutyEvaluation, &[k('e')], Action::Edit, true),
    b(DutyEvaluation, &[k('x')], Action::Duty(DutyAction::Export), true),
    b(DutyEvaluation, &[code(KeyCode::PageUp)], Action::Duty(DutyAction::YearPrev), true),
    b(DutyEvaluation, &[code(KeyCode::PageDown)], Action::Duty(DutyAction::YearNext), false),
];

/// Resolves a key press in the given scopes (most specific first).
pub fn resolve(scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    // Shift is implied by an upper-case or symbol character.
    let mods = match ev.code {
        KeyCode::Char(_) => ev.modifiers - KeyModifiers::SHIFT,
        _ => ev.modifiers,
    };
    scopes.iter().find_map(|s| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *s)
            .find(|b| b.keys.iter().any(|k| k.code == ev.code && k.mods == mods))
            .map(|b| b.action)
    })
}

pub fn key_label(k: &Key) -> String {
    let base = match k.code {
        KeyCode::Char('…') => String::new(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift+Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::F(n) => format!("F{n}"),
        _ => "?".into(),
    };
    if k.mods.contains(KeyModifiers::CONTROL) { format!("Ctrl+{}", base.to_uppercase()) } else { base }
}

pub fn action_label(lang: Lang, a: Action) -> &'static str {
    let t = lang.t();
    match a {
        Action::Quit => t.a_quit,
        Action::Help => t.a_help,
        Action::NextPanel => t.a_next_panel,
        Action::PrevPanel => t.a_prev_panel,
        Action::GoPanel(0) => t.panel_requests,
        Action::GoPanel(1) => t.panel_residents,
        Action::GoPanel(3) => lang.volunteers().panel,
        Action::GoPanel(_) => t.panel_workers,
        Action::Up => t.a_up,
        Action::Down => t.a_down,
        Action::PageUp => t.a_page_up,
        Action::PageDown => t.a_page_down,
        Action::Top => t.a_top,
        Action::Bottom => t.a_bottom,
        Action::Open => t.a_open,
        Action::Back => t.a_back,
        Action::Search => t.a_search,
        Action::New => t.a_new,
        Action::Edit => t.a_edit,
        Action::Move => t.a_move,
        Action::Assign => t.a_assign,
        Action::Note => t.a_note,
        Action::Filter => t.a_filter,
        Action::Sort => t.a_sort,
        Action::Mine => t.a_mine,
        Action::Attention => t.a_attention,
        Action::Callback => t.a_callback,
        Action::ClearFilter => t.a_clear,
        Action::Reveal => t.a_reveal,
        Action::Operator => t.a_operator,
        Action::NewRequestFor => t.a_new_request_for,
        Action::Undo => t.a_undo,
        Action::Audit => t.a_audit,
        Action::History => t.a_history,
        Action::Redo => t.a_redo,
        Action::Roster(a) => a.label(lang),
        Action::Duty(d) => d.label(lang),
        Action::Data => lang.data_ui().a_data,
        Action::Overview => lang.overview().a_overview,
        Action::OverviewFirst => lang.overview().first_setting,
        Action::ExportList => lang.data_ui().a_export_list,
        Action::NextField => t.a_next_field,
        Action::PrevField => t.a_prev_field,
        Action::Choose => t.a_choose,
        Action::Lookup => t.a_lookup,
        Action::Save => t.a_submit,
        Action::Cancel => t.a_cancel,
        Action::Pick => t.a_pick,
        Action::Yes => t.a_yes,
        Action::No => t.a_no,
        Action::Close => t.a_close,
        Action::Scroll => t.a_scroll,
        Action::TypeToFilter => t.a_type_to_filter,
        Action::DigitOrEnter => t.a_digit_or_enter,
        Action::Tick => t.a_tick,
        Action::Hours => t.a_hours,
        Action::TickedOnly => t.a_ticked_only,
        Action::TypeName => t.a_type_name,
        Action::ClearField => t.a_clear_field,
        Action::OpenItem => lang.data_ui().a_open_item,
        Action::See => lang.data_ui().a_see,
        Action::BackUp => lang.data_ui().a_back_up,
        Action::Encrypt => lang.data_ui().a_encrypt,
        Action::Format => lang.data_ui().a_format,
        Action::FullNumbers => lang.data_ui().a_full_numbers,
        Action::Export => lang.data_ui().a_export,
        Action::TypePath => lang.data_ui().a_type_path,
        Action::Preview => lang.data_ui().a_preview,
        Action::Month => lang.data_ui().a_month,
        Action::Html => lang.data_ui().a_html,
        Action::Xlsx => lang.data_ui().a_xlsx,
        Action::Start => t.add_first_worker.trim_start_matches("+ "),
        Action::Demo => t.demo_badge,
        Action::AcceptKey => lang.trust().a_accept_key,
    }
}

/// The bindings in effect in the given scopes, most specific first, each
/// with its keys that a more specific scope has not taken over.
fn effective(scopes: &[Scope]) -> Vec<(&'static Binding, Vec<Key>)> {
    let mut seen: Vec<Key> = Vec::new();
    let mut out = Vec::new();
    for s in scopes {
        for b in BINDINGS.iter().filter(|b| b.scope == *s) {
            let keys: Vec<Key> = b.keys.iter().copied().filter(|k| !seen.contains(k)).collect();
            seen.extend(b.keys.iter().copied());
            if !keys.is_empty() {
                out.push((b, keys));
            }
        }
    }
    out
}

/// The keys of a binding as the footer shows them: the first, and the
/// arrows after it (`Tab/↓`, `↑↓`, `←→`; not `↑/k` nor `↑/Shift+Tab`).
fn footer_keys(keys: &[Key]) -> String {
    let arrow = |k: &Key| matches!(k.code, KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right);
    let mut out = key_label(&keys[0]);
    for k in keys[1..].iter().filter(|k| arrow(k)) {
        if !arrow(&keys[0]) || out.chars().count() > 2 {
            out.push('/');
        }
        out.push_str(&key_label(k));
    }
    out
}

/// (keys, label) pairs for the footer, most specific scope first.
pub fn footer(lang: Lang, scopes: &[Scope]) -> Vec<(String, &'static str)> {
    effective(scopes)
        .into_iter()
        .filter(|(b, keys)| b.footer && keys[0] == b.keys[0])
        .map(|(b, keys)| (footer_keys(&keys), action_label(lang, b.action)))
        .collect()
}

/// A layer's footer as one line of text (drawn inside its box).
pub fn hint_line(lang: Lang, scope: Scope) -> String {
    footer(lang, &[scope])
        .into_iter()
        .map(|(k, l)| if k.is_empty() { l.to_string() } else { format!("{k} {l}") })
        .collect::<Vec<_>>()
        .join("  ")
}

/// Every binding of the given scopes, for the help screen.
pub fn help(lang: Lang, scopes: &[Scope]) -> Vec<(String, &'static str)> {
    effective(scopes)
        .into_iter()
        .map(|(b, keys)| (keys.iter().map(key_label).collect::<Vec<_>>().join(" / "), action_label(lang, b.action)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn panel_keys_win_over_global_ones() {
        let scopes = [Scope::Requests, Scope::List, Scope::Global];
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('n'), KeyModifiers::NONE)), Some(Action::New));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('q'), KeyModifiers::NONE)), Some(Action::Quit));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('?'), KeyModifiers::SHIFT)), Some(Action::Help));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('z'), KeyModifiers::NONE)), None);
    }

    /// A form is 72 columns wide (`Layer::render`); its key line, inside
    /// the border and a margin each side, has 68. "Esc Cancel" cut to
    /// "Esc Can…" in English told nobody how to get out.
    #[test]
    fn a_forms_key_line_fits_inside_the_form_in_each_language() {
        for lang in [Lang::Zh, Lang::En] {
            let line = hint_line(lang, Scope::Form);
            assert!(crate::domain::text::width(&line) <= 68, "{lang:?}: {line}");
        }
    }

    /// Footer and help read as a row of labels: `Esc Cancel`, `d Done`,
    /// never a lowercase word among capitalised ones.
    #[test]
    fn every_english_key_label_begins_with_a_capital() {
        for b in BINDINGS {
            let label = action_label(Lang::En, b.action);
            let first = label.chars().find(|c| c.is_alphabetic());
            assert!(!first.is_some_and(|c| c.is_lowercase()), "{:?}: {label}", b.action);
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope {
                    assert!(
                        !a.keys.iter().any(|k| b.keys.contains(k)),
                        "{:?} and {:?} share a key",
                        a.action,
                        b.action
                    );
                }
            }
        }
    }

    #[test]
    fn every_layer_says_its_keys() {
        use Scope::*;
        for s in [Form, Picker, Menu, Confirm, Help, Pin, Welcome, Notice, Audit, RollCall, DataMenu, DataBackup]
            .into_iter()
            .chain([DataRestore, DataExport, DataImport, DataReport, DataPassphrase, DataDone, DataWaiting])
            .chain([DataForeign])
        {
            let foot = footer(Lang::Zh, &[s]);
            assert!(!foot.is_empty(), "{s:?} has no keys in its footer");
            assert!(foot.iter().all(|(_, l)| !l.is_empty() && !l.is_ascii()), "{s:?}: {foot:?}");
        }
    }

    #[test]
    fn labels_follow_the_language_asked_for() {
        let log = Action::Duty(DutyAction::LogNew);
        assert_eq!(action_label(Lang::Zh, log), "日志");
        assert_eq!(action_label(Lang::En, log), "Daily log");
        assert_eq!(action_label(Lang::En, Action::GoPanel(3)), Lang::En.volunteers().panel);
        assert_eq!(action_label(Lang::Zh, Action::Roster(RA::LogHours)), "记时长");
        assert_eq!(action_label(Lang::En, Action::Roster(RA::LogHours)), "Log hours");
    }

    #[test]
    fn footer_and_help_come_from_the_same_table() {
        let scopes = [Scope::Requests, Scope::List, Scope::Global];
        let foot = footer(Lang::Zh, &scopes);
        let help = help(Lang::Zh, &scopes);
        assert!(foot.iter().any(|(k, l)| k == "n" && *l == "新建"));
        assert!(foot.len() < help.len());
        for (_, label) in &foot {
            assert!(help.iter().any(|(_, l)| l == label));
        }
    }
}
