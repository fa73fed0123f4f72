//! The store server: one thread runs every connected terminal's app over
//! the one store and the one search index, in turn, so that two saves never
//! interleave and a colleague's change is on every screen as soon as it is
//! made. Each connection has a reader thread (messages in) and a writer
//! thread (frames out: a slow terminal never holds the others up).
//!
//! The search index is the biggest thing in memory (tens of MB on a large
//! store) and there is one: it is handed to whichever app is handling an
//! event or drawing, and taken back after (`with_index`), so the apps need
//! no change to share it.

use super::wire::{self, Bye, Down, Exec, Hello, Up, WhoRow};
use super::{CliIo, Hosted};
use crate::domain::{Categories, WorkCalendar};
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::rows::RequestIndex;
use crate::store::undo::ChangeSet;
use crate::ui::app::{App, AppEvent, Clock, Loaded};
use crate::ui::term::{self, LeanBackend};
use ratatui::Terminal;
use ratatui::crossterm::event::Event;
use ratatui::layout::{Position, Rect, Size};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

/// Runs one command line on the server's store (see `cli::hosted`).
pub type HostedRunner = fn(Arc<Store>, Vec<String>, PathBuf, Option<String>, Box<dyn CliIo>) -> Hosted;

/// Everything the server needs, prepared by the command line that starts it.
pub struct Setup {
    pub store: Arc<Store>,
    pub cal: Arc<WorkCalendar>,
    pub cats: Categories,
    /// Said once, to the first terminal (what changed at this start).
    pub notices: Vec<String>,
    /// The office files' first warning, on the first terminal's message line.
    pub warning: Option<String>,
    pub clock: fn() -> Clock,
    pub hosted: HostedRunner,
    /// The day's snapshot and whatever else a last quit does.
    pub at_end: Box<dyn FnOnce(Arc<Store>)>,
    /// How long the server waits for its first terminal.
    pub first_wait: std::time::Duration,
}

type Cid = u64;

enum Ev {
    Conn(UnixStream),
    Up(Cid, Up),
    Gone(Cid),
    App(Cid, AppEvent),
    HostedDone(Cid, Hosted, ChangeSet),
    Signal,
}

/// What a frame is written to: the client's writer thread.
struct Sink {
    bytes: Vec<u8>,
    out: Sender<Down>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.bytes.is_empty() {
            let frame = std::mem::take(&mut self.bytes);
            // a client gone is noticed by its reader; nothing to do here
            let _ = self.out.send(Down::Frame(frame));
        }
        Ok(())
    }
}

struct Tui {
    app: App,
    term: Terminal<LeanBackend<Sink>>,
    hello: Hello,
    since: chrono::NaiveDateTime,
}

enum Role {
    /// Connected, not yet said what it is.
    New,
    Tui(Box<Tui>),
    /// Running a command; its answers go to the command's thread.
    Exec(Sender<Option<String>>),
    /// Told what it asked (`who`, a refusal): closing.
    Done,
}

struct Conn {
    role: Role,
    out: Sender<Down>,
    stream: UnixStream,
}

struct Server {
    setup_store: Arc<Store>,
    cal: Arc<WorkCalendar>,
    cats: Categories,
    clock: fn() -> Clock,
    hosted: HostedRunner,
    notices: Vec<String>,
    warning: Option<String>,
    index: RequestIndex,
    /// A command wrote while no app was connected to bring the index along:
    /// it is not saved at the end (the next start reads the store).
    index_stale: bool,
    conns: BTreeMap<Cid, Conn>,
    tx: Sender<Ev>,
    next: Cid,
    ever: bool,
    running: usize,
}

