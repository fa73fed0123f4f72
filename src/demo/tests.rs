//! The demo data's promises: deterministic, the right sizes, plausible.

use super::*;
use crate::domain::request::limit_for;
use crate::domain::request::{Deadline, NoteKind};
use crate::domain::*;
use chrono::{Datelike, Duration, Months, NaiveDate};
use std::collections::HashSet;
use std::collections::{BTreeMap, HashMap};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 13).unwrap()
}

fn demo(seed: u64) -> Dataset {
    generate(Size::Demo, 1, seed, today(), &WorkCalendar::builtin(), &Categories::default())
}

#[test]
fn sizes_parse_and_count() {
    assert_eq!(Size::parse("demo"), Some(Size::Demo));
    assert_eq!(Size::parse("Typical"), Some(Size::Typical));
    assert_eq!(Size::parse("large"), Some(Size::Large));
    assert_eq!(Size::parse("huge"), None);
    assert_eq!(Size::Large.counts(), (40, 30_000, 100_000));
    let d = demo(1);
    assert_eq!((d.workers.len(), d.residents.len(), d.requests.len()), Size::Demo.counts());
    let t = generate(Size::Typical, 1, 1, today(), &WorkCalendar::builtin(), &Categories::default());
    assert_eq!((t.workers.len(), t.residents.len(), t.requests.len()), Size::Typical.counts());
    let d2 = generate(Size::Demo, 2, 1, today(), &WorkCalendar::builtin(), &Categories::default());
    assert_eq!((d2.workers.len(), d2.residents.len(), d2.requests.len()), (12, 1_600, 3_000));
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let a = demo(7);
    assert_eq!(a, demo(7));
    let b = demo(8);
    assert_ne!(a.residents, b.residents);
    assert_ne!(a.requests, b.requests);
}

#[test]
fn ids_follow_time_and_year() {
    let d = demo(1);
    for (k, w) in d.workers.iter().enumerate() {
        assert_eq!(w.id, WorkerId(k as u64 + 1));
    }
    for (k, r) in d.residents.iter().enumerate() {
        assert_eq!(r.id, ResidentId(k as u64 + 1));
    }
    for pair in d.requests.windows(2) {
        assert!(pair[0].id < pair[1].id);
        assert!(pair[0].logged_at <= pair[1].logged_at);
    }
    let mut seq: BTreeMap<i32, u64> = BTreeMap::new();
    for r in &d.requests {
        assert_eq!(r.id.year(), r.logged_at.year());
        let s = seq.entry(r.id.year()).or_insert(0);
        *s += 1;
        assert_eq!(r.id.seq(), *s, "sequence numbers start at 1 each year, without gaps");
    }
    assert!(seq.len() >= 5);
    let start = today().checked_sub_months(Months::new(60)).unwrap();
    assert!(d.requests[0].logged_at.date() > start);
}

#[test]
fn timelines_run_forward_and_stop_today() {
    let d = demo(3);
    let end = today().and_hms_opt(18, 0, 0).unwrap();
    let workers: HashSet<WorkerId> = d.workers.iter().map(|w| w.id).collect();
    for r in &d.requests {
        assert_eq!(r.notes[0].kind, NoteKind::Created);
        assert_eq!(r.notes[0].at, r.logged_at);
        for pair in r.notes.windows(2) {
            assert!(pair[0].at <= pair[1].at, "{}: notes out of order", r.id);
        }
        assert!(r.notes.iter().all(|n| n.at <= end && workers.contains(&n.by)));
        assert!(r.assignee.is_none_or(|a| workers.contains(&a)));
        let chars = r.description.chars().count();
        assert!((20..=80).contains(&chars), "{}: description of {chars} chars", r.description);
        assert!(!r.title.is_empty() && !r.location.is_empty());
    }
}

#[test]
fn statuses_spread_and_some_are_overdue() {
    let cal = WorkCalendar::builtin();
    let d = demo(1);
    let kinds: HashSet<Status> = d.requests.iter().map(|r| r.status).collect();
    assert!(kinds.len() >= 5, "{kinds:?}");
    for s in [Status::Closed, Status::Withdrawn, Status::Escalated] {
        assert!(kinds.contains(&s), "no {s:?}");
    }
    assert!(d.requests.iter().filter(|r| r.status.is_open()).count() >= 3);
    // a bigger community shows every state at once
    let t = generate(Size::Typical, 1, 1, today(), &cal, &Categories::default());
    let kinds: HashSet<Status> = t.requests.iter().map(|r| r.status).collect();
    assert!(kinds.len() >= 8, "{kinds:?}");
    let overdue = d
        .requests
        .iter()
        .filter(|r| r.status.is_open() && matches!(r.deadline(today(), &cal), Deadline::Overdue(_)))
        .count();
    assert!(overdue >= 1);
    // old requests are done
    let year_ago = today().checked_sub_months(Months::new(12)).unwrap();
    let old_open = d.requests.iter().filter(|r| r.logged_at.date() < year_ago && r.status.is_open()).count();
    assert_eq!(old_open, 0);
}

