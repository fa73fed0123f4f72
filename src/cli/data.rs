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
    if workers.is_empty() {
        // a new office: nobody to name yet
        bail!(lang.data().no_workers_yet);
    }
    if let Ok(n) = by.parse::<u64>()
        && workers.iter().any(|w| w.id.0 == n)
    {
        return Ok(Some(WorkerId(n)));
    }
    let named: Vec<_> = workers.iter().filter(|w| w.name == by).collect();
    match named.as_slice() {
        [w] => Ok(Some(w.id)),
        _ => Err(anyhow!(fill(lang.data().no_such_worker, by))),
    }
}

/// [`operator`], for the other command modules.
pub(super) fn operator_of(store: &Store, by: Option<&str>, lang: Lang) -> anyhow::Result<Option<WorkerId>> {
    operator(store, by, lang)
}

/// The passphrase from `LINLI_PASSPHRASE`, or asked for (twice when
/// encrypting, so a typo does not lock the office out of its backup).
fn passphrase(lang: Lang, confirm: bool) -> anyhow::Result<String> {
    if let Some(p) = super::hosted::env_var(ENV_PASSPHRASE) {
        return Ok(p);
    }
    let d = lang.data();
    // no answer: Esc or Ctrl+C at a terminal is a cancel, not a missing one
    // (inside the server the client's terminal answered nothing: either)
    let cancelled = !super::out::hosted() && std::io::stdin().is_terminal();
    let why = || anyhow!(if cancelled { d.passphrase_cancelled } else { d.passphrase_no_terminal });
    let first = read_secret(d.passphrase, Piped::Refuse).ok_or_else(why)?;
    if confirm {
        let again = read_secret(d.passphrase_again, Piped::Refuse).ok_or_else(why)?;
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
        super::hosted::env_var("LINLI_SCRYPT_WORK_FACTOR").and_then(|s| s.parse().ok())
    } else {
        None
    }
}

/// A percentage on stderr while long work runs (only on a terminal; not
/// inside the server, which cannot tell whether the client's is one).
pub(crate) fn progress_line() -> impl FnMut(u64, u64) {
    let show = !super::out::hosted() && std::io::stderr().is_terminal();
    let mut last = u64::MAX;
    move |done, total| {
        let pct = done * 100 / total.max(1);
        if show && pct != last {
            last = pct;
            super::out::err_raw(&format!("\r{pct:>3}%"));
            if pct >= 100 {
                super::out::err_raw("\r    \r");
            }
            let _ = std::io::stderr().flush();
        }
    }
}

fn size_and_time(lang: Lang, bytes: u64, started: Instant) -> String {
    fill_all(
        lang.data().size_and_time,
        &[&format!("{:.1}", bytes as f64 / 1e6), &format!("{:.1}", started.elapsed().as_secs_f64())],
    )
}

