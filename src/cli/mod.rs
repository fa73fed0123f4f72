//! The command line: parse, pick the data dir, dispatch. The TUI is the
//! default command; the others share the same store functions.

mod args;
mod data;
mod hosted;
mod office;
pub mod out;
pub mod prompt;
mod serving;
mod sheets;

use crate::demo::{self, Size};
use crate::domain::{Categories, WorkCalendar};
use crate::i18n::{self, Lang};
use crate::platform::paths;
use crate::store::Store;
use anyhow::{Context, bail};
pub use args::{Cli, Command, PinCommand, command, lang_in_args, parse_args};
pub use hosted::{CLIENT_ENV, exclusive_message, run_hosted, run_hosted_env, runs_hosted};
pub use office::{OfficeFiles, apply_calendar, kept_years_notice, load_office_files};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn lang_of(cli: &Cli) -> Lang {
    cli.lang
        .as_deref()
        .and_then(Lang::parse)
        .or_else(|| hosted::env_var("LINLI_LANG").as_deref().and_then(Lang::parse))
        .unwrap_or(Lang::Zh)
}

/// "Now": the wall clock, or `LINLI_NOW` (e.g. 2026-11-24T09:30:00) so that
/// demos and end-to-end tests see a fixed day.
pub fn clock() -> crate::ui::app::Clock {
    let fixed = hosted::env_var("LINLI_NOW")
        .and_then(|s| chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S").ok());
    match fixed {
        Some(t) => Box::new(move || t),
        None => Box::new(|| chrono::Local::now().naive_local()),
    }
}

/// Opens the store for a command. No store where backups are kept is not
/// an empty office: the command stops and names the backups. A store sled
/// cannot open gets the same: the way back.
fn open_store(dir: &Path, lang: Lang) -> anyhow::Result<Store> {
    open_store_as(dir, lang, false)
}

/// [`open_store`]; `loading`: for a store about to be filled at once
/// (`Store::open_to_load`).
fn open_store_as(dir: &Path, lang: Lang, loading: bool) -> anyhow::Result<Store> {
    if crate::store::backup::store_missing_with_copies(dir) {
        bail!("{}\n{}", i18n::fill(lang.trust().e_no_store, dir.display()), way_back_text(dir, lang));
    }
    let opened = if loading {
        Store::open_to_load(dir, &mut upgrading(lang))
    } else {
        Store::open_with(dir, &mut upgrading(lang))
    };
    let store = opened.map_err(|e| anyhow::anyhow!(open_error(dir, lang, &e)))?;
    // made at the first start: every backup from then on is signed with it
    crate::store::backup::office_key(dir).map_err(|e| anyhow::anyhow!(i18n::backup_error(lang, &e)))?;
    Ok(store)
}

/// A store error at open, followed by the way back when the store itself
/// is damaged (not locked, not newer, not a full or read-only disk).
fn open_error(dir: &Path, lang: Lang, e: &crate::store::StoreError) -> String {
    let msg = i18n::store_error(lang, e);
    if is_damage(e) { format!("{msg}\n{}", way_back_text(dir, lang)) } else { msg }
}

fn is_damage(e: &crate::store::StoreError) -> bool {
    use crate::store::StoreError as E;
    matches!(e, E::Damaged(_) | E::Corrupt { .. } | E::Disk { .. } | E::Io(_))
}

/// The backups and daily snapshots in the data dir, numbered, newest first,
/// with when each was made; or where to look when there are none.
pub(crate) fn way_back_text(dir: &Path, lang: Lang) -> String {
    let tr = lang.trust();
    let list = crate::store::backup::candidates(dir);
    if list.is_empty() {
        return tr.way_back_none.to_string();
    }
    let mut out = tr.way_back.to_string();
    for (i, c) in list.iter().take(WAY_BACK_SHOWN).enumerate() {
        out += &format!("\n{}", candidate_line(i + 1, c, lang));
    }
    out
}

/// How many copies the way back lists.
const WAY_BACK_SHOWN: usize = 9;

fn candidate_line(n: usize, c: &crate::store::backup::Candidate, lang: Lang) -> String {
    let tr = lang.trust();
    let when = c.made_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "?".into());
    let what = if c.snapshot { tr.snapshot_word } else { tr.backup_word };
    let enc = if c.encrypted { format!(" ({})", tr.encrypted_word) } else { String::new() };
    format!("  {n}. {when}  {what}{enc}  {}", c.path.display())
}

