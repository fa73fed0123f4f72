//! The resident form (new and edit, also opened from a form's 居民 lookup
//! to create the caller on the spot), and revealing a full phone number,
//! which the audit trail records before it shows. The optional 身份证号 of
//! a resident or a volunteer is read, checked and kept here for both forms
//! (kept apart in the store's meta, as `linli id-number` keeps it).

use crate::domain::WorkerId;
use crate::domain::{Address, Resident, ResidentId, mask};
use crate::store::record::RecordKind;
use crate::ui::layers::{FormLayer, ID_NUMBER};
use crate::ui::panel::Panels;
use crate::ui::shared::{Effect, Shared};
use crate::ui::widgets::form::{Field, Form};

/// Opens the resident form for `existing`, or for a new resident named
/// `name` (typed into a lookup).
pub fn open_form(sh: &mut Shared, existing: Option<&Resident>, name: &str) {
    // the resident as stored now (a colleague may have changed them since
    // the panel read them): what the form shows and checks against
    let fresh = existing.map(|r| sh.store.resident(r.id).ok().flatten().unwrap_or_else(|| r.clone()));
    let existing = fresh.as_ref();
    let t = sh.lang.t();
    let label = |key: &str| crate::i18n::fields::label(sh.lang, RecordKind::Resident, key);
    let r = existing.cloned().unwrap_or_else(|| Resident::new(ResidentId(0), name));
    let fields = vec![
        Field::text("name", &label("name"), &r.name, true),
        Field::phone("phone", &label("phone"), &r.phone),
        Field::text("address", &label("address"), &r.address.to_string(), false),
        Field::text("grid", &label("grid"), &r.grid, false),
        Field::text("tags", &label("tags"), &r.tags.join("、"), false),
        Field::text("notes", &label("notes"), &r.notes, false),
        id_number_field(sh, RecordKind::Resident, existing.map(|r| r.id.0)),
    ];
    let title = if existing.is_some() { t.edit_resident } else { t.new_resident };
    let mut form = Form::new(title, fields);
    form.warning = Some(format!("{}{}{}", t.f_tags, t.colon, crate::domain::resident::TAGS.join("、")));
    if !name.is_empty() {
        form.focus_on("phone");
    }
    let id = existing.map(|r| r.id);
    let mut layer = FormLayer::new(form, move |form, sh, panels| save(form, id, sh, panels));
    if let Some(id) = id {
        layer = layer.revealing(RecordKind::Resident, id.0, sh.lang).editing(RecordKind::Resident, id.0, &sh.store);
    }
    sh.open(layer.layer());
}

fn save(form: &Form, existing: Option<ResidentId>, sh: &mut Shared, panels: &mut Panels) -> Result<(), String> {
    let t = sh.lang.t();
    let phone = mask::normalize_phone(&form.text("phone")).map_err(|_| t.bad_phone.to_string())?;
    crate::ui::shared::check_name(sh.lang, &form.text("name"))?;
    let id_change = id_number_change(form, sh, RecordKind::Resident, existing.map(|r| r.0))?;
    let Some(op) = sh.need_operator() else { return Ok(()) };
    let mut r = match existing {
        Some(id) => sh.store.resident(id).ok().flatten().unwrap_or_else(|| Resident::new(id, "")),
        None => Resident::new(ResidentId(0), ""),
    };
    r.name = form.text("name");
    r.phone = phone;
    r.address = Address::parse(&form.text("address"));
    r.grid = form.text("grid");
    r.tags = form
        .text("tags")
        .split(['、', ',', '，', ' ', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    r.notes = form.text("notes");
    let now = sh.now();
    let saved = match existing {
        Some(_) => sh.store.update_resident(&r, op, now).map(|_| r),
        None => sh.store.create_resident(&r, op, now),
    };
    let r = saved.map_err(|e| sh.store_msg(&e))?;
    let id_kept = save_id_number(sh, RecordKind::Resident, r.id.0, id_change, op);
    panels.sync(sh);
    let p = &mut panels.residents;
    p.select_id(r.id);
    p.load_history(sh);
    // say whom: a resident made from a form's lookup is saved out of sight
    // (unless keeping the ID number failed: that message stays)
    if id_kept {
        sh.info(crate::i18n::fill_all(
            t.saved_named,
            &[&crate::i18n::fields::kind_name(sh.lang, RecordKind::Resident), &r.name],
        ));
    }
    // created from a form's lookup: fill it in
    sh.effect(Effect::Fill { key: "resident", shown: r.name.clone(), id: r.id.0 });
    Ok(())
}

/// The optional 身份证号 field of a resident's or a volunteer's form,
/// holding the number kept (shown masked until `v` records a reveal).
pub fn id_number_field(sh: &Shared, kind: RecordKind, key: Option<u64>) -> Field {
    let kept = key.and_then(|k| sh.store.id_number(kind, k).ok().flatten()).unwrap_or_default();
    Field::id_number(ID_NUMBER, sh.lang.sheets().id_number_col, &kept)
}

/// What a form's 身份证号 field asks for, checked before anything is saved
/// (GB 11643 check digit; full-width digits and a lower-case x read as
/// meant): `None` when it still holds the number kept, `Some(None)` to
/// forget the number, `Some(Some(n))` to keep a new one.
pub fn id_number_change(
    form: &Form,
    sh: &Shared,
    kind: RecordKind,
    key: Option<u64>,
) -> Result<Option<Option<String>>, String> {
    let typed = form.text(ID_NUMBER);
    let kept = match key {
        Some(k) => sh.store.id_number(kind, k).map_err(|e| sh.store_msg(&e))?,
        None => None,
    };
    if typed.is_empty() {
        return Ok(kept.map(|_| None));
    }
    let n =
        crate::domain::id_number::parse(&typed).map_err(|_| crate::i18n::fill(sh.lang.sheets().id_invalid, &typed))?;
    Ok((kept.as_deref() != Some(n.as_str())).then_some(Some(n)))
}

/// Keeps what [`id_number_change`] found, through the store function the
/// CLI uses (audited, masked); returns false (and says why) when it failed.
pub fn save_id_number(
    sh: &mut Shared,
    kind: RecordKind,
    key: u64,
    change: Option<Option<String>>,
    op: WorkerId,
) -> bool {
    let Some(number) = change else { return true };
    match sh.store.set_id_number(kind, key, number.as_deref(), Some(op), sh.now()) {
        Ok(()) => true,
        Err(e) => {
            sh.error(&e);
            false
        }
    }
}

/// Records that the full phone number of a record is shown, then says so;
/// returns whether it may be shown.
pub fn reveal(sh: &mut Shared, kind: RecordKind, key: u64) -> bool {
    reveal_fields(sh, kind, key, &["phone"])
}

/// As [`reveal`], for each of `fields` (a resident's phone and sensitive
/// tags): one audit entry each, all written before anything is shown.
pub fn reveal_fields(sh: &mut Shared, kind: RecordKind, key: u64, fields: &[&str]) -> bool {
    let Some(op) = sh.need_operator() else { return false };
    // the viewing is recorded before the number is shown
    for field in fields {
        if let Err(e) = sh.store.record_reveal(kind, key, field, op, sh.now()) {
            sh.error(&e);
            return false;
        }
    }
    sh.info(sh.lang.t().revealed);
    true
}
