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
    let mut idx = RequestIndex::new([
        resident(1, "张三", "13812345678"),
        resident(2, "曾小明", "13900001111"),
        resident(3, "单田芳", "13700002222"),
    ]);
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

#[test]
fn one_pass_and_row_by_row_search_agree() {
    // enough rows and residents that the bit sets span several words,
    // with garbage segments (re-upserted rows) and a row inserted in
    // the middle, so the arena holds segments out of row order
    let titles = ["楼道灯不亮", "停车位被占", "狗不牵绳", "路灯坏了", "咨询低保", "zs 装修噪音", "电梯 5678 故障"];
    let mut idx = RequestIndex::new((1..=150).map(|i| {
        let names = ["张三", "曾小明", "单田芳", "李四", "欧阳娜娜"];
        resident(i, &format!("{}{i}", names[i as usize % 5]), &format!("1380000{:04}", i * 37 % 10_000))
    }));
    for seq in (2..=400).step_by(2) {
        let res = (seq % 7 != 0).then_some(seq % 150 + 1);
        idx.upsert(&req(seq, titles[seq as usize % titles.len()], "小修小补", res, day(3, 3)));
    }
    for seq in (4..=400).step_by(6) {
        idx.upsert(&req(seq, "已修好", "小修小补", Some(seq % 150 + 1), day(3, 4)));
    }
    idx.upsert(&req(101, "新插入的楼道灯", "小修小补", Some(3), day(3, 5)));
    idx.upsert_resident(&resident(3, "单改名", "13999995678"));
    let today = Today::new(day(3, 6), &WorkCalendar::builtin());
    let f = Filter::default();
    for q in ["灯", "楼道", "z", "zs", "zxm", "5678", "5", "已修", "2025-000101", "单改", "幸福 灯", "没有"]
    {
        let terms = RequestIndex::parse_query(q);
        let all = || (0..idx.len() as u32).rev();
        let one = idx.select(all(), idx.len(), &terms, None, &f, today, Some(true));
        let rows = idx.select(all(), idx.len(), &terms, None, &f, today, Some(false));
        assert_eq!(one, rows, "{q}");
        assert_eq!(one, idx.query(q, &f, Sort::Newest, today), "{q}");
    }
    assert!(!idx.query("灯", &f, Sort::Newest, today).is_empty());
    assert!(!idx.query("5678", &f, Sort::Newest, today).is_empty());
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
    let (meta, hay, titles) = idx.to_sections().unwrap();
    let mut back = RequestIndex::from_sections(
        &meta,
        String::from_utf8(hay).unwrap(),
        String::from_utf8(titles.to_vec()).unwrap(),
    )
    .unwrap();
    for q in ["", "停车", "已处理", "被占", "狗", "又来", "zs", "zxm", "st", "灯", "2222", "5678", "2025-000003"]
    {
        assert_eq!(ids(&mut idx, q), ids(&mut back, q), "query {q:?}");
    }
    assert!(RequestIndex::from_sections(&meta[..meta.len() / 2], String::new(), String::new()).is_none());
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
