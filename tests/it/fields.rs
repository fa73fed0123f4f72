//! Every field a record keeps has one description (label in both
//! languages, how its value is shown), in the order the record keeps them:
//! the audit trail, the forms and the exports all read them from there.

use linli::demo::{self, Size};
use linli::domain::volunteer::{Certificate, CertificateId, VolunteerId};
use linli::domain::{Categories, WorkCalendar, WorkerId};
use linli::i18n::fields;
use linli::store::record::{Record, RecordKind};
use std::collections::HashMap as BTreeMap;

fn keys<R: Record>(items: &[R], seen: &mut BTreeMap<RecordKind, usize>) {
    for r in items {
        let stored: Vec<&str> = r.fields().into_iter().map(|(k, _)| k).collect();
        let described: Vec<&str> = fields::fields(R::KIND).iter().map(|d| d.key).collect();
        assert_eq!(stored, described, "{:?}: a stored field without a description, or out of order", R::KIND);
        *seen.entry(R::KIND).or_default() += 1;
    }
}

#[test]
fn every_stored_field_of_every_kind_is_described() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let cal = WorkCalendar::builtin();
    let mut data = demo::generate(Size::Demo, 1, 7, today, &cal, &Categories::default());
    let duties = demo::duties::generate(&mut data, Size::Demo, 7, today, &cal);
    let roster = demo::volunteers::generate_roster(Size::Demo, 7, today, &data);
    let cert = Certificate {
        id: CertificateId(1),
        number: "2026-0001".into(),
        volunteer: VolunteerId(1),
        name: "陈阿姨".into(),
        from: today,
        to: today,
        minutes: 90,
        count: 1,
        issued_on: today,
        issued_by: WorkerId(1),
    };
    let mut seen = BTreeMap::new();
    keys(&data.workers, &mut seen);
    keys(&data.residents, &mut seen);
    keys(&data.requests, &mut seen);
    keys(&roster.teams, &mut seen);
    keys(&roster.posts, &mut seen);
    keys(&roster.volunteers, &mut seen);
    keys(&roster.activities, &mut seen);
    keys(&roster.records, &mut seen);
    keys(&[cert], &mut seen);
    keys(&duties.duties, &mut seen);
    keys(&duties.tasks, &mut seen);
    keys(&duties.rota, &mut seen);
    keys(&duties.leaves, &mut seen);
    keys(&duties.logs, &mut seen);
    keys(&duties.trainings, &mut seen);
    keys(&duties.evaluations, &mut seen);
    for k in RecordKind::ALL {
        assert!(seen.get(&k).copied().unwrap_or(0) > 0, "{k:?} was never checked");
    }
}

/// Stored enum values are their declared names, shown in words: no
/// `Debug` text is parsed, and every value a record can hold has words.
#[test]
fn every_stored_enum_value_has_words() {
    use linli::i18n::Lang;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let cal = WorkCalendar::builtin();
    let mut data = demo::generate(Size::Demo, 1, 7, today, &cal, &Categories::default());
    let duties = demo::duties::generate(&mut data, Size::Demo, 7, today, &cal);
    let roster = demo::volunteers::generate_roster(Size::Demo, 7, today, &data);
    let mut coded = 0;
    let mut check = |kind: RecordKind, fields_: Vec<(&'static str, String)>| {
        for (key, raw) in fields_ {
            let d = fields::find(kind, key).unwrap();
            if let fields::Shown::Code(words) = d.shown
                && !raw.is_empty()
            {
                coded += 1;
                let zh = words(Lang::Zh, &raw).unwrap_or_else(|| panic!("{kind:?}.{key} = {raw}: no words"));
                assert!(!zh.is_ascii(), "{kind:?}.{key} = {raw} has no Chinese words: {zh}");
                assert!(words(Lang::En, &raw).is_some(), "{kind:?}.{key} = {raw} in English");
            }
        }
    };
    for r in &data.requests {
        check(RecordKind::Request, r.fields());
    }
    for w in &data.workers {
        check(RecordKind::Worker, w.fields());
    }
    for v in &roster.volunteers {
        check(RecordKind::Volunteer, v.fields());
    }
    for t in &roster.teams {
        check(RecordKind::Team, t.fields());
    }
    for p in &roster.posts {
        check(RecordKind::Post, p.fields());
    }
    for l in &duties.leaves {
        check(RecordKind::Leave, l.fields());
    }
    for l in &duties.logs {
        check(RecordKind::LogEntry, l.fields());
    }
    for t in &duties.trainings {
        check(RecordKind::Training, t.fields());
    }
    for t in &duties.tasks {
        check(RecordKind::Task, t.fields());
    }
    for d in &duties.duties {
        check(RecordKind::Duty, d.fields());
    }
    assert!(coded > 1000, "{coded}");
}
