//! The index's searches, filters and sorts.

use super::*;
use crate::domain::request::NewRequest;
use crate::domain::{Address, Categories};
use chrono::NaiveDate;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

fn resident(id: u64, name: &str, phone: &str) -> Resident {
    let mut r = Resident::new(ResidentId(id), name);
    r.phone = phone.into();
    r.address = Address::parse("幸福小区 3-2-301");
    r
}

fn req(seq: u64, title: &str, cat: &str, res: Option<u64>, d: NaiveDate) -> Request {
    let cal = WorkCalendar::builtin();
    Request::create(
        RequestId::new(2025, seq),
        NewRequest {
            channel: Channel::Phone,
            category: cat.into(),
            title: title.into(),
            description: "居民反映".into(),
            location: String::new(),
            resident: res.map(ResidentId),
            urgency: Urgency::Normal,
            work_order: String::new(),
            hotline_due: None,
        },
        WorkerId(1),
        d.and_hms_opt(9, 0, 0).unwrap(),
        Categories::default().limit_of(cat),
        &cal,
    )
}

fn index() -> RequestIndex {
    built(false)
}

/// [`index`], its text laid out as it is added (as a rebuild does) or not.
fn built(lay_out: bool) -> RequestIndex {
    let mut idx = RequestIndex::new([
        resident(1, "张三", "13812345678"),
        resident(2, "曾小明", "13900001111"),
        resident(3, "单田芳", "13700002222"),
    ]);
    if lay_out {
        idx.lay_out_as_added();
    }
    idx.upsert(&req(1, "楼道灯不亮", "小修小补", Some(1), day(3, 3)));
    idx.upsert(&req(2, "停车位被占", "停车难", Some(2), day(3, 4)));
    idx.upsert(&req(3, "狗不牵绳", "文明养犬", Some(3), day(3, 5)));
    idx.upsert(&req(4, "路灯坏了", "小修小补", None, day(3, 6)));
    idx
}

fn ids(idx: &mut RequestIndex, q: &str) -> Vec<u64> {
    let today = Today::new(day(3, 6), &WorkCalendar::builtin());
    let hits = idx.query(q, &Filter::default(), Sort::Newest, today);
    hits.iter().map(|&i| idx.row(i).unwrap().id.seq()).collect()
}

#[test]
fn finds_by_chinese_substring_initials_and_phone_tail() {
    let mut idx = index();
    assert_eq!(ids(&mut idx, "灯"), vec![4, 1]);
    assert_eq!(ids(&mut idx, "zs"), vec![1]);
    assert_eq!(ids(&mut idx, "zxm"), vec![2], "曾 reads z as a surname");
    assert_eq!(ids(&mut idx, "st"), vec![3], "单 reads s as a surname");
    assert_eq!(ids(&mut idx, "5678"), vec![1]);
    assert_eq!(ids(&mut idx, "张三"), vec![1]);
    assert_eq!(ids(&mut idx, "幸福小区 停车"), vec![2]);
    assert_eq!(ids(&mut idx, "2025-000003"), vec![3]);
    assert_eq!(ids(&mut idx, ""), vec![4, 3, 2, 1]);
    assert!(ids(&mut idx, "不存在的").is_empty());
}

#[test]
fn narrowing_gives_the_same_answer_as_a_fresh_search() {
    let mut idx = index();
    assert_eq!(ids(&mut idx, "楼"), vec![1]);
    assert_eq!(ids(&mut idx, "楼道"), vec![1]);
    // deleting a character must widen again, not narrow
    assert_eq!(ids(&mut idx, "z"), vec![2, 1]);
    assert_eq!(ids(&mut idx, "zs"), vec![1]);
    assert_eq!(ids(&mut idx, "z"), vec![2, 1]);
    // typing a phone tail digit by digit keeps the right hit
    for q in ["5", "56", "567", "5678"] {
        assert!(ids(&mut idx, q).contains(&1), "{q}");
    }
    assert_eq!(ids(&mut idx, "5678"), vec![1]);
}

/// A small deterministic generator for the property test (the store's
/// tests cannot use the demo's).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn text(&mut self, alphabet: &[&str], max: usize) -> String {
        (0..self.below(max + 1)).map(|_| alphabet[self.below(alphabet.len())]).collect()
    }
}

const ALPHABET: &[&str] =
    &["楼", "道", "灯", "不", "亮", "张", "曾", "单", "a", "B", "z", "s", "1", "2", "5", "7", "-", "Σ", " "];

/// What every search must answer: each row and resident checked in full,
/// written here from the rule, not from the index's code.
fn brute(reqs: &std::collections::BTreeMap<RequestId, Request>, res: &[Option<Resident>], q: &str) -> Vec<RequestId> {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let has = |r: &Request, w: &str| {
        let mut text = r.id.to_string();
        for f in [&r.title, &r.description, &r.location, &r.category] {
            text.push('\u{1f}');
            text.extend(f.chars().flat_map(char::to_lowercase));
        }
        if text.contains(w) {
            return true;
        }
        let Some(p) = r.resident.and_then(|id| res.get(id.0 as usize)).and_then(Option::as_ref) else {
            return false;
        };
        let lower = format!("{}\u{1f}{}\u{1f}{}", p.name, p.address, p.tags.join("、")).to_lowercase();
        if w.chars().all(|c| c.is_ascii_digit()) {
            p.phone.contains(w)
        } else if w.chars().all(|c| c.is_ascii_alphabetic()) {
            name_initials(&p.name).has_prefix(w) || lower.contains(w)
        } else {
            lower.contains(w)
        }
    };
    reqs.values().rev().filter(|r| words.iter().all(|w| has(r, w))).map(|r| r.id).collect()
}