pub fn backup(dir: &Path, to: Option<PathBuf>, encrypt: bool, by: Option<&str>, lang: Lang) -> anyhow::Result<()> {
    let store = super::open_unlocked(dir, lang)?;
    let target = match to {
        Some(t) => t,
        None => {
            let d = dir.join("backups");
            crate::platform::private::create_dir_all(&d).map_err(|e| anyhow!(i18n::io_error(lang, &d, &e)))?;
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
    crate::say!("{} {}", fill(lang.data().backup_done, info.path.display()), size_and_time(lang, info.bytes, started));
    if let Some(note) = i18n::trust::unreadable_note(lang, &info.unreadable) {
        crate::say!("{note}");
    }
    if !encrypt && !info.path.starts_with(dir) {
        crate::say!("{}", lang.data().offsite_hint);
    }
    Ok(())
}

/// Verifies, asking for the passphrase only if the file is encrypted.
fn verified(file: &Path, lang: Lang) -> anyhow::Result<(backup::BackupInfo, Option<String>)> {
    let pass = super::hosted::env_var(ENV_PASSPHRASE);
    match backup::verify(file, pass.as_deref(), progress_line()) {
        Err(BackupError::PassphraseRequired) => {
            let p = passphrase(lang, false)?;
            let info = backup::verify(file, Some(&p), progress_line()).map_err(berr(lang))?;
            Ok((info, Some(p)))
        }
        other => Ok((other.map_err(berr(lang))?, pass)),
    }
}

/// What a verified backup holds, who signed it (against `dir`'s key) and
/// what it left out.
fn describe(info: &backup::BackupInfo, dir: &Path, lang: Lang) {
    crate::say!("{}", i18n::backup_summary(lang, info));
    crate::say!("{}", i18n::trust::signer_line(lang, &backup::trust(info, dir)));
    if let Some(note) = i18n::trust::unreadable_note(lang, &info.unreadable) {
        crate::say!("{note}");
    }
}

pub fn verify(file: &Path, dir: &Path, lang: Lang) -> anyhow::Result<()> {
    let started = Instant::now();
    let (info, _) = verified(file, lang)?;
    crate::say!("{} {}", fill(lang.data().verify_ok, file.display()), size_and_time(lang, info.bytes, started));
    describe(&info, dir, lang);
    Ok(())
}

/// Before a restore replaces the data: its PIN, when it has one and can be
/// opened (a damaged or missing store has none to ask for: restoring over
/// it is the way back).
fn unlock_current(dir: &Path, lang: Lang) -> anyhow::Result<()> {
    if !dir.join("store").join("db").exists() {
        return Ok(());
    }
    match Store::open(dir) {
        Ok(store) => super::unlock(&store, lang),
        Err(e @ crate::store::StoreError::Locked(_)) => Err(anyhow!(i18n::store_error(lang, &e))),
        Err(_) => Ok(()),
    }
}

/// The key the user accepts for a backup signed by another computer:
/// `--accept-key` (at least 8 digits of the fingerprint), or typed at the
/// terminal (its first 4). `None` when the backup is ours or unsigned.
fn accepted_key(
    manifest_signer: Option<&backup::Signer>,
    dir: &Path,
    flag: Option<&str>,
    interactive: bool,
    lang: Lang,
) -> anyhow::Result<Option<String>> {
    let tr = lang.trust();
    let Some(s) = manifest_signer else { return Ok(None) };
    if backup::office_signer(dir).is_some_and(|o| o.key == s.key) {
        return Ok(None);
    }
    if let Some(f) = flag {
        if s.fingerprint_starts_with(f, 8) {
            return Ok(Some(s.key.clone()));
        }
        bail!(fill(tr.foreign_needs_flag, s.describe()));
    }
    if !interactive || !std::io::stdin().is_terminal() {
        bail!(fill(tr.foreign_needs_flag, s.describe()));
    }
    super::out::err_part(fill(tr.confirm_foreign, s.describe()));
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if s.fingerprint_starts_with(answer.trim(), 4) {
        Ok(Some(s.key.clone()))
    } else {
        bail!(lang.data().restore_cancelled)
    }
}

pub fn restore(file: &Path, dir: &Path, yes: bool, accept_key: Option<&str>, lang: Lang) -> anyhow::Result<()> {
    let d = lang.data();
    let started = Instant::now();
    unlock_current(dir, lang)?;
    let (pass, accepted) = if yes {
        // the restore reads and checks the whole file before anything
        // changes; only the passphrase is needed first
        let pass = std::env::var(ENV_PASSPHRASE).ok();
        let (manifest, pass) = match backup::peek(file, pass.as_deref()) {
            Err(BackupError::PassphraseRequired) => {
                let p = passphrase(lang, false)?;
                (backup::peek(file, Some(&p)).map_err(berr(lang))?.0, Some(p))
            }
            Err(e) => return Err(berr(lang)(e)),
            Ok((m, _)) => (m, pass),
        };
        let accepted = accepted_key(manifest.signer.as_ref(), dir, accept_key, false, lang)?;
        (pass, accepted)
    } else {
        let (info, pass) = verified(file, lang)?;
        describe(&info, dir, lang);
        if !std::io::stdin().is_terminal() {
            bail!(d.restore_needs_yes);
        }
        let accepted = accepted_key(info.signer.as_ref(), dir, accept_key, true, lang)?;
        super::out::err_part(d.restore_confirm);
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            crate::say!("{}", d.restore_cancelled);
            return Ok(());
        }
        (pass, accepted)
    };
    let restored = restore_now(file, dir, pass.as_deref(), accepted.as_deref(), lang)?;
    if yes {
        describe(&restored.info, dir, lang);
    }
    crate::say!("{} {}", fill(d.restore_done, file.display()), size_and_time(lang, restored.info.bytes, started));
    if let Some(s) = restored.safety_copy {
        crate::say!("{}", fill(d.safety_copy, s.display()));
    }
    Ok(())
}

fn restore_now(
    file: &Path,
    dir: &Path,
    pass: Option<&str>,
    accepted: Option<&str>,
    lang: Lang,
) -> anyhow::Result<backup::Restored> {
    crate::platform::private::create_dir_all(dir).map_err(|e| anyhow!(i18n::io_error(lang, dir, &e)))?;
    backup::restore_accepting(file, dir, pass, now(), accepted, progress_line()).map_err(berr(lang))
}

/// What the user chose among the way back.
pub enum Chosen {
    /// Restored: the message to show.
    Restored(String),
    /// Start with empty data (offered only when there is no store).
    New,
    Quit,
}

/// Lists the backups and daily snapshots in the data dir and restores the
/// one the user picks by its number (`linli restore` without a file, and a
/// start that finds no store, or one sled cannot open). The choice is the
/// confirmation; a backup signed by another computer asks once more.
pub fn restore_chosen(dir: &Path, lang: Lang, allow_new: bool) -> anyhow::Result<Chosen> {
    let tr = lang.trust();
    let list = backup::candidates(dir);
    crate::say!("{}", super::way_back_text(dir, lang));
    if list.is_empty() {
        return Ok(if allow_new { Chosen::New } else { Chosen::Quit });
    }
    super::out::err_part(if allow_new { tr.choose_restore_or_new } else { tr.choose_restore });
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer)? == 0 {
        return Ok(Chosen::Quit);
    }
    let answer = answer.trim();
    if allow_new && answer.eq_ignore_ascii_case("new") {
        crate::say!("{}", tr.start_empty);
        return Ok(Chosen::New);
    }
    let chosen = answer.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).filter(|i| *i < super::WAY_BACK_SHOWN);
    let Some(c) = chosen.and_then(|i| list.get(i)) else {
        return Ok(Chosen::Quit);
    };
    unlock_current(dir, lang)?;
    let pass =
        if c.encrypted { Some(std::env::var(ENV_PASSPHRASE).or_else(|_| passphrase(lang, false))?) } else { None };
    let (manifest, _) = backup::peek(&c.path, pass.as_deref()).map_err(berr(lang))?;
    let accepted = accepted_key(manifest.signer.as_ref(), dir, None, true, lang)?;
    let started = Instant::now();
    let restored = restore_now(&c.path, dir, pass.as_deref(), accepted.as_deref(), lang)?;
    let d = lang.data();
    let mut msg =
        format!("{} {}", fill(d.restore_done, c.path.display()), size_and_time(lang, restored.info.bytes, started));
    if let Some(s) = restored.safety_copy {
        msg = format!("{msg}{}{}", d.sentence_sep, fill(d.safety_copy, s.display()));
    }
    crate::say!("{msg}");
    Ok(Chosen::Restored(msg))
}

