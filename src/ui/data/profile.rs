//! The community profile's form (数据 → 社区信息): the particulars printed
//! on every sheet, report and certificate (`domain::profile`).

use crate::domain::profile::Profile;
use crate::i18n::Lang;
use crate::ui::layers::{FormLayer, Layer};
use crate::ui::shared::Shared;
use crate::ui::widgets::form::{Field, Form};

/// The form, filled with what the store keeps.
pub fn form(sh: &Shared) -> Layer {
    let p = sh.store.profile().unwrap_or_default();
    let fields = Profile::FIELDS
        .iter()
        .map(|(key, zh, en)| Field::text(key, if sh.lang == Lang::Zh { zh } else { en }, p.get(key), false))
        .collect();
    let form = Form::new(sh.lang.sheets().profile_title, fields);
    Layer::Form(Box::new(FormLayer::new(form, move |f, sh, _| {
        // a colleague saved the profile since this form read it (the
        // profile keeps no audit entry: no name to give)
        if sh.store.profile().unwrap_or_default() != p {
            return Err(sh.lang.colleagues().form_changed_unknown.to_string());
        }
        let mut p = sh.store.profile().unwrap_or_default();
        for (key, _, _) in Profile::FIELDS {
            p.set(key, &f.text(key));
        }
        sh.store.set_profile(&p).map_err(|e| sh.store_msg(&e))?;
        sh.info(sh.lang.sheets().profile_saved);
        Ok(())
    })))
}