/// The store for a command: the server's, when the command runs inside
/// the server that has `dir` open (see `hosted`), else opened here.
fn command_store(dir: &Path, lang: Lang) -> anyhow::Result<Arc<Store>> {
    match hosted::shared(dir) {
        Some(store) => Ok(store),
        None => open_store(dir, lang).map(Arc::new),
    }
}

/// Opens the store and, when it has a PIN, asks for it: every command that
/// reads personal data goes through here.
fn open_unlocked(dir: &Path, lang: Lang) -> anyhow::Result<Arc<Store>> {
    if let Some(store) = hosted::shared(dir) {
        // the server's store stays as the server set it up
        unlock(&store, lang)?;
        return Ok(store);
    }
    let store = open_store(dir, lang)?;
    // a command reads the store once and exits: sled's memory goes with it,
    // and keeping it counted would only cost time (see Store::relieve_cache)
    store.set_relief(false);
    unlock(&store, lang)?;
    Ok(Arc::new(store))
}

/// Asks for the PIN when one is set (on the terminal, or one line of
/// standard input when that is not a terminal: how scripts and the tests
/// give it). No environment variable skips it. A wrong PIN costs a second.
fn unlock(store: &Store, lang: Lang) -> anyhow::Result<()> {
    let err = |e: crate::store::StoreError| anyhow::anyhow!(i18n::store_error(lang, &e));
    if !store.pin_is_set().map_err(err)? {
        return Ok(());
    }
    let tr = lang.trust();
    let pin = read_pin(tr.pin_prompt, lang).map_err(|_| anyhow::anyhow!(tr.pin_needed))?;
    if store.check_pin(&pin).map_err(err)? {
        return Ok(());
    }
    std::thread::sleep(std::time::Duration::from_secs(1));
    bail!("{}", tr.pin_wrong)
}

/// Says on the terminal that a schema upgrade begins: it takes seconds on
/// a large store.
fn upgrading(lang: Lang) -> impl FnMut(u32, u32) {
    move |from, to| crate::warn_line!("linli: {}", i18n::fill_all(lang.t().upgrading, &[&from, &to]))
}

/// Opens the demo store, filling it with demo data the first time.
fn open_demo(dir: &Path, lang: Lang, cal: &WorkCalendar, cats: &Categories) -> anyhow::Result<Store> {
    let store = open_store(dir, lang)?;
    if store.count(crate::store::record::RecordKind::Worker) == 0 {
        let today = (clock())().date();
        let mut data = demo::generate(Size::Demo, 1, 20261124, today, cal, cats);
        let duties = crate::demo::duties::generate(&mut data, Size::Demo, 20261124, today, cal);
        store.bulk_load(&data).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
        store.bulk_load_duties(&duties).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
        let roster = demo::volunteers::generate_roster(Size::Demo, 20261124, today, &data);
        store.bulk_load_roster(&roster).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
        store.set_profile(&demo::profile()).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
        store.mark_demo().map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
    }
    Ok(store)
}