#[test]
fn the_index_answers_every_search_as_checking_every_row_does() {
    let today = Today::new(day(3, 6), &WorkCalendar::builtin());
    let f = Filter::default();
    for seed in 1..=6u64 {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
        let mut idx = RequestIndex::default();
        // the text in many small packed blocks (a row of its own, and
        // several rows), and in the tail: every answer the same
        let block = [48, 100, 256, 700, 2000, 160][seed as usize % 6];
        // the text laid out in windows of a few rows to all of them, and
        // as it is added (as a rebuild does), or when sealed
        let window = [7, 16, 50, 1000, 3, 64][seed as usize % 6];
        idx.small_hay(block, window);
        if seed % 2 == 1 {
            idx.lay_out_as_added();
        }
        let mut res: Vec<Option<Resident>> = vec![None];
        let mut reqs = std::collections::BTreeMap::new();
        let new_resident = |rng: &mut Rng, id: u64| {
            let mut p = resident(id, &rng.text(&["张", "曾", "单", "李", "楼", "三", "Σ", "a"], 3), "");
            p.phone = rng.text(&["1", "2", "5", "7", "8"], 11);
            p.address = crate::domain::Address::parse(&rng.text(ALPHABET, 8));
            p.tags = (0..rng.below(3)).map(|_| rng.text(ALPHABET, 3)).collect();
            p
        };
        let new_request = |rng: &mut Rng, id: RequestId, residents: usize| {
            let mut r = req(1, "", "小修小补", None, day(3, 3));
            r.id = id;
            r.title = rng.text(ALPHABET, 6);
            r.description = rng.text(ALPHABET, 12);
            r.location = rng.text(ALPHABET, 4);
            r.category = ["小修小补", "楼道照明", "Zs类"][rng.below(3)].into();
            r.resident = (rng.below(5) != 0).then(|| ResidentId(1 + rng.below(residents) as u64));
            r
        };
        let check = |idx: &mut RequestIndex,
                     reqs: &std::collections::BTreeMap<RequestId, Request>,
                     res: &[Option<Resident>],
                     rng: &mut Rng,
                     state: &str| {
            for _ in 0..60 {
                let q = match rng.below(4) {
                    0 => rng.text(&["1", "2", "5", "7", "-"], 4),
                    1 => rng.text(&["z", "s", "a", "b", "l"], 3),
                    _ => rng.text(ALPHABET, 5),
                };
                let hits = idx.query(&q, &f, Sort::Newest, today);
                let got: Vec<RequestId> = hits.iter().map(|&i| idx.row(i).unwrap().id).collect();
                for &i in &hits {
                    let row = idx.row(i).unwrap();
                    assert_eq!(idx.title_of(row), reqs[&row.id].title, "seed {seed}, {state}: the title as typed");
                }
                let want = brute(reqs, res, &q);
                if got != want {
                    for id in want.iter().filter(|x| !got.contains(x)) {
                        let r = &reqs[id];
                        let p = r.resident.and_then(|i| res.get(i.0 as usize).cloned().flatten());
                        eprintln!(
                            "missing {id:?} pos {:?} res {:?} {:?} ini {:?}",
                            idx.position(*id),
                            r.resident,
                            p.as_ref().map(|p| (&p.name, &p.address, &p.tags)),
                            p.as_ref().map(|p| name_initials(&p.name))
                        );
                    }
                }
                assert_eq!(got, want, "seed {seed}, {state}, query {q:?}");
            }
        };
        // a session's changes at random: `edits` requests edited or
        // removed (one in three), `residents` residents renamed or added
        let edit = |idx: &mut RequestIndex,
                    reqs: &mut std::collections::BTreeMap<RequestId, Request>,
                    res: &mut Vec<Option<Resident>>,
                    rng: &mut Rng,
                    edits: usize,
                    residents: usize| {
            let ids: Vec<RequestId> = reqs.keys().copied().collect();
            for _ in 0..edits {
                let id = ids[rng.below(ids.len())];
                if rng.below(3) == 0 {
                    idx.remove(id);
                    reqs.remove(&id);
                } else {
                    let r = new_request(rng, id, res.len() - 1);
                    idx.upsert(&r);
                    reqs.insert(id, r);
                }
            }
            for _ in 0..residents {
                let id = 1 + rng.below(res.len() + 2) as u64;
                let p = new_resident(rng, id);
                idx.upsert_resident(&p);
                if id as usize >= res.len() {
                    res.resize(id as usize + 1, None);
                }
                res[id as usize] = Some(p);
            }
        };
        for id in 1..=60u64 {
            let p = new_resident(&mut rng, id);
            idx.upsert_resident(&p);
            res.push(Some(p));
        }
        for seq in 1..=300u64 {
            if rng.below(4) == 0 {
                continue; // gaps in the numbers
            }
            let r = new_request(&mut rng, RequestId::new(2025, seq), 60);
            idx.upsert(&r);
            reqs.insert(r.id, r);
        }
        // (text held for a window of 1,000 rows is not packed until sealed)
        if window < 300 {
            assert!(idx.hay_blocks() > 4, "seed {seed}: {} blocks", idx.hay_blocks());
        }
        check(&mut idx, &reqs, &res, &mut rng, "before the lists are built");
        idx.seal();
        assert!(idx.is_laid_out(), "seed {seed}: each window's text together, sorted");
        check(&mut idx, &reqs, &res, &mut rng, "sealed");
        // a session's changes: edits, removals, renamed and new residents,
        // new requests, one out of number order
        edit(&mut idx, &mut reqs, &mut res, &mut rng, 40, 15);
        let gone = ResidentId(1 + rng.below(60) as u64);
        idx.remove_resident(gone);
        res[gone.0 as usize] = None;
        for seq in 301..=320u64 {
            let r = new_request(&mut rng, RequestId::new(2025, seq), res.len() - 1);
            idx.upsert(&r);
            reqs.insert(r.id, r);
        }
        check(&mut idx, &reqs, &res, &mut rng, "after edits");
        let r = new_request(&mut rng, RequestId::new(2024, 7), res.len() - 1);
        idx.upsert(&r);
        reqs.insert(r.id, r);
        check(&mut idx, &reqs, &res, &mut rng, "after an insert out of order");
        idx.seal();
        assert!(idx.is_laid_out(), "seed {seed}: laid out again after the edits");
        let (meta, hay, titles, grams, res_grams) = idx.to_sections().unwrap();
        let mut back = RequestIndex::from_sections(
            &meta,
            hay.to_vec(),
            String::from_utf8(titles.to_vec()).unwrap(),
            grams,
            res_grams,
        )
        .unwrap();
        check(&mut back, &reqs, &res, &mut rng, "saved and read back");

        // read back with its lists to come (issue 19t): every answer exact
        // before they are added, through a session's changes meanwhile,
        // and after
        let (meta, hay, titles, grams, res_grams) = back.to_sections().unwrap();
        let (hay, titles) = (hay.to_vec(), String::from_utf8(titles.to_vec()).unwrap());
        let lists = (Grams::from_bytes(grams).unwrap(), Grams::from_bytes(res_grams).unwrap());
        let mut early = RequestIndex::with_text_later(RequestIndex::decode_meta(&meta).unwrap(), &hay, titles).unwrap();
        let token = early.later_token().unwrap();
        check(&mut early, &reqs, &res, &mut rng, "its lists to come");
        edit(&mut early, &mut reqs, &mut res, &mut rng, 30, 6);
        // a number in a gap, in the middle: the rows after it move
        let gap = (150..300u64).map(|s| RequestId::new(2025, s)).find(|id| !reqs.contains_key(id)).unwrap();
        let r = new_request(&mut rng, gap, res.len() - 1);
        early.upsert(&r);
        reqs.insert(gap, r);
        for seq in 321..=330u64 {
            let r = new_request(&mut rng, RequestId::new(2025, seq), res.len() - 1);
            early.upsert(&r);
            reqs.insert(r.id, r);
        }
        check(&mut early, &reqs, &res, &mut rng, "its lists to come, after changes");
        assert_eq!(early.later_token(), Some(token), "searches did not build lists of their own meanwhile");
        assert!(!early.add_lists(token.wrapping_add(1), None), "another index's lists");
        assert_eq!(early.later_token(), Some(token), "still waiting for its own");
        assert!(early.add_lists(token, Some(lists)), "its own lists");
        assert!(early.later_token().is_none());
        check(&mut early, &reqs, &res, &mut rng, "its lists added after changes");
        early.seal();
        check(&mut early, &reqs, &res, &mut rng, "its lists added, sealed again");
    }
}

