//! The import screens (residents, volunteers): type a file's path, see a
//! preview with each row's problems, import all or nothing.

use super::{AnyPreview, ImportStep};
use crate::files::{import, import_volunteers};
use crate::ui::shared::Shared;
use std::path::Path;

pub(super) fn preview(sh: &Shared, path: &Path, volunteers: bool) -> ImportStep {
    let sheet = match import::read_sheet(path) {
        Ok(s) => s,
        Err(e) => return ImportStep::Failed(e.message(sh.lang)),
    };
    if volunteers {
        let map = import_volunteers::detect_columns(&sheet);
        return match import_volunteers::preview(&sh.store, &sheet, &map, sh.today.date) {
            Ok(p) => {
                let rows = p
                    .rows
                    .iter()
                    .filter_map(|r| row_line(sh, r.row, &r.volunteer.name, import::row_notes(r, sh.lang)))
                    .collect();
                ImportStep::Preview(Box::new(AnyPreview::Volunteers(p)), rows)
            }
            Err(e) => ImportStep::Failed(e.message(sh.lang)),
        };
    }
    let map = import::detect_columns(&sheet);
    // the directory the app keeps (the search index's residents, kept up
    // to date with every save) rather than every resident read again
    let previewed = if sh.loaded {
        let known = import::Known::of(
            sh.index.residents().map(|r| (r.id, r.name.as_str(), r.phone.as_str(), r.address.as_str())),
        );
        import::preview_against(&known, &sheet, &map)
    } else {
        import::preview(&sh.store, &sheet, &map)
    };
    match previewed {
        Ok(p) => {
            let rows = p
                .rows
                .iter()
                .filter_map(|r| row_line(sh, r.row, &r.resident().name, import::row_notes(r, sh.lang)))
                .collect();
            ImportStep::Preview(Box::new(AnyPreview::Residents(p)), rows)
        }
        Err(e) => ImportStep::Failed(e.message(sh.lang)),
    }
}

/// One line of the preview: `第 3 行：张三 电话号码格式不对：…`, for a row
/// with something to say.
fn row_line(sh: &Shared, row: usize, name: &str, notes: Vec<String>) -> Option<String> {
    let d = sh.lang.data_ui();
    // a name run long (the fault itself, maybe) must not hide the note
    let name = crate::domain::text::truncate(name, 16);
    (!notes.is_empty())
        .then(|| format!("{}{}{name} {}", crate::i18n::fill(d.row, row), sh.lang.t().colon, notes.join(d.notes_sep)))
}

/// Writes an import's good rows; returns how many were added. The panels
/// show them once the app takes the change (as after any save).
pub(super) fn rows(sh: &mut Shared, p: &AnyPreview, by: crate::domain::WorkerId) -> Result<usize, import::ImportError> {
    Ok(match p {
        AnyPreview::Residents(p) => import::import_count(&sh.store, p, false, by, sh.now())?,
        AnyPreview::Volunteers(p) => import_volunteers::import(&sh.store, p, false, by, sh.now())?.len(),
    })
}