#[test]
fn phones_are_unique_and_maskable() {
    let d = demo(1);
    let phones: Vec<&str> = d
        .residents
        .iter()
        .map(|r| r.phone.as_str())
        .chain(d.workers.iter().map(|w| w.phone.as_str()))
        .filter(|p| !p.is_empty())
        .collect();
    let unique: HashSet<&str> = phones.iter().copied().collect();
    assert_eq!(unique.len(), phones.len());
    for p in phones {
        assert_eq!(mask::normalize_phone(p).as_deref(), Ok(p));
        let m = mask::phone(p);
        // a mobile keeps its last four digits, a landline its last two
        let tail = if p.starts_with('1') { 4 } else { 2 };
        assert!(m.contains("****") && m.ends_with(&p[p.len() - tail..]), "{m}");
    }
    let mobiles = d.residents.iter().filter(|r| r.phone.len() == 11 && r.phone.starts_with('1')).count();
    let without = d.residents.iter().filter(|r| r.phone.is_empty()).count();
    assert_eq!(mobiles + without, d.residents.len());
    assert!(without > 0 && without < d.residents.len() / 10);
}

#[test]
fn references_hold_and_places_agree() {
    let d = demo(1);
    let grids: HashSet<&str> = d.workers.iter().filter(|w| w.post == "网格员").map(|w| w.grid.as_str()).collect();
    assert_eq!(d.workers.iter().filter(|w| w.post == "书记").count(), 1);
    assert!(d.workers.iter().all(|w| crate::domain::worker::POSTS.contains(&w.post.as_str()) && w.active));
    let mut grid_of_building: HashMap<(String, String), String> = HashMap::new();
    for r in &d.residents {
        assert!(grids.contains(r.grid.as_str()), "{}", r.grid);
        let key = (r.address.estate.clone(), r.address.building.clone());
        let g = grid_of_building.entry(key).or_insert_with(|| r.grid.clone());
        assert_eq!(*g, r.grid, "one building, one grid");
        assert!(r.tags.iter().all(|t| crate::domain::resident::TAGS.contains(&t.as_str())));
    }
    for r in &d.requests {
        if let Some(id) = r.resident {
            assert!(id.0 >= 1 && id.0 as usize <= d.residents.len());
        }
    }
}

#[test]
fn names_include_surnames_read_differently() {
    let d = demo(1);
    let special = ["曾", "单", "解", "欧阳"];
    for s in special {
        assert!(d.residents.iter().any(|r| r.name.starts_with(s)), "no {s}");
    }
    let initials = crate::domain::pinyin::name_initials;
    let zeng = d.residents.iter().find(|r| r.name.starts_with('曾')).unwrap();
    assert!(initials(&zeng.name).first().starts_with('z'));
    assert!(d.residents.iter().all(|r| (2..=4).contains(&r.name.chars().count())));
}

#[test]
fn any_day_seed_and_category_list_gives_sound_timelines() {
    let cal = WorkCalendar::builtin();
    let custom = Categories::parse("小修小补 3\n供暖 7\n加装电梯 30\n").unwrap();
    let days = [(2026, 2, 17), (2026, 3, 15), (2026, 1, 2), (2025, 10, 1), (2027, 6, 30)];
    for (k, (y, m, d)) in days.into_iter().enumerate() {
        let today = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let end = today.and_hms_opt(18, 0, 0).unwrap();
        let cats = if k % 2 == 0 { Categories::default() } else { custom.clone() };
        // illegal moves trip a debug assertion inside the generator
        let data = generate(Size::Demo, 1, k as u64 * 7919, today, &cal, &cats);
        for r in &data.requests {
            assert!(r.notes.windows(2).all(|p| p[0].at <= p[1].at));
            assert!(r.notes.last().unwrap().at <= end);
            assert!(cats.0.iter().any(|c| c.name == r.category));
        }
    }
    let empty = generate(Size::Demo, 1, 1, today(), &cal, &Categories(Vec::new()));
    assert_eq!(empty.requests.len(), 1_500);
}

/// `cargo test --release -- --ignored --nocapture` prints timing and distributions.
#[test]
#[ignore]
fn large_timing_and_distributions() {
    let cal = WorkCalendar::builtin();
    let cats = Categories::default();
    let t0 = std::time::Instant::now();
    let d = generate(Size::Large, 1, 42, today(), &cal, &cats);
    let took = t0.elapsed();
    println!(
        "Large: {} workers, {} residents, {} requests in {took:?}",
        d.workers.len(),
        d.residents.len(),
        d.requests.len()
    );
    assert_eq!((d.workers.len(), d.residents.len(), d.requests.len()), Size::Large.counts());
    report(&d, &cal);
    report(&demo(1), &cal);
}

