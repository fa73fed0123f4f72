//! The monthly report screen: counted in the background, shown by
//! section, written as HTML or XLSX into `exports/`.

use super::{DataEvent, exports_dir};
use crate::domain::text::width;
use crate::files::report::{self, Month};
use crate::i18n;
use crate::ui::app::AppEvent;
use crate::ui::shared::Shared;

/// A month's report, one record at a time (never a whole list in memory).
pub(super) fn month_report(
    store: &crate::store::Store,
    month: Month,
    lang: i18n::Lang,
    workers: &[crate::domain::Worker],
) -> Result<report::Report, crate::store::StoreError> {
    let mut b = report::Builder::new(month);
    // sled counts its cache as the records go by (issue 19p)
    let paced = store.paced(crate::store::PACE_BYTES);
    paced.scan::<crate::domain::Request>(|r| b.add(&r))?;
    paced.scan::<crate::domain::duties::log::LogEntry>(|e| b.add_log(&e))?;
    paced.scan::<crate::domain::volunteer::ServiceRecord>(|r| b.add_service(&r))?;
    store.scan::<crate::domain::volunteer::Team>(|t| b.add_team(&t))?;
    Ok(b.finish(lang, workers))
}

pub(super) fn start(sh: &Shared, month: Month) -> (Vec<(String, bool)>, Option<Box<report::Report>>) {
    let (store, lang, workers) = (sh.store.clone(), sh.lang, sh.workers.clone());
    match sh.data.tx.clone() {
        None => view(sh, month_report(&store, month, lang, &workers)),
        Some(tx) => {
            std::thread::spawn(move || {
                let r = month_report(&store, month, lang, &workers);
                let _ = tx.send(AppEvent::Data(DataEvent::Report(month, Box::new(r))));
            });
            (vec![(sh.lang.data_ui().report_counting.to_string(), false)], None)
        }
    }
}

/// The report as screen lines (or the error), and the report kept for
/// writing it out.
pub(super) fn view(
    sh: &Shared,
    r: Result<report::Report, crate::store::StoreError>,
) -> (Vec<(String, bool)>, Option<Box<report::Report>>) {
    let rep = match r {
        Ok(r) => r,
        Err(e) => return (vec![(i18n::store_error(sh.lang, &e), false)], None),
    };
    let mut out = Vec::new();
    let sections = report::sections(&rep, sh.lang);
    let label_w = sections.iter().flat_map(|(_, rows)| rows.iter().map(|(k, _)| width(k))).max().unwrap_or(0).min(24);
    for (head, rows) in sections {
        out.push((head, true));
        for (k, v) in rows {
            out.push((format!("  {}  {v}", crate::domain::text::fit(&k, label_w)), false));
        }
    }
    (out, Some(Box::new(rep)))
}

/// Writes the counted report; `None` while it is still being counted.
pub(super) fn write(sh: &Shared, rep: Option<&report::Report>, ext: &str) -> Option<(String, bool)> {
    let rep = rep?;
    let dir = exports_dir(sh.store.dir());
    let out = dir.join(report::file_name(rep, sh.lang, ext));
    // the title block: the community profile, who made it and when
    let heading = crate::files::report_print::Heading {
        profile: sh.store.profile().unwrap_or_default(),
        prepared_by: sh.operator.map(|w| sh.worker_name(Some(w)).to_string()).unwrap_or_default(),
        prepared_on: Some(sh.now().date()),
    };
    let written = crate::platform::private::create_dir_all(&dir)
        .and_then(|_| crate::files::report_print::write(rep, sh.lang, &heading, &out));
    Some(match written {
        Ok(()) => (i18n::fill(sh.lang.data_ui().written, out.display()), false),
        Err(e) => (i18n::io_error(sh.lang, &out, &e), true),
    })
}
