//! The data commands: backup, verify, restore, export, import. Each is a
//! thin shell over the library (`store::backup`, `sheets`), which the TUI's
//! screens call the same way; here they get a passphrase prompt, a progress
//! line and messages in the user's language.

use super::prompt::{Piped, read_secret};
use crate::domain::WorkerId;
use crate::files::export::{self, ExportKind, ExportOptions, Format};
use crate::files::import::{self, ImportError};
use crate::files::import_volunteers;
use crate::i18n::{self, Lang, fill, fill_all};
use crate::store::Store;
use crate::store::backup::{self, BackupError, BackupOptions};
use crate::store::record::RecordKind;
use anyhow::{anyhow, bail};
use chrono::NaiveDateTime;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const ENV_PASSPHRASE: &str = "LINLI_PASSPHRASE";

fn now() -> NaiveDateTime {
    (super::clock())()
}

fn store_of(dir: &Path, lang: Lang) -> anyhow::Result<Store> {
    // a command reads the store once and exits: sled's memory goes with it,
    // and keeping it counted would only cost time (see Store::relieve_cache)
    let store = super::open_store(dir, lang)?;
    store.set_relief(false);
    Ok(store)
}

fn berr(lang: Lang) -> impl Fn(BackupError) -> anyhow::Error {
    move |e| anyhow!(i18n::backup_error(lang, &e))
}

fn serr(lang: Lang) -> impl Fn(crate::store::StoreError) -> anyhow::Error {
    move |e| anyhow!(i18n::store_error(lang, &e))
}

/// A worker named by `--by` (number or exact name), else the last operator.
fn operator(store: &Store, by: Option<&str>, lang: Lang) -> anyhow::Result<Option<WorkerId>> {
    let Some(by) = by.map(str::trim) else { return store.last_operator().map_err(serr(lang)) };
    let workers = store.workers().map_err(serr(lang))?;
    if let Ok(n) = by.parse::<u64>()
        && workers.iter().any(|w| w.id.0 == n)
    {
        return Ok(Some(WorkerId(n)));
    }
    let named: Vec<_> = workers.iter().filter(|w| w.name == by).collect();
    match named.as_slice() {
        [w] => Ok(Some(w.id)),
        _ => Err(anyhow!(fill(lang.t().e_not_found, by))),
    }
}

/// The passphrase from `LINLI_PASSPHRASE`, or asked for (twice when
/// encrypting, so a typo does not lock the office out of its backup).
fn passphrase(lang: Lang, confirm: bool) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(ENV_PASSPHRASE) {
        return Ok(p);
    }
    let d = lang.data();
    let first = read_secret(d.passphrase, Piped::Refuse).ok_or_else(|| anyhow!(d.passphrase_no_terminal))?;
    if confirm {
        let again = read_secret(d.passphrase_again, Piped::Refuse).ok_or_else(|| anyhow!(d.passphrase_no_terminal))?;
        if again != first {
            bail!(d.passphrase_mismatch);
        }
    }
    Ok(first)
}

/// scrypt's work factor: age's own choice (about a second), except that
/// debug builds let tests lower it through `LINLI_SCRYPT_WORK_FACTOR`.
fn work_factor() -> Option<u8> {
    if cfg!(debug_assertions) {
        std::env::var("LINLI_SCRYPT_WORK_FACTOR").ok().and_then(|s| s.parse().ok())
    } else {
        None
    }
}

/// A percentage on stderr while long work runs (only on a terminal).
pub(crate) fn progress_line() -> impl FnMut(u64, u64) {
    let show = std::io::stderr().is_terminal();
    let mut last = u64::MAX;
    move |done, total| {
        let pct = done * 100 / total.max(1);
        if show && pct != last {
            last = pct;
            eprint!("\r{pct:>3}%");
            if pct >= 100 {
                eprint!("\r    \r");
            }
            let _ = std::io::stderr().flush();
        }
    }
}

fn size_and_time(bytes: u64, started: Instant) -> String {
    format!("({:.1} MB, {:.1} s)", bytes as f64 / 1e6, started.elapsed().as_secs_f64())
}