/// Lists that do not fit the rows they came for are refused; the index
/// then builds its own when searched, and answers as before.
#[test]
fn lists_that_do_not_fit_a_saved_copy_are_refused_and_built_anew() {
    let mut idx = index();
    idx.seal();
    let (meta, hay, titles, _, res_grams) = idx.to_sections().unwrap();
    let (hay, titles) = (hay.to_vec(), String::from_utf8(titles.to_vec()).unwrap());
    // the first request's text another, and one request more
    let mut other = index();
    other.upsert(&req(1, "井盖松动", "小修小补", Some(1), day(3, 3)));
    other.upsert(&req(5, "井盖松动", "小修小补", None, day(3, 7)));
    other.seal();
    let (_, _, _, wrong, _) = other.to_sections().unwrap();
    let wrong = (Grams::from_bytes(wrong).unwrap(), Grams::from_bytes(res_grams).unwrap());
    let mut early = RequestIndex::with_text_later(RequestIndex::decode_meta(&meta).unwrap(), &hay, titles).unwrap();
    let token = early.later_token().unwrap();
    assert!(!early.add_lists(token, Some(wrong)), "lists of five rows for four");
    assert!(early.later_token().is_none(), "not waited for again");
    let queries = ["", "灯", "楼道灯", "井盖", "zs", "5678", "停车"];
    for q in queries {
        assert_eq!(ids(&mut early, q), ids(&mut idx, q), "query {q:?}");
    }
    early.seal();
    assert!(early.is_sealed(), "its own lists");
    for q in queries {
        assert_eq!(ids(&mut early, q), ids(&mut idx, q), "query {q:?}, sealed");
    }
}

