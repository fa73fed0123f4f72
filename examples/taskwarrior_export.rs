//! The requests of a linli data dir as taskwarrior import JSON, for the
//! side-by-side in BENCHMARKS.md (issue 8, item 6), run by
//! `scripts/bench-taskwarrior.sh`.
//!
//! ```text
//! taskwarrior_export DATA_DIR OUT.jsonl [REQUESTS_ONLY_DATA_DIR]
//! ```
//!
//! Writes one task per line (`task import` reads JSON lines as well as one
//! array), carrying what linli keeps about each request:
//!
//! - description: the title; project: the category;
//! - tags: the channel and the status (as the app names them), priority H
//!   when urgent;
//! - entry: when it was logged; due: the time limit; modified: the last
//!   timeline entry;
//! - status: pending while the office still has to handle it (登记, 已分派,
//!   办理中, 已上报), deleted when withdrawn, completed otherwise, with `end`
//!   at the last timeline entry;
//! - annotations: the timeline, one per entry (who, what, the text);
//! - UDAs (declared in the taskrc the script writes): rid (the request
//!   number), detail (the description), location, resident and address (the
//!   resident's name and address, copied into each task since taskwarrior
//!   has no other place for them), phone, assignee, satisfaction.
//!
//! Taskwarrior keys annotations by their time in whole seconds, so two
//! timeline entries in the same second would keep only one: later ones are
//! moved on by a second (counted in the summary).
//!
//! With REQUESTS_ONLY_DATA_DIR (which must not exist yet) it also writes a
//! linli store holding only the workers, residents and requests (no roster,
//! no duties board), by the same bulk load `linli gen` uses, with its saved
//! search index: the same records as the tasks, for the disk and whole-process
//! comparison. (Copy `calendar.txt` and `categories.txt` beside it, or the
//! app writes the defaults at its first start.)

use chrono::NaiveDateTime;
use linli::domain::{NoteKind, Request, Resident, Status, Worker};
use linli::i18n::{self, Lang};
use linli::store::Store;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufWriter, Write};