fn report(d: &Dataset, cal: &WorkCalendar) {
    let n = d.requests.len() as f64;
    let pct = |k: usize| format!("{:.1}%", k as f64 * 100.0 / n);
    let count = |f: &dyn Fn(&Request) -> bool| d.requests.iter().filter(|r| f(r)).count();
    let notes: usize = d.requests.iter().map(|r| r.notes.len()).sum();
    let comments: usize = d.requests.iter().flat_map(|r| &r.notes).filter(|n| n.kind == NoteKind::Comment).count();
    println!("notes/request {:.2} (comments {:.2})", notes as f64 / n, comments as f64 / n);
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for r in &d.requests {
        *by.entry(format!("{:?}", r.status)).or_default() += 1;
    }
    println!("status {:?}", by.iter().map(|(k, v)| format!("{k} {}", pct(*v))).collect::<Vec<_>>());
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for r in &d.requests {
        *by.entry(format!("{:?}", r.channel)).or_default() += 1;
    }
    println!("channel {:?}", by.iter().map(|(k, v)| format!("{k} {}", pct(*v))).collect::<Vec<_>>());
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for r in &d.requests {
        *by.entry(r.category.clone()).or_default() += 1;
    }
    println!("category {:?}", by.iter().map(|(k, v)| format!("{k} {}", pct(*v))).collect::<Vec<_>>());
    let mut by: BTreeMap<i32, usize> = BTreeMap::new();
    for r in &d.requests {
        *by.entry(r.logged_at.year()).or_default() += 1;
    }
    println!("per year {by:?}");
    println!(
        "anonymous {}, urgent {}, weekend {}",
        pct(count(&|r| r.resident.is_none())),
        pct(count(&|r| r.urgency == Urgency::Urgent)),
        pct(count(&|r| !cal.is_working_day(r.logged_at.date())))
    );
    // overdue: resolved after the due date in force, or open and past due today
    let late = count(&|r| {
        let first_resolve =
            r.notes.iter().find(|n| matches!(n.kind, NoteKind::Moved { kind: crate::domain::MoveKind::Resolve, .. }));
        let due =
            cal.add_working_days(r.logged_at.date(), limit_for(Categories::default().limit_of(&r.category), r.urgency));
        match first_resolve {
            Some(n) => n.at.date() > due,
            None => r.status.is_open() && due < today(),
        }
    });
    let open_overdue = count(&|r| r.status.is_open() && matches!(r.deadline(today(), cal), Deadline::Overdue(_)));
    println!("late (resolved or still open past due) {}, open & overdue today {open_overdue}", pct(late));
    let sats: Vec<Satisfaction> = d
        .requests
        .iter()
        .flat_map(|r| &r.notes)
        .filter(|n| r_is_first_callback(n))
        .filter_map(|n| n.satisfaction)
        .collect();
    let m = sats.len() as f64;
    let share = |s: Satisfaction| format!("{:.1}%", sats.iter().filter(|x| **x == s).count() as f64 * 100.0 / m);
    println!(
        "callbacks: 满意 {} 基本满意 {} 不满意 {}",
        share(Satisfaction::Satisfied),
        share(Satisfaction::Basic),
        share(Satisfaction::Unsatisfied)
    );
    let recent = today() - Duration::days(28);
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for r in d.requests.iter().filter(|r| r.logged_at.date() > recent) {
        *by.entry(format!("{:?}", r.status)).or_default() += 1;
    }
    println!("last 4 weeks {by:?}");
    let rn = d.residents.len() as f64;
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &d.residents {
        for t in &r.tags {
            *tags.entry(t.as_str()).or_default() += 1;
        }
    }
    println!("tags {:?}", tags.iter().map(|(k, v)| format!("{k} {:.1}%", *v as f64 * 100.0 / rn)).collect::<Vec<_>>());
    let nophone = d.residents.iter().filter(|r| r.phone.is_empty()).count();
    let notes = d.residents.iter().filter(|r| !r.notes.is_empty()).count();
    println!("no phone {:.1}%, with notes {:.1}%", nophone as f64 * 100.0 / rn, notes as f64 * 100.0 / rn);
    let mut per: HashMap<u64, usize> = HashMap::new();
    for r in &d.requests {
        if let Some(id) = r.resident {
            *per.entry(id.0).or_default() += 1;
        }
    }
    let mut counts: Vec<usize> = per.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    println!(
        "residents with requests {} / {}; top {:?}",
        per.len(),
        d.residents.len(),
        &counts[..10.min(counts.len())]
    );
    for r in d.requests.iter().rev().take(3).chain(d.requests.iter().take(1)) {
        println!("{} {:?} {} | {} | {} | {:?}", r.id, r.status, r.category, r.title, r.location, r.resident);
        println!("   {}", r.description);
        for n in &r.notes {
            println!("   {} w{} {:?} {}", n.at, n.by.0, n.kind, n.text);
        }
    }
    for r in d.residents.iter().take(12) {
        println!("{} {} {} {} {:?} {}", r.name, r.phone, r.address, r.grid, r.tags, r.notes);
    }
    for w in &d.workers {
        println!("{} {} {} {} {}", w.id.0, w.name, w.post, w.phone, w.grid);
    }
}

fn r_is_first_callback(n: &crate::domain::Note) -> bool {
    matches!(n.kind, NoteKind::Moved { kind: crate::domain::MoveKind::CallBack, .. })
}