/// The first section's rows are read into a list of exactly their number
/// (issue 19zc); a number of rows beyond the section's bytes is refused
/// before anything is allocated, never a panic; one row more than there
/// are does not read.
#[test]
fn a_first_section_naming_more_rows_than_it_holds_is_refused() {
    let mut idx = index();
    idx.upsert(&req(9, "电梯异响", "电梯", None, day(3, 9)));
    idx.seal();
    let (meta, hay, titles, _, _) = idx.to_sections().unwrap();
    assert_eq!(meta[0], 5, "five rows, their number first");
    let back = RequestIndex::with_text_later(
        RequestIndex::decode_meta(&meta).unwrap(),
        &hay,
        String::from_utf8(titles.to_vec()).unwrap(),
    )
    .unwrap();
    let rows = back.memory().into_iter().find(|(k, _)| *k == "rows").unwrap().1;
    assert_eq!(rows, 5 * std::mem::size_of::<Row>(), "a list of exactly five rows");
    let with_count = |n: u64| {
        let mut m = postcard::to_stdvec(&n).unwrap();
        m.extend_from_slice(&meta[1..]);
        m
    };
    assert!(RequestIndex::decode_meta(&with_count(5)).is_some());
    assert!(RequestIndex::decode_meta(&with_count(6)).is_none(), "one row more than there are");
    assert!(RequestIndex::decode_meta(&with_count(meta.len() as u64)).is_none(), "more rows than bytes");
    assert!(RequestIndex::decode_meta(&with_count(u64::MAX / 2)).is_none(), "a number no list can hold");
    assert!(RequestIndex::decode_meta(&[]).is_none() && RequestIndex::decode_meta(&[0x80]).is_none());
}

#[test]
fn filters_and_sorts() {
    let mut idx = index();
    let cal = WorkCalendar::builtin();
    let today = Today::new(day(3, 12), &cal);
    let f = Filter { category: Some("小修小补".into()), ..Default::default() };
    assert_eq!(idx.query("", &f, Sort::Newest, today).len(), 2);
    let f = Filter { category: Some("没有这类".into()), ..Default::default() };
    assert!(idx.query("", &f, Sort::Newest, today).is_empty());
    // 小修小补 has 3 working days: logged 3 Mar → due 6 Mar, overdue on 12 Mar
    let f = Filter { overdue: true, ..Default::default() };
    let hits = idx.query("", &f, Sort::Due, today);
    let seqs: Vec<u64> = hits.iter().map(|&i| idx.row(i).unwrap().id.seq()).collect();
    assert_eq!(seqs, vec![1, 3, 4]);
    let sorted = idx.query("", &Filter::default(), Sort::OldestOpen, today);
    assert_eq!(idx.row(sorted[0]).unwrap().id.seq(), 1);
}

#[test]
fn the_saved_sections_answer_like_the_live_index_after_edits_and_removals() {
    let mut idx = index();
    let mut r = req(2, "停车位被占已处理", "停车难", Some(2), day(3, 4));
    r.status = Status::Resolved;
    idx.upsert(&r); // leaves the old text as garbage in the arena
    idx.upsert(&req(3, "狗不牵绳又来了", "文明养犬", Some(3), day(3, 5)));
    idx.remove(RequestId::new(2025, 1));
    assert!(idx.to_sections().is_err(), "only a sealed index is saved");
    idx.seal();
    let (meta, hay, titles, grams, res_grams) = idx.to_sections().unwrap();
    let (hay, titles) = (hay.to_vec(), titles.to_vec());
    let mut back = RequestIndex::from_sections(
        &meta,
        hay.clone(),
        String::from_utf8(titles.clone()).unwrap(),
        grams.clone(),
        res_grams.clone(),
    )
    .unwrap();
    for q in ["", "停车", "已处理", "被占", "狗", "又来", "zs", "zxm", "st", "灯", "2222", "5678", "2025-000003"]
    {
        assert_eq!(ids(&mut idx, q), ids(&mut back, q), "query {q:?}");
    }
    // the figures, the open rows' due dates and the residents are saved, not counted again
    assert_eq!(back.figures(), idx.figures());
    let live = (0..idx.len() as u32).filter_map(|i| idx.row(i)).map(Row::fact);
    assert_eq!(back.figures(), &crate::domain::overview::RequestFigures::from_facts(live));
    assert_eq!(back.latest_open_due(), idx.latest_open_due());
    assert!(back.latest_open_due().is_some());
    let names =
        |i: &RequestIndex| i.residents().map(|k| (k.id, k.name.to_string(), k.phone.to_string())).collect::<Vec<_>>();
    assert_eq!(names(&back), names(&idx));
    assert_eq!(names(&back).len(), 3);
    assert!(
        RequestIndex::from_sections(
            &meta[..meta.len() / 2],
            Vec::new(),
            String::new(),
            grams.clone(),
            res_grams.clone()
        )
        .is_none()
    );
    assert!(
        RequestIndex::from_sections(
            &meta,
            hay,
            String::from_utf8(titles).unwrap(),
            grams[..grams.len() - 1].to_vec(),
            res_grams
        )
        .is_none()
    );
}

