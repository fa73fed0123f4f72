//! The import screens (residents, volunteers): type a file's path, see a
//! preview with each row's problems, import all or nothing. Reading and
//! checking a sheet, and writing its rows, take most of a second for
//! 30,000 residents: both run on a thread when the loop is there to hear
//! back ([`DataEvent::Previewed`], [`DataEvent::Imported`]), inline in tests.

use super::{AnyPreview, DataEvent, ImportStep};
use crate::domain::WorkerId;
use crate::files::{import, import_volunteers};
use crate::i18n::{self, Lang};
use crate::store::Store;
use crate::ui::app::AppEvent;
use crate::ui::shared::Shared;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Starts the preview of `path`: its answer at once (inline), or
/// [`ImportStep::Reading`] while a thread reads it.
pub(super) fn start_preview(sh: &Shared, path: PathBuf, volunteers: bool) -> ImportStep {
    if sh.data.importing {
        return ImportStep::Failed(sh.lang.data_ui().import_busy.into());
    }
    let (store, lang, today) = (sh.store.clone(), sh.lang, sh.today.date);
    // the directory the app keeps (the search index's residents, kept up
    // to date with every save) rather than every resident read again
    // through sled, which keeps what it read
    let known = (sh.loaded && !volunteers)
        .then(|| import::Known::of(sh.index.residents().map(|r| (r.id, r.name, r.phone, r.address))));
    match sh.data.tx.clone() {
        None => {
            let step = preview(&store, known, lang, today, &path, volunteers);
            // reading the sheet and checking every row: the file's text
            // and the directory's pages, freed now
            crate::platform::memory::give_back();
            step
        }
        Some(tx) => {
            std::thread::spawn(move || {
                let step = preview(&store, known, lang, today, &path, volunteers);
                // (as inline: the sheet's text, the map of its rows' identities)
                crate::platform::memory::give_back();
                let _ = tx.send(AppEvent::Data(DataEvent::Previewed(path, Box::new(step))));
            });
            ImportStep::Reading
        }
    }
}

/// `known`: the residents already in the directory, when the app has them.
fn preview(
    store: &Store,
    known: Option<import::Known>,
    lang: Lang,
    today: NaiveDate,
    path: &Path,
    volunteers: bool,
) -> ImportStep {
    if volunteers {
        // a roster is a few thousand rows: read whole
        let sheet = match import::read_sheet(path) {
            Ok(s) => s,
            Err(e) => return ImportStep::Failed(e.message(lang)),
        };
        let map = import_volunteers::detect_columns(&sheet);
        return match import_volunteers::preview(store, &sheet, &map, today) {
            Ok(p) => {
                let rows = p
                    .rows
                    .iter()
                    .filter_map(|r| row_line(lang, r.row, &r.volunteer.name, import::row_notes(r, lang)))
                    .collect();
                ImportStep::Preview(Box::new(AnyPreview::Volunteers(p)), rows)
            }
            Err(e) => ImportStep::Failed(e.message(lang)),
        };
    }
    // read, judged and forgotten row by row: the sheet is never whole in
    // memory (issue 19)
    let previewed = known
        .map_or_else(|| import::Known::of_store(store), Ok)
        .map_err(import::PreviewFailed::Import)
        .and_then(|known| {
            import::preview_file(path, &known, |head| Ok::<_, std::convert::Infallible>(import::detect_columns(head)))
        })
        .map(|s| s.preview);
    match previewed {
        Ok(p) => {
            let rows = p
                .rows
                .iter()
                .filter_map(|r| row_line(lang, r.row, &r.resident().name, import::row_notes(r, lang)))
                .collect();
            ImportStep::Preview(Box::new(AnyPreview::Residents(p)), rows)
        }
        Err(import::PreviewFailed::Import(e)) => ImportStep::Failed(e.message(lang)),
        Err(import::PreviewFailed::Chosen(never)) => match never {},
    }
}

/// One line of the preview: `第 3 行：张三 电话号码格式不对：…`, for a row
/// with something to say.
fn row_line(lang: Lang, row: usize, name: &str, notes: Vec<String>) -> Option<String> {
    let d = lang.data_ui();
    // a name run long (the fault itself, maybe) must not hide the note
    let name = crate::domain::text::truncate(name, 16);
    (!notes.is_empty())
        .then(|| format!("{}{}{name} {}", i18n::fill(d.row, row), lang.t().colon, notes.join(d.notes_sep)))
}

/// Writes an import's good rows: the outcome at once (inline; the panels
/// show the rows once the app settles, as after any save), or
/// [`ImportStep::Importing`] while a thread writes them and then hands
/// what it wrote to the loop as this terminal's undo step.
pub(super) fn start_import(sh: &mut Shared, p: AnyPreview, by: WorkerId) -> ImportStep {
    let (store, lang, at) = (sh.store.clone(), sh.lang, sh.now());
    let n = p.to_import();
    let work = move |store: &Store| {
        let dup = p.duplicates();
        // the residents' rows read again from the file, as they are written
        let r = match p {
            AnyPreview::Residents(p) => import::import_file(store, &p, false, by, at),
            AnyPreview::Volunteers(p) => import_volunteers::import(store, &p, false, by, at).map(|v| v.len()),
        };
        crate::platform::memory::give_back();
        match r {
            Ok(added) => (i18n::fill_all(lang.data_ui().imported, &[&added, &dup]), false),
            Err(e) => (e.message(lang), true),
        }
    };
    match sh.data.tx.clone() {
        None => {
            let (msg, failed) = work(&store);
            ImportStep::Done(msg, failed)
        }
        Some(tx) => {
            sh.data.importing = true;
            std::thread::spawn(move || {
                // the step keeps which residents were made, not their bytes:
                // none held here among what sled's transactions leave in
                // this thread's heap (issue 19; see `Store::capture_prints`)
                store.capture_prints(true);
                let done = work(&store);
                let set = store.take_last_change();
                let _ = tx.send(AppEvent::Data(DataEvent::Imported(done, set)));
            });
            ImportStep::Importing(n)
        }
    }
}