fn tw_time(t: NaiveDateTime) -> String {
    // linli keeps local wall-clock times; written as if UTC, which changes
    // nothing about sizes or counts
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: taskwarrior_export DATA_DIR OUT.jsonl [REQUESTS_ONLY_DATA_DIR]");
        std::process::exit(2);
    }
    let dir = std::path::PathBuf::from(&args[1]);
    let store = Store::open(&dir).expect("open the store");
    let workers: Vec<Worker> = store.workers().expect("workers");
    let residents: Vec<Resident> = store.residents().expect("residents");
    let worker_name: HashMap<u64, String> = workers.iter().map(|w| (w.id.0, w.name.clone())).collect();
    let resident_of: HashMap<u64, &Resident> = residents.iter().map(|r| (r.id.0, r)).collect();
    let who = |id: u64| worker_name.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let zh = Lang::Zh;

    let mut out = BufWriter::new(std::fs::File::create(&args[2]).expect("create OUT"));
    let (mut n, mut bumped, mut annotations) = (0usize, 0usize, 0usize);
    let mut by_status: HashMap<&'static str, usize> = HashMap::new();
    let mut bigrams: HashMap<(char, char), usize> = HashMap::new();
    let mut requests: Vec<Request> = Vec::new();
    let keep = args.len() > 3;
    store
        .scan_requests(|r| {
            n += 1;
            let status = if r.status.is_open() {
                "pending"
            } else if r.status == Status::Withdrawn {
                "deleted"
            } else {
                "completed"
            };
            *by_status.entry(status).or_default() += 1;
            let title: Vec<char> = r.title.chars().collect();
            let mut seen = std::collections::HashSet::new();
            for w in title.windows(2) {
                if w.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) && seen.insert((w[0], w[1])) {
                    *bigrams.entry((w[0], w[1])).or_default() += 1;
                }
            }
            let mut task = serde_json::Map::new();
            task.insert("description".into(), json!(r.title));
            task.insert("status".into(), json!(status));
            task.insert("project".into(), json!(r.category));
            task.insert("tags".into(), json!([i18n::channel(zh, r.channel), i18n::status(zh, r.status)]));
            if r.urgency == linli::domain::Urgency::Urgent {
                task.insert("priority".into(), json!("H"));
            }
            task.insert("entry".into(), json!(tw_time(r.logged_at)));
            task.insert("due".into(), json!(tw_time(r.due.and_hms_opt(0, 0, 0).unwrap())));
            let last = r.notes.last().map_or(r.logged_at, |n| n.at);
            task.insert("modified".into(), json!(tw_time(last)));
            if status != "pending" {
                task.insert("end".into(), json!(tw_time(last)));
            }
            task.insert("rid".into(), json!(r.id.to_string()));
            if !r.description.is_empty() {
                task.insert("detail".into(), json!(r.description));
            }
            if !r.location.is_empty() {
                task.insert("location".into(), json!(r.location));
            }
            if let Some(res) = r.resident.and_then(|id| resident_of.get(&id.0)) {
                task.insert("resident".into(), json!(res.name));
                if !res.address.is_empty() {
                    task.insert("address".into(), json!(res.address.to_string()));
                }
                if !res.phone.is_empty() {
                    task.insert("phone".into(), json!(res.phone));
                }
            }
            if let Some(a) = r.assignee {
                task.insert("assignee".into(), json!(who(a.0)));
            }
            if let Some(s) = r.satisfaction {
                task.insert("satisfaction".into(), json!(i18n::satisfaction(zh, s)));
            }
            let mut notes: Vec<Value> = Vec::new();
            let mut prev: Option<NaiveDateTime> = None;
            for note in &r.notes {
                let mut at = note.at;
                if let Some(p) = prev
                    && at <= p
                {
                    at = p + chrono::Duration::seconds(1);
                    bumped += 1;
                }
                prev = Some(at);
                let by = who(note.by.0);
                let what = match &note.kind {
                    NoteKind::Created => format!("{by} 登记 ({})", i18n::channel(zh, r.channel)),
                    NoteKind::Moved { kind, to } => {
                        let mut s = format!("{by} {} → {}", i18n::move_kind(zh, *kind), i18n::status(zh, *to));
                        if let Some(a) = note.assignee {
                            s.push_str(&format!(" {}", who(a.0)));
                        }
                        if let Some(sat) = note.satisfaction {
                            s.push_str(&format!(" ({})", i18n::satisfaction(zh, sat)));
                        }
                        if !note.text.is_empty() {
                            s.push_str(&format!(": {}", note.text));
                        }
                        s
                    }
                    NoteKind::Comment => format!("{by} 备注: {}", note.text),
                    NoteKind::Handed { team, volunteer } => {
                        let mut s = format!("{by} 交志愿者");
                        if let Some(t) = team {
                            s.push_str(&format!(" 队#{t}"));
                        }
                        if let Some(v) = volunteer {
                            s.push_str(&format!(" 志愿者#{v}"));
                        }
                        if !note.text.is_empty() {
                            s.push_str(&format!(": {}", note.text));
                        }
                        s
                    }
                    NoteKind::MergedIn { .. } | NoteKind::DueRecomputed { .. } => {
                        format!("{by} {}", i18n::note_step(zh, note, r.merged_into))
                    }
                };
                notes.push(json!({ "entry": tw_time(at), "description": what }));
            }
            annotations += notes.len();
            task.insert("annotations".into(), Value::Array(notes));
            serde_json::to_writer(&mut out, &Value::Object(task)).expect("write");
            out.write_all(b"\n").expect("write");
            if keep {
                requests.push(r);
            }
        })
        .expect("scan the requests");
    out.flush().expect("flush");

    let mut common: Vec<((char, char), usize)> = bigrams.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("tasks {n}");
    let mut st: Vec<_> = by_status.into_iter().collect();
    st.sort();
    for (s, k) in st {
        println!("status {s} {k}");
    }
    println!("annotations {annotations} (moved on by a second to keep them apart: {bumped})");
    for ((a, b), k) in common.iter().take(5) {
        println!("bigram {a}{b} {k}");
    }

    if let Some(dest) = args.get(3) {
        let dest = std::path::PathBuf::from(dest);
        assert!(!dest.exists(), "{} exists already", dest.display());
        let data = linli::demo::Dataset { workers, residents, requests };
        drop(store);
        let t = std::time::Instant::now();
        let copy = Store::open_to_load(&dest, &mut |_, _| {}).expect("create the requests-only store");
        copy.bulk_load(&data).expect("bulk load");
        // as `linli gen` does: save the app's search index beside the store,
        // and open once more so that sled writes its recovery snapshot
        let mut index = linli::ui::app::Loaded::of_dataset(&data);
        let generation = copy.generation().expect("generation");
        linli::store::index_cache::write(&mut index, generation, &dest).expect("write index.snapshot");
        drop(copy);
        drop(Store::open(&dest).expect("reopen"));
        println!(
            "requests-only store: {} workers, {} residents, {} requests in {:.1?}",
            data.workers.len(),
            data.residents.len(),
            data.requests.len(),
            t.elapsed()
        );
    }
}