/// Serves until the last terminal leaves (or a signal): then the index is
/// saved, `at_end` runs and the socket is removed.
pub fn run(setup: Setup, listener: UnixListener, socket: PathBuf) -> anyhow::Result<()> {
    let store = setup.store.clone();
    let (index, _) = crate::store::index_cache::load(&store)?;
    let (tx, rx) = mpsc::channel::<Ev>();
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for s in listener.incoming() {
                match s {
                    Ok(s) => {
                        if tx.send(Ev::Conn(s)).is_err() {
                            return;
                        }
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
        });
    }
    watch_signals(tx.clone());
    let first_wait = setup.first_wait;
    let at_end = setup.at_end;
    let mut s = Server {
        setup_store: store.clone(),
        cal: setup.cal,
        cats: setup.cats,
        clock: setup.clock,
        hosted: setup.hosted,
        notices: setup.notices,
        warning: setup.warning,
        index,
        index_stale: false,
        conns: BTreeMap::new(),
        tx,
        next: 1,
        ever: false,
        running: 0,
    };
    s.serve(&rx, first_wait);
    // new terminals start a server of their own from here on (it waits
    // for this one's lock)
    let _ = std::fs::remove_file(&socket);
    for c in s.conns.values() {
        let _ = c.stream.shutdown(std::net::Shutdown::Both);
    }
    if !s.index_stale
        && let Ok(g) = store.generation()
    {
        let _ = crate::store::index_cache::write(&mut s.index, g, store.dir());
    }
    drop(s);
    at_end(store);
    Ok(())
}

impl Server {
    fn serve(&mut self, rx: &Receiver<Ev>, first_wait: std::time::Duration) {
        loop {
            let ev = if self.ever {
                match rx.recv() {
                    Ok(ev) => ev,
                    Err(_) => return,
                }
            } else {
                match rx.recv_timeout(first_wait) {
                    Ok(ev) => ev,
                    Err(_) => return,
                }
            };
            let mut touched = Vec::new();
            self.event(ev, &mut touched);
            // whatever else is queued (a fast typist, a paste) before drawing
            while let Ok(ev) = rx.try_recv() {
                self.event(ev, &mut touched);
            }
            self.spread(&mut touched);
            self.draw(&touched);
            if self.ever && self.tuis() == 0 && self.running == 0 {
                return;
            }
        }
    }

    fn tuis(&self) -> usize {
        self.conns.values().filter(|c| matches!(c.role, Role::Tui(_))).count()
    }

    fn event(&mut self, ev: Ev, touched: &mut Vec<Cid>) {
        match ev {
            Ev::Conn(stream) => self.connect(stream),
            Ev::Up(cid, up) => self.up(cid, up, touched),
            Ev::Gone(cid) => {
                if let Some(c) = self.conns.remove(&cid) {
                    let _ = c.stream.shutdown(std::net::Shutdown::Both);
                    if matches!(c.role, Role::Tui(_)) {
                        self.colleagues(touched);
                    }
                }
            }
            Ev::App(cid, ev) => {
                if let Some(Role::Tui(t)) = self.conns.get_mut(&cid).map(|c| &mut c.role) {
                    with_index(&mut self.index, &mut t.app, |app| app.handle(ev));
                    touched.push(cid);
                }
            }
            Ev::HostedDone(cid, h, set) => {
                self.running = self.running.saturating_sub(1);
                if let Some(c) = self.conns.get_mut(&cid) {
                    let _ = c.out.send(Down::Exit(h.code));
                    c.role = Role::Done;
                }
                if !set.0.is_empty() {
                    self.command_wrote(&set, touched);
                }
            }
            Ev::Signal => {
                for c in self.conns.values_mut() {
                    if matches!(c.role, Role::Tui(_)) {
                        let _ = c.out.send(Down::Bye(Bye::Stopping));
                    }
                    c.role = Role::Done;
                }
                self.ever = true;
                self.running = 0;
            }
        }
    }