/// `--format` and `--encoding` as one format name (`csv`, `gbk`, `xlsx`).
pub fn format_with_encoding(format: &str, encoding: &str, lang: Lang) -> anyhow::Result<String> {
    let d = lang.data();
    let f = Format::parse(format).ok_or_else(|| anyhow!(fill(d.unknown_format, format)))?;
    let f = f.with_encoding(encoding).ok_or_else(|| anyhow!(fill(lang.sheets().bad_encoding, encoding)))?;
    Ok(match f {
        Format::Csv => "csv",
        Format::CsvGbk => "gbk",
        Format::Xlsx => "xlsx",
    }
    .to_string())
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
    let format = Format::parse(format).ok_or_else(|| anyhow!(fill(d.unknown_format, format)))?;
    let store = super::open_unlocked(dir, lang)?;
    let by = operator(&store, by, lang)?;
    if full_numbers && by.is_none() {
        bail!(d.no_operator);
    }
    let opts = ExportOptions { format, full_numbers, lang, by, at: now() };
    let out = out.unwrap_or_else(|| super::hosted::here(PathBuf::from(export::file_name(kind, &opts))));
    let started = Instant::now();
    let done = export::export_reporting(&store, kind, &out, &opts, progress_line()).map_err(serr(lang))?;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    crate::say!(
        "{}{} {}",
        fill_all(d.export_done, &[&done.rows, &out.display()]),
        if full_numbers { d.export_full_numbers } else { "" },
        size_and_time(lang, bytes, started)
    );
    if let Some(note) = i18n::trust::unreadable_note(lang, &done.unreadable) {
        crate::say!("{note}");
    }
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
        _ => bail!(fill(d.unknown_import_kind, kind)),
    };
    let ierr = |e: ImportError| anyhow!(e.message(lang));
    let store = super::open_unlocked(dir, lang)?;
    // the user's `--column 电话=C` words on the map found in the head
    let choose = |sheet: &import::Sheet, mut map: import::ColumnMap| -> anyhow::Result<import::ColumnMap> {
        for c in columns {
            let (field, column) = c.split_once('=').ok_or_else(|| anyhow!(fill(d.bad_column_option, c)))?;
            let field = if volunteers { import_volunteers::field(field) } else { import::field(field) }
                .ok_or_else(|| anyhow!(fill(d.unknown_field, field)))?;
            if !map.set(sheet, field, column) {
                bail!(fill(lang.t().e_not_found, column));
            }
        }
        crate::say!("{}", fill(d.import_columns, map.describe(sheet, lang)));
        Ok(map)
    };
    if volunteers {
        // a roster is a few thousand rows: read whole
        let sheet = import::read_sheet(file).map_err(ierr)?;
        let map = choose(&sheet, import_volunteers::detect_columns(&sheet))?;
        let done = import_volunteer_rows(&store, &sheet, &map, dry_run, skip_bad_rows, by, lang);
        refresh_index(&store);
        return done;
    }
    // read and judged row by row, the sheet never whole in memory (issue 19)
    let known = import::Known::of_store(&store).map_err(ierr)?;
    let preview = match import::preview_file(file, &known, |head| choose(head, import::detect_columns(head))) {
        Ok(s) => s.preview,
        Err(import::PreviewFailed::Import(e)) => return Err(ierr(e)),
        Err(import::PreviewFailed::Chosen(e)) => return Err(e),
    };
    drop(known);
    for row in preview.rows.iter() {
        let text = import::row_notes(row, lang);
        if !text.is_empty() {
            crate::say!("  {:>5}  {}  {}", row.row, row.resident().name, text.join("；"));
        }
    }
    crate::say!(
        "{}",
        fill_all(d.import_summary, &[&preview.total, &preview.to_import(), &preview.duplicates(), &preview.errors()])
    );
    if dry_run {
        crate::say!("{}", d.import_dry_run);
        return Ok(());
    }
    let by = operator(&store, by, lang)?.ok_or_else(|| anyhow!(d.no_operator))?;
    let added = import::import_file(&store, &preview, skip_bad_rows, by, now()).map_err(ierr)?;
    crate::say!("{}", fill(d.import_done, added));
    refresh_index(&store);
    Ok(())
}