pub fn main_with(cli: Cli) -> anyhow::Result<()> {
    let lang = lang_of(&cli);
    let base = paths::base_dir(cli.data_dir.as_deref()).ok_or_else(|| anyhow::anyhow!(lang.t().e_no_data_dir))?;
    if let Some(cmd) = &cli.command
        && !serving::alone(cli.alone)
        // already inside the server (a command it runs for a client)
        && !hosted::inside()
        && !matches!(cmd, Command::Serve | Command::Who)
    {
        // colleagues are in the app: the command runs inside their server
        let dir = paths::store_dir(&base, cli.demo);
        if let Some(done) = serving::exec_if_served(&dir, lang) {
            return done;
        }
        // a server that is ending or starting holds the store a moment
        if serving::wait_while_held(&dir, lang)
            && let Some(done) = serving::exec_if_served(&dir, lang)
        {
            return done;
        }
    }
    match cli.command {
        None => run_tui(&base, cli.demo, lang, serving::alone(cli.alone)),
        Some(Command::Serve) => serving::serve_main(&base, cli.demo, lang),
        Some(Command::Who) => serving::who_main(&paths::store_dir(&base, cli.demo), lang),
        Some(Command::Gen { size, scale, seed, today }) => {
            let size = Size::parse(&size).ok_or_else(|| anyhow::anyhow!(i18n::fill(lang.data().gen_size, &size)))?;
            let dir = paths::store_dir(&base, cli.demo);
            std::fs::create_dir_all(&dir)?;
            let files = load_office_files(&dir, lang);
            let (cal, cats) = (files.cal.clone(), files.cats.clone());
            let today = match today {
                Some(s) => chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                    .map_err(|_| anyhow::anyhow!(i18n::fill(lang.data().gen_today, &s)))?,
                None => (clock())().date(),
            };
            // (sled cleans its segments while the set is written)
            let store = open_store_as(&dir, lang, true)?;
            // the generated due dates are this calendar's
            let _ = apply_calendar(&store, &files, (clock())(), lang);
            if store.count(crate::store::record::RecordKind::Request) > 0
                || store.count(crate::store::record::RecordKind::Worker) > 0
            {
                bail!(i18n::fill(lang.data().gen_not_empty, dir.display()));
            }
            let started = std::time::Instant::now();
            let mut data = demo::generate(size, scale.max(1), seed, today, &cal, &cats);
            let duties = crate::demo::duties::generate(&mut data, size, seed, today, &cal);
            let roster = demo::volunteers::generate_roster(size, seed, today, &data);
            let generated = started.elapsed();
            store.bulk_load(&data).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            store.bulk_load_duties(&duties).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            store.bulk_load_roster(&roster).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            let mut index = crate::ui::app::Loaded::of_dataset(&data);
            let generation = store.generation().map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            crate::store::index_cache::write(&mut index, generation, &dir)?;
            if cli.demo {
                store.mark_demo().map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            }
            // Open the store once more: sled writes its recovery snapshot
            // when it opens, so the first real start does not replay the
            // whole log just written (on the large set the first start went
            // from about 190 ms to about 120 ms to the first frame).
            drop(store);
            drop(open_store(&dir, lang)?);
            crate::say!(
                "{}: {} workers, {} residents, {} requests, {} volunteers in {} teams, {} posts, \
                 {} service records, {} daily-log entries (generated in {:.1?}, stored in {:.1?})",
                dir.display(),
                data.workers.len(),
                data.residents.len(),
                data.requests.len(),
                roster.volunteers.len(),
                roster.teams.len(),
                roster.posts.len(),
                roster.records.len(),
                duties.logs.len(),
                generated,
                started.elapsed() - generated
            );
            Ok(())
        }
        Some(Command::Pin { what }) => {
            let dir = paths::store_dir(&base, cli.demo);
            let store = command_store(&dir, lang)?;
            let err = |e: crate::store::StoreError| anyhow::anyhow!(i18n::store_error(lang, &e));
            let zh = lang == Lang::Zh;
            if store.pin_is_set().map_err(err)? {
                let current = read_pin(if zh { "当前密码：" } else { "Current PIN: " }, lang)?;
                if !store.check_pin(&current).map_err(err)? {
                    bail!("{}", if zh { "密码不对，未做任何修改" } else { "Wrong PIN: nothing changed" });
                }
            }
            match what {
                PinCommand::Set => {
                    let a = read_pin(if zh { "新密码：" } else { "New PIN: " }, lang)?;
                    let b = read_pin(if zh { "再输一次：" } else { "Again: " }, lang)?;
                    if a.trim().len() < 4 || a != b {
                        bail!(
                            "{}",
                            if zh {
                                "两次输入不一致或少于 4 位，未做任何修改"
                            } else {
                                "The two entries differ or are shorter than 4: nothing changed"
                            }
                        );
                    }
                    store.set_pin(Some(&a)).map_err(err)?;
                    crate::say!("{}", if zh { "已设置开机密码" } else { "PIN set" });
                }
                PinCommand::Clear => {
                    store.set_pin(None).map_err(err)?;
                    crate::say!("{}", if zh { "已取消开机密码" } else { "PIN removed" });
                }
            }
            Ok(())
        }
        Some(Command::Check { repair }) => {
            let dir = paths::store_dir(&base, cli.demo);
            let store = open_unlocked(&dir, lang)?;
            let report =
                hosted::settled_check(&store, repair).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            for (kind, n) in &report.counts {
                crate::say!("{} {n}", kind_column(lang, *kind));
            }
            let tr = lang.trust();
            for (kind, id, why) in &report.unreadable {
                crate::say!("{}", i18n::fill_all(tr.check_unreadable, &[&i18n::section(lang, kind.name()), id, why]));
            }
            crate::say!("{}", i18n::fill_all(tr.check_links, &[&report.missing_links, &report.stale_links]));
            if report.repaired {
                crate::say!("{}", tr.check_rebuilt);
            }
            if report.is_clean() || (report.repaired && report.unreadable.is_empty()) {
                crate::say!("{}", tr.check_ok);
                Ok(())
            } else if !report.unreadable.is_empty() {
                bail!("{}", tr.check_unreadable_found)
            } else {
                bail!("{}", if repair { tr.check_problems } else { tr.check_problems_repair })
            }
        }
        Some(Command::Stress { count, seed }) => stress(&paths::store_dir(&base, cli.demo), count, seed, lang),
        Some(Command::Backup { to, encrypt, by }) => {
            let dir = paths::store_dir(&base, cli.demo);
            data::backup(&dir, to, encrypt, by.as_deref(), lang)
        }
        Some(Command::Verify { file }) => data::verify(&file, &paths::store_dir(&base, cli.demo), lang),
        Some(Command::Restore { file, yes, accept_key }) => {
            let dir = paths::store_dir(&base, cli.demo);
            match file {
                Some(file) => data::restore(&file, &dir, yes, accept_key.as_deref(), lang),
                None => data::restore_chosen(&dir, lang, false).map(|_| ()),
            }
        }
        Some(Command::Export { kind, format, encoding, out, full_numbers, by }) => {
            let dir = paths::store_dir(&base, cli.demo);
            let format = data::format_with_encoding(&format, &encoding, lang)?;
            data::export(&dir, &kind, &format, out, full_numbers, by.as_deref(), lang)
        }
        Some(Command::Profile { name, street, address, phone, head, issuer, letterhead }) => {
            let dir = paths::store_dir(&base, cli.demo);
            let given = [
                ("name", name),
                ("street", street),
                ("address", address),
                ("phone", phone),
                ("head", head),
                ("issuer", issuer),
                ("letterhead", letterhead),
            ];
            let sets: Vec<(&'static str, String)> = given.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
            sheets::profile(&dir, &sets, lang)
        }
        Some(Command::IdNumber { kind, id, number, clear, reveal, by }) => {
            let dir = paths::store_dir(&base, cli.demo);
            sheets::id_number(&dir, &kind, id, number.as_deref(), clear, reveal, by.as_deref(), lang)
        }
        Some(Command::Report { month, format, out, by }) => {
            let dir = paths::store_dir(&base, cli.demo);
            sheets::report(&dir, month.as_deref(), &format, out, by.as_deref(), lang)
        }
        Some(Command::Import { kind, file, dry_run, columns, skip_bad_rows, by }) => {
            let dir = paths::store_dir(&base, cli.demo);
            data::import(&dir, &kind, &file, dry_run, &columns, skip_bad_rows, by.as_deref(), lang)
        }
        Some(Command::Info) => {
            let dir = paths::store_dir(&base, cli.demo);
            let store = open_unlocked(&dir, lang)?;
            let d = lang.data();
            crate::say!("{}{}{}", d.info_data_dir, lang.t().colon, dir.display());
            let schema = store.stored_schema_version().map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            crate::say!("{}{}{}", d.info_schema, lang.t().colon, schema);
            for k in crate::store::record::RecordKind::ALL {
                crate::say!("{} {}", kind_column(lang, k), store.count(k));
            }
            Ok(())
        }
    }
}

/// A kind of record as the first column of `info` and `check`: its name,
/// padded to one width (Chinese characters count two columns).
fn kind_column(lang: Lang, k: crate::store::record::RecordKind) -> String {
    let widest = crate::store::record::RecordKind::ALL
        .iter()
        .map(|k| crate::domain::text::width(i18n::fields::kind_name(lang, *k)))
        .max()
        .unwrap_or(10);
    crate::domain::text::fit(i18n::fields::kind_name(lang, k), widest)
}

/// The day's automatic local snapshot, made when the app closes (the first
/// time each day; nothing to do otherwise). Done at quit rather than at
/// start: a backup reads every record through sled, which would then keep
/// them in memory for the whole session, and it would compete with the
/// first frame and with typing.
fn daily_snapshot(store: &Store, lang: Lang) {
    let d = lang.data();
    let now = (clock())();
    if crate::store::snapshot::is_due(store.dir(), now.date()) {
        // a few seconds on a large store: say so, the prompt is not back yet
        crate::warn_line!("linli: {}", d.snapshot_making);
    }
    match crate::store::snapshot::auto_snapshot(store, now) {
        Ok(Some(info)) => {
            crate::warn_line!("linli: {}", i18n::fill(d.snapshot_done, info.path.display()));
            if let Some(note) = i18n::trust::unreadable_note(lang, &info.unreadable) {
                crate::warn_line!("linli: {note}");
            }
        }
        Ok(None) => {}
        Err(e) => {
            crate::warn_line!("linli: {}", i18n::fill(lang.data_ui().snapshot_failed, i18n::backup_error(lang, &e)))
        }
    }
}

/// How long the day's snapshot may take once a signal has ended the app
/// (a logout gives a program some seconds before it kills it). A snapshot
/// cut short leaves only a `.part` file, removed by the next one.
const SNAPSHOT_LIMIT_ON_SIGNAL: std::time::Duration = std::time::Duration::from_secs(8);

/// The day's snapshot on a thread, waited for at most `limit`.
fn daily_snapshot_within(store: Arc<Store>, lang: Lang, limit: std::time::Duration) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        daily_snapshot(&store, lang);
        let _ = tx.send(());
    });
    let _ = rx.recv_timeout(limit);
}

