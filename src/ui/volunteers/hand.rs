//! Handing a request to a volunteer team or a volunteer (`t` on the
//! requests panel): the roster's picker, then a note; the request's
//! timeline records it.

use super::forms::volunteer_item;
use super::prelude::*;

/// Picker ids of teams (volunteers use plain ids).
const TEAM_BIT: u64 = 1 << 62;

/// Opens the picker of teams and volunteers for request `id`.
pub fn open(id: RequestId, p: &mut VolunteersPanel, sh: &mut Shared) {
    let t = sh.lang.volunteers();
    if !p.roster_ready(sh) {
        return;
    }
    let d = &p.data;
    let mut items: Vec<PickItem> = p
        .team_items()
        .into_iter()
        .map(|mut it| {
            it.id |= TEAM_BIT;
            it.label = format!("[{}] {}", t.v_teams, it.label);
            it
        })
        .collect();
    items.extend(d.search_volunteers("", true).into_iter().map(|i| {
        let mut it = volunteer_item(d, i);
        let free = ir::availability(sh.lang, d.volunteers[i].v.availability);
        it.label = format!("{}  {free}", it.label);
        it
    }));
    let picker = Picker::new(&format!("{} {id}", t.choose_hand), items);
    sh.open(
        PickerLayer::new(picker, move |pick, _, sh, panels| {
            if let Pick::Id(target) = pick {
                open_note(id, target, &panels.volunteers, sh);
            }
        })
        .layer(),
    );
}

/// The note that goes with the hand-over.
pub(super) fn open_note(request: RequestId, target: u64, p: &VolunteersPanel, sh: &mut Shared) {
    let (team, volunteer, name) = if target & TEAM_BIT != 0 {
        let t = TeamId(target & !TEAM_BIT);
        (Some(t), None, p.data.team_name(t).to_string())
    } else {
        let v = VolunteerId(target);
        (None, Some(v), p.data.volunteer_name(v).to_string())
    };
    let t = sh.lang.volunteers();
    let form =
        Form::new(&format!("{} {request} → {name}", t.hand_form), vec![Field::text("note", t.f_note, "", false)]);
    sh.open(
        FormLayer::new(form, move |form, sh, panels| {
            let Some(op) = sh.need_operator() else { return Ok(()) };
            let note = form.text("note");
            let text = if note.is_empty() { name.clone() } else { format!("{name}：{note}") };
            let r =
                sh.store.hand_request(request, team, volunteer, &text, op, sh.now()).map_err(|e| sh.store_msg(&e))?;
            crate::ui::requests::forms::saved_here(&r, sh, panels);
            sh.info(sh.lang.volunteers().handed);
            Ok(())
        })
        .layer(),
    );
}
