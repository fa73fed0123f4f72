//! The export screen (every kind, CSV or XLSX, numbers masked unless
//! asked for) and the requests list as filtered on screen (`X`). Both run
//! on a thread when the loop is there to hear back (an export of 100,000
//! requests takes seconds): progress and the result arrive as
//! [`DataEvent::Exported`].

use super::{DataEvent, exports_dir};
use crate::files::export::{self, ExportKind, ExportOptions, Exported, Format};
use crate::i18n;
use crate::store::StoreError;
use crate::ui::app::AppEvent;
use crate::ui::shared::Shared;
use std::path::PathBuf;

pub(super) fn opts(sh: &Shared, xlsx: bool, full: bool) -> ExportOptions {
    ExportOptions {
        format: if xlsx { Format::Xlsx } else { Format::Csv },
        full_numbers: full,
        lang: sh.lang,
        by: sh.operator,
        at: sh.now(),
    }
}

/// How an export went, in the user's words, and whether it failed.
/// Records the store could not read are named, and make it a failure to
/// look at (every other record was exported).
fn outcome(lang: i18n::Lang, out: &std::path::Path, r: Result<Exported, StoreError>) -> (String, bool) {
    match r {
        Ok(done) => {
            let msg = i18n::fill_all(lang.data_ui().exported, &[&done.rows, &out.display()]);
            match i18n::trust::unreadable_note(lang, &done.unreadable) {
                Some(note) => (format!("{msg} {note}"), true),
                None => (msg, false),
            }
        }
        Err(e) => (i18n::store_error(lang, &e), true),
    }
}

/// The file an export of `kind` goes to, its folder made; or what went wrong.
fn target(sh: &Shared, kind: ExportKind, opts: &ExportOptions) -> Result<PathBuf, String> {
    let dir = exports_dir(sh.store.dir());
    crate::platform::private::create_dir_all(&dir).map_err(|e| i18n::io_error(sh.lang, &dir, &e))?;
    Ok(dir.join(export::file_name(kind, opts)))
}

/// Runs `work` on a thread that reports progress (at most one event per
/// percent) and the outcome to the loop; inline when there is no loop.
/// Returns the outcome when it ran inline.
fn run(
    sh: &Shared,
    out: PathBuf,
    work: impl FnOnce(&mut dyn FnMut(u64, u64)) -> Result<Exported, StoreError> + Send + 'static,
) -> Option<(String, bool)> {
    let lang = sh.lang;
    match sh.data.tx.clone() {
        None => Some(outcome(lang, &out, work(&mut |_, _| {}))),
        Some(tx) => {
            std::thread::spawn(move || {
                let mut last = u64::MAX;
                let mut progress = |a: u64, b: u64| {
                    let pct = (a * 100).checked_div(b).unwrap_or(0);
                    if pct != last {
                        last = pct;
                        let _ = tx.send(AppEvent::Data(DataEvent::Exported(Some((a, b)), None)));
                    }
                };
                let r = work(&mut progress);
                let _ = tx.send(AppEvent::Data(DataEvent::Exported(None, Some(outcome(lang, &out, r)))));
            });
            None
        }
    }
}

/// Exports every record of one kind into `exports/`: the outcome when it
/// ran at once (tests), `None` while it runs in the background.
pub(super) fn export_kind(sh: &Shared, kind: ExportKind, xlsx: bool, full: bool) -> Option<(String, bool)> {
    let opts = opts(sh, xlsx, full);
    let out = match target(sh, kind, &opts) {
        Ok(p) => p,
        Err(e) => return Some((e, true)),
    };
    let store = sh.store.clone();
    let path = out.clone();
    // the requests list knows how many there are: no scan to count them
    let total = match kind {
        ExportKind::Records(crate::store::record::RecordKind::Request) if sh.loaded => {
            Some((0..sh.index.len() as u32).filter(|i| sh.index.row(*i).is_some()).count() as u64)
        }
        _ => None,
    };
    run(sh, out, move |p| export::export_counted(&store, kind, &path, &opts, total, p))
}

/// Exports the requests list as filtered on screen (`X` on the
/// requests panel): CSV, numbers masked.
pub fn export_requests(sh: &mut Shared, ids: Vec<crate::domain::RequestId>) {
    let opts = opts(sh, false, false);
    let kind = ExportKind::Records(crate::store::record::RecordKind::Request);
    let out = match target(sh, kind, &opts) {
        Ok(p) => p,
        Err(e) => return sh.fail(e),
    };
    let store = sh.store.clone();
    let path = out.clone();
    let total = ids.len() as u64;
    match run(sh, out, move |p| {
        export::export_requests(&store, &ids, &path, &opts, p).map(|rows| Exported { rows, unreadable: Vec::new() })
    }) {
        Some((msg, false)) => sh.info(msg),
        Some((msg, true)) => sh.fail(msg),
        None => sh.info(i18n::fill_all(sh.lang.data_ui().exporting, &[&0, &total])),
    }
}