fn run_tui(base: &Path, mut demo_mode: bool, lang: Lang, mut alone: bool) -> anyhow::Result<()> {
    // (crossterm's own error here is the system's, in English)
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(lang.t().e_no_terminal);
    }
    // before any thread starts (sled starts some when the store opens)
    crate::ui::hold_exit_signals();
    // what the last restore did, shown when the app opens again
    let mut after_restore: Option<(String, bool)> = None;
    loop {
        let dir = paths::store_dir(base, demo_mode);
        std::fs::create_dir_all(&dir).map_err(|e| anyhow::anyhow!(i18n::io_error(lang, &dir, &e)))?;
        if !alone {
            match serving::session(base, &dir, demo_mode, lang, after_restore.take())? {
                serving::Session::Ended => return Ok(()),
                serving::Session::Demo => {
                    demo_mode = true;
                    continue;
                }
                serving::Session::Alone(why) => {
                    alone = true;
                    if !why.is_empty() {
                        after_restore = Some((why, true));
                    }
                }
            }
        }
        // the saved search index is read while the store opens
        crate::store::index_cache::read_ahead(&dir);
        let files = load_office_files(&dir, lang);
        let store = if demo_mode {
            open_demo(&dir, lang, &files.cal, &files.cats)?
        } else {
            match open_or_offer(&dir, lang)? {
                Opened::Store(s) => s,
                Opened::Restored(msg) => {
                    after_restore = Some((msg, false));
                    continue;
                }
                Opened::Quit => return Ok(()),
            }
        };
        crate::store::backup::office_key(&dir).map_err(|e| anyhow::anyhow!(i18n::backup_error(lang, &e)))?;
        let mut notices = files.notices.clone();
        notices.extend(kept_years_notice(&store, &files, lang));
        notices.extend(apply_calendar(&store, &files, (clock())(), lang));
        let OfficeFiles { cal, cats, warnings, .. } = files;
        let store = Arc::new(store);
        let theme = crate::ui::theme::Theme::from_env();
        let mut app = crate::ui::app::App::new(store.clone(), lang, theme, Arc::new(cal), cats, clock())
            .map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
        if let Some(w) = warnings.into_iter().next() {
            app.sh.message = Some((w, true));
        }
        app.show_notices(notices);
        if let Some(m) = after_restore.take() {
            app.sh.message = Some(m);
        }
        let closed = crate::ui::run_full(app)?;
        let (wants_demo, restore) = (closed.demo, closed.restore);
        if closed.signal.is_some() {
            // the terminal window was closed, or the session is ending: the
            // day's snapshot, if it is due, within a time limit
            if !demo_mode {
                daily_snapshot_within(store, lang, SNAPSHOT_LIMIT_ON_SIGNAL);
            }
            return Ok(());
        }
        if let Some(req) = restore {
            drop(store);
            after_restore = Some(restore_closed(&req, &dir, lang));
            continue;
        }
        if wants_demo && !demo_mode {
            drop(store);
            demo_mode = true;
            continue;
        }
        if !demo_mode {
            daily_snapshot(&store, lang);
        }
        return Ok(());
    }
}

