//! The store server: one thread runs every connected terminal's app over
//! the one store and the one search index, in turn, so that two saves never
//! interleave and a colleague's change is on every screen as soon as it is
//! made. Each connection has a reader thread (messages in) and a writer
//! thread (frames out: a slow terminal never holds the others up).
//!
//! The search index is the biggest thing in memory (tens of MB on a large
//! store), then the volunteer roster and the daily log, and there is one
//! of each: they are lent to whichever app is handling an event or
//! drawing, and taken back after (`with_index`), so the apps share them
//! with hardly a change. A change is brought into them once, by the app
//! that made it; the others only bring their views along
//! (`Panels::colleague_changed`).

use super::sock::{Listener, Stream};
use super::wire::{self, Bye, Down, Exec, Hello, Up, WhoRow};
use super::{CliIo, Hosted};
use crate::domain::{Categories, WorkCalendar};
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::rows::RequestIndex;
use crate::store::undo::ChangeSet;
use crate::ui::app::{App, AppEvent, Clock, Loaded};
use crate::ui::shared::Pending;
use crate::ui::term::LeanBackend;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use ratatui::layout::{Position, Rect, Size};
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

/// Runs one command line on the server's store (see `cli::hosted`).
pub type HostedRunner = fn(Arc<Store>, Vec<String>, PathBuf, Vec<(String, String)>, Box<dyn CliIo>) -> Hosted;

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
    Conn(Stream),
    Up(Cid, Up),
    Gone(Cid),
    App(Cid, AppEvent),
    HostedDone(Cid, Hosted, ChangeSet),
    /// A signal that ends a program (Unix).
    #[cfg_attr(not(unix), allow(dead_code))]
    Signal,
    /// The flushing thread flushed every group up to this number.
    Flushed(u64, Result<(), crate::store::StoreError>),
    /// The whole search index, read in the background (see [`run`]).
    Loaded(Box<Result<Loaded, crate::store::StoreError>>),
    /// The saved index's lists, after its rows (`index_cache::load_later`).
    Lists(Box<crate::store::index_cache::Lists>),
}

impl Ev {
    /// The connection it is of, if one.
    fn cid(&self) -> Option<Cid> {
        match self {
            Ev::Up(c, _) | Ev::Gone(c) | Ev::App(c, _) | Ev::HostedDone(c, ..) => Some(*c),
            Ev::Conn(_) | Ev::Signal | Ev::Flushed(..) | Ev::Loaded(_) | Ev::Lists(_) => None,
        }
    }
}

/// Where the server's messages to one client wait for its writer thread.
type Out = mpsc::SyncSender<Down>;

/// How many messages wait for a client at most: a terminal that stops
/// reading (a frozen SSH link) holds nobody else up, and costs at most
/// this many frames of memory.
const QUEUED: usize = 64;

/// The most bytes kept for a client whose queue is full; beyond it they
/// are dropped and its next frame is drawn whole.
const KEPT: usize = 1 << 20;

/// What a frame is written to: the client's writer thread. A frame that
/// finds the queue full waits here, joined by the next, so nothing is lost
/// in between; past [`KEPT`] bytes it is dropped and `resync` asks for a
/// whole frame.
struct Sink {
    bytes: Vec<u8>,
    out: Out,
    resync: Arc<std::sync::atomic::AtomicBool>,
    gate: Arc<Gate>,
    /// Frames drawn before the flush they wait for (see [`Gate`]), with
    /// its number, in order.
    held: VecDeque<(u64, Vec<u8>)>,
}

/// Which flush the frames drawn now wait for, and which is done: a frame
/// drawn while a write is not yet on disk leaves only once it is, so no
/// screen shows a save (its 已保存, or the record in a colleague's list)
/// that a crash could still take back. The server sets `need` before each
/// draw; the flushing thread's word moves `done`.
#[derive(Default)]
struct Gate {
    need: std::sync::atomic::AtomicU64,
    done: std::sync::atomic::AtomicU64,
}

impl Sink {
    fn new(out: Out, resync: Arc<std::sync::atomic::AtomicBool>, gate: Arc<Gate>) -> Sink {
        Sink { bytes: Vec::new(), out, resync, gate, held: VecDeque::new() }
    }

    /// Sends the held frames whose flush is done, in order.
    fn release(&mut self) {
        let done = self.gate.done.load(std::sync::atomic::Ordering::Relaxed);
        while self.held.front().is_some_and(|(n, _)| *n <= done) {
            if let Some((_, f)) = self.held.pop_front() {
                self.bytes.extend_from_slice(&f);
            }
        }
        self.send();
    }