/// Text laid out by windows, each sorted (issue 19zi), is still read in
/// row order, as the lists are built, with each block unpacked about once,
/// not once a row.
#[test]
fn text_laid_out_by_windows_is_read_in_row_order_a_block_about_once() {
    // a rebuild of no request at all
    let mut empty = RequestIndex::to_rebuild();
    empty.seal();
    assert!(empty.is_laid_out() && empty.is_sealed());
    let mut idx = RequestIndex::default();
    idx.small_hay(300, 40);
    // as a rebuild adds rows: each window laid out once it is full
    idx.lay_out_as_added();
    let titles = ["路灯不亮", "楼道灯坏了", "垃圾清运", "噪音扰民", "电梯故障", "下水道堵塞", "停车难"];
    for seq in 1..=400u64 {
        let title = titles[(seq * 7 % 11 % 7) as usize];
        let mut r = req(1, title, "小修小补", None, day(3, 3));
        r.id = RequestId::new(2025, seq);
        r.description = format!("第{seq}号楼，{title}");
        idx.upsert(&r);
    }
    assert_eq!(idx.hay_unpacked(), 0, "nothing packed was unpacked to be laid out again");
    assert!(idx.is_laid_out(), "ten full windows, laid out as they came");
    idx.seal();
    assert!(idx.is_laid_out());
    let blocks = idx.hay_blocks();
    assert!(blocks > 40, "{blocks} blocks");
    let before = idx.hay_unpacked();
    let mut n = 0;
    idx.each_text(|_| n += 1);
    assert_eq!(n, 400);
    let unpacked = idx.hay_unpacked() - before;
    // a block two windows share is unpacked for each
    assert!(unpacked <= blocks + 400 / 40, "{unpacked} unpacked for {blocks} blocks");
    // and a word many rows share is in few blocks: its rows lie together
    let before = idx.hay_unpacked();
    let hits = idx.query("楼道灯", &Filter::default(), Sort::Newest, Today::new(day(3, 6), &WorkCalendar::builtin()));
    assert!(hits.len() > 50, "{} hits", hits.len());
    let unpacked = idx.hay_unpacked() - before;
    assert!(unpacked * 2 < blocks, "{unpacked} of {blocks} blocks unpacked for 楼道灯");
    // a row edited in every window: its new text lies elsewhere, and the
    // rest of its window is still read a block about once
    for seq in (7..=400u64).step_by(40) {
        let mut r = req(1, "楼道灯坏了", "小修小补", None, day(3, 3));
        r.id = RequestId::new(2025, seq);
        r.description = format!("第{seq}号楼，改过了");
        idx.upsert(&r);
    }
    let before = idx.hay_unpacked();
    let mut n = 0;
    idx.each_text(|_| n += 1);
    assert_eq!(n, 400);
    let unpacked = idx.hay_unpacked() - before;
    assert!(unpacked <= idx.hay_blocks() + 2 * 400 / 40, "{unpacked} unpacked for {} blocks", idx.hay_blocks());
    idx.seal();
    assert!(idx.is_laid_out());
}

#[test]
fn a_sealed_index_keeps_only_its_live_rows_text() {
    let hay = |idx: &RequestIndex| idx.memory().into_iter().find(|(part, _)| *part == "hay").unwrap().1;
    // as a build from the records leaves it: laid out as added, without
    // its spare room
    let mut fresh = built(true);
    fresh.seal();
    // (the saved text: five numbers besides; in memory, each row's end)
    assert!(hay(&fresh) <= fresh.to_sections().unwrap().1.len() - 20 + 4 * fresh.len());
    // a text replaced by the same: the old one is garbage, then gone
    let mut saved = index();
    saved.upsert(&req(2, "停车位被占", "停车难", Some(2), day(3, 4)));
    assert!(hay(&saved) > hay(&fresh));
    saved.seal();
    assert_eq!(hay(&saved), hay(&fresh));
    assert_eq!(saved.to_sections().unwrap().1, fresh.to_sections().unwrap().1);
    // a removed row in its place: its text goes too
    let mut removed = index();
    removed.remove(RequestId::new(2025, 1));
    removed.seal();
    let mut never = RequestIndex::new([
        resident(1, "张三", "13812345678"),
        resident(2, "曾小明", "13900001111"),
        resident(3, "单田芳", "13700002222"),
    ]);
    for r in [
        req(2, "停车位被占", "停车难", Some(2), day(3, 4)),
        req(3, "狗不牵绳", "文明养犬", Some(3), day(3, 5)),
        req(4, "路灯坏了", "小修小补", None, day(3, 6)),
    ] {
        never.upsert(&r);
    }
    never.seal();
    assert_eq!(hay(&removed), hay(&never));
    assert_eq!(ids(&mut removed, "灯"), vec![4]);
}

#[test]
fn upsert_replaces_and_resident_changes_are_searchable() {
    let mut idx = index();
    let mut r = req(1, "楼道灯已修", "小修小补", Some(1), day(3, 3));
    r.status = Status::Resolved;
    idx.upsert(&r);
    assert_eq!(idx.len(), 4);
    assert_eq!(ids(&mut idx, "已修"), vec![1]);
    let f = Filter { callback: true, ..Default::default() };
    let today = Today::new(day(3, 6), &WorkCalendar::builtin());
    assert_eq!(idx.query("", &f, Sort::Newest, today).len(), 1);
    idx.upsert_resident(&resident(4, "欧阳娜娜", "13600003333"));
    idx.upsert(&req(5, "咨询低保", "低保救助", Some(4), day(3, 6)));
    assert_eq!(ids(&mut idx, "oynn"), vec![5]);
    assert_eq!(ids(&mut idx, "3333"), vec![5]);
}