enum Opened {
    Store(Store),
    Restored(String),
    Quit,
}

/// Opens the store for the app. Where there is no store but there are
/// backups, or sled cannot open the store, the start offers the way back
/// (on the plain terminal, before the app takes the screen) instead of
/// starting empty or stopping with an error.
fn open_or_offer(dir: &Path, lang: Lang) -> anyhow::Result<Opened> {
    if crate::store::backup::store_missing_with_copies(dir) {
        crate::warn_line!("{}", i18n::fill(lang.trust().e_no_store, dir.display()));
        return Ok(match data::restore_chosen(dir, lang, true)? {
            data::Chosen::Restored(msg) => Opened::Restored(msg),
            data::Chosen::New => Opened::Store(
                Store::open_with(dir, &mut upgrading(lang)).map_err(|e| anyhow::anyhow!(open_error(dir, lang, &e)))?,
            ),
            data::Chosen::Quit => Opened::Quit,
        });
    }
    match Store::open_with(dir, &mut upgrading(lang)) {
        Ok(s) => Ok(Opened::Store(s)),
        Err(e) if is_damage(&e) => {
            crate::warn_line!("{}", i18n::store_error(lang, &e));
            match data::restore_chosen(dir, lang, false)? {
                data::Chosen::Restored(msg) => Ok(Opened::Restored(msg)),
                _ => Err(anyhow::anyhow!(i18n::store_error(lang, &e))),
            }
        }
        Err(e) => Err(anyhow::anyhow!(open_error(dir, lang, &e))),
    }
}

