//! Who is at the keyboard: the operator picker at start (and on `o`), in
//! whose name every change is recorded.

use super::layers::PickerLayer;
use super::shared::Shared;
use super::widgets::picker::{Pick, PickItem, Picker};
use crate::domain::WorkerId;

/// The workers as a picker offers them (active ones only, or everyone).
pub fn worker_items(sh: &Shared, keep: impl Fn(&crate::domain::Worker) -> bool) -> Vec<PickItem> {
    sh.workers
        .iter()
        .filter(|w| keep(w))
        .map(|w| PickItem::new(format!("{}  {}  {}", w.name, w.post, w.grid), w.id.0, &w.name, &w.phone, &w.post))
        .collect()
}

/// Opens the operator picker; the last item adds a worker. Esc with nobody
/// at the keyboard quits: the app cannot record who did what.
pub fn open_picker(sh: &mut Shared, preselect: Option<WorkerId>) {
    let t = sh.lang.t();
    // (Esc with nobody at the keyboard quits: the title says so)
    let title = if sh.operator.is_none() { t.choose_operator_or_quit } else { t.choose_operator };
    let picker = Picker::new(title, worker_items(sh, |w| w.active))
        .with_last(t.add_first_worker)
        .with_selected_id(preselect.map_or(0, |w| w.0));
    let layer = PickerLayer::new(picker, |pick, _, sh, panels| match pick {
        Pick::Id(id) => {
            sh.operator = Some(WorkerId(id));
            if let Err(e) = sh.store.set_last_operator(WorkerId(id)) {
                sh.error(&e);
            }
        }
        _ => super::duties::registry::open_worker_form(sh, &panels.duties.grades, None),
    })
    .on_cancel(|sh| {
        if sh.operator.is_none() {
            sh.quit = true;
        }
    });
    sh.open(layer.layer());
}
