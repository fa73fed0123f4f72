//! The import screens (residents, volunteers): type a file's path, see a
//! preview with each row's problems, import all or nothing.

use super::{AnyPreview, ImportStep};
use crate::files::{import, import_volunteers};
use crate::ui::shared::Shared;
use std::path::Path;

pub(super) fn preview(sh: &Shared, path: &Path, volunteers: bool) -> ImportStep {
    let sheet = match import::read_sheet(path) {
        Ok(s) => s,
        Err(e) => return ImportStep::Done(e.message(sh.lang), true),
    };
    if volunteers {
        let map = import_volunteers::detect_columns(&sheet);
        return match import_volunteers::preview(&sh.store, &sheet, &map, sh.today.date) {
            Ok(p) => {
                let rows = p
                    .rows
                    .iter()
                    .filter(|r| !r.problems.is_empty())
                    .map(|r| {
                        let what: Vec<String> = r.problems.iter().map(|x| x.message(sh.lang)).collect();
                        format!("{} {}: {} {}", sh.lang.data_ui().row, r.row, r.volunteer.name, what.join("; "))
                    })
                    .collect();
                ImportStep::Preview(Box::new(AnyPreview::Volunteers(p)), rows)
            }
            Err(e) => ImportStep::Done(e.message(sh.lang), true),
        };
    }
    let map = import::detect_columns(&sheet);
    match import::preview(&sh.store, &sheet, &map) {
        Ok(p) => {
            let rows = p
                .rows
                .iter()
                .filter(|r| !r.problems.is_empty())
                .map(|r| {
                    let what: Vec<String> = r.problems.iter().map(|x| x.message(sh.lang)).collect();
                    format!("{} {}: {} {}", sh.lang.data_ui().row, r.row, r.resident.name, what.join("; "))
                })
                .collect();
            ImportStep::Preview(Box::new(AnyPreview::Residents(p)), rows)
        }
        Err(e) => ImportStep::Done(e.message(sh.lang), true),
    }
}

/// Writes an import's good rows; returns how many were added. The panels
/// show them once the app takes the change (as after any save).
pub(super) fn rows(sh: &mut Shared, p: &AnyPreview, by: crate::domain::WorkerId) -> Result<usize, import::ImportError> {
    Ok(match p {
        AnyPreview::Residents(p) => import::import(&sh.store, p, false, by, sh.now())?.len(),
        AnyPreview::Volunteers(p) => import_volunteers::import(&sh.store, p, false, by, sh.now())?.len(),
    })
}