#[test]
fn a_list_brought_along_after_saves_is_what_a_fresh_query_answers() {
    // the requests list of every window follows each save by moving the
    // changed rows only (`bring_along`); whatever the search, filter and
    // sort, it must end exactly where a whole new query ends
    let cal = WorkCalendar::builtin();
    let today = Today::new(day(3, 10), &cal);
    const STATUSES: [Status; 5] =
        [Status::Logged, Status::Assigned, Status::InProgress, Status::Resolved, Status::Closed];
    const CATS: [&str; 3] = ["小修小补", "楼道照明", "Zs类"];
    let mut moved = 0;
    let mut whole = 0;
    for seed in 1..=6u64 {
        let mut rng = Rng(0x51ed_2701_f00d_cafe ^ (seed * 0x9e37_79b9));
        let mut idx = RequestIndex::default();
        let mut reqs: std::collections::BTreeMap<RequestId, Request> = Default::default();
        for id in 1..=30u64 {
            let mut p = resident(id, &rng.text(&["张", "曾", "单", "李", "楼"], 3), "");
            p.phone = rng.text(&["1", "2", "5", "7"], 8);
            idx.upsert_resident(&p);
        }
        let new_request = |rng: &mut Rng, id: RequestId| {
            let mut r = req(1, "", CATS[rng.below(3)], None, day(3, 1 + rng.below(9) as u32));
            r.id = id;
            r.title = rng.text(ALPHABET, 5);
            r.description = rng.text(ALPHABET, 8);
            r.category = CATS[rng.below(3)].into();
            r.resident = (rng.below(4) != 0).then(|| ResidentId(1 + rng.below(30) as u64));
            r.status = STATUSES[rng.below(STATUSES.len())];
            r.assignee = (rng.below(2) == 0).then(|| WorkerId(1 + rng.below(3) as u64));
            r.channel = Channel::ALL[rng.below(3)];
            r.due = day(3, 1 + rng.below(20) as u32);
            r
        };
        let mut next = 1u64;
        for _ in 0..200 {
            next += 1 + rng.below(2) as u64;
            let r = new_request(&mut rng, RequestId::new(2025, next));
            idx.upsert(&r);
            reqs.insert(r.id, r);
        }
        if seed % 2 == 0 {
            idx.seal();
        }
        for view in 0..12 {
            let query = match rng.below(4) {
                0 | 1 => String::new(),
                2 => rng.text(&["楼", "灯", "z", "s", "5", "2025"], 2),
                _ => rng.text(ALPHABET, 2),
            };
            let mut filter = Filter::default();
            match rng.below(7) {
                0 => filter.category = Some(CATS[rng.below(3)].into()),
                1 => filter.category = Some("还没有的类".into()),
                2 => filter.status = Some(STATUSES[rng.below(STATUSES.len())]),
                3 => (filter.overdue, filter.due_soon) = (true, true),
                4 => filter.mine = Some(WorkerId(1 + rng.below(3) as u64)),
                5 => (filter.callback, filter.channel) = (true, Some(Channel::ALL[rng.below(3)])),
                _ => {}
            }
            let sort = [Sort::Newest, Sort::Due, Sort::OldestOpen][rng.below(3)];
            let mut hits = std::collections::VecDeque::from(idx.query(&query, &filter, sort, today));
            let mut layout = idx.layout();
            for round in 0..25 {
                let mut changed = Vec::new();
                let mut residents = false;
                for _ in 0..[1, 2, 3, 12][rng.below(4)] {
                    let ids: Vec<RequestId> = reqs.keys().copied().collect();
                    match rng.below(10) {
                        // a new request, numbered last
                        0 | 1 => {
                            next += 1;
                            let r = new_request(&mut rng, RequestId::new(2025, next));
                            changed.push(r.id);
                            idx.upsert(&r);
                            reqs.insert(r.id, r);
                        }
                        // its creation undone
                        2 => {
                            let id = ids[rng.below(ids.len())];
                            idx.remove(id);
                            reqs.remove(&id);
                            changed.push(id);
                        }
                        // now and then one out of number order, or a resident renamed
                        3 if rng.below(6) == 0 => {
                            let id = RequestId::new(2024, 1 + rng.below(999) as u64);
                            let r = new_request(&mut rng, id);
                            changed.push(r.id);
                            idx.upsert(&r);
                            reqs.insert(r.id, r);
                        }
                        4 if rng.below(4) == 0 => {
                            let id = 1 + rng.below(30) as u64;
                            let mut p = resident(id, &rng.text(&["张", "曾", "楼"], 3), "");
                            p.phone = rng.text(&["1", "5"], 8);
                            idx.upsert_resident(&p);
                            residents = true;
                        }
                        // an edit, a step, a new due date
                        _ => {
                            let id = ids[rng.below(ids.len())];
                            let mut r = new_request(&mut rng, id);
                            if rng.below(2) == 0 {
                                r.title = reqs[&id].title.clone();
                            }
                            changed.push(id);
                            idx.upsert(&r);
                            reqs.insert(id, r);
                        }
                    }
                }
                let before = hits.clone();
                if idx.bring_along(&mut hits, layout, &changed, residents, &query, &filter, sort, today) {
                    moved += 1;
                } else {
                    assert_eq!(hits, before, "a refusal leaves the list as it was");
                    whole += 1;
                    hits = idx.query(&query, &filter, sort, today).into();
                    layout = idx.layout();
                }
                let fresh = idx.query(&query, &filter, sort, today);
                assert_eq!(
                    Vec::from(hits.clone()),
                    fresh,
                    "seed {seed}, view {view} ({query:?}, {filter:?}, {sort:?}), round {round}: {changed:?}"
                );
                let latest = reqs.values().filter(|r| r.status.is_open()).map(|r| r.due).max();
                assert_eq!(idx.latest_open_due(), latest, "seed {seed}: the latest open due date");
            }
        }
    }
    // most saves were brought along, a few needed the whole query
    assert!(moved > 6 * whole, "brought along {moved}, whole {whole}");
    assert!(whole > 0, "the refusals were tried too");
}