    fn send(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        let frame = std::mem::take(&mut self.bytes);
        match self.out.try_send(Down::Frame(frame)) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(Down::Frame(back))) => {
                self.bytes = back;
                if self.bytes.len() > KEPT {
                    self.bytes = Vec::new();
                    self.resync.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            // gone: its reader tells the server
            Err(_) => {}
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        let need = self.gate.need.load(Relaxed);
        if !self.bytes.is_empty() && (need > self.gate.done.load(Relaxed) || !self.held.is_empty()) {
            let frame = std::mem::take(&mut self.bytes);
            self.held.push_back((need, frame));
        }
        self.release();
        Ok(())
    }
}

struct Tui {
    app: App,
    /// Its screen: frames drawn into a buffer kept for it (`LeanBackend::frame`).
    term: LeanBackend<Sink>,
    resync: Arc<std::sync::atomic::AtomicBool>,
    hello: Hello,
    since: chrono::NaiveDateTime,
    /// What colleagues wrote that this app has not shown yet (see
    /// [`COLLEAGUES_EVERY`]), and since when.
    pending: Vec<Arc<ChangeSet>>,
    stale_since: Option<std::time::Instant>,
}

/// While the server is busy, a colleague's save reaches each other screen
/// within this long, several saves at once (one list update and one
/// frame for all of them instead of one per batch); an idle server shows
/// it at once. A screen is always brought up to date before it handles
/// its own key or is drawn for any other reason.
const COLLEAGUES_EVERY: std::time::Duration = std::time::Duration::from_millis(30);

/// How long nothing comes in before the server counts as idle.
const IDLE: std::time::Duration = std::time::Duration::from_millis(3);

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
    out: Out,
    stream: Stream,
    /// Sends what `out` queues; ends once every sender is gone.
    writer: std::thread::JoinHandle<()>,
}

struct Server {
    setup_store: Arc<Store>,
    cal: Arc<WorkCalendar>,
    cats: Categories,
    clock: fn() -> Clock,
    hosted: HostedRunner,
    notices: Vec<String>,
    warning: Option<String>,
    index: Lent,
    /// A command wrote while no app was connected to bring the index along:
    /// it is not saved at the end (the next start reads the store).
    index_stale: bool,
    conns: BTreeMap<Cid, Conn>,
    tx: Sender<Ev>,
    next: Cid,
    ever: bool,
    running: usize,
    /// Large undos still writing on their threads for windows that have
    /// gone (closed, or a signal ended them): the server waits for them,
    /// and shows what they wrote on the other screens.
    orphans: usize,
    stats: Stats,
    /// The flushing thread (see [`Gate`]): groups of writes to flush, numbered.
    flusher: Option<Sender<(u64, crate::store::GroupFlush)>>,
    /// The last group handed to it, and who wrote in the groups not yet flushed.
    asked: u64,
    writers: Vec<(u64, Vec<Cid>)>,
    gate: Arc<Gate>,
    /// Starts loading the whole index, once.
    loader: Option<Loader>,
}

type Loader = Box<dyn FnOnce() + Send>;

/// Where the server's time goes, written to standard error (the server's
/// log) at its end when `LINLI_TIMING` is set (for BENCHMARKS.md).
#[derive(Default)]
struct Stats {
    on: bool,
    batches: u64,
    events: u64,
    handling: std::time::Duration,
    flushes: u64,
    flushing: std::time::Duration,
    draws: u64,
    drawing: std::time::Duration,
    catch_ups: u64,
    catching_up: std::time::Duration,
}

impl Stats {
    fn report(&self) {
        if !self.on {
            return;
        }
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        eprintln!(
            "timing serve: {} batches, {} events {:.0} ms (handling, colleagues' catch-up apart), {} flushes handed over (here: {:.0} ms), {} draws {:.0} ms, {} catch-ups {:.0} ms",
            self.batches,
            self.events,
            ms(self.handling),
            self.flushes,
            ms(self.flushing),
            self.draws,
            ms(self.drawing),
            self.catch_ups,
            ms(self.catching_up)
        );
    }
}

