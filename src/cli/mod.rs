//! The command line: parse, pick the data dir, dispatch. The TUI is the
//! default command; the others share the same store functions.

mod data;
pub mod out;
pub mod prompt;
mod sheets;

use crate::demo::{self, Size};
use crate::domain::{Categories, WorkCalendar};
use crate::i18n::{self, Lang};
use crate::platform::paths;
use crate::store::Store;
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(name = "linli", version, about = "邻里: records for a community office (requests, residents, workers)")]
pub struct Cli {
    /// Where the data lives (default: the platform data dir; env LINLI_DATA_DIR)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Open the demo data (kept in its own folder, never mixed with real records)
    #[arg(long, global = true)]
    pub demo: bool,
    /// Interface language: zh (default) or en (env LINLI_LANG)
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Fill an empty data dir with generated records (for demos and benchmarks)
    Gen {
        /// demo, typical or large (30,000 residents, 100,000 requests)
        #[arg(long, default_value = "large")]
        size: String,
        /// Multiply residents and requests (growth benchmarks)
        #[arg(long, default_value_t = 1)]
        scale: usize,
        #[arg(long, default_value_t = 20261124)]
        seed: u64,
        /// "Today" for the generated data, YYYY-MM-DD (default: today)
        #[arg(long)]
        today: Option<String>,
    },
    /// Show where the data lives and how many records it holds
    Info,
    /// Back up every record into one file, verified before it says done
    Backup {
        /// A folder (a dated name is chosen) or a file name; default: DATA_DIR/backups
        #[arg(long, value_name = "PATH")]
        to: Option<PathBuf>,
        /// Encrypt with a passphrase (asked for, or env LINLI_PASSPHRASE)
        #[arg(long)]
        encrypt: bool,
        /// Who makes the backup (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// Check a backup through (its checksum and signature) and show what it
    /// holds and who signed it; changes nothing
    Verify { file: PathBuf },
    /// Replace the data with a backup's (the current data is kept aside
    /// first); without FILE, choose among the backups in the data dir
    Restore {
        file: Option<PathBuf>,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
        /// Restore a backup signed by another computer's key: its
        /// fingerprint (at least its first 8 digits), as verify shows it
        #[arg(long, value_name = "FINGERPRINT")]
        accept_key: Option<String>,
    },
    /// Export any kind of record, or the audit trail, as CSV or XLSX
    Export {
        /// requests, residents, workers, teams, posts, volunteers, activities,
        /// services, certificates, duties, tasks, rota, leaves, logs,
        /// trainings, evaluations, audit (Chinese names too)
        kind: String,
        #[arg(long, default_value = "xlsx", value_name = "csv|xlsx")]
        format: String,
        /// CSV's encoding: utf8 (with BOM: Excel 2016+, WPS, LibreOffice) or
        /// gbk (older Excel and WPS)
        #[arg(long, default_value = "utf8", value_name = "utf8|gbk")]
        encoding: String,
        /// File to write (default: a dated name in the current folder)
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Phone numbers in full instead of masked (recorded in the audit trail)
        #[arg(long)]
        full_numbers: bool,
        /// Who exports (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// Import residents or volunteers from a CSV or XLSX sheet (all or nothing)
    Import {
        /// What to import: residents or volunteers
        kind: String,
        file: PathBuf,
        /// Check and show what would be imported, write nothing
        #[arg(long)]
        dry_run: bool,
        /// Which column holds a field, e.g. --column phone=联系电话 or --column name=B
        #[arg(long = "column", value_name = "FIELD=COLUMN")]
        columns: Vec<String>,
        /// Import the good rows even if some rows have errors
        #[arg(long)]
        skip_bad_rows: bool,
        /// Who imports (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// The community profile printed on every sheet, report and
    /// certificate: shown, or set with the options given
    Profile {
        /// 社区名称
        #[arg(long)]
        name: Option<String>,
        /// 所属街道
        #[arg(long)]
        street: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// 负责人
        #[arg(long)]
        head: Option<String>,
        /// 出具单位 on certificates (e.g. 幸福里社区居民委员会)
        #[arg(long)]
        issuer: Option<String>,
        /// A line above every printout's title
        #[arg(long)]
        letterhead: Option<String>,
    },
    /// A volunteer's or resident's ID number (居民身份证): shown masked, set
    /// (checked against its check digit), cleared, or revealed (recorded)
    IdNumber {
        /// volunteer or resident
        kind: String,
        /// The volunteer's or resident's number in linli
        id: u64,
        /// The ID number to keep (18 characters)
        number: Option<String>,
        #[arg(long)]
        clear: bool,
        /// Show it in full (recorded in the audit trail)
        #[arg(long)]
        reveal: bool,
        /// Who does it (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// Write a month's report (A4 HTML or XLSX) for the street office
    Report {
        /// The month, e.g. 2026-11 (default: last month)
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        #[arg(long, default_value = "html", value_name = "html|xlsx")]
        format: String,
        /// File to write (default: 月报-YYYY-MM.html in the current folder)
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// 制表人 (default: the last operator)
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Set or clear the start-up PIN (for a PC several people use)
    Pin {
        #[command(subcommand)]
        what: PinCommand,
    },
    /// Check that every record reads and every index agrees with the records
    Check {
        /// Rebuild the indexes from the records if they disagree
        #[arg(long)]
        repair: bool,
    },
    /// Testing aid: durable writes as fast as possible, printing each one
    /// once it is on disk (the crash test kills this at random moments)
    #[command(hide = true)]
    Stress {
        #[arg(long, default_value_t = 1000)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum PinCommand {
    /// Ask for a new PIN (twice) and require it at every start
    Set,
    /// Remove the PIN (asks for the current one)
    Clear,
}

pub struct Env {
    pub lang: Lang,
    pub dir: PathBuf,
}

/// The command line as typed, parsed with help in the interface language
/// (`--lang`, else `LINLI_LANG`, else Chinese). Exits after printing help,
/// the version or a usage error, as clap does.
pub fn parse_args() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = lang_in_args(&args).or_else(lang_in_env).unwrap_or(Lang::Zh);
    let parsed = command(lang).try_get_matches_from(args).and_then(|m| {
        use clap::FromArgMatches;
        Cli::from_arg_matches(&m)
    });
    parsed.unwrap_or_else(|e| e.exit())
}

/// `--lang X` or `--lang=X` among the arguments, before clap has read them
/// (the help it prints depends on it).
pub fn lang_in_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().as_deref().and_then(Lang::parse);
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::parse(v);
        }
    }
    None
}

fn lang_in_env() -> Option<Lang> {
    std::env::var("LINLI_LANG").ok().as_deref().and_then(Lang::parse)
}

/// linli's command line with its help (about, every argument's, the
/// headings) in `lang`'s words from `i18n::cli_help`.
pub fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    // clap adds --help, --version and the help command when it builds:
    // built first, they are there to be put into words too
    cmd.build();
    localize(cmd, lang, None, None)
}

/// Puts `cmd`'s help into `lang`'s words; `name` is its key (`pin.set`),
/// `None` for linli itself; `parent` the key its help command's entries
/// are named under (`linli pin help set` is `pin.set`).
fn localize(mut cmd: clap::Command, lang: Lang, name: Option<&str>, parent: Option<&str>) -> clap::Command {
    let words = |key: &str| i18n::cli_help(lang, key);
    let about = match name {
        None => words("about"),
        Some(n) if n == "help" || n.ends_with(".help") => words("help.about"),
        Some(n) => words(n),
    };
    if let Some(a) = about {
        cmd = cmd.about(a).long_about(None);
    }
    cmd = cmd.mut_args(|a| {
        let id = a.get_id().as_str().to_string();
        // an argument of this command, else one of linli's global ones
        let text = name.and_then(|n| words(&format!("{n}.{id}"))).or_else(|| words(&id));
        let a = match text {
            Some(t) => a.help(t).long_help(None).hide_default_value(true),
            None => a,
        };
        // `<DIR>` → `<文件夹>`; `zh|en`, `csv|xlsx` are what is typed
        let names: Vec<&'static str> = a
            .get_value_names()
            .unwrap_or_default()
            .iter()
            .filter_map(|n| i18n::cli_value_name(lang, n.as_str()))
            .collect();
        let positional = a.is_positional() && a.get_value_names().is_none();
        let own = i18n::cli_value_name(lang, &id.to_ascii_uppercase());
        match (names.is_empty(), positional, own) {
            (false, _, _) => a.value_names(names),
            (true, true, Some(n)) => a.value_name(n),
            _ => a,
        }
    });
    let is_help = name.is_some_and(|n| n == "help" || n.ends_with(".help"));
    // `linli help backup` and `linli pin help set`: the words of `backup`, `pin.set`
    let prefix = if is_help { parent } else { name };
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for sub in subs {
        let key = match prefix {
            None => sub.clone(),
            Some(p) => format!("{p}.{sub}"),
        };
        cmd = cmd.mut_subcommand(&sub, |s| localize(s, lang, Some(&key), prefix));
    }
    if lang != Lang::En {
        // clap writes `[OPTIONS]` and `<COMMAND>` itself
        cmd = cmd.subcommand_value_name(i18n::cli_value_name(lang, "COMMAND").unwrap_or("COMMAND"));
        let usage = cmd.render_usage().to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        let usage =
            usage.replace("[OPTIONS]", &format!("[{}]", i18n::cli_value_name(lang, "OPTIONS").unwrap_or("OPTIONS")));
        cmd = cmd.override_usage(usage);
    }
    let h = i18n::cli_headings(lang);
    let mut template = format!("{{about-with-newline}}\n{}{{usage}}\n", h.usage);
    if cmd.has_subcommands() {
        template += &format!("\n{}\n{{subcommands}}\n", h.commands);
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        template += &format!("\n{}\n{{positionals}}\n", h.arguments);
    }
    template += &format!("\n{}\n{{options}}{{after-help}}", h.options);
    cmd.help_template(template)
}

fn lang_of(cli: &Cli) -> Lang {
    cli.lang
        .as_deref()
        .and_then(Lang::parse)
        .or_else(|| std::env::var("LINLI_LANG").ok().as_deref().and_then(Lang::parse))
        .unwrap_or(Lang::Zh)
}

/// "Now": the wall clock, or `LINLI_NOW` (e.g. 2026-11-24T09:30:00) so that
/// demos and end-to-end tests see a fixed day.
pub fn clock() -> crate::ui::app::Clock {
    let fixed = std::env::var("LINLI_NOW")
        .ok()
        .and_then(|s| chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S").ok());
    match fixed {
        Some(t) => Box::new(move || t),
        None => Box::new(|| chrono::Local::now().naive_local()),
    }
}

/// Reads an office-editable file from the data dir, writing the default
/// there first if it is missing. A broken file falls back to the default
/// with a warning; it never stops the app.
fn office_file<T>(
    dir: &Path,
    name: &str,
    default_text: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    fallback: T,
) -> (T, Option<String>) {
    let text = crate::platform::office_text::read_or_create(&dir.join(name), default_text)
        .unwrap_or_else(|| default_text.to_string());
    match parse(&text) {
        Ok(v) => (v, None),
        Err(e) => (fallback, Some(e)),
    }
}

/// What the office's own files say, read at start.
pub struct OfficeFiles {
    pub cal: WorkCalendar,
    /// The calendar's text now (remembered with the due dates computed by it).
    pub cal_text: String,
    /// The calendar the office had before this start merged the shipped one in.
    pub cal_before: WorkCalendar,
    pub cats: Categories,
    /// A file that could not be read (its defaults are used meanwhile).
    pub warnings: Vec<String>,
    /// What this start changed, to be said once.
    pub notices: Vec<String>,
    /// Years the office edited that the shipped calendar has otherwise:
    /// kept, and worth a word once per shipped calendar (see `run_tui`).
    pub kept: Vec<crate::domain::calendar::YearChange>,
}

/// The office's calendar: its copy in the data dir (written from the
/// shipped one the first time), with the calendar this linli ships merged
/// in year by year (`domain::calendar::merge_shipped`: years the office
/// never edited updated or added, its own edits kept). The file before a
/// merge is kept as `calendar.txt.bak`.
fn load_calendar(dir: &Path, lang: Lang, out: &mut OfficeFiles) {
    use crate::domain::calendar::{BUILTIN_TEXT, EARLIER_BUILTIN, YearChange, merge_shipped};
    use crate::platform::office_text;
    let p = lang.practice();
    let path = dir.join("calendar.txt");
    let text = office_text::read_or_create(&path, BUILTIN_TEXT).unwrap_or_else(|| BUILTIN_TEXT.to_string());
    let (cal, text) = match WorkCalendar::parse(&text) {
        Ok(c) => (c, text),
        Err(e) => {
            let msg = match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.to_string(),
            };
            out.warnings.push(i18n::fill(lang.t().calendar_warning, msg));
            (WorkCalendar::builtin(), BUILTIN_TEXT.to_string())
        }
    };
    out.cal_before = cal.clone();
    (out.cal, out.cal_text) = (cal, text.clone());
    let Some(merged) = merge_shipped(&text, BUILTIN_TEXT, EARLIER_BUILTIN) else { return };
    let (kept, changed): (Vec<YearChange>, Vec<YearChange>) =
        merged.changes.iter().partition(|c| matches!(c, YearChange::Kept { .. }));
    out.kept = kept;
    if changed.is_empty() || merged.text == text {
        return;
    }
    let Ok(new_cal) = WorkCalendar::parse(&merged.text) else { return };
    let backup = dir.join("calendar.txt.bak");
    // the .bak is the office's file byte for byte, whatever Notepad saved
    let before = std::fs::read(&path).unwrap_or_else(|_| office_text::encode(&text));
    let written = std::fs::write(&backup, &before).and_then(|_| office_text::write(&path, &merged.text));
    if written.is_err() {
        // a read-only data dir: use the merged calendar this time anyway
        let _ = std::fs::write(&path, &before);
    }
    let said: Vec<String> = merged.changes.iter().map(|c| year_change_text(lang, *c)).collect();
    out.kept.clear();
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    let mut notice = i18n::fill(p.calendar_merged, said.join(sep));
    if written.is_ok() {
        notice = format!("{notice}{sep}{}", i18n::fill(p.calendar_backup, backup.display()));
    }
    out.notices.push(notice);
    (out.cal, out.cal_text) = (new_cal, merged.text);
}

fn year_change_text(lang: Lang, c: crate::domain::calendar::YearChange) -> String {
    use crate::domain::calendar::YearChange;
    let p = lang.practice();
    match c {
        YearChange::Added(y) => i18n::fill(p.year_added, y),
        YearChange::Updated(y) => i18n::fill(p.year_updated, y),
        YearChange::Kept { year, official: true } => i18n::fill(p.year_kept_official, year),
        YearChange::Kept { year, official: false } => i18n::fill(p.year_kept, year),
    }
}

/// The years the office edited and this linli ships otherwise, said once
/// per shipped calendar (the store remembers what it said).
pub fn kept_years_notice(store: &Store, files: &OfficeFiles, lang: Lang) -> Option<String> {
    let shipped = crc32fast::hash(crate::domain::calendar::BUILTIN_TEXT.as_bytes());
    let said: Vec<String> = files
        .kept
        .iter()
        .filter(|c| {
            let crate::domain::calendar::YearChange::Kept { year, .. } = c else { return false };
            store.notice_once(&format!("calendar-kept/{year}/{shipped:08x}")).unwrap_or(false)
        })
        .map(|c| year_change_text(lang, *c))
        .collect();
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    (!said.is_empty()).then(|| i18n::fill(lang.practice().calendar_merged, said.join(sep)))
}

/// The due dates of open requests follow the calendar: if the calendar the
/// store's due dates were computed with (remembered in the store; before
/// that, the office's file as this start found it) makes other days
/// working days than the one in force, they are recomputed, each change
/// audited and noted on its request. Returns what to tell the office.
pub fn apply_calendar(store: &Store, files: &OfficeFiles, now: chrono::NaiveDateTime, lang: Lang) -> Option<String> {
    let applied = store.applied_calendar().ok()?;
    let old = match &applied {
        Some(t) => WorkCalendar::parse(t).unwrap_or_else(|_| files.cal_before.clone()),
        None => files.cal_before.clone(),
    };
    let mut said = None;
    if !old.same_days(&files.cal) {
        said = match store.recompute_due_dates(&old, &files.cal, now) {
            Ok(0) => None,
            Ok(n) => Some(i18n::fill(lang.practice().due_recomputed, n)),
            // the due dates stay as they were; the next start tries again
            Err(e) => return Some(i18n::store_error(lang, &e)),
        };
    }
    if applied.as_deref() != Some(files.cal_text.as_str()) {
        let _ = store.set_applied_calendar(&files.cal_text);
    }
    said
}

pub fn load_office_files(dir: &Path, lang: Lang) -> OfficeFiles {
    let t = lang.t();
    let mut out = OfficeFiles {
        cal: WorkCalendar::default(),
        cal_text: String::new(),
        cal_before: WorkCalendar::default(),
        cats: Categories::default(),
        warnings: Vec::new(),
        notices: Vec::new(),
        kept: Vec::new(),
    };
    load_calendar(dir, lang, &mut out);
    let mut warnings = std::mem::take(&mut out.warnings);
    let (cats, w) = office_file(
        dir,
        "categories.txt",
        &Categories::default().to_text(),
        |s| Categories::parse(s).map_err(|e| format!("{}: {}", e.line, e.text)),
        Categories::default(),
    );
    warnings.extend(w.map(|w| i18n::fill(t.categories_warning, w)));
    OfficeFiles { cats, warnings, ..out }
}

/// Opens the store for a command. No store where backups are kept is not
/// an empty office: the command stops and names the backups. A store sled
/// cannot open gets the same: the way back.
fn open_store(dir: &Path, lang: Lang) -> anyhow::Result<Store> {
    if crate::store::backup::store_missing_with_copies(dir) {
        bail!("{}\n{}", i18n::fill(lang.trust().e_no_store, dir.display()), way_back_text(dir, lang));
    }
    let store = Store::open_with(dir, &mut upgrading(lang)).map_err(|e| anyhow::anyhow!(open_error(dir, lang, &e)))?;
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

/// Opens the store and, when it has a PIN, asks for it: every command that
/// reads personal data goes through here.
fn open_unlocked(dir: &Path, lang: Lang) -> anyhow::Result<Store> {
    let store = open_store(dir, lang)?;
    // a command reads the store once and exits: sled's memory goes with it,
    // and keeping it counted would only cost time (see Store::relieve_cache)
    store.set_relief(false);
    unlock(&store, lang)?;
    Ok(store)
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
    let pin = read_pin(tr.pin_prompt).map_err(|_| anyhow::anyhow!(tr.pin_needed))?;
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
    match cli.command {
        None => run_tui(&base, cli.demo, lang),
        Some(Command::Gen { size, scale, seed, today }) => {
            let size = Size::parse(&size).context("--size must be demo, typical or large")?;
            let dir = paths::store_dir(&base, cli.demo);
            std::fs::create_dir_all(&dir)?;
            let files = load_office_files(&dir, lang);
            let (cal, cats) = (files.cal.clone(), files.cats.clone());
            let today = match today {
                Some(s) => chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").context("--today must be YYYY-MM-DD")?,
                None => (clock())().date(),
            };
            let store = open_store(&dir, lang)?;
            // the generated due dates are this calendar's
            let _ = apply_calendar(&store, &files, (clock())(), lang);
            if store.count(crate::store::record::RecordKind::Request) > 0
                || store.count(crate::store::record::RecordKind::Worker) > 0
            {
                bail!("{} already holds records: gen only fills an empty data dir", dir.display());
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
            let store = open_store(&dir, lang)?;
            let err = |e: crate::store::StoreError| anyhow::anyhow!(i18n::store_error(lang, &e));
            let zh = lang == Lang::Zh;
            if store.pin_is_set().map_err(err)? {
                let current = read_pin(if zh { "当前密码：" } else { "Current PIN: " })?;
                if !store.check_pin(&current).map_err(err)? {
                    bail!("{}", if zh { "密码不对，未做任何修改" } else { "Wrong PIN: nothing changed" });
                }
            }
            match what {
                PinCommand::Set => {
                    let a = read_pin(if zh { "新密码：" } else { "New PIN: " })?;
                    let b = read_pin(if zh { "再输一次：" } else { "Again: " })?;
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
            let report = store.check(repair).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
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

fn run_tui(base: &Path, mut demo_mode: bool, lang: Lang) -> anyhow::Result<()> {
    // before any thread starts (sled starts some when the store opens)
    crate::ui::hold_exit_signals();
    // what the last restore did, shown when the app opens again
    let mut after_restore: Option<(String, bool)> = None;
    loop {
        let dir = paths::store_dir(base, demo_mode);
        std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
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
fn read_pin(prompt: &str) -> anyhow::Result<String> {
    prompt::read_secret(prompt, prompt::Piped::ReadLine).ok_or_else(|| anyhow::anyhow!("cancelled"))
}

#[cfg(test)]
mod help_tests {
    use super::*;

    /// Every visible command's about and argument's help, by path.
    fn texts(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push((path.to_string(), about));
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            out.push((format!("{path} {}", a.get_id()), a.get_help().map(|h| h.to_string()).unwrap_or_default()));
        }
        for s in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            texts(s, &format!("{path} {}", s.get_name()), out);
        }
    }

    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        texts(&command(Lang::Zh), "linli", &mut zh);
        texts(&command(Lang::En), "linli", &mut en);
        assert_eq!(zh.len(), en.len());
        assert!(zh.len() > 40, "the whole tree, `linli help …` included: {}", zh.len());
        for ((path, z), (_, e)) in zh.iter().zip(&en) {
            // a missing entry in i18n::help leaves the code's English in both
            assert!(has_chinese(z), "{path}: no Chinese help ({z:?}); add it to i18n/help.rs");
            assert!(!e.is_empty() && z != e, "{path}: no English help of its own ({e:?})");
        }
    }

    #[test]
    fn the_help_page_is_in_the_interface_language() {
        let zh = command(Lang::Zh).find_subcommand_mut("restore").unwrap().render_help().to_string();
        for word in ["用法：linli restore [选项] [文件]", "参数：", "选项：", "--accept-key <指纹>", "显示帮助"]
        {
            assert!(zh.contains(word), "{word} in\n{zh}");
        }
        for english in ["Usage", "Options", "Arguments", "Print help", "OPTIONS", "[default"] {
            assert!(!zh.contains(english), "{english} in\n{zh}");
        }
        let en = command(Lang::En).render_help().to_string();
        for word in ["Usage: linli [OPTIONS] [COMMAND]", "Commands:", "Options:", "Print help", "Back up every record"]
        {
            assert!(en.contains(word), "{word} in\n{en}");
        }
        assert!(!en.contains("用法") && !en.contains("选项"), "{en}");
    }

    #[test]
    fn the_language_is_found_before_clap_reads_the_line() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_in_args(&args(&["linli", "--lang", "en", "backup", "--help"])), Some(Lang::En));
        assert_eq!(lang_in_args(&args(&["linli", "backup", "--lang=zh", "--help"])), Some(Lang::Zh));
        assert_eq!(lang_in_args(&args(&["linli", "backup", "--help"])), None);
        // a file called --lang after `--` is a file
        assert_eq!(lang_in_args(&args(&["linli", "verify", "--", "--lang", "en"])), None);
    }
}