/// After a command wrote to the store: the app's saved search index (and
/// the daily log's and the roster's copies) are made again, so that its
/// next start does not read every record. A failure only costs that start
/// the same work. Not inside the server: it
/// reads its lists again itself (`Hosted::wrote`), and two imports at once
/// would write the one temporary file together.
pub(super) fn refresh_index(store: &Store) {
    if super::hosted::inside() {
        return;
    }
    let _ = crate::store::index_cache::refresh(store);
    // and the daily log's and the roster's copies (issue 19g): read
    // again only when the write made them stale
    let _ = crate::store::duties_rows::LogIndex::refresh(store);
    let _ = crate::store::roster::index::refresh_copy(store);
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
    for row in preview.rows.iter() {
        let text = import::row_notes(row, lang);
        if !text.is_empty() {
            crate::say!("  {:>5}  {}  {}", row.row, row.volunteer.name, text.join("；"));
        }
    }
    crate::say!(
        "{}",
        fill_all(
            d.import_summary,
            &[&preview.rows.len(), &preview.to_import(), &preview.duplicates(), &preview.errors()]
        )
    );
    if preview.linked() > 0 {
        crate::say!("{}", fill(d.import_linked, preview.linked()));
    }
    if dry_run {
        crate::say!("{}", d.import_dry_run);
        return Ok(());
    }
    let by = operator(store, by, lang)?.ok_or_else(|| anyhow!(d.no_operator))?;
    let added = import_volunteers::import(store, &preview, skip_bad_rows, by, now()).map_err(ierr)?;
    crate::say!("{}", fill(d.import_done_volunteers, added.len()));
    Ok(())
}