/// Serves until the last terminal leaves (or a signal): then the index is
/// saved, `at_end` runs and the socket is removed.
///
/// The whole search index loads on a thread of its own, started once the
/// first frame has gone out, while the server serves, as a window alone
/// loads it behind its first frame: the first terminals see the
/// newest requests and "正在载入" at once, and whatever they save meanwhile
/// is read into the index again when it lands (`Server::index_arrived`).
pub fn run(setup: Setup, listener: Listener, socket: PathBuf) -> anyhow::Result<()> {
    let store = setup.store.clone();
    let index = Lent::default();
    let (tx, rx) = mpsc::channel::<Ev>();
    // started once the first frame has gone out (see `Server::draw`): its
    // 35 MB (on a large store) do not share a cold disk with the first
    // frame's few rows
    let loader: Loader = {
        let (store, tx) = (store.clone(), tx.clone());
        Box::new(move || {
            std::thread::spawn(move || {
                let (loaded, later) = match Loaded::read_later(&store) {
                    Ok((l, later)) => (Ok(l), later),
                    Err(e) => (Err(e), None),
                };
                test_gate();
                let _ = tx.send(Ev::Loaded(Box::new(loaded)));
                if let Some(later) = later {
                    let _ = tx.send(Ev::Lists(Box::new(later.inflate())));
                }
            });
        })
    };
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            loop {
                match listener.accept() {
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
        orphans: 0,
        stats: Stats { on: std::env::var_os("LINLI_TIMING").is_some(), ..Default::default() },
        flusher: None,
        asked: 0,
        writers: Vec::new(),
        gate: Arc::default(),
        loader: Some(loader),
    };
    // the flushing thread: what the server thread wrote is flushed here
    // while it goes on with the next events; one flush for every group
    // waiting by then
    let (ftx, frx) = mpsc::channel::<(u64, crate::store::GroupFlush)>();
    s.flusher = Some(ftx);
    let flusher = {
        let (store, tx) = (store.clone(), s.tx.clone());
        std::thread::spawn(move || {
            while let Ok((mut n, g)) = frx.recv() {
                let mut groups = vec![g];
                for (m, g) in frx.try_iter() {
                    n = m;
                    groups.push(g);
                }
                if tx.send(Ev::Flushed(n, store.flush_taken(groups))).is_err() {
                    return;
                }
            }
        })
    };
    // a save is confirmed only after the flush of its batch (see `serve`)
    let _ = store.group_commit(true);
    s.serve(&rx, first_wait);
    s.flusher = None;
    let _ = flusher.join();
    // everything written is on disk: what is held goes out
    let _ = store.group_commit(false);
    s.gate.done.store(u64::MAX, std::sync::atomic::Ordering::Relaxed);
    s.release_all();
    s.stats.report();
    // new terminals start a server of their own from here on (it waits
    // for this one's lock)
    let _ = std::fs::remove_file(&socket);
    // what is queued (the last goodbyes) is sent before the connections
    // close: each writer ends when its queue's senders are gone, within a
    // moment (a terminal that stopped reading is not waited for)
    let conns = std::mem::take(&mut s.conns);
    let mut writers = Vec::new();
    for (_, c) in conns {
        writers.push((c.writer, c.stream));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    for (w, stream) in writers {
        while !w.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
    // (an index still loading, or one that failed to, is not the store's
    // content: the next start reads the store again)
    if !s.index_stale
        && s.index.loaded
        && let Ok(g) = store.generation()
        // (the saved copy is the store's content already when nothing was
        // written since it was made: not written again, 35 MB on a large
        // store, which a window started meanwhile would wait for)
        && crate::store::index_cache::made_at(store.dir()) != Some(g)
    {
        let _ = crate::store::index_cache::write(&mut s.index.index, g, store.dir());
    }
    // the daily log and the roster's totals, if read and kept up to date
    // (issue 19g)
    if !s.index_stale {
        if let Some(log) = &s.index.log {
            let _ = log.save(&store);
        }
        if let Some(roster) = &s.index.roster {
            let _ = roster.save(&store);
        }
    }
    drop(s);
    at_end(store);
    Ok(())
}

impl Server {
    fn serve(&mut self, rx: &Receiver<Ev>, first_wait: std::time::Duration) {
        // events taken in during a batch, for the next one
        let mut next: VecDeque<Ev> = VecDeque::new();
        loop {
            let ev = if let Some(ev) = next.pop_front() {
                ev
            } else if self.ever {
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
            // what waits now is one batch. Each event's own screen is drawn
            // at once (a typist waits for nobody else's key), unless its
            // window's next event is already here (drawn once, after it).
            // The store's flush is put off (`Store::group_commit`): the
            // batch's writes are flushed once, on the flushing thread, and
            // every frame drawn after a write leaves only once the flush
            // that covers it is done (`Gate`; ten saves at once: one
            // fdatasync, not ten). What the events wrote then reaches each
            // colleague (`spread`, `refresh`).
            let mut queue: VecDeque<Ev> = std::iter::once(ev).chain(next.drain(..)).chain(rx.try_iter()).collect();
            let mut batch = Vec::new();
            let mut later = Vec::new();
            let mut wrote = Vec::new();
            self.stats.batches += 1;
            while let Some(e) = queue.pop_front() {
                let mut touched = Vec::new();
                let waiting = self.setup_store.group_waiting();
                let t0 = std::time::Instant::now();
                let c0 = self.stats.catching_up;
                self.event(e, &mut touched);
                self.stats.events += 1;
                self.stats.handling += t0.elapsed().saturating_sub(self.stats.catching_up - c0);
                if std::mem::take(&mut self.index.arrived) {
                    self.touch_all(&mut touched);
                }
                if self.setup_store.group_waiting() != waiting {
                    wrote.extend(touched.iter().copied());
                }
                for cid in touched {
                    if queue.iter().any(|q| q.cid() == Some(cid)) {
                        later.push(cid);
                        batch.push(cid);
                        continue;
                    }
                    // (a typist's keys arrive one message after another)
                    next.extend(rx.try_iter());
                    if !next.iter().any(|q| q.cid() == Some(cid)) {
                        self.draw(&[cid]);
                    }
                    // else: drawn after its next event, in the next batch
                    batch.push(cid);
                }
            }
            // the batch's writes to the flushing thread; the frames drawn
            // since the first of them leave once it has flushed
            if let Some(g) = self.setup_store.take_group() {
                self.asked += 1;
                self.stats.flushes += 1;
                self.writers.push((self.asked, std::mem::take(&mut wrote)));
                if let Some(f) = &self.flusher
                    && f.send((self.asked, g)).is_err()
                {
                    self.flush_now();
                }
            }
            later.sort_unstable();
            later.dedup();
            self.draw(&later);
            let others = self.spread(&mut batch);
            self.draw(&others);
            // colleagues' screens: at once when nothing else comes in a
            // moment (the windows answer a frame within a millisecond or
            // so: a busy office is not idle between two frames)
            if self.conns.values().any(|c| matches!(&c.role, Role::Tui(t) if t.stale_since.is_some())) {
                // (a flush under way: the windows wait for its frames, they
                // are not idle; its word wakes the server)
                let flushing = self.asked > self.gate.done.load(std::sync::atomic::Ordering::Relaxed);
                if !next.is_empty() || flushing {
                    self.refresh();
                } else {
                    match rx.recv_timeout(IDLE) {
                        Ok(ev) => {
                            next.push_back(ev);
                            self.refresh();
                        }
                        Err(_) => self.refresh_idle(rx, &mut next),
                    }
                }
            }
            if self.ever && self.tuis() == 0 && self.running == 0 && self.orphans == 0 {
                return;
            }
        }
    }

    /// Flushes everything written, here and now, and sends what is held
    /// (before a goodbye: no frame is left behind).
    fn flush_now(&mut self) {
        let t0 = std::time::Instant::now();
        let r = self.setup_store.flush_group();
        self.stats.flushing += t0.elapsed();
        let n = self.asked;
        self.flushed(n, r, &mut Vec::new());
    }

    /// Groups up to `n` are flushed (or failed to be).
    fn flushed(&mut self, n: u64, r: Result<(), crate::store::StoreError>, touched: &mut Vec<Cid>) {
        use std::sync::atomic::Ordering::Relaxed;
        let (flushed, rest): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.writers).into_iter().partition(|(k, _)| *k <= n);
        self.writers = rest;
        self.gate.done.store(self.gate.done.load(Relaxed).max(n), Relaxed);
        if let Err(e) = r {
            // not on disk: no 已保存 on any screen that saved; what was
            // held is dropped and every screen drawn whole again
            for cid in flushed.into_iter().flat_map(|(_, c)| c) {
                if let Some(Role::Tui(t)) = self.conns.get_mut(&cid).map(|c| &mut c.role) {
                    t.app.sh.error(&e);
                }
            }
            for (cid, c) in self.conns.iter_mut() {
                if let Role::Tui(t) = &mut c.role {
                    t.term.writer_mut().held.clear();
                    t.resync.store(true, Relaxed);
                    touched.push(*cid);
                }
            }
            return;
        }
        self.release_all();
    }

    fn release_all(&mut self) {
        for c in self.conns.values_mut() {
            if let Role::Tui(t) = &mut c.role {
                t.term.writer_mut().release();
            }
        }
    }

    fn touch_all(&self, touched: &mut Vec<Cid>) {
        touched.extend(self.conns.iter().filter(|(_, c)| matches!(c.role, Role::Tui(_))).map(|(cid, _)| *cid));
    }

    fn tuis(&self) -> usize {
        self.conns.values().filter(|c| matches!(c.role, Role::Tui(_))).count()
    }

    fn event(&mut self, ev: Ev, touched: &mut Vec<Cid>) {
        match ev {
            Ev::Conn(stream) => self.connect(stream),
            Ev::Up(cid, up) => self.up(cid, up, touched),
            Ev::Gone(cid) => {
                // (a read failing in the reader's app leaves the others as
                // it leaves that app: without, as one app alone would be)
                let (roster, log) = (self.index.roster_reader == Some(cid), self.index.log_reader == Some(cid));
                if roster || log {
                    self.index.roster_reader = self.index.roster_reader.filter(|_| !roster);
                    self.index.log_reader = self.index.log_reader.filter(|_| !log);
                    for c in self.conns.values_mut() {
                        if let Role::Tui(t) = &mut c.role {
                            if roster {
                                t.app.panels.volunteers.stop_waiting();
                            }
                            if log {
                                t.app.panels.duties.stop_waiting_log();
                            }
                        }
                    }
                }
                if let Some(mut c) = self.conns.remove(&cid) {
                    let _ = c.stream.shutdown(std::net::Shutdown::Both);
                    if let Role::Tui(t) = &mut c.role {
                        self.orphans += usize::from(t.app.sh.undoing.is_some());
                        self.index.keep_pending(&mut t.app);
                        self.colleagues(touched);
                    }
                }
            }
            Ev::App(cid, ev) => {
                if let Some(Role::Tui(t)) = self.conns.get_mut(&cid).map(|c| &mut c.role) {
                    catch_up(&mut self.index, cid, t, &mut self.stats);
                    with_index(&mut self.index, cid, &mut t.app, |app| app.handle(ev));
                    touched.push(cid);
                } else if let AppEvent::Undo(u @ crate::ui::undo::UndoEvent::Done { .. }) = ev {
                    // its window has gone: what it wrote reaches the others
                    // as a command's writes do
                    self.orphans = self.orphans.saturating_sub(1);
                    let set = u.written();
                    if !set.0.is_empty() {
                        self.command_wrote(&set, touched);
                    }
                }
            }
            Ev::HostedDone(cid, h, set) => {
                self.running = self.running.saturating_sub(1);
                if let Some(c) = self.conns.get_mut(&cid) {
                    let _ = c.out.try_send(Down::Exit(h.code));
                    c.role = Role::Done;
                }
                if !set.0.is_empty() {
                    self.command_wrote(&set, touched);
                }
            }
            Ev::Flushed(n, r) => self.flushed(n, r, touched),
            Ev::Loaded(r) => self.index_arrived(*r, touched),
            // (the same answers, sooner: nothing to draw again)
            Ev::Lists(l) => {
                l.add_to(&mut self.index.index);
            }
            Ev::Signal => {
                self.flush_now();
                for c in self.conns.values_mut() {
                    if let Role::Tui(t) = &c.role {
                        let _ = c.out.try_send(Down::Bye(Bye::Stopping));
                        // (an undo on a thread is let finish: see `orphans`)
                        self.orphans += usize::from(t.app.sh.undoing.is_some());
                    }
                    c.role = Role::Done;
                }
                self.ever = true;
                self.running = 0;
            }
        }
    }

    fn connect(&mut self, stream: Stream) {
        let cid = self.next;
        self.next += 1;
        let (Ok(reader), Ok(writer)) = (stream.try_clone(), stream.try_clone()) else { return };
        let (out, out_rx) = mpsc::sync_channel::<Down>(QUEUED);
        let writer = std::thread::spawn(move || {
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
        self.conns.insert(cid, Conn { role: Role::New, out, stream, writer });
    }

    fn up(&mut self, cid: Cid, up: Up, touched: &mut Vec<Cid>) {
        if let Up::Hello(h) = up {
            return self.hello(cid, h, touched);
        }
        let Some(conn) = self.conns.get_mut(&cid) else { return };
        match (up, &mut conn.role) {
            (Up::Event(ev), Role::Tui(t)) => {
                catch_up(&mut self.index, cid, t, &mut self.stats);
                if let Event::Resize(w, h) = ev {
                    t.term.set_area(Rect::from((Position::ORIGIN, Size::new(w, h))));
                    let _ = t.term.clear();
                }
                with_index(&mut self.index, cid, &mut t.app, |app| app.handle(AppEvent::Term(ev)));
                touched.push(cid);
            }
            (Up::Exec(e), Role::New) => self.exec(cid, e),
            (Up::Answer(a), Role::Exec(answers)) => {
                let _ = answers.send(a);
            }
            (Up::Who, Role::New) => {
                let rows = self.who();
                let conn = self.conns.get_mut(&cid).expect("looked up above");
                let _ = conn.out.try_send(Down::Who(rows));
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
            let _ = conn.out.try_send(Down::Refused(format!("{} ≠ {}", h.version, wire::VERSION)));
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
                let _ = conn.out.try_send(Down::Refused(crate::i18n::store_error(lang, &e)));
                conn.role = Role::Done;
            }
        }
    }

    fn open_app(&mut self, cid: Cid, h: &Hello) -> Result<Tui, crate::store::StoreError> {
        let lang = Lang::parse(&h.lang).unwrap_or(Lang::Zh);
        let theme = if h.mono { crate::ui::theme::Theme::mono() } else { crate::ui::theme::Theme::color() };
        let mut app =
            App::new(self.setup_store.clone(), lang, theme, self.cal.clone(), self.cats.clone(), (self.clock)())?;
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
        if self.index.loaded {
            app.finish_loading(Loaded { index: std::mem::take(&mut self.index.index), from_snapshot: true });
        } else if self.index.preview {
            // the whole index is still loading: the preview the apps
            // share (the newest requests, with what colleagues saved
            // since), as this app's own was made
            app.sh.index = std::mem::take(&mut self.index.index);
            app.index_replaced();
        }
        // (the first app's preview becomes the one the apps share)
        self.index.preview = true;
        self.index.index = std::mem::take(&mut app.sh.index);
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
        let resync = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sink = Sink::new(out, resync.clone(), self.gate.clone());
        let term = LeanBackend::remote(sink, area);
        Ok(Tui { app, term, resync, hello: h.clone(), since: (self.clock)()(), pending: Vec::new(), stale_since: None })
    }

    fn exec(&mut self, cid: Cid, e: Exec) {
        let conn = self.conns.get_mut(&cid).expect("looked up by the caller");
        if e.version != wire::VERSION {
            let _ = conn.out.try_send(Down::Refused(format!("{} ≠ {}", e.version, wire::VERSION)));
            conn.role = Role::Done;
            return;
        }
        let (atx, arx) = mpsc::channel();
        conn.role = Role::Exec(atx);
        let io = Box::new(SockIo { out: conn.out.clone(), answers: arx });
        let (store, run, tx) = (self.setup_store.clone(), self.hosted, self.tx.clone());
        self.running += 1;
        std::thread::spawn(move || {
            let h = run(store.clone(), e.argv, PathBuf::from(e.cwd), e.env, io);
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
                catch_up(&mut self.index, *cid, t, &mut self.stats);
                with_index(&mut self.index, *cid, &mut t.app, |app| {
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
            if self.index.loaded {
                self.index_stale = true;
            } else {
                // no app to note it: read again when the index lands
                self.index.pending.note(set);
            }
        }
    }

    /// What each touched app wrote goes to every other app's screen; a
    /// quit (or a restore, the demo) ends that terminal's session. Returns
    /// the terminals to draw again.
    fn spread(&mut self, touched: &mut Vec<Cid>) -> Vec<Cid> {
        touched.sort_unstable();
        touched.dedup();
        let mut sets: Vec<(Cid, Arc<ChangeSet>)> = Vec::new();
        let mut ended: Vec<(Cid, Bye)> = Vec::new();
        let others = self.tuis().saturating_sub(1);
        let mut redraw = Vec::new();
        for cid in touched.iter() {
            if let Some(Role::Tui(t)) = self.conns.get_mut(cid).map(|c| &mut c.role) {
                if let Some(out) = t.app.sh.outbox.as_mut()
                    && !out.is_empty()
                {
                    let set = ChangeSet::of(std::mem::take(out).into_iter().flat_map(|s| s.0).collect());
                    sets.push((*cid, Arc::new(set)));
                }
                if t.app.sh.quit {
                    match bye_of(&mut t.app, others) {
                        Some(b) => ended.push((*cid, b)),
                        // it stays, saying why
                        None => {
                            t.app.sh.quit = false;
                            redraw.push(*cid);
                        }
                    }
                }
            }
        }
        if !sets.is_empty() {
            // everything the others wrote, for each to show (see `refresh`)
            let now = std::time::Instant::now();
            for (cid, c) in self.conns.iter_mut() {
                let Role::Tui(t) = &mut c.role else { continue };
                let had = t.pending.len();
                t.pending.extend(sets.iter().filter(|(from, _)| from != cid).map(|(_, s)| s.clone()));
                if t.pending.len() > had {
                    t.stale_since.get_or_insert(now);
                }
            }
        }
        if !ended.is_empty() {
            // its last frames go before the goodbye
            self.flush_now();
        }
        for (cid, bye) in ended {
            if let Some(c) = self.conns.get_mut(&cid) {
                let _ = c.out.try_send(Down::Bye(bye));
                if let Role::Tui(t) = &mut c.role {
                    self.orphans += usize::from(t.app.sh.undoing.is_some());
                    self.index.keep_pending(&mut t.app);
                }
                c.role = Role::Done;
            }
            self.colleagues(&mut redraw);
        }
        redraw.sort_unstable();
        redraw.dedup();
        redraw
    }

    /// Shows what colleagues wrote on the screens that waited
    /// [`COLLEAGUES_EVERY`] for it (the server is busy; when it is idle,
    /// [`Server::refresh_idle`]).
    fn refresh(&mut self) {
        let due: Vec<Cid> = self
            .conns
            .iter()
            .filter_map(|(cid, c)| match &c.role {
                Role::Tui(t) if t.stale_since.is_some_and(|at| at.elapsed() >= COLLEAGUES_EVERY) => Some(*cid),
                _ => None,
            })
            .collect();
        self.draw(&due);
    }

    /// The server is idle: the screens with something of colleagues' to
    /// show are drawn, the longest waiting first, one at a time, until an
    /// event comes in. It goes first (a key or a save waits for one frame,
    /// not for every colleague's); the rest are drawn at the next idle
    /// moment, or once they waited [`COLLEAGUES_EVERY`].
    fn refresh_idle(&mut self, rx: &Receiver<Ev>, next: &mut VecDeque<Ev>) {
        let mut due: Vec<(std::time::Instant, Cid)> = self
            .conns
            .iter()
            .filter_map(|(cid, c)| match &c.role {
                Role::Tui(t) => t.stale_since.map(|at| (at, *cid)),
                _ => None,
            })
            .collect();
        due.sort_unstable();
        for (_, cid) in due {
            self.draw(&[cid]);
            if let Ok(ev) = rx.try_recv() {
                next.push_back(ev);
                return;
            }
        }
    }

    fn draw(&mut self, touched: &[Cid]) {
        let mut drew = false;
        for cid in touched {
            if let Some(Role::Tui(t)) = self.conns.get_mut(cid).map(|c| &mut c.role) {
                drew = true;
                catch_up(&mut self.index, *cid, t, &mut self.stats);
                let t0 = std::time::Instant::now();
                self.stats.draws += 1;
                // what this frame shows is on disk once the group being
                // written (or the last handed over) is
                let need = self.asked + u64::from(self.setup_store.group_waiting() > 0);
                self.gate.need.store(need, std::sync::atomic::Ordering::Relaxed);
                let Tui { app, term, resync, .. } = &mut **t;
                with_index(&mut self.index, *cid, app, |app| {
                    let _ = term.frame(|area, buf| app.render(area, buf));
                    // bytes were dropped for a terminal that stopped
                    // reading: the whole screen again, after a clear
                    if resync.swap(false, std::sync::atomic::Ordering::Relaxed) {
                        let _ = term.clear();
                        let _ = term.frame(|area, buf| app.render(area, buf));
                    }
                });
                self.stats.drawing += t0.elapsed();
            }
        }
        if drew && let Some(start) = self.loader.take() {
            start();
        }
    }
}

impl Server {
    /// The whole index has loaded: what was saved while it loaded (by any
    /// app, one that has left, or a command) is read into it again, since
    /// the load may have read the store before; then every app gets it and
    /// every screen is drawn again. A load that failed leaves each app
    /// with the preview and says why, as a window alone does.
    fn index_arrived(&mut self, r: Result<Loaded, crate::store::StoreError>, touched: &mut Vec<Cid>) {
        self.index.loaded = true;
        self.touch_all(touched);
        let loaded = match r {
            Ok(l) => l,
            Err(e) => {
                // (not the store's content: not saved at the end)
                self.index_stale = true;
                let msg = |lang| crate::i18n::store_error(lang, &e);
                for c in self.conns.values_mut() {
                    if let Role::Tui(t) = &mut c.role {
                        t.app.sh.loaded = true;
                        t.app.sh.message = Some((msg(t.app.sh.lang), true));
                    }
                }
                return;
            }
        };
        let mut pending = std::mem::take(&mut self.index.pending);
        for c in self.conns.values_mut() {
            if let Role::Tui(t) = &mut c.role {
                pending.extend(t.app.sh.take_pending());
            }
        }
        let mut index = loaded.index;
        pending.apply(&mut index, &self.setup_store);
        self.index.index = index;
        self.index.preview = false;
        for (cid, c) in self.conns.iter_mut() {
            if let Role::Tui(t) = &mut c.role {
                // (what colleagues wrote is in the index already: only
                // this app's view of it is brought along)
                catch_up(&mut self.index, *cid, t, &mut self.stats);
                with_index(&mut self.index, *cid, &mut t.app, |app| {
                    let index = std::mem::take(&mut app.sh.index);
                    app.finish_loading(Loaded { index, from_snapshot: loaded.from_snapshot });
                });
            }
        }
    }
}

/// Tests only (debug builds): with `LINLI_TEST_INDEX_GATE` set to a path,
/// the loaded index is handed over only once that file exists, so a test
/// sees the screens served before it, deterministically.
fn test_gate() {
    #[cfg(debug_assertions)]
    if let Some(gate) = std::env::var_os("LINLI_TEST_INDEX_GATE") {
        let gate = PathBuf::from(gate);
        let started = std::time::Instant::now();
        while !gate.exists() && started.elapsed() < std::time::Duration::from_secs(120) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Brings what colleagues wrote (`t.pending`) into app `cid`'s lists and
/// screens.
fn catch_up(shared: &mut Lent, cid: Cid, t: &mut Tui, stats: &mut Stats) {
    t.stale_since = None;
    if t.pending.is_empty() {
        return;
    }
    let t0 = std::time::Instant::now();
    stats.catch_ups += 1;
    let sets = std::mem::take(&mut t.pending);
    with_index(shared, cid, &mut t.app, |app| {
        // one after another as they were written (each moves its few rows)
        for set in &sets {
            app.panels.colleague_changed(set, &mut app.sh);
        }
        // the shared index has the change: its latest open due date too
        app.sh.refresh_calendar_note();
        app.settle();
        // an open overview counts the colleague's change too
        app.refresh_overview();
    });
    stats.catching_up += t0.elapsed();
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

/// What the apps share, between two events: the search index, and the
/// roster and the daily log once an app has read them.
#[derive(Default)]
struct Lent {
    index: RequestIndex,
    roster: Option<crate::store::roster::index::RosterIndex>,
    log: Option<crate::store::duties_rows::LogIndex>,
    /// The app reading the roster for all (the others wait for it instead
    /// of reading 200,000 service records each, all at once).
    roster_reader: Option<Cid>,
    /// The same for the daily log.
    log_reader: Option<Cid>,
    /// The roster or the log just came: every screen is drawn again.
    arrived: bool,
    /// The whole index is in `index` (until then: the newest requests,
    /// `preview`, once the first app has read them).
    loaded: bool,
    preview: bool,
    /// Saved while the index loaded by apps that have gone since (and by
    /// commands while no app was on): read again when it lands.
    pending: Pending,
}

impl Lent {
    /// An app leaves while the index loads: what it saved meanwhile stays
    /// noted here.
    fn keep_pending(&mut self, app: &mut App) {
        if !self.loaded {
            self.pending.extend(app.sh.take_pending());
        }
    }
}

/// Runs `f` with what the apps share in `app`'s hands (app `cid`'s).
fn with_index<R>(shared: &mut Lent, cid: Cid, app: &mut App, f: impl FnOnce(&mut App) -> R) -> R {
    std::mem::swap(&mut shared.index, &mut app.sh.index);
    match shared.roster.take() {
        Some(r) => app.panels.volunteers.lend(r, &mut app.sh),
        None if shared.roster_reader.is_some_and(|r| r != cid) => app.panels.volunteers.wait_for_shared(),
        None => {}
    }
    match shared.log.take() {
        Some(l) => app.panels.duties.lend_log(l),
        None if shared.log_reader.is_some_and(|r| r != cid) => app.panels.duties.wait_for_shared_log(),
        None => {}
    }
    let r = f(app);
    std::mem::swap(&mut shared.index, &mut app.sh.index);
    shared.roster = app.panels.volunteers.give_back();
    if shared.roster.is_some() {
        shared.arrived |= shared.roster_reader.take().is_some();
    } else if shared.roster_reader.is_none() && app.panels.volunteers.reading() {
        shared.roster_reader = Some(cid);
    }
    shared.log = app.panels.duties.log.take();
    if shared.log.is_some() {
        shared.arrived |= shared.log_reader.take().is_some();
    } else if shared.log_reader.is_none() && app.panels.duties.reading_log() {
        shared.log_reader = Some(cid);
    }
    r
}

/// A command's terminal, over the socket.
struct SockIo {
    out: Out,
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
#[cfg(unix)]
fn watch_signals(tx: Sender<Ev>) {
    std::thread::spawn(move || {
        let set = crate::ui::exit_signal_set();
        loop {
            let mut sig: libc::c_int = 0;
            // SAFETY: `set` and `sig` live on this stack.
            if unsafe { libc::sigwait(&set, &mut sig) } != 0 || tx.send(Ev::Signal).is_err() {
                return;
            }
        }
    });
}

/// Windows has no such signals; the server runs without a console (see
/// `cli::serving::start_server`), so no console event reaches it either.
#[cfg(not(unix))]
fn watch_signals(_: Sender<Ev>) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    fn frames(rx: &Receiver<Down>) -> Vec<Vec<u8>> {
        rx.try_iter()
            .map(|d| match d {
                Down::Frame(b) => b,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_terminal_that_stops_reading_loses_nothing_until_the_cap_then_is_redrawn_whole() {
        let (out, rx) = mpsc::sync_channel::<Down>(1);
        let resync = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut sink = Sink::new(out, resync.clone(), Arc::default());
        sink.write_all(b"one").unwrap();
        sink.flush().unwrap();
        // the queue is full: the next frames wait, in order, joined
        sink.write_all(b"two").unwrap();
        sink.flush().unwrap();
        sink.write_all(b"three").unwrap();
        sink.flush().unwrap();
        assert_eq!(frames(&rx), vec![b"one".to_vec()]);
        sink.flush().unwrap();
        assert_eq!(frames(&rx), vec![b"twothree".to_vec()]);
        assert!(!resync.load(Ordering::Relaxed));
        // still not reading, past the cap: dropped, and a whole frame asked
        sink.write_all(b"x").unwrap();
        sink.flush().unwrap();
        sink.write_all(&vec![b'y'; KEPT + 1]).unwrap();
        sink.flush().unwrap();
        assert!(resync.load(Ordering::Relaxed));
        assert!(sink.bytes.is_empty());
        assert_eq!(frames(&rx), vec![b"x".to_vec()]);
    }
}