pub fn backup(dir: &Path, to: Option<PathBuf>, encrypt: bool, by: Option<&str>, lang: Lang) -> anyhow::Result<()> {
    let store = store_of(dir, lang)?;
    let target = match to {
        Some(t) => t,
        None => {
            let d = dir.join("backups");
            std::fs::create_dir_all(&d)?;
            d
        }
    };
    let opts = BackupOptions {
        passphrase: if encrypt { Some(passphrase(lang, true)?) } else { None },
        operator: operator(&store, by, lang)?,
        work_factor: work_factor(),
    };
    let started = Instant::now();
    let info = backup::backup(&store, &target, now(), &opts, progress_line()).map_err(berr(lang))?;
    println!("{} {}", fill(lang.data().backup_done, info.path.display()), size_and_time(info.bytes, started));
    if !encrypt && !info.path.starts_with(dir) {
        println!("{}", lang.data().offsite_hint);
    }
    Ok(())
}

/// Verifies, asking for the passphrase only if the file is encrypted.
fn verified(file: &Path, lang: Lang) -> anyhow::Result<(backup::BackupInfo, Option<String>)> {
    let pass = std::env::var(ENV_PASSPHRASE).ok();
    match backup::verify(file, pass.as_deref(), progress_line()) {
        Err(BackupError::PassphraseRequired) => {
            let p = passphrase(lang, false)?;
            let info = backup::verify(file, Some(&p), progress_line()).map_err(berr(lang))?;
            Ok((info, Some(p)))
        }
        other => Ok((other.map_err(berr(lang))?, pass)),
    }
}

pub fn verify(file: &Path, lang: Lang) -> anyhow::Result<()> {
    let started = Instant::now();
    let (info, _) = verified(file, lang)?;
    println!("{} {}", fill(lang.data().verify_ok, file.display()), size_and_time(info.bytes, started));
    println!("{}", i18n::backup_summary(lang, &info));
    Ok(())
}

pub fn restore(file: &Path, dir: &Path, yes: bool, lang: Lang) -> anyhow::Result<()> {
    let d = lang.data();
    let started = Instant::now();
    let pass = if yes {
        // the restore reads and checks the whole file before anything
        // changes; only the passphrase is needed first
        let pass = std::env::var(ENV_PASSPHRASE).ok();
        match backup::peek(file, pass.as_deref()) {
            Err(BackupError::PassphraseRequired) => Some(passphrase(lang, false)?),
            Err(e) => return Err(berr(lang)(e)),
            Ok(_) => pass,
        }
    } else {
        let (info, pass) = verified(file, lang)?;
        println!("{}", i18n::backup_summary(lang, &info));
        if !std::io::stdin().is_terminal() {
            bail!(d.restore_needs_yes);
        }
        eprint!("{}", d.restore_confirm);
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            println!("{}", d.restore_cancelled);
            return Ok(());
        }
        pass
    };
    std::fs::create_dir_all(dir)?;
    let restored = backup::restore(file, dir, pass.as_deref(), now(), progress_line()).map_err(berr(lang))?;
    if yes {
        println!("{}", i18n::backup_summary(lang, &restored.info));
    }
    println!("{} {}", fill(d.restore_done, file.display()), size_and_time(restored.info.bytes, started));
    if let Some(s) = restored.safety_copy {
        println!("{}", fill(d.safety_copy, s.display()));
    }
    Ok(())
}