    fn connect(&mut self, stream: UnixStream) {
        let cid = self.next;
        self.next += 1;
        let (Ok(reader), Ok(writer)) = (stream.try_clone(), stream.try_clone()) else { return };
        let (out, out_rx) = mpsc::channel::<Down>();
        std::thread::spawn(move || {
            let mut w = io::BufWriter::new(writer);
            for msg in out_rx {
                if wire::send(&mut w, &msg).is_err() {
                    return;
                }
            }
        });
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            let mut r = io::BufReader::new(reader);
            loop {
                match wire::recv::<_, Up>(&mut r) {
                    Ok(Some(m)) => {
                        if tx.send(Ev::Up(cid, m)).is_err() {
                            return;
                        }
                    }
                    _ => {
                        let _ = tx.send(Ev::Gone(cid));
                        return;
                    }
                }
            }
        });
        self.conns.insert(cid, Conn { role: Role::New, out, stream });
    }

    fn up(&mut self, cid: Cid, up: Up, touched: &mut Vec<Cid>) {
        if let Up::Hello(h) = up {
            return self.hello(cid, h, touched);
        }
        let Some(conn) = self.conns.get_mut(&cid) else { return };
        match (up, &mut conn.role) {
            (Up::Event(ev), Role::Tui(t)) => {
                if let Event::Resize(w, h) = ev {
                    t.term.backend_mut().set_area(Rect::from((Position::ORIGIN, Size::new(w, h))));
                    let _ = t.term.clear();
                }
                with_index(&mut self.index, &mut t.app, |app| app.handle(AppEvent::Term(ev)));
                touched.push(cid);
            }
            (Up::Exec(e), Role::New) => self.exec(cid, e),
            (Up::Answer(a), Role::Exec(answers)) => {
                let _ = answers.send(a);
            }
            (Up::Who, Role::New) => {
                let rows = self.who();
                let conn = self.conns.get_mut(&cid).expect("looked up above");
                let _ = conn.out.send(Down::Who(rows));
                conn.role = Role::Done;
            }
            // anything out of turn: the client is confused or hostile
            _ => {
                let _ = conn.stream.shutdown(std::net::Shutdown::Both);
            }
        }
    }

    fn hello(&mut self, cid: Cid, h: Hello, touched: &mut Vec<Cid>) {
        let Some(conn) = self.conns.get_mut(&cid) else { return };
        if !matches!(conn.role, Role::New) {
            let _ = conn.stream.shutdown(std::net::Shutdown::Both);
            return;
        }
        if h.version != wire::VERSION {
            let _ = conn.out.send(Down::Refused(format!("{} ≠ {}", h.version, wire::VERSION)));
            conn.role = Role::Done;
            return;
        }
        let opened = self.open_app(cid, &h);
        let conn = self.conns.get_mut(&cid).expect("looked up above");
        match opened {
            Ok(t) => {
                conn.role = Role::Tui(Box::new(t));
                self.ever = true;
                self.colleagues(touched);
            }
            Err(e) => {
                let lang = Lang::parse(&h.lang).unwrap_or(Lang::Zh);
                let _ = conn.out.send(Down::Refused(crate::i18n::store_error(lang, &e)));
                conn.role = Role::Done;
            }
        }
    }

    fn open_app(&mut self, cid: Cid, h: &Hello) -> Result<Tui, crate::store::StoreError> {
        let lang = Lang::parse(&h.lang).unwrap_or(Lang::Zh);
        let theme = if h.mono { crate::ui::theme::Theme::mono() } else { crate::ui::theme::Theme::color() };
        let mut app = App::new(self.setup_store.clone(), lang, theme, self.cal.clone(), self.cats.clone(), (self.clock)())?;
        // the app's background work reports to the server, marked as its
        let (atx, arx) = mpsc::channel::<AppEvent>();
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            for ev in arx {
                if tx.send(Ev::App(cid, ev)).is_err() {
                    return;
                }
            }
        });
        app.sh.events = Some(atx.clone());
        app.sh.data.tx = Some(atx);
        app.sh.outbox = Some(Vec::new());
        app.finish_loading(Loaded { index: std::mem::take(&mut self.index), from_snapshot: true });
        self.index = std::mem::take(&mut app.sh.index);
        if !self.notices.is_empty() || self.warning.is_some() {
            if let Some(w) = self.warning.take() {
                app.sh.message = Some((w, true));
            }
            app.show_notices(std::mem::take(&mut self.notices));
        }
        if let Some(m) = h.message.clone() {
            app.sh.message = Some(m);
        }
        let out = self.conns.get(&cid).map(|c| c.out.clone()).expect("the connection asked");
        let area = Rect::from((Position::ORIGIN, Size::new(h.width.max(1), h.height.max(1))));
        let term = Terminal::new(LeanBackend::remote(Sink { bytes: Vec::new(), out }, area))
            .map_err(|e| crate::store::StoreError::Io(e.to_string()))?;
        Ok(Tui { app, term, hello: h.clone(), since: (self.clock)()() })
    }

    fn exec(&mut self, cid: Cid, e: Exec) {
        let conn = self.conns.get_mut(&cid).expect("looked up by the caller");
        if e.version != wire::VERSION {
            let _ = conn.out.send(Down::Refused(format!("{} ≠ {}", e.version, wire::VERSION)));
            conn.role = Role::Done;
            return;
        }
        let (atx, arx) = mpsc::channel();
        conn.role = Role::Exec(atx);
        let io = Box::new(SockIo { out: conn.out.clone(), answers: arx });
        let (store, run, tx) = (self.setup_store.clone(), self.hosted, self.tx.clone());
        self.running += 1;
        std::thread::spawn(move || {
            let h = run(store.clone(), e.argv, PathBuf::from(e.cwd), e.lang, io);
            // what the command wrote, for every screen (the store keeps
            // every change while apps are open)
            let set = store.take_last_change();
            let _ = tx.send(Ev::HostedDone(cid, h, set));
        });
    }

    fn who(&self) -> Vec<WhoRow> {
        self.conns
            .values()
            .filter_map(|c| match &c.role {
                Role::Tui(t) => Some(WhoRow {
                    operator: t.app.sh.operator.and_then(|id| t.app.sh.worker(id)).map(|w| w.name.clone()),
                    terminal: t.hello.terminal.clone(),
                    since: t.since.format("%Y-%m-%d %H:%M").to_string(),
                    pid: t.hello.pid,
                }),
                _ => None,
            })
            .collect()
    }

    /// Every terminal learns how many colleagues are on.
    fn colleagues(&mut self, touched: &mut Vec<Cid>) {
        let n = self.tuis();
        for (cid, c) in self.conns.iter_mut() {
            if let Role::Tui(t) = &mut c.role {
                t.app.sh.colleagues = n.saturating_sub(1);
                touched.push(*cid);
            }
        }
    }

    /// A command wrote (an import): the index learns it through the first
    /// app, every other app is told as of a colleague's save.
    fn command_wrote(&mut self, set: &ChangeSet, touched: &mut Vec<Cid>) {
        let mut first = true;
        for (cid, c) in self.conns.iter_mut() {
            if let Role::Tui(t) = &mut c.role {
                with_index(&mut self.index, &mut t.app, |app| {
                    if first {
                        app.panels.broadcast(set, &mut app.sh);
                        // no step of this terminal's undo, nor news for the others
                        app.sh.outbox = Some(Vec::new());
                    } else {
                        app.panels.colleague_changed(set, &mut app.sh);
                    }
                });
                first = false;
                touched.push(*cid);
            }
        }
        if first {
            self.index_stale = true;
        }
    }

    /// What each touched app wrote goes to every other app's screen; a
    /// quit (or a restore, the demo) ends that terminal's session.
    fn spread(&mut self, touched: &mut Vec<Cid>) {
        let mut sets: Vec<(Cid, Vec<ChangeSet>)> = Vec::new();
        let mut ended: Vec<(Cid, Bye)> = Vec::new();
        let others = self.tuis().saturating_sub(1);
        for cid in touched.iter() {
            if let Some(Role::Tui(t)) = self.conns.get_mut(cid).map(|c| &mut c.role) {
                if let Some(out) = t.app.sh.outbox.as_mut()
                    && !out.is_empty()
                {
                    sets.push((*cid, std::mem::take(out)));
                }
                if t.app.sh.quit {
                    match bye_of(&mut t.app, others) {
                        Some(b) => ended.push((*cid, b)),
                        None => t.app.sh.quit = false,
                    }
                }
            }
        }
        for (from, sets) in sets {
            for (cid, c) in self.conns.iter_mut() {
                if *cid == from {
                    continue;
                }
                if let Role::Tui(t) = &mut c.role {
                    with_index(&mut self.index, &mut t.app, |app| {
                        for set in &sets {
                            app.panels.colleague_changed(set, &mut app.sh);
                        }
                        app.settle();
                    });
                    touched.push(*cid);
                }
            }
        }
        for (cid, bye) in ended {
            if let Some(c) = self.conns.get_mut(&cid) {
                let _ = c.out.send(Down::Bye(bye));
                c.role = Role::Done;
            }
            self.colleagues(touched);
        }
        touched.sort_unstable();
        touched.dedup();
    }

    fn draw(&mut self, touched: &[Cid]) {
        for cid in touched {
            if let Some(Role::Tui(t)) = self.conns.get_mut(cid).map(|c| &mut c.role) {
                let Tui { app, term, .. } = &mut **t;
                with_index(&mut self.index, app, |app| {
                    let _ = term::draw(term, |f| app.draw(f));
                });
            }
        }
    }
}