/// The saved copy written section by section (`write_sections`) is the
/// file `to_sections`' parts make held whole.
#[test]
fn the_copy_written_as_made_is_the_sections_file() {
    use crate::store::saved_copy;
    let mut idx = index();
    idx.seal();
    let dir = tempfile::tempdir().unwrap();
    let (made, whole) = (dir.path().join("made"), dir.path().join("whole"));
    saved_copy::write_made(&made, b"HEAD", 5, |w| idx.write_sections(w)).unwrap();
    let (meta, hay, titles, grams, res_grams) = idx.to_sections().unwrap();
    saved_copy::write_sections(&whole, b"HEAD", &[&meta, &hay, titles, &grams, &res_grams]).unwrap();
    assert_eq!(std::fs::read(&made).unwrap(), std::fs::read(&whole).unwrap());
}

#[test]
fn only_residents_a_request_names_can_change_a_search() {
    let idx = index();
    let set = |ids: &[u64]| ids.iter().copied().collect::<std::collections::HashSet<u64>>();
    assert!(idx.names_any(&set(&[2])));
    assert!(idx.names_any(&set(&[99, 3])));
    // new residents (an import's), and none at all
    assert!(!idx.names_any(&set(&[4, 5, 30_000])));
    assert!(!idx.names_any(&set(&[])));
}

/// Measures the search text packed in blocks of 4–32 KB, with and without
/// a shared dictionary (issue 19ze): bytes, and the time to unpack one
/// block and all of them. By hand, on a copy of a data folder:
/// `LINLI_HAY_PROBE=/tmp/copy cargo test --release --lib hay_probe -- --ignored --nocapture`
#[test]
#[ignore]
fn hay_probe() {
    use super::hay::Hay;
    let Ok(dir) = std::env::var("LINLI_HAY_PROBE") else { return };
    let store = crate::store::Store::open(std::path::Path::new(&dir)).unwrap();
    let idx = crate::store::index_cache::rebuild(&store).unwrap();
    let mut idx = idx;
    println!("memory: {:?}", idx.memory());
    let today = Today::new(day(11, 24), &WorkCalendar::builtin());
    for q in ["楼道", "楼道灯", "路灯不亮", "主干道", "5678", "漏水", "量子纠缠", "zs"] {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..15 {
            let _ = idx.query("zs", &Filter::default(), Sort::Newest, today);
            let t = std::time::Instant::now();
            n = idx.query(q, &Filter::default(), Sort::Newest, today).len();
            times.push(t.elapsed());
        }
        times.sort();
        println!("query {q}: {n} hits, median {:?}, max {:?}", times[7], times[14]);
    }
    let mut rows: Vec<Vec<u8>> = Vec::new();
    idx.each_text(|t| rows.push(t.to_vec()));
    let text: usize = rows.iter().map(Vec::len).sum();
    println!("rows {} text {} B", rows.len(), text);
    for block in [4 << 10, 8 << 10, 16 << 10, 32 << 10] {
        for dict in [1, 32 << 10, 64 << 10] {
            let mut h = Hay::sized(block, 256 << 10, dict);
            let t = std::time::Instant::now();
            let places: Vec<(u32, u32)> = rows.iter().map(|r| h.push(r)).collect();
            let pack = t.elapsed();
            let (packed, in_blocks, d) = h.packed_figures();
            let t = std::time::Instant::now();
            let mut rd = h.reader();
            let mut n = 0usize;
            for &p in &places {
                n += rd.get(p).len();
            }
            let all = t.elapsed();
            assert_eq!(n, text);
            // one block: a row from every 97th block, each a new block
            let t = std::time::Instant::now();
            let mut k = 0;
            for &p in places.iter().step_by(places.len() / 200) {
                let mut rd = h.reader();
                k += rd.get(p).len();
                std::hint::black_box(&k);
            }
            let one = t.elapsed() / 200;
            println!(
                "block {:>2} KB dict {:>2} KB: {} blocks, packed {:.2} MB + dict {} B (text in blocks {:.2} MB, {:.1}x), memory {:.2} MB; pack {:?}, unpack all {:?}, one block {:?}",
                block >> 10,
                dict >> 10,
                h.blocks(),
                packed as f64 / 1e6,
                d,
                in_blocks as f64 / 1e6,
                in_blocks as f64 / packed as f64,
                h.memory() as f64 / 1e6,
                pack,
                all,
                one
            );
        }
    }
}

