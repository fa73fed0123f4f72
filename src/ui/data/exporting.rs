//! The export screen (every kind, CSV or XLSX, numbers masked unless
//! asked for) and the requests list as filtered on screen (`X`).

use super::exports_dir;
use crate::files::export::{self, ExportKind, ExportOptions, Format};
use crate::i18n;
use crate::ui::shared::Shared;

pub(super) fn opts(sh: &Shared, xlsx: bool, full: bool) -> ExportOptions {
    ExportOptions {
        format: if xlsx { Format::Xlsx } else { Format::Csv },
        full_numbers: full,
        lang: sh.lang,
        by: sh.operator,
        at: sh.now(),
    }
}

/// Exports every record of one kind into `exports/`.
pub(super) fn export_kind(sh: &Shared, kind: ExportKind, xlsx: bool, full: bool) -> (String, bool) {
    let opts = opts(sh, xlsx, full);
    let dir = exports_dir(sh.store.dir());
    let out = dir.join(export::file_name(kind, &opts));
    if let Err(e) = crate::platform::private::create_dir_all(&dir) {
        return (i18n::store_error(sh.lang, &crate::store::StoreError::from(e)), true);
    }
    match export::export_reporting(&sh.store, kind, &out, &opts, |_, _| {}) {
        Ok(done) => {
            let msg = i18n::fill_all(sh.lang.data_ui().exported, &[&done.rows, &out.display()]);
            match i18n::trust::unreadable_note(sh.lang, &done.unreadable) {
                Some(note) => (format!("{msg} {note}"), true),
                None => (msg, false),
            }
        }
        Err(e) => (i18n::store_error(sh.lang, &e), true),
    }
}

/// Exports the requests list as filtered on screen (`X` on the
/// requests panel): CSV, numbers masked.
pub fn export_requests(sh: &mut Shared, ids: &[crate::domain::RequestId]) {
    let opts = opts(sh, false, false);
    let dir = exports_dir(sh.store.dir());
    let out = dir.join(export::file_name(ExportKind::Records(crate::store::record::RecordKind::Request), &opts));
    if let Err(e) = crate::platform::private::create_dir_all(&dir) {
        sh.error(&crate::store::StoreError::from(e));
        return;
    }
    match export::export_requests(&sh.store, ids, &out, &opts, |_, _| {}) {
        Ok(n) => sh.info(i18n::fill_all(sh.lang.data_ui().exported, &[&n, &out.display()])),
        Err(e) => sh.error(&e),
    }
}