/// What an app's quit means for its terminal; `None`: it may not end that
/// way now (a restore while colleagues are on), and the app says why.
fn bye_of(app: &mut App, others: usize) -> Option<Bye> {
    if let Some(req) = app.sh.data.restore.take() {
        if others > 0 {
            let msg = crate::i18n::fill(app.sh.lang.sharing().restore_with_colleagues, others);
            app.sh.message = Some((msg, true));
            return None;
        }
        return Some(Bye::Restore {
            file: req.file.to_string_lossy().into_owned(),
            passphrase: req.passphrase,
            accept_key: req.accept_key,
        });
    }
    Some(if app.sh.open_demo { Bye::OpenDemo } else { Bye::Quit })
}

/// Runs `f` with the one search index in `app`'s hands.
fn with_index<R>(shared: &mut RequestIndex, app: &mut App, f: impl FnOnce(&mut App) -> R) -> R {
    std::mem::swap(shared, &mut app.sh.index);
    let r = f(app);
    std::mem::swap(shared, &mut app.sh.index);
    r
}

/// A command's terminal, over the socket.
struct SockIo {
    out: Sender<Down>,
    answers: Receiver<Option<String>>,
}

impl CliIo for SockIo {
    fn out(&mut self, bytes: &[u8]) {
        let _ = self.out.send(Down::Out(bytes.to_vec()));
    }

    fn err(&mut self, bytes: &[u8]) {
        let _ = self.out.send(Down::Err(bytes.to_vec()));
    }

    fn ask(&mut self, prompt: &str, secret: bool) -> Option<String> {
        self.out.send(Down::Ask { prompt: prompt.to_string(), secret }).ok()?;
        self.answers.recv().ok().flatten()
    }
}

/// The signals that end a program become an event: the server tells every
/// terminal, saves the index and the day's snapshot, then exits.
fn watch_signals(tx: Sender<Ev>) {
    std::thread::spawn(move || {
        // SAFETY: a signal set on this stack, filled, then waited on.
        let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
        unsafe {
            libc::sigemptyset(&mut set);
            for sig in [libc::SIGHUP, libc::SIGTERM, libc::SIGINT, libc::SIGQUIT] {
                libc::sigaddset(&mut set, sig);
            }
        }
        loop {
            let mut sig: libc::c_int = 0;
            // SAFETY: `set` and `sig` live on this stack.
            if unsafe { libc::sigwait(&set, &mut sig) } != 0 || tx.send(Ev::Signal).is_err() {
                return;
            }
        }
    });
}