/// The search text's blocks packed by `lz4_flex` (against the dictionary,
/// as 19ze did) and by the hash-chain packer at some numbers of tries
/// (issue 19zh): bytes and time. By hand, on a copy of a data folder:
/// `LINLI_HAY_PROBE=/tmp/copy cargo test --release --lib hay_pack_probe -- --ignored --nocapture`
#[test]
#[ignore]
fn hay_pack_probe() {
    use super::hay::Hay;
    use crate::store::saved_copy::DictPacker;
    let Ok(dir) = std::env::var("LINLI_HAY_PROBE") else { return };
    let store = crate::store::Store::open(std::path::Path::new(&dir)).unwrap();
    let idx = crate::store::index_cache::rebuild(&store).unwrap();
    let mut rows: Vec<Vec<u8>> = Vec::new();
    idx.each_text(|t| rows.push(t.to_vec()));
    drop(idx);
    let mut h = Hay::default();
    for r in &rows {
        h.push(r);
    }
    let (dict, blocks) = h.dict_and_blocks();
    let text: usize = blocks.iter().map(Vec::len).sum();
    println!("{} blocks, text {text} B, dict {} B", blocks.len(), dict.len());
    let check = |name: &str, packed: &[Vec<u8>], t: std::time::Duration| {
        let bytes: usize = packed.iter().map(Vec::len).sum();
        let u = std::time::Instant::now();
        for (b, p) in blocks.iter().zip(packed) {
            let mut out = vec![0u8; b.len()];
            assert_eq!(lz4_flex::block::decompress_into_with_dict(p, &mut out, &dict).unwrap(), b.len());
            assert!(out == *b);
        }
        println!("{name}: {bytes} B packed, pack {t:?}, unpack all {:?}", u.elapsed());
    };
    for _round in 0..2 {
        let t = std::time::Instant::now();
        let packed: Vec<Vec<u8>> = blocks.iter().map(|b| lz4_flex::block::compress_with_dict(b, &dict)).collect();
        check("lz4_flex", &packed, t.elapsed());
        for tries in [4, 8, 16, 32, 64, 128, 256] {
            let t = std::time::Instant::now();
            let mut p = DictPacker::with_tries(&dict, tries);
            let packed: Vec<Vec<u8>> = blocks
                .iter()
                .map(|b| {
                    let mut out = Vec::new();
                    p.pack(b, &mut out);
                    out
                })
                .collect();
            check(&format!("chain {tries:>3} tries"), &packed, t.elapsed());
        }
    }
}

/// The search text laid out in windows of 1 (row order) to all rows
/// (issue 19zi): its bytes, and for some words the hits, the blocks
/// unpacked and the time of one query. By hand, on a copy of a data folder:
/// `LINLI_HAY_PROBE=/tmp/copy cargo test --release --lib hay_layout_probe -- --ignored --nocapture`
#[test]
#[ignore]
fn hay_layout_probe() {
    let Ok(dir) = std::env::var("LINLI_HAY_PROBE") else { return };
    let store = crate::store::Store::open(std::path::Path::new(&dir)).unwrap();
    let mut idx = crate::store::index_cache::rebuild(&store).unwrap();
    let today = Today::new(day(11, 24), &WorkCalendar::builtin());
    let n = idx.len();
    for window in [1, 4096, 8192, 16384, 32768, n] {
        let t = std::time::Instant::now();
        idx.lay_out_again(window);
        let took = t.elapsed();
        let hay = idx.memory().into_iter().find(|(part, _)| *part == "hay").unwrap().1;
        print!("window {window:>6}: hay {:.2} MB, laid out in {took:?};", hay as f64 / 1e6);
        for q in ["楼道灯", "路灯不亮", "主干道", "楼道灯不亮", "下水道", "量子纠缠"] {
            let mut times = Vec::new();
            let (mut hits, mut blocks) = (0, 0);
            for _ in 0..9 {
                let _ = idx.query("zs", &Filter::default(), Sort::Newest, today);
                let before = idx.hay_unpacked();
                let t = std::time::Instant::now();
                hits = idx.query(q, &Filter::default(), Sort::Newest, today).len();
                times.push(t.elapsed());
                blocks = idx.hay_unpacked() - before;
            }
            times.sort();
            print!(" {q} {hits} hits {blocks} blocks {:.1} ms;", times[4].as_secs_f64() * 1e3);
        }
        println!(" of {} blocks", idx.hay_blocks());
    }
    // a day's edits: one request in every window saved again, then the
    // index sealed (as at quit): the text laid out again, the lists built
    let every = super::index::WINDOW;
    idx.lay_out_again(every);
    let edited: Vec<Request> = (0..n)
        .step_by(every)
        .filter_map(|i| idx.row(i as u32).map(|r| r.id))
        .filter_map(|id| store.get::<Request>(id.0).ok().flatten())
        .collect();
    for r in &edited {
        idx.upsert(r);
    }
    let t = std::time::Instant::now();
    idx.seal();
    println!("{} edited (one a window), then sealed in {:?}", edited.len(), t.elapsed());
    // a search before a saved copy's lists arrive reads every row's text:
    // laid out, then in row order
    for window in [every, 1] {
        idx.lay_out_again(window);
        let (meta, hay, titles, _, _) = idx.to_sections().unwrap();
        let titles = String::from_utf8(titles.to_vec()).unwrap();
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..5 {
            let part = RequestIndex::decode_meta(&meta).unwrap();
            let mut early = RequestIndex::with_text_later(part, &hay, titles.clone()).unwrap();
            let t = std::time::Instant::now();
            hits = early.query("楼道灯", &Filter::default(), Sort::Newest, today).len();
            times.push(t.elapsed());
        }
        times.sort();
        println!("window {window}, before the lists: 楼道灯 {hits} hits, median {:?}", times[2]);
    }
}
