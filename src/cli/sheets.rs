//! The commands of what leaves the office (issue 15): `linli profile` (the
//! community's particulars, printed on every sheet) and `linli report`
//! (the monthly report as the street office receives it).

use crate::files::report::Month;
use crate::files::report_print::{self, Heading};
use crate::i18n::{self, Lang, fill};
use anyhow::{anyhow, bail};
use std::path::{Path, PathBuf};

fn serr(lang: Lang) -> impl Fn(crate::store::StoreError) -> anyhow::Error {
    move |e| anyhow!(i18n::store_error(lang, &e))
}

/// Shows the profile, or sets the fields given (`name=幸福里社区`, …) and
/// shows it saved.
pub fn profile(dir: &Path, sets: &[(&'static str, String)], lang: Lang) -> anyhow::Result<()> {
    let store = super::open_unlocked(dir, lang)?;
    let mut p = store.profile().map_err(serr(lang))?;
    if !sets.is_empty() {
        for (k, v) in sets {
            p.set(k, v);
        }
        store.set_profile(&p).map_err(serr(lang))?;
        crate::say!("{}", lang.sheets().profile_saved);
    }
    for (key, zh, en) in crate::domain::profile::Profile::FIELDS {
        let label = if lang == Lang::Zh { zh } else { en };
        let v = p.get(key);
        let v = if v.is_empty() { lang.sheets().profile_empty } else { v };
        crate::say!("{label}{}{v}", lang.t().colon);
    }
    Ok(())
}

/// Shows (masked), sets (checked with the GB 11643 check digit) or clears
/// a volunteer's or resident's ID number; `reveal` shows it in full and
/// records that in the audit trail first.
#[allow(clippy::too_many_arguments)]
pub fn id_number(
    dir: &Path,
    kind: &str,
    id: u64,
    number: Option<&str>,
    clear: bool,
    reveal: bool,
    by: Option<&str>,
    lang: Lang,
) -> anyhow::Result<()> {
    use crate::store::record::RecordKind;
    let w = lang.sheets();
    let kind = match kind.trim().to_lowercase().as_str() {
        "volunteer" | "volunteers" | "志愿者" => RecordKind::Volunteer,
        "resident" | "residents" | "居民" => RecordKind::Resident,
        other => bail!(fill(w.id_who, other)),
    };
    let checked = match number {
        Some(n) => Some(crate::domain::id_number::parse(n).map_err(|_| anyhow!(fill(w.id_invalid, n)))?),
        None => None,
    };
    let store = super::open_unlocked(dir, lang)?;
    let by = super::data::operator_of(&store, by, lang)?;
    let now = (super::clock())();
    if checked.is_some() || clear {
        store.set_id_number(kind, id, checked.as_deref(), by, now).map_err(serr(lang))?;
        crate::say!("{}", if clear { w.id_none } else { w.id_saved });
    }
    match store.id_number(kind, id).map_err(serr(lang))? {
        None => crate::say!("{}", w.id_none),
        Some(n) if reveal => {
            let who = by.ok_or_else(|| anyhow!(lang.data().no_operator))?;
            store.record_reveal(kind, id, "id_number", who, now).map_err(serr(lang))?;
            crate::say!("{n}");
        }
        Some(n) => crate::say!("{}", crate::domain::mask::id_number(&n)),
    }
    Ok(())
}

/// `2026-11` (or `2026/11`, `202611`) as a month.
pub fn parse_month(s: &str) -> Option<Month> {
    let t = s.trim().replace(['/', '.', '年'], "-").replace('月', "");
    let (y, m) = match t.split_once('-') {
        Some((y, m)) => (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?),
        None if t.len() == 6 && t.is_ascii() => (t[..4].parse().ok()?, t[4..].parse().ok()?),
        None => return None,
    };
    ((1..=12).contains(&m) && (2000..=2100).contains(&y)).then_some(Month { year: y, month: m })
}

/// Writes a month's report as HTML (A4) or XLSX; default month: the last
/// one, default file: `月报-2026-11.html` in the current folder.
pub fn report(
    dir: &Path,
    month: Option<&str>,
    format: &str,
    out: Option<PathBuf>,
    by: Option<&str>,
    lang: Lang,
) -> anyhow::Result<()> {
    let w = lang.sheets();
    let now = (super::clock())();
    let month = match month {
        Some(m) => parse_month(m).ok_or_else(|| anyhow!(fill(w.bad_month, m)))?,
        None => Month::of(now.date()).prev(),
    };
    let ext = match format.trim().to_ascii_lowercase().as_str() {
        "html" | "htm" => "html",
        "xlsx" | "excel" => "xlsx",
        other => bail!(fill(w.bad_format, other)),
    };
    let store = super::open_unlocked(dir, lang)?;
    let workers = store.workers().map_err(serr(lang))?;
    let by = match by {
        Some(name) => name.trim().to_string(),
        None => store
            .last_operator()
            .ok()
            .flatten()
            .and_then(|id| workers.iter().find(|x| x.id == id))
            .map(|x| x.name.clone())
            .unwrap_or_default(),
    };
    let rep = report_print::month_report(&store, month, lang, &workers).map_err(serr(lang))?;
    let heading =
        Heading { profile: store.profile().map_err(serr(lang))?, prepared_by: by, prepared_on: Some(now.date()) };
    let out =
        out.unwrap_or_else(|| super::hosted::here(PathBuf::from(crate::files::report::file_name(&rep, lang, ext))));
    let out = if out.extension().is_none() { out.with_extension(ext) } else { out };
    report_print::write(&rep, lang, &heading, &out).map_err(|e| anyhow!(i18n::io_error(lang, &out, &e)))?;
    crate::say!("{}", fill(w.report_written, out.display()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_as_typed() {
        assert_eq!(parse_month("2026-11"), Some(Month { year: 2026, month: 11 }));
        assert_eq!(parse_month("2026/3"), Some(Month { year: 2026, month: 3 }));
        assert_eq!(parse_month("202611"), Some(Month { year: 2026, month: 11 }));
        assert_eq!(parse_month("2026年11月"), Some(Month { year: 2026, month: 11 }));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("十一月"), None);
    }
}