/// Restores `req` into `dir` once the app has let go of the store (the
/// start-up snapshot may still be finishing: wait for its lock). Returns
/// the message to show, and whether it is an error.
fn restore_closed(req: &crate::ui::data::RestoreRequest, dir: &Path, lang: Lang) -> (String, bool) {
    use crate::store::backup::{self, BackupError};
    let d = lang.data();
    let started = std::time::Instant::now();
    // the terminal is back to normal here: say what is going on
    crate::warn_line!("{} …", req.file.display());
    loop {
        match backup::restore_accepting(
            &req.file,
            dir,
            req.passphrase.as_deref(),
            (clock())(),
            req.accept_key.as_deref(),
            data::progress_line(),
        ) {
            Err(BackupError::Store(crate::store::StoreError::Locked(_)))
                if started.elapsed() < std::time::Duration::from_secs(30) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Ok(r) => {
                let mut msg = i18n::fill(d.restore_done, req.file.display());
                if let Some(s) = r.safety_copy {
                    // it lies in the data dir: its name says enough
                    let name = s.file_name().map_or_else(|| s.display().to_string(), |n| n.to_string_lossy().into());
                    msg = format!("{msg}{}{}", d.sentence_sep, i18n::fill(d.safety_copy, name));
                }
                return (msg, false);
            }
            Err(e) => return (i18n::backup_error(lang, &e), true),
        }
    }
}

