//! The command line: parse, pick the data dir, dispatch. The TUI is the
//! default command; the others share the same store functions.

use crate::demo::{self, Size};
use crate::domain::{Categories, WorkCalendar};
use crate::i18n::{self, Lang};
use crate::paths;
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
}

pub struct Env {
    pub lang: Lang,
    pub dir: PathBuf,
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
    let path = dir.join(name);
    if !path.exists() {
        let _ = std::fs::write(&path, default_text);
    }
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => default_text.to_string(),
    };
    match parse(&text) {
        Ok(v) => (v, None),
        Err(e) => (fallback, Some(e)),
    }
}

pub fn load_office_files(dir: &Path, lang: Lang) -> (WorkCalendar, Categories, Vec<String>) {
    let t = lang.t();
    let mut warnings = Vec::new();
    let (cal, w) = office_file(
        dir,
        "calendar.txt",
        crate::domain::calendar::BUILTIN_TEXT,
        |s| {
            WorkCalendar::parse(s).map_err(|e| match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.to_string(),
            })
        },
        WorkCalendar::builtin(),
    );
    warnings.extend(w.map(|w| i18n::fill(t.calendar_warning, w)));
    let (cats, w) = office_file(
        dir,
        "categories.txt",
        &Categories::default().to_text(),
        |s| Categories::parse(s).map_err(|e| format!("{}: {}", e.line, e.text)),
        Categories::default(),
    );
    warnings.extend(w.map(|w| i18n::fill(t.categories_warning, w)));
    (cal, cats, warnings)
}

fn open_store(dir: &Path, lang: Lang) -> anyhow::Result<Store> {
    Store::open(dir).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))
}

/// Opens the demo store, filling it with demo data the first time.
fn open_demo(dir: &Path, lang: Lang, cal: &WorkCalendar, cats: &Categories) -> anyhow::Result<Store> {
    let store = open_store(dir, lang)?;
    if store.count(crate::store::record::RecordKind::Worker) == 0 {
        let today = (clock())().date();
        let mut data = demo::generate(Size::Demo, 1, 20261124, today, cal, cats);
        let duties = crate::demo_duties::generate(&mut data, Size::Demo, 20261124, today, cal);
        store.bulk_load(&data).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
        store.bulk_load_duties(&duties).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
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
            let (cal, cats, _) = load_office_files(&dir, lang);
            let today = match today {
                Some(s) => chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").context("--today must be YYYY-MM-DD")?,
                None => (clock())().date(),
            };
            let store = open_store(&dir, lang)?;
            if store.count(crate::store::record::RecordKind::Request) > 0
                || store.count(crate::store::record::RecordKind::Worker) > 0
            {
                bail!("{} already holds records: gen only fills an empty data dir", dir.display());
            }
            let started = std::time::Instant::now();
            let mut data = demo::generate(size, scale.max(1), seed, today, &cal, &cats);
            let duties = crate::demo_duties::generate(&mut data, size, seed, today, &cal);
            let generated = started.elapsed();
            store.bulk_load(&data).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            store.bulk_load_duties(&duties).map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            if cli.demo {
                store.mark_demo().map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
            }
            println!(
                "{}: {} workers, {} residents, {} requests, {} daily-log entries (generated in {:.1?}, stored in {:.1?})",
                dir.display(),
                data.workers.len(),
                data.residents.len(),
                data.requests.len(),
                duties.logs.len(),
                generated,
                started.elapsed() - generated
            );
            Ok(())
        }
        Some(Command::Info) => {
            let dir = paths::store_dir(&base, cli.demo);
            let store = open_store(&dir, lang)?;
            println!("data dir: {}", dir.display());
            println!("schema:   {}", store.schema_version());
            for k in crate::store::record::RecordKind::ALL {
                println!("{:<9} {}", k.name(), store.count(k));
            }
            Ok(())
        }
    }
}

fn run_tui(base: &Path, mut demo_mode: bool, lang: Lang) -> anyhow::Result<()> {
    loop {
        let dir = paths::store_dir(base, demo_mode);
        std::fs::create_dir_all(&dir).with_context(|| format!("{}", dir.display()))?;
        let (cal, cats, warnings) = load_office_files(&dir, lang);
        let store = if demo_mode { open_demo(&dir, lang, &cal, &cats)? } else { open_store(&dir, lang)? };
        let theme = crate::ui::theme::Theme::from_env();
        let mut app = crate::ui::app::App::new(Arc::new(store), lang, theme, Arc::new(cal), cats, clock())
            .map_err(|e| anyhow::anyhow!(i18n::store_error(lang, &e)))?;
        if let Some(w) = warnings.into_iter().next() {
            app.message = Some((w, true));
        }
        let wants_demo = crate::ui::run(app)?;
        if wants_demo && !demo_mode {
            demo_mode = true;
            continue;
        }
        return Ok(());
    }
}