pub fn export(
    dir: &Path,
    kind: &str,
    format: &str,
    out: Option<PathBuf>,
    full_numbers: bool,
    by: Option<&str>,
    lang: Lang,
) -> anyhow::Result<()> {
    let d = lang.data();
    let kind = ExportKind::parse(kind).ok_or_else(|| anyhow!(fill(d.unknown_kind, kind)))?;
    let format = Format::parse(format).ok_or_else(|| anyhow!(fill(d.unknown_kind, format)))?;
    let store = store_of(dir, lang)?;
    let by = operator(&store, by, lang)?;
    if full_numbers && by.is_none() {
        bail!(d.no_operator);
    }
    let opts = ExportOptions { format, full_numbers, lang, by, at: now() };
    let out = out.unwrap_or_else(|| PathBuf::from(export::file_name(kind, &opts)));
    let started = Instant::now();
    let rows = export::export(&store, kind, &out, &opts, progress_line()).map_err(serr(lang))?;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "{}{} {}",
        fill_all(d.export_done, &[&rows, &out.display()]),
        if full_numbers { d.export_full_numbers } else { "" },
        size_and_time(bytes, started)
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn import(
    dir: &Path,
    kind: &str,
    file: &Path,
    dry_run: bool,
    columns: &[String],
    skip_bad_rows: bool,
    by: Option<&str>,
    lang: Lang,
) -> anyhow::Result<()> {
    let d = lang.data();
    let volunteers = match ExportKind::parse(kind) {
        Some(ExportKind::Records(RecordKind::Resident)) => false,
        Some(ExportKind::Records(RecordKind::Volunteer)) => true,
        _ => bail!(fill(d.unknown_kind, kind)),
    };
    let ierr = |e: ImportError| anyhow!(e.message(lang));
    let store = store_of(dir, lang)?;
    let sheet = import::read_sheet(file).map_err(ierr)?;
    let mut map = if volunteers { import_volunteers::detect_columns(&sheet) } else { import::detect_columns(&sheet) };
    for c in columns {
        let (field, column) = c.split_once('=').ok_or_else(|| anyhow!("--column {c}: FIELD=COLUMN"))?;
        let field = if volunteers { import_volunteers::field(field) } else { import::field(field) }
            .ok_or_else(|| anyhow!(fill(d.unknown_kind, field)))?;
        if !map.set(&sheet, field, column) {
            bail!(fill(lang.t().e_not_found, column));
        }
    }
    println!("{}", fill(d.import_columns, map.describe(&sheet, lang)));
    if volunteers {
        let done = import_volunteer_rows(&store, &sheet, &map, dry_run, skip_bad_rows, by, lang);
        refresh_index(&store);
        return done;
    }
    let preview = import::preview(&store, &sheet, &map).map_err(ierr)?;
    for row in preview.rows.iter().filter(|r| !r.problems.is_empty()) {
        let text: Vec<String> = row.problems.iter().map(|p| p.message(lang)).collect();
        println!("  {:>5}  {}  {}", row.row, row.resident.name, text.join("；"));
    }
    println!(
        "{}",
        fill_all(
            d.import_summary,
            &[&preview.rows.len(), &preview.to_import(), &preview.duplicates(), &preview.errors()]
        )
    );
    if dry_run {
        println!("{}", d.import_dry_run);
        return Ok(());
    }
    let by = operator(&store, by, lang)?.ok_or_else(|| anyhow!(d.no_operator))?;
    let added = import::import(&store, &preview, skip_bad_rows, by, now()).map_err(ierr)?;
    println!("{}", fill(d.import_done, added.len()));
    refresh_index(&store);
    Ok(())
}

/// After a command wrote to the store: the app's saved search index is
/// made again, so that its next start does not read every record. A
/// failure only costs that start the same work.
pub(super) fn refresh_index(store: &Store) {
    let _ = crate::store::index_cache::refresh(store);
}

/// The rest of `import volunteers`: preview, then all or nothing.
fn import_volunteer_rows(
    store: &Store,
    sheet: &import::Sheet,
    map: &import::ColumnMap,
    dry_run: bool,
    skip_bad_rows: bool,
    by: Option<&str>,
    lang: Lang,
) -> anyhow::Result<()> {
    let d = lang.data();
    let ierr = |e: ImportError| anyhow!(e.message(lang));
    let preview = import_volunteers::preview(store, sheet, map, now().date()).map_err(ierr)?;
    for row in preview.rows.iter().filter(|r| !r.problems.is_empty()) {
        let text: Vec<String> = row.problems.iter().map(|p| p.message(lang)).collect();
        println!("  {:>5}  {}  {}", row.row, row.volunteer.name, text.join("；"));
    }
    println!(
        "{}",
        fill_all(
            d.import_summary,
            &[&preview.rows.len(), &preview.to_import(), &preview.duplicates(), &preview.errors()]
        )
    );
    if preview.linked() > 0 {
        println!("{}", fill(d.import_linked, preview.linked()));
    }
    if dry_run {
        println!("{}", d.import_dry_run);
        return Ok(());
    }
    let by = operator(store, by, lang)?.ok_or_else(|| anyhow!(d.no_operator))?;
    let added = import_volunteers::import(store, &preview, skip_bad_rows, by, now()).map_err(ierr)?;
    println!("{}", fill(d.import_done_volunteers, added.len()));
    Ok(())
}