/// Durable writes in a loop: a resident now and then, a request, a move.
/// Each line is printed only after the write's flush returned.
fn stress(dir: &Path, count: u64, seed: u64, lang: Lang) -> anyhow::Result<()> {
    use crate::domain::request::{Channel, Move, NewRequest, Urgency};
    use crate::domain::{Resident, ResidentId};
    use std::io::Write;
    let store = open_store(dir, lang)?;
    let (cal, cats) = (WorkCalendar::builtin(), Categories::default());
    let err = |e: crate::store::StoreError| anyhow::anyhow!(i18n::store_error(lang, &e));
    let at = (clock())();
    let w = match store.workers().map_err(err)?.first() {
        Some(w) => w.id,
        None => store.create_worker("压力测试", "网格员", None, at).map_err(err)?.id,
    };
    let mut x = seed.max(1);
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let out = std::io::stdout();
    for i in 0..count {
        let residents = store.count(crate::store::record::RecordKind::Resident) as u64;
        if residents == 0 || rnd() % 5 == 0 {
            let r =
                store.create_resident(&Resident::new(ResidentId(0), &format!("居民{seed}-{i}")), w, at).map_err(err)?;
            writeln!(out.lock(), "resident {} {}", r.id.0, r.name)?;
            continue;
        }
        let new = NewRequest {
            channel: Channel::Phone,
            category: "小修小补".into(),
            title: format!("压力{seed}-{i}"),
            description: "重复写入".repeat((rnd() % 20) as usize),
            location: String::new(),
            resident: Some(ResidentId(1 + rnd() % residents)),
            urgency: Urgency::Normal,
            work_order: String::new(),
            hotline_due: None,
        };
        let r = store.create_request(&new, w, at, &cats, &cal).map_err(err)?;
        writeln!(out.lock(), "request {} {}", r.id.0, r.title)?;
        let moved = store.move_request(r.id, &Move::Assign(w), w, at, &cats, &cal).map_err(err)?;
        writeln!(out.lock(), "assigned {}", moved.id.0)?;
    }
    Ok(())
}

/// Reads a PIN without echoing it: from the terminal, or one line of
/// standard input when that is not a terminal (scripts, the tests).
fn read_pin(prompt: &str, lang: Lang) -> anyhow::Result<String> {
    prompt::read_secret(prompt, prompt::Piped::ReadLine).ok_or_else(|| anyhow::anyhow!(lang.data().cancelled))
}
