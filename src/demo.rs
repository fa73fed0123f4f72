//! Demo data: a made-up community that `linli --demo` opens and the
//! benchmarks run on.
//!
//! Everything is derived from a seed with a small built-in PRNG (SplitMix64)
//! and integer arithmetic only, so a given `(size, scale, seed, today)` gives
//! byte-identical records on every platform. The community has a handful of
//! estates (小区) split into grids (网格), one grid worker (网格员) each;
//! residents live in households (an elderly person living alone, a young
//! family, three generations…) and bring requests over five years. Every
//! request is built with [`Request::create`] and moved through its lifecycle
//! with [`Request::apply`] at plausible office-hour times, so the timelines
//! are what the real rules would have produced; the newest requests are still
//! open, a few of them overdue.

use crate::domain::category::Category;
use crate::domain::request::{NewRequest, limit_for};
use crate::domain::{
    Address, Categories, Channel, Move, Request, RequestId, Resident, ResidentId, Satisfaction, Urgency, WorkCalendar,
    Worker, WorkerId,
};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::collections::HashSet;

pub mod roster;

/// How big a community to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// What `linli --demo` shows: small enough to browse.
    Demo,
    /// A typical community.
    Typical,
    /// A large community after five years (the design ceiling).
    Large,
}

impl Size {
    /// `demo`, `typical` or `large`.
    pub fn parse(s: &str) -> Option<Size> {
        match s.trim().to_ascii_lowercase().as_str() {
            "demo" => Some(Size::Demo),
            "typical" => Some(Size::Typical),
            "large" => Some(Size::Large),
            _ => None,
        }
    }

    /// (workers, residents, requests): Demo (12, 800, 1_500), Typical (12, 3_000, 5_000), Large (40, 30_000, 100_000)
    pub fn counts(self) -> (usize, usize, usize) {
        match self {
            Size::Demo => (12, 800, 1_500),
            Size::Typical => (12, 3_000, 5_000),
            Size::Large => (40, 30_000, 100_000),
        }
    }

    fn estates(self) -> usize {
        match self {
            Size::Demo => 4,
            Size::Typical => 5,
            Size::Large => 6,
        }
    }
}

/// The generated records, in id order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub workers: Vec<Worker>,
    pub residents: Vec<Resident>,
    pub requests: Vec<Request>,
}

/// Deterministic for a given (size, seed, today). `scale` multiplies resident and request counts (1 = as counts(); used for 2× and 5× growth benchmarks).
///
/// `cal` and `cats` shape the data too (due dates, categories); pass the
/// built-in calendar and default categories for reproducible benchmarks.
/// `scale` 0 counts as 1; keep `Large` below about `scale` 40, where a year
/// would pass a million requests and overflow the per-year sequence.
pub fn generate(
    size: Size,
    scale: usize,
    seed: u64,
    today: chrono::NaiveDate,
    cal: &WorkCalendar,
    cats: &Categories,
) -> Dataset {
    let (n_workers, n_residents, n_requests) = size.counts();
    let scale = scale.max(1);
    let mut rng = Rng::new(seed);
    let (workers, staff) = make_workers(n_workers, &mut rng);
    let town = Town::new(size.estates(), staff.grid_workers.len());
    let (residents, people) = make_residents(n_residents * scale, &town, &workers, &mut rng);
    let requests = make_requests(
        &Ctx { today, cal, cats, town: &town, staff: &staff, residents: &residents, people: &people },
        n_requests * scale,
        &mut rng,
    );
    Dataset { workers, residents, requests }
}

// ---------------------------------------------------------------------------
// Randomness

/// SplitMix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut r = Rng(seed ^ 0x6C69_6E6C_6920_6465); // "linli de"
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi.saturating_sub(lo)) + 1) as u32
    }

    /// True with probability `permille / 1000`.
    fn chance(&mut self, permille: u32) -> bool {
        self.below(1000) < u64::from(permille)
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.index(xs.len())]
    }

    fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u64 = xs.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (x, w) in xs {
            if r < u64::from(*w) {
                return *x;
            }
            r -= u64::from(*w);
        }
        xs[xs.len() - 1].0
    }
}

/// A prebuilt cumulative table for weighted picks from a long list.
struct Table<T> {
    items: Vec<T>,
    cum: Vec<u64>,
}

impl<T: Copy> Table<T> {
    fn new(xs: &[(T, u32)]) -> Self {
        let mut acc = 0u64;
        let cum = xs
            .iter()
            .map(|(_, w)| {
                acc += u64::from(*w);
                acc
            })
            .collect();
        Table { items: xs.iter().map(|(x, _)| *x).collect(), cum }
    }

    fn pick(&self, rng: &mut Rng) -> T {
        let r = rng.below(*self.cum.last().unwrap_or(&0));
        self.items[self.cum.partition_point(|&c| c <= r).min(self.items.len() - 1)]
    }
}

// ---------------------------------------------------------------------------
// Names

/// Surnames, weighted roughly by how common they are (per ten thousand);
/// the last few are read differently as surnames (曾 zēng, 单 shàn, 区 ōu…).
#[rustfmt::skip]
const SURNAMES: &[(&str, u32)] = &[
    ("王", 710), ("李", 700), ("张", 670), ("刘", 540), ("陈", 460), ("杨", 310), ("黄", 250), ("赵", 230),
    ("吴", 200), ("周", 190), ("徐", 150), ("孙", 150), ("马", 140), ("朱", 130), ("胡", 130), ("郭", 120),
    ("何", 120), ("高", 110), ("林", 110), ("罗", 100), ("郑", 100), ("梁", 90), ("谢", 80), ("宋", 80),
    ("唐", 80), ("许", 70), ("韩", 70), ("冯", 70), ("邓", 70), ("曹", 70), ("彭", 60), ("曾", 60),
    ("萧", 20), ("肖", 50), ("田", 50), ("董", 50), ("袁", 50), ("潘", 50), ("于", 50), ("蒋", 50),
    ("蔡", 50), ("余", 50), ("杜", 50), ("叶", 50), ("程", 50), ("苏", 40), ("魏", 40), ("吕", 40),
    ("丁", 40), ("任", 40), ("沈", 40), ("姚", 40), ("卢", 40), ("姜", 40), ("崔", 40), ("钟", 30),
    ("谭", 30), ("陆", 30), ("汪", 30), ("范", 30), ("金", 30), ("石", 30), ("廖", 30), ("贾", 30),
    ("夏", 30), ("韦", 30), ("付", 30), ("方", 30), ("白", 30), ("邹", 30), ("孟", 30), ("熊", 30),
    ("秦", 30), ("邱", 30), ("江", 30), ("尹", 30), ("薛", 20), ("闫", 20), ("段", 20), ("雷", 20),
    ("侯", 20), ("龙", 20), ("史", 20), ("陶", 20), ("黎", 20), ("贺", 20), ("顾", 20), ("毛", 20),
    ("郝", 20), ("龚", 20), ("邵", 20), ("万", 20), ("钱", 20), ("严", 20), ("覃", 15), ("武", 20),
    ("戴", 20), ("莫", 15), ("孔", 15), ("向", 15), ("汤", 15), ("单", 6), ("解", 5), ("仇", 4),
    ("区", 3), ("朴", 3), ("查", 4), ("欧阳", 6), ("诸葛", 2), ("司马", 3),
];

/// Surnames that are always somewhere in the first households, so a demo
/// can show that 曾 is found by typing `z` and 单 by `s`.
const SHOWCASE_SURNAMES: &[(usize, &str)] = &[(2, "曾"), (5, "单"), (9, "欧阳"), (14, "解")];

/// Given names by generation and sex: (born before, male, female).
const GIVEN: &[(u16, &[&str], &[&str])] = &[
    (
        1963,
        &[
            "建国", "国强", "卫国", "德明", "志明", "振华", "德福", "长生", "福生", "保国", "树林", "永福", "金山",
            "玉林", "广才", "和平", "援朝", "跃进", "国庆", "建华", "文华", "德胜", "学文", "光明", "庆云", "明", "华",
            "忠",
        ],
        &[
            "秀英", "桂兰", "秀兰", "玉兰", "桂英", "淑芬", "凤英", "秀珍", "玉珍", "翠兰", "桂芳", "秀芳", "淑珍",
            "玉梅", "素芬", "凤兰", "玉华", "淑英", "桂珍", "兰英", "琼", "芳", "英",
        ],
    ),
    (
        1980,
        &[
            "志强", "建军", "卫东", "红兵", "永刚", "国华", "立新", "伟", "军", "勇", "强", "斌", "明", "海涛", "建平",
            "小平", "文斌", "志刚", "红军", "晓东", "东", "涛", "波", "俊", "剑",
        ],
        &[
            "丽华", "红梅", "丽萍", "秀梅", "春梅", "红霞", "丽娟", "晓红", "艳", "霞", "萍", "燕", "玲", "静", "敏",
            "丽", "梅", "红", "丽君", "晓燕", "春燕", "小琴", "蓉",
        ],
    ),
    (
        2000,
        &[
            "伟", "磊", "杰", "涛", "浩", "鹏", "超", "刚", "俊杰", "志伟", "晓东", "浩宇", "宇", "鑫", "帅", "洋",
            "凯", "亮", "建伟", "鹏飞", "文博", "家豪", "子豪",
        ],
        &[
            "丽", "婷", "静", "娜", "倩", "雪", "丹", "颖", "佳", "欣怡", "晓燕", "婷婷", "雯", "思琪", "梦婷", "雪梅",
            "琳", "璐", "佳琪", "慧", "敏", "莉",
        ],
    ),
    (
        u16::MAX,
        &[
            "浩然", "宇轩", "子轩", "梓豪", "浩宇", "俊熙", "一鸣", "博文", "皓轩", "睿", "泽宇", "宇泽", "子墨",
            "铭泽", "梓睿", "奕辰", "宇航", "子涵", "嘉懿",
        ],
        &[
            "子涵", "一诺", "欣怡", "梓涵", "诗涵", "雨欣", "紫涵", "可馨", "梓萱", "语嫣", "思彤", "雨桐", "若汐",
            "欣妍", "芷若", "雨涵", "依诺", "梦瑶",
        ],
    ),
];

fn given_name(rng: &mut Rng, born: u16, male: bool) -> &'static str {
    let (_, m, f) = GIVEN.iter().find(|(before, _, _)| born < *before).unwrap_or(&GIVEN[GIVEN.len() - 1]);
    if male { rng.pick(m) } else { rng.pick(f) }
}

/// Mobile prefixes, weighted by how common they are.
#[rustfmt::skip]
const MOBILE_PREFIXES: &[(u64, u32)] = &[
    (130, 4), (131, 4), (132, 4), (133, 4), (134, 5), (135, 5), (136, 5), (137, 5), (138, 6), (139, 6),
    (150, 3), (151, 3), (152, 3), (153, 3), (155, 3), (156, 3), (157, 3), (158, 3), (159, 3), (173, 2),
    (175, 1), (176, 1), (177, 2), (178, 1), (180, 3), (181, 3), (182, 3), (183, 2), (185, 2), (186, 3),
    (187, 2), (188, 2), (189, 3), (191, 1), (198, 2), (199, 2),
];

/// A mobile number: 13x/15x/17x/18x/19x and eight more digits, unique in `used`.
fn mobile(rng: &mut Rng, used: &mut HashSet<u64>) -> String {
    loop {
        let n = rng.weighted(MOBILE_PREFIXES) * 100_000_000 + rng.below(100_000_000);
        if used.insert(n) {
            return n.to_string();
        }
    }
}

// ---------------------------------------------------------------------------
// Workers

/// Which worker does what.
struct Staff {
    /// 书记, 主任, 副主任: they dispatch, escalate and close.
    leaders: Vec<WorkerId>,
    /// 委员 (mediation among other things).
    members: Vec<WorkerId>,
    /// 专干: civil affairs, the 12345 platform, callbacks.
    officers: Vec<WorkerId>,
    /// 网格员, one per grid, in grid order.
    grid_workers: Vec<WorkerId>,
    all: Vec<WorkerId>,
}

fn make_workers(n: usize, rng: &mut Rng) -> (Vec<Worker>, Staff) {
    let n = n.max(8);
    let members = (n / 10).clamp(1, 4);
    let officers = (n / 8).clamp(1, 6);
    let mut posts = vec!["书记", "主任", "副主任", "副主任"];
    posts.extend(std::iter::repeat_n("委员", members));
    posts.extend(std::iter::repeat_n("专干", officers));
    posts.resize(n, "网格员");
    let surnames = Table::new(SURNAMES);
    let mut names = HashSet::new();
    let mut phones = HashSet::new();
    let mut staff = Staff { leaders: vec![], members: vec![], officers: vec![], grid_workers: vec![], all: vec![] };
    let mut workers = Vec::with_capacity(n);
    for (i, post) in posts.iter().enumerate() {
        let id = WorkerId(i as u64 + 1);
        let name = loop {
            let male = rng.chance(420);
            let born = 1966 + rng.range(0, 32) as u16;
            let name = format!("{}{}", surnames.pick(rng), given_name(rng, born, male));
            if names.insert(name.clone()) {
                break name;
            }
        };
        let mut w = Worker::new(id, &name, post);
        match *post {
            "网格员" => {
                staff.grid_workers.push(id);
                w.grid = format!("第{}网格", staff.grid_workers.len());
                // grid workers' mobiles are posted on the notice board
                w.phone = mobile(rng, &mut phones);
            }
            _ => {
                match *post {
                    "委员" => staff.members.push(id),
                    "专干" => staff.officers.push(id),
                    _ => staff.leaders.push(id),
                }
                w.phone = if rng.chance(300) {
                    mobile(rng, &mut phones)
                } else {
                    // the office's landline, digits only as the app stores it
                    loop {
                        let n = 2_888_000_000 + rng.below(1_000_000);
                        if phones.insert(n) {
                            break format!("0{n}");
                        }
                    }
                };
            }
        }
        staff.all.push(id);
        workers.push(w);
    }
    (workers, staff)
}

// ---------------------------------------------------------------------------
// Places

struct EstateKind {
    name: &'static str,
    buildings: u32,
    units: u32,
    floors: u32,
    per_floor: u32,
    old: bool,
}

const ESTATES: &[EstateKind] = &[
    EstateKind { name: "幸福里小区", buildings: 24, units: 3, floors: 6, per_floor: 2, old: true },
    EstateKind { name: "锦绣花园", buildings: 16, units: 2, floors: 18, per_floor: 4, old: false },
    EstateKind { name: "老街坊", buildings: 12, units: 2, floors: 5, per_floor: 2, old: true },
    EstateKind { name: "和平新村", buildings: 30, units: 4, floors: 6, per_floor: 2, old: true },
    EstateKind { name: "棉纺厂宿舍", buildings: 10, units: 3, floors: 7, per_floor: 3, old: true },
    EstateKind { name: "阳光城", buildings: 20, units: 2, floors: 18, per_floor: 4, old: false },
];

struct Building {
    estate: usize,
    no: u32,
    grid: usize,
}

/// The community's estates and buildings, split into grids.
struct Town {
    estates: usize,
    buildings: Vec<Building>,
    /// Pick a building weighted by its number of flats.
    by_flats: Table<usize>,
    /// Indices into `buildings` of the old estates' buildings.
    old: Vec<usize>,
}

impl Town {
    fn new(estates: usize, grids: usize) -> Town {
        let kinds = &ESTATES[..estates.min(ESTATES.len())];
        let flats = |k: &EstateKind| k.units * k.floors * k.per_floor;
        let total: u64 = kinds.iter().map(|k| u64::from(k.buildings * flats(k))).sum();
        let grids = grids.max(1) as u64;
        let mut buildings = Vec::new();
        let mut weights = Vec::new();
        let mut before = 0u64;
        for (e, k) in kinds.iter().enumerate() {
            for no in 1..=k.buildings {
                // contiguous runs of buildings with about the same number of flats per grid
                let grid = ((before + u64::from(flats(k)) / 2) * grids / total) as usize;
                weights.push((buildings.len(), flats(k)));
                buildings.push(Building { estate: e, no, grid });
                before += u64::from(flats(k));
            }
        }
        let old = (0..buildings.len()).filter(|&b| ESTATES[buildings[b].estate].old).collect();
        Town { estates: kinds.len(), buildings, by_flats: Table::new(&weights), old }
    }

    fn grid_name(&self, b: usize) -> String {
        format!("第{}网格", self.buildings[b].grid + 1)
    }

    fn random_address(&self, rng: &mut Rng) -> (usize, Address) {
        let b = self.by_flats.pick(rng);
        let k = &ESTATES[self.buildings[b].estate];
        let address = Address {
            estate: k.name.to_string(),
            building: self.buildings[b].no.to_string(),
            unit: rng.range(1, k.units).to_string(),
            room: format!("{}{:02}", rng.range(1, k.floors), rng.range(1, k.per_floor)),
        };
        (b, address)
    }

    fn building_of(&self, a: &Address) -> Option<usize> {
        let e = ESTATES[..self.estates].iter().position(|k| k.name == a.estate)?;
        let no: u32 = a.building.parse().ok()?;
        self.buildings.iter().position(|b| b.estate == e && b.no == no)
    }
}

// ---------------------------------------------------------------------------
// Residents

/// What the generator knows about a resident beyond the record.
#[derive(Clone, Copy)]
struct Person {
    born: u16,
    male: bool,
    building: usize,
}

#[derive(Clone, Copy)]
enum Household {
    SingleElder,
    ElderCouple,
    Couple,
    Family,
    ThreeGenerations,
    YoungSingle,
    Renters,
}

const HOUSEHOLDS: &[(Household, u32)] = &[
    (Household::SingleElder, 160),
    (Household::ElderCouple, 140),
    (Household::Couple, 120),
    (Household::Family, 300),
    (Household::ThreeGenerations, 150),
    (Household::YoungSingle, 80),
    (Household::Renters, 50),
];

const NOTES_ALONE: &[&str] = &[
    "子女在外地，每周电话联系",
    "行动不便，需上门服务",
    "患有高血压，每月随访",
    "儿子在本市，周末来看望",
    "听力不好，上门请多敲门",
    "老伴去年去世，需多关心",
    "女儿在外省工作，紧急联系人为楼栋长",
];
const NOTES_DISABLED: &[&str] = &["肢体残疾，轮椅出行", "视力残疾，办事需陪同", "已办理残疾人证"];
const NOTES_POOR: &[&str] = &["低保每年年审", "家中有重病患者", "已享受临时救助"];
const NOTES_RENTER: &[&str] = &["租住，租期至明年6月", "租住，房东在外地", "合租，已登记流动人口信息"];
const NOTES_OTHER: &[&str] =
    &["联系时请打家属电话", "常年在外务工", "楼栋长", "社区志愿者", "党员，已到社区报到", "白天上班，晚上七点后联系"];

fn make_residents(n: usize, town: &Town, workers: &[Worker], rng: &mut Rng) -> (Vec<Resident>, Vec<Person>) {
    let surnames = Table::new(SURNAMES);
    let mut phones: HashSet<u64> = workers.iter().filter_map(|w| w.phone.parse().ok()).collect();
    let mut residents = Vec::with_capacity(n);
    let mut people = Vec::with_capacity(n);
    let mut household_no = 0usize;
    while residents.len() < n {
        let kind = rng.weighted(HOUSEHOLDS);
        let (building, address) = town.random_address(rng);
        let family = match SHOWCASE_SURNAMES.iter().find(|(i, _)| *i == household_no) {
            Some((_, s)) => *s,
            None => surnames.pick(rng),
        };
        household_no += 1;
        let poor = rng.chance(match kind {
            Household::SingleElder | Household::ElderCouple => 50,
            _ => 22,
        });
        // (born, male, uses the family surname)
        let mut members: Vec<(u16, bool, bool)> = Vec::with_capacity(5);
        let year = |rng: &mut Rng, lo: u32, hi: u32| rng.range(lo, hi) as u16;
        let couple = |rng: &mut Rng, members: &mut Vec<(u16, bool, bool)>, lo: u32, hi: u32| {
            let b = year(rng, lo, hi);
            members.push((b, true, true));
            members.push((year(rng, u32::from(b).saturating_sub(2).max(lo), u32::from(b) + 4), false, false));
            b
        };
        match kind {
            Household::SingleElder => members.push((year(rng, 1936, 1958), rng.chance(350), true)),
            Household::ElderCouple => {
                couple(rng, &mut members, 1938, 1960);
            }
            Household::Couple => {
                couple(rng, &mut members, 1965, 1996);
            }
            Household::Family | Household::ThreeGenerations => {
                let three = matches!(kind, Household::ThreeGenerations);
                if three {
                    let g = year(rng, 1938, 1956);
                    members.push((g, rng.chance(400), true));
                    if rng.chance(500) {
                        members.push((g + rng.range(0, 4) as u16, !members[0].1, !members[0].1));
                    }
                }
                let p = couple(rng, &mut members, if three { 1962 } else { 1965 }, 1992);
                for _ in 0..rng.weighted(&[(1u32, 650), (2, 350)]) {
                    let kid = (p + rng.range(24, 34) as u16).min(2016);
                    members.push((kid, rng.chance(510), true));
                }
            }
            Household::YoungSingle => members.push((year(rng, 1985, 2003), rng.chance(550), true)),
            Household::Renters => {
                couple(rng, &mut members, 1985, 2000);
            }
        }
        let renter = match kind {
            Household::YoungSingle => rng.chance(800),
            Household::Renters => true,
            Household::Couple | Household::Family => rng.chance(50),
            _ => false,
        };
        for &(born, male, family_name) in &members {
            if residents.len() == n {
                break;
            }
            let sur = if family_name { family } else { surnames.pick(rng) };
            let name = format!("{sur}{}", given_name(rng, born, male));
            let mut r = Resident::new(ResidentId(residents.len() as u64 + 1), &name);
            let no_phone = match born {
                ..1950 => 100,
                2009.. => 350,
                _ => 10,
            };
            if !rng.chance(no_phone) {
                r.phone = mobile(rng, &mut phones);
            }
            r.address = address.clone();
            r.grid = town.grid_name(building);
            let mut tags: Vec<&str> = Vec::new();
            let elder = born < 1962;
            match kind {
                Household::SingleElder if rng.chance(930) => tags.push("独居老人"),
                Household::ElderCouple if rng.chance(300) => tags.push("空巢老人"),
                _ => {}
            }
            if rng.chance(if elder { 75 } else { 25 }) {
                tags.push("残疾人");
            }
            if poor {
                tags.push("低保户");
            }
            if matches!(kind, Household::SingleElder) && rng.chance(40) {
                tags.push("特困人员");
            }
            if male && (1945..1996).contains(&born) && rng.chance(90) {
                tags.push("退役军人");
            }
            if !male
                && (1988..2001).contains(&born)
                && matches!(kind, Household::Couple | Household::Family)
                && rng.chance(60)
            {
                tags.push("孕产妇");
            }
            if renter {
                tags.push("租户");
            }
            let note_pool = if tags.contains(&"独居老人") && rng.chance(550) {
                Some(NOTES_ALONE)
            } else if tags.contains(&"残疾人") && rng.chance(300) {
                Some(NOTES_DISABLED)
            } else if tags.contains(&"低保户") && rng.chance(250) {
                Some(NOTES_POOR)
            } else if renter && rng.chance(200) {
                Some(NOTES_RENTER)
            } else if born < 2000 && rng.chance(30) {
                Some(NOTES_OTHER)
            } else {
                None
            };
            if let Some(pool) = note_pool {
                r.notes = rng.pick(pool).to_string();
            }
            r.tags = tags.into_iter().map(str::to_string).collect();
            residents.push(r);
            people.push(Person { born, male, building });
        }
    }
    (residents, people)
}

// ---------------------------------------------------------------------------
// What requests are about

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// In the resident's home: the location is their full address.
    Home,
    /// A common part of a building: `锦绣花园 3栋2单元`.
    Building,
    /// A place in the estate; `楼下` means below a building.
    Place(&'static str),
}

struct Issue {
    title: &'static str,
    scope: Scope,
    detail: &'static str,
    fix: &'static str,
}

const fn i(title: &'static str, scope: Scope, detail: &'static str, fix: &'static str) -> Issue {
    Issue { title, scope, detail, fix }
}

struct Topic {
    name: &'static str,
    weight: u32,
    /// Chance (‰) a request is escalated to the street office.
    escalate: u32,
    issues: &'static [Issue],
    asks: &'static [&'static str],
    progress: &'static [&'static str],
    departments: &'static [&'static str],
}

use Scope::{Building as B, Home as H, Place as P};

#[rustfmt::skip]
const TOPICS: &[Topic] = &[
    Topic {
        name: "小修小补",
        weight: 220,
        escalate: 10,
        issues: &[
            i("单元门门禁损坏", B, "单元门门禁刷卡没反应，门一直关不上，外来人员随意进出", "已联系物业更换门禁读卡器，恢复正常"),
            i("下水道堵塞", B, "一楼下水道堵塞，污水从地漏往外冒，气味很大", "已联系物业疏通管道，排水恢复正常"),
            i("楼道扶手松动", B, "三楼到四楼的楼梯扶手松动，老人上下楼很危险", "物业已重新固定扶手"),
            i("单元门闭门器损坏", B, "单元门闭门器坏了，关门声音很大，还容易夹手", "已更换闭门器"),
            i("信报箱门脱落", B, "楼下信报箱有几个小门脱落了，信件容易丢失", "已修复信报箱"),
            i("楼道窗户玻璃破损", B, "楼道窗户玻璃碎了，刮风下雨时雨水灌进楼道", "已联系物业更换玻璃"),
            i("自来水管漏水", H, "家中进户水管接口漏水，自己关不住总阀", "物业维修人员已上门更换阀门"),
            i("健身器材损坏", P("健身广场"), "小区健身器材的转盘坏了，有小孩在上面玩，存在安全隐患", "已更换损坏部件，器材恢复使用"),
            i("电动车充电桩无法使用", P("充电棚"), "充电桩有一半刷卡没反应，居民只能把电瓶拎回家充", "已联系运营商检修，充电桩恢复使用"),
            i("楼道墙皮脱落", B, "楼道墙皮大片脱落，掉在楼梯上容易滑倒", "已清理脱落墙皮并重新粉刷"),
            i("雨棚破损有掉落风险", P("楼下"), "楼上住户的雨棚被大风吹坏，随时可能掉下来", "已联系业主和物业拆除破损雨棚"),
        ],
        asks: &["希望尽快维修", "请社区协调物业处理", "希望尽快派人来看看"],
        progress: &["已联系物业，约定明天上门", "已现场查看，需更换配件", "配件已订购，等待到货", "物业维修人员已到场"],
        departments: &["区住建局", "物业公司上级单位"],
    },
    Topic {
        name: "楼道照明",
        weight: 80,
        escalate: 5,
        issues: &[
            i("楼道灯不亮", B, "楼道灯坏了好几天，晚上上下楼看不清，老人担心摔倒", "已更换灯泡，照明恢复"),
            i("楼道声控灯失灵", B, "楼道声控灯怎么拍都不亮，晚上只能打手电上楼", "已更换声控开关"),
            i("地下车库照明灯损坏", P("地下车库"), "地下车库一排照明灯不亮，光线很暗，停车容易剐蹭", "物业已更换车库照明灯"),
            i("小区路灯不亮", P("主干道"), "小区主干道路灯坏了几盏，晚上散步的老人多，不安全", "已联系路灯管理所维修，路灯恢复"),
            i("楼道灯长明不灭", B, "楼道灯白天也一直亮着，浪费电", "已更换感应开关"),
        ],
        asks: &["希望尽快修好", "请物业尽快更换"],
        progress: &["已联系物业电工", "已现场查看，线路老化需更换"],
        departments: &["供电公司", "路灯管理所"],
    },
    Topic {
        name: "停车难",
        weight: 90,
        escalate: 80,
        issues: &[
            i("小区内乱停车堵住消防通道", P("消防通道"), "晚上有车辆停在消防通道上，救护车和消防车进不来", "已联系车主挪车，并设置禁停标识"),
            i("车位被长期占用", P("地面停车场"), "自家租的车位经常被外来车辆占用，找物业也没用", "物业已加装地锁并张贴提示"),
            i("外来车辆占用小区车位", P("北门"), "小区门口道闸坏了，外来车辆随意进出占用车位", "已督促物业修复道闸，加强门岗登记"),
            i("电动车停放在楼道", B, "楼道里停了好几辆电动车，还有人在楼道充电，存在火灾隐患", "已清理楼道电动车，张贴安全提示"),
            i("僵尸车长期占用车位", P("楼下"), "一辆破旧轿车停在楼下一年多没人动过，轮胎都瘪了", "已联系交警核实车主，车辆已拖离"),
            i("申请增设停车位", P("地面停车场"), "小区车多位少，晚上回来找不到地方停，希望规划更多车位", "已将闲置空地改建为停车位"),
            i("共享单车堵塞小区出入口", P("南门"), "共享单车堆在小区门口，轮椅和婴儿车过不去", "已联系运营企业清运，并划定停放区"),
        ],
        asks: &["希望社区协调解决", "请尽快处理", "希望加强管理"],
        progress: &["已联系物业核实情况", "已张贴挪车通知", "已与车主电话沟通"],
        departments: &["交警大队", "城管执法中队"],
    },
    Topic {
        name: "邻里纠纷",
        weight: 90,
        escalate: 30,
        issues: &[
            i("楼上漏水与邻居产生纠纷", H, "楼上卫生间漏水，自家天花板发霉，与楼上沟通多次未果", "经调解，楼上住户同意维修防水并赔偿"),
            i("楼上噪音扰民", H, "楼上住户经常半夜拖动家具，影响休息", "已上门沟通，双方达成谅解"),
            i("邻居在楼道堆放杂物", B, "对门邻居在楼道堆放纸箱和旧家具，影响通行", "已协调邻居清理杂物"),
            i("邻居装修噪音扰民", H, "隔壁装修中午和周末也在施工，家里有老人和小孩", "已告知装修时间规定，施工方承诺按时作业"),
            i("空调外机噪音纠纷", H, "邻居家空调外机正对卧室窗户，噪音大还滴水", "经协调，邻居已移装外机并加装接水管"),
            i("占用公共绿地种菜", P("中心花园"), "有住户把楼下绿地圈起来种菜，还施农家肥，气味大", "已劝导住户清除菜地，恢复绿化"),
            i("高空抛物", B, "楼上有人往下扔垃圾，差点砸到人", "已逐户宣传并张贴警示，物业加装监控"),
        ],
        asks: &["希望社区出面调解", "请社区帮忙协调"],
        progress: &["已分别约谈双方", "已约定周末在社区调解室调解", "已上门了解情况，双方情绪较大"],
        departments: &["辖区派出所", "街道司法所"],
    },
    Topic {
        name: "长者食堂",
        weight: 50,
        escalate: 5,
        issues: &[
            i("申请长者食堂用餐补贴", H, "老人年满八十岁，想申请长者食堂的用餐补贴", "已协助提交申请，补贴审核通过"),
            i("咨询长者食堂送餐上门", H, "老人腿脚不便，想问长者食堂能不能送餐上门", "已登记送餐服务，每日由志愿者送餐"),
            i("反映长者食堂菜品偏咸", P("长者食堂"), "老人反映长者食堂的菜偏咸偏油，不适合高血压老人", "已反馈运营方，增加少盐少油菜品"),
            i("申请办理长者助餐卡", H, "想给家里老人办一张助餐卡，不知道需要什么材料", "已协助办理助餐卡"),
            i("长者食堂排队时间长", P("长者食堂"), "中午长者食堂排队的人多，老人站久了吃不消", "已增加打餐窗口并设置等候座椅"),
        ],
        asks: &["希望社区帮忙办理", "请告知办理方式", "希望尽快改进"],
        progress: &["已与食堂运营方沟通", "申请材料已收齐"],
        departments: &["街道社事办"],
    },
    Topic {
        name: "低保救助",
        weight: 30,
        escalate: 20,
        issues: &[
            i("咨询低保申请条件", H, "家里收入低，想了解低保怎么申请、需要哪些材料", "已告知申请条件和所需材料，发放办事指南"),
            i("申请低保", H, "丈夫去年生病失去劳动能力，家庭收入很低，想申请低保", "已受理申请，入户调查后报街道审核通过"),
            i("低保年审材料提交", H, "低保年审需要提交的收入证明还没开好，担心超时", "已收齐年审材料并上报"),
            i("申请临时救助", H, "家里有人突发重病，医疗费用负担重，想申请临时救助", "已协助申请临时救助，救助金已发放"),
            i("低保金未按时到账", H, "这个月的低保金还没到账，家里等着用钱", "已向街道核实，系代发延迟，现已到账"),
        ],
        asks: &["希望社区帮忙办理", "请告知所需材料", "希望尽快核实"],
        progress: &["已入户调查家庭情况", "材料已报街道审核", "已通知居民补交材料"],
        departments: &["街道社事办", "区民政局"],
    },
    Topic {
        name: "文明养犬",
        weight: 60,
        escalate: 10,
        issues: &[
            i("有人遛狗不牵绳", P("中心花园"), "有居民早晚遛狗不牵绳，大狗追着小孩跑", "已找到犬主进行劝导，张贴文明养犬告示"),
            i("楼道内狗粪无人清理", B, "有人让狗在楼道里大小便，一直没人清理", "已联系物业清理，并上门提醒犬主"),
            i("邻居家犬只夜间吠叫", H, "隔壁家的狗每天晚上叫个不停，影响休息", "已上门沟通，犬主承诺加强看管"),
            i("大型犬在小区内散放", P("楼下"), "小区里有大型犬在绿地散放，居民不敢下楼", "已联合派出所上门核查，督促犬主规范养犬"),
            i("流浪狗聚集", P("垃圾站"), "垃圾站附近聚集了几只流浪狗，有居民被吓到", "已联系流浪动物救助站收容"),
        ],
        asks: &["希望社区加强管理", "请尽快处理"],
        progress: &["已查找犬主", "已在楼栋群内提醒文明养犬"],
        departments: &["辖区派出所", "城管执法中队"],
    },
    Topic {
        name: "老旧小区",
        weight: 80,
        escalate: 150,
        issues: &[
            i("屋顶漏水", H, "顶楼屋面防水层老化，下雨天家里漏水，墙面都泡坏了", "屋面防水已重做，不再漏水"),
            i("外墙脱落存在安全隐患", B, "外墙瓷砖松动脱落，楼下就是人行道，存在安全隐患", "已拉设警戒线，外墙已排险修复"),
            i("申请加装电梯", B, "楼里老人多，爬楼困难，单元住户想申请加装电梯", "已组织住户协商，申报材料已报送"),
            i("雨污管网改造进度咨询", P("主干道"), "小区雨污分流改造开挖好久了，想了解什么时候完工", "已向施工单位了解进度并答复居民"),
            i("楼道墙面开裂", B, "楼道墙面出现裂缝，越来越宽，住户担心房屋安全", "经专业机构检测属非结构性裂缝，已修补"),
            i("改造施工扰民", P("主干道"), "老旧小区改造施工早上六点就开始，噪音很大", "已约谈施工单位，调整施工时间"),
            i("雨天小区积水严重", P("北门"), "一下大雨小区路面就积水，老人出门要蹚水", "已疏通雨水管网，积水问题缓解"),
        ],
        asks: &["希望尽快维修", "希望纳入改造计划", "请社区向上反映"],
        progress: &["已现场查看并拍照", "已与施工单位沟通", "已纳入年度维修计划"],
        departments: &["区住建局", "街道城管办"],
    },
    Topic {
        name: "环境卫生",
        weight: 160,
        escalate: 10,
        issues: &[
            i("垃圾站清运不及时", P("垃圾站"), "垃圾站的垃圾桶满了溢出来，天热气味很大，招苍蝇", "已督促环卫公司增加清运频次"),
            i("楼道堆放杂物", B, "楼道里有人堆放旧家具和纸壳，既脏乱又有消防隐患", "已联系物业清理楼道杂物"),
            i("绿化带内垃圾无人清理", P("中心花园"), "绿化带里有很多塑料袋和烟头，很久没人打扫", "物业已组织保洁清理"),
            i("垃圾分类投放点异味大", P("垃圾分类亭"), "楼下垃圾分类投放点异味大，夏天尤其明显", "已增加冲洗消杀频次"),
            i("有人焚烧垃圾", P("围墙边"), "有人在小区空地焚烧垃圾和树叶，烟很呛", "已现场制止并清理，加强巡查"),
            i("建筑垃圾乱堆放", P("楼下"), "有住户装修后把建筑垃圾堆在楼下，一直没运走", "已督促装修户清运建筑垃圾"),
            i("化粪池满溢", P("楼下"), "化粪池满了往外冒，整栋楼都是臭味", "已联系清掏公司清掏化粪池"),
            i("下水道返味", B, "楼道下水道返臭味，家家户户都能闻到", "已疏通管道并加装防臭地漏"),
        ],
        asks: &["希望尽快清理", "请督促物业处理"],
        progress: &["已通知物业保洁", "已联系环卫所"],
        departments: &["环卫所", "城管执法中队"],
    },
    Topic {
        name: "政策咨询",
        weight: 100,
        escalate: 5,
        issues: &[
            i("咨询医保缴费", H, "想了解城乡居民医保今年的缴费标准和缴费方式", "已告知缴费标准，指导在手机上完成缴费"),
            i("咨询居住证办理", H, "外地来蓉工作，想问居住证怎么办理、需要什么材料", "已告知办理流程，开具居住证明"),
            i("咨询高龄津贴申领", H, "家里老人满八十岁了，想了解高龄津贴怎么申领", "已协助提交申领材料"),
            i("咨询退役军人优待证办理", H, "想了解退役军人优待证的申请流程和所需材料", "已协助线上申请优待证"),
            i("咨询独生子女父母奖励", H, "咨询独生子女父母奖励扶助的申领条件", "已告知政策并协助登记"),
            i("咨询新生儿落户", H, "孩子刚出生，想了解落户要准备哪些材料", "已告知所需材料和办理地点"),
            i("咨询养老金资格认证", H, "不会用手机做养老金资格认证，担心养老金停发", "已协助完成养老金资格认证"),
            i("开具居住证明", H, "孩子上学需要社区开具居住证明", "已核实情况并开具证明"),
        ],
        asks: &["请社区帮忙解答", "希望社区协助办理"],
        progress: &["已向街道便民服务中心确认政策", "已电话告知所需材料"],
        departments: &["街道便民服务中心", "区医保局"],
    },
    Topic {
        name: "其他",
        weight: 40,
        escalate: 10,
        issues: &[
            i("楼下飞线充电", B, "有住户从楼上拉电线下来给电动车充电，存在火灾隐患", "已劝导拆除飞线，引导到充电桩充电"),
            i("建议增设休息座椅", P("中心花园"), "小区里老人多，散步走累了没地方坐，希望增加几张座椅", "已在中心花园增设休息座椅"),
            i("申请使用社区活动室", P("党群服务中心"), "居民舞蹈队想借用社区活动室排练", "已协调活动室使用时间"),
            i("反映诈骗电话", H, "家里老人接到冒充公检法的电话，差点转账", "已联系派出所民警上门开展反诈宣传"),
            i("咨询社区活动报名", H, "想给孩子报名社区暑期托管班", "已登记报名信息"),
        ],
        asks: &["请社区协调处理", "希望社区帮忙"],
        progress: &["已了解情况", "已与相关单位联系"],
        departments: &["辖区派出所", "街道综治中心"],
    },
];

const AFTER_ASSIGN: &[&str] = &[
    "已电话联系居民，约定明天上门",
    "已电话联系居民，了解具体情况",
    "居民电话未接通，已发短信告知",
    "已现场查看，拍照留存",
    "已联系物业，约定明天上门",
];
/// The same, when there is no resident to call.
const AFTER_ASSIGN_ANON: &[&str] = &["已现场查看，拍照留存", "已联系物业，约定明天上门", "已通知物业到场处理"];
const CHASE: &[&str] = &[
    "已催办",
    "已电话催办，对方答复正在处理",
    "居民再次来电询问进度，已解释",
    "已向街道报送情况说明",
    "已催办物业，尚未回复",
];
const ESCALATE: &[&str] = &["涉及资金较大，需街道统筹解决", "需多部门联合处理，上报街道", "社区协调未果，上报街道"];
const WITHDRAW: &[&str] =
    &["居民表示问题已自行解决", "居民撤回诉求", "重复登记，已合并处理", "居民已搬离，不再需要处理", "经核实情况不属实"];
const CALLBACK_OK: &[&str] = &["电话回访，居民表示满意", "上门回访，居民对处理结果满意", "微信回访，居民表示满意"];
const CALLBACK_BASIC: &[&str] = &["电话回访，居民表示基本满意", "居民表示基本满意，希望今后加强管理"];
const CALLBACK_BAD: &[&str] =
    &["电话回访，居民表示问题仍未解决", "居民对处理结果不满意，要求重新处理", "居民反映问题又出现了"];
const CALLBACK_ANON: &[&str] = &["匿名诉求，已现场复核，整改到位", "无联系人，网格员现场复核已处理"];
const CALLBACK_12345: &[&str] = &["已电话回访来电人，并在12345平台回复", "已回访市民，12345工单已办结"];
const REOPEN: &[&str] = &["回访不满意，重新办理", "问题复发，重新派单处理", "居民不满意，已约定再次上门"];

// ---------------------------------------------------------------------------
// Requests

struct Ctx<'a> {
    today: NaiveDate,
    cal: &'a WorkCalendar,
    cats: &'a Categories,
    town: &'a Town,
    staff: &'a Staff,
    residents: &'a [Resident],
    people: &'a [Person],
}

/// A category from the office's list with the texts to describe it.
struct Cat<'a> {
    cat: &'a Category,
    topic: &'static Topic,
}

fn topic_for(name: &str) -> &'static Topic {
    TOPICS.iter().find(|t| t.name == name).unwrap_or(&TOPICS[TOPICS.len() - 1])
}

/// Who brings requests: most residents now and then, a few again and again.
struct Askers {
    uniform_n: usize,
    /// Zipf-like weights over a shuffled order of residents.
    order: Vec<usize>,
    cum: Vec<u64>,
    /// Residents on minimum income, special hardship or with a disability.
    needy: Vec<usize>,
    elderly: Vec<usize>,
}

impl Askers {
    fn new(ctx: &Ctx, rng: &mut Rng) -> Askers {
        let n = ctx.residents.len();
        let mut order: Vec<usize> = (0..n).collect();
        for k in (1..n).rev() {
            order.swap(k, rng.index(k + 1));
        }
        let offset = (n as u64 / 300).max(5);
        let mut acc = 0u64;
        let cum = (0..n as u64)
            .map(|k| {
                acc += (1u64 << 32) / (k + offset);
                acc
            })
            .collect();
        let needy = (0..n)
            .filter(|&k| ctx.residents[k].tags.iter().any(|t| matches!(t.as_str(), "低保户" | "特困人员" | "残疾人")))
            .collect();
        let elderly = (0..n).filter(|&k| ctx.people[k].born < 1960).collect();
        Askers { uniform_n: n, order, cum, needy, elderly }
    }

    fn pick(&self, rng: &mut Rng, topic: &str) -> usize {
        let special: &[usize] = match topic {
            "低保救助" => &self.needy,
            "长者食堂" => &self.elderly,
            _ => &[],
        };
        if !special.is_empty() && rng.chance(750) {
            return rng.pick(special);
        }
        if rng.chance(700) {
            return rng.index(self.uniform_n);
        }
        let r = rng.below(*self.cum.last().unwrap_or(&0));
        self.order[self.cum.partition_point(|&c| c <= r).min(self.order.len() - 1)]
    }
}

const CHANNELS_WORKDAY: &[(Channel, u32)] = &[
    (Channel::Visit, 300),
    (Channel::Phone, 250),
    (Channel::Hotline12345, 130),
    (Channel::WeChat, 155),
    (Channel::Patrol, 110),
    (Channel::DoorVisit, 55),
];

/// The office's hours: 8:30–12:00 and 14:00–17:30.
const AM: (u32, u32) = (8 * 60 + 30, 12 * 60);
const PM: (u32, u32) = (14 * 60, 17 * 60 + 30);

fn hm(minutes: u32, second: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, second).unwrap_or(NaiveTime::MIN)
}

/// A random moment in office hours on `d`.
fn office_time(rng: &mut Rng, d: NaiveDate) -> NaiveDateTime {
    let span = (AM.1 - AM.0) + (PM.1 - PM.0);
    let m = rng.range(0, span - 1);
    let minute = if m < AM.1 - AM.0 { AM.0 + m } else { PM.0 + m - (AM.1 - AM.0) };
    d.and_time(hm(minute, rng.range(0, 59)))
}

/// Spreads `n` requests over the five years up to `today`, more in later
/// years and in summer, on working days (weekends: 12345 transfers only).
/// Returns sorted times, each with whether it fell on a working day.
fn request_times(ctx: &Ctx, n: usize, rng: &mut Rng) -> Vec<(NaiveDateTime, bool)> {
    let start = ctx.today.checked_sub_months(Months::new(60)).unwrap_or(ctx.today) + Duration::days(1);
    let days: Vec<NaiveDate> = start.iter_days().take_while(|d| *d <= ctx.today).collect();
    let len = days.len().max(1) as u64;
    let mut acc = 0u64;
    let mut cum = Vec::with_capacity(days.len());
    let mut working = Vec::with_capacity(days.len());
    for (k, d) in days.iter().enumerate() {
        let w = ctx.cal.is_working_day(*d);
        let growth = 1000 + 350 * k as u64 / len;
        let season = if (6..=8).contains(&d.month()) { 115 } else { 100 };
        let kind = if w { 100 } else { 6 };
        acc += growth * season * kind * u64::from(rng.range(75, 125)) / 1000;
        cum.push(acc);
        working.push(w);
    }
    let mut times = Vec::with_capacity(n);
    let mut day = 0usize;
    for k in 0..n as u64 {
        // evenly spaced quantiles of the day weights
        let target = ((2 * k + 1) * acc) / (2 * n as u64);
        while day + 1 < cum.len() && cum[day] <= target {
            day += 1;
        }
        let d = days[day];
        let t = if working[day] {
            office_time(rng, d)
        } else {
            d.and_time(hm(rng.range(9 * 60, 17 * 60), rng.range(0, 59)))
        };
        times.push((t, working[day]));
    }
    times.sort_by_key(|(t, _)| *t);
    times
}

/// The grid worker of a building's grid.
fn grid_worker(ctx: &Ctx, building: usize) -> WorkerId {
    let g = &ctx.staff.grid_workers;
    g[ctx.town.buildings[building].grid.min(g.len() - 1)]
}

/// The request as it moves: the cursor time never goes back, and no move
/// happens after the end of `today`.
struct Sim<'a> {
    r: Request,
    t: NaiveDateTime,
    end: NaiveDateTime,
    limit: u32,
    cal: &'a WorkCalendar,
    live: bool,
}

impl Sim<'_> {
    /// A time `wd` working days after the cursor (0: later the same working day).
    fn later(&self, wd: u32, rng: &mut Rng) -> NaiveDateTime {
        let t = self.t;
        if wd > 0 {
            return office_time(rng, self.cal.add_working_days(t.date(), wd));
        }
        let next_morning = |rng: &mut Rng| {
            let d = self.cal.add_working_days(t.date(), 1);
            d.and_time(hm(rng.range(AM.0, AM.0 + 150), rng.range(0, 59)))
        };
        if !self.cal.is_working_day(t.date()) {
            return next_morning(rng);
        }
        let nt = t + Duration::minutes(i64::from(rng.range(10, 150)));
        let minute = nt.hour() * 60 + nt.minute();
        if nt.date() != t.date() || minute >= PM.1 {
            next_morning(rng)
        } else if (AM.1..PM.0).contains(&minute) {
            nt.date().and_time(hm(PM.0 + rng.range(0, 30), rng.range(0, 59)))
        } else {
            nt
        }
    }

    /// A time on the working day `wd` after the request was logged, or just
    /// after the cursor if that is already past.
    fn on_day(&self, wd: u32, rng: &mut Rng) -> NaiveDateTime {
        let d = self.cal.add_working_days(self.r.logged_at.date(), wd);
        if d > self.t.date() { office_time(rng, d) } else { self.later(0, rng) }
    }

    fn next(&mut self, at: NaiveDateTime) -> bool {
        if !self.live || at > self.end || at < self.t {
            self.live = false;
            return false;
        }
        self.t = at;
        true
    }

    fn mv(&mut self, at: NaiveDateTime, mv: Move, by: WorkerId) -> bool {
        if !self.next(at) {
            return false;
        }
        let ok = self.r.apply(mv, by, at, self.limit, self.cal).is_ok();
        debug_assert!(ok, "illegal demo move from {:?}", self.r.status);
        self.live = ok;
        ok
    }

    fn note(&mut self, at: NaiveDateTime, text: &str, by: WorkerId) -> bool {
        self.next(at) && self.r.comment(text.to_string(), by, at).is_ok()
    }
}

fn make_requests(ctx: &Ctx, n: usize, rng: &mut Rng) -> Vec<Request> {
    let defaults;
    let cats = if ctx.cats.0.is_empty() {
        defaults = Categories::default();
        &defaults
    } else {
        ctx.cats
    };
    let cats: Vec<Cat> = cats.0.iter().map(|c| Cat { cat: c, topic: topic_for(&c.name) }).collect();
    let weights: Vec<(usize, u32)> = cats
        .iter()
        .enumerate()
        .map(|(k, c)| (k, if c.topic.name == c.cat.name { c.topic.weight } else { 30 }))
        .collect();
    let cat_table = Table::new(&weights);
    let askers = Askers::new(ctx, rng);
    let times = request_times(ctx, n, rng);
    let end = ctx.today.and_time(hm(18 * 60, 0));
    // requests logged 16–45 working days before today; a few of them stall
    let stall_from = working_days_back(ctx.cal, ctx.today, 45);
    let stall_to = working_days_back(ctx.cal, ctx.today, 16);
    let window: Vec<usize> =
        (0..times.len()).filter(|&k| (stall_from..=stall_to).contains(&times[k].0.date()) && times[k].1).collect();
    let mut stalled = vec![Stall::No; times.len()];
    let want = (window.len() * 5 / 100).max(2).min(window.len());
    if let Some(step) = window.len().checked_div(want) {
        let offset = rng.index(step.max(1));
        for j in 0..want {
            stalled[window[(offset + j * step).min(window.len() - 1)]] =
                if j % 3 == 0 { Stall::Escalated } else { Stall::Stuck };
        }
    }
    let mut seq_year = 0;
    let mut seq = 0u64;
    let mut out = Vec::with_capacity(n);
    for (k, &(at, working)) in times.iter().enumerate() {
        if at.year() != seq_year {
            seq_year = at.year();
            seq = 0;
        }
        seq += 1;
        let id = RequestId::new(seq_year, seq);
        let channel = if working { rng.weighted(CHANNELS_WORKDAY) } else { Channel::Hotline12345 };
        let cat = &cats[cat_table.pick(rng)];
        out.push(make_request(ctx, &askers, rng, Plan { id, at, channel, cat, end, stalled: stalled[k] }));
    }
    out
}

/// The date `n` working days before `today`.
fn working_days_back(cal: &WorkCalendar, today: NaiveDate, n: u32) -> NaiveDate {
    let mut d = today;
    let mut found = 0;
    for _ in 0..n * 3 + 30 {
        d = d.pred_opt().unwrap_or(d);
        if cal.is_working_day(d) {
            found += 1;
            if found == n {
                break;
            }
        }
    }
    d
}

/// Whether a recent request is left hanging (open and overdue today).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stall {
    No,
    Stuck,
    /// Sent up to the street office, which has not answered.
    Escalated,
}

struct Plan<'a> {
    id: RequestId,
    at: NaiveDateTime,
    channel: Channel,
    cat: &'a Cat<'a>,
    end: NaiveDateTime,
    stalled: Stall,
}

/// What a request is about and who brought it, for the later steps' texts.
struct Case {
    topic: &'static Topic,
    issue: &'static Issue,
    resident: Option<usize>,
    channel: Channel,
}

#[derive(Clone, Copy, PartialEq)]
enum Path {
    Normal,
    Withdraw,
    Transfer,
    Escalate,
}

fn make_request(ctx: &Ctx, askers: &Askers, rng: &mut Rng, plan: Plan) -> Request {
    let Plan { id, at, channel, cat, end, stalled } = plan;
    let topic = cat.topic;
    let anonymous_rate = match channel {
        Channel::Patrol => 850,
        Channel::Hotline12345 => 150,
        Channel::WeChat => 100,
        _ => 30,
    };
    let mut issue: &'static Issue = &topic.issues[rng.index(topic.issues.len())];
    let mut resident = None;
    if !ctx.residents.is_empty() {
        if rng.chance(anonymous_rate) {
            // nobody to name: an issue about a shared place
            let shared: Vec<&'static Issue> = topic.issues.iter().filter(|x| x.scope != Scope::Home).collect();
            if shared.is_empty() {
                resident = Some(askers.pick(rng, topic.name));
            } else {
                issue = rng.pick(&shared);
            }
        } else {
            resident = Some(askers.pick(rng, topic.name));
        }
    }
    if resident.is_none() && issue.scope == Scope::Home {
        issue = topic.issues.iter().find(|x| x.scope != Scope::Home).unwrap_or(issue);
    }
    let case = Case { topic, issue, resident, channel };

    // where
    let (building, address) = match resident {
        Some(k) => {
            let a = &ctx.residents[k].address;
            (ctx.town.building_of(a).unwrap_or(ctx.people[k].building), a.clone())
        }
        None if topic.name == "老旧小区" && !ctx.town.old.is_empty() => {
            let b = rng.pick(&ctx.town.old);
            let k = &ESTATES[ctx.town.buildings[b].estate];
            let address = Address {
                estate: k.name.to_string(),
                building: ctx.town.buildings[b].no.to_string(),
                unit: rng.range(1, k.units).to_string(),
                room: String::new(),
            };
            (b, address)
        }
        None => ctx.town.random_address(rng),
    };
    let estate = address.estate.as_str();
    let (location, title) = match issue.scope {
        Scope::Home => (address.to_string(), issue.title.to_string()),
        Scope::Building => {
            let here = format!("{}栋{}单元", address.building, address.unit);
            let title = if rng.chance(400) { format!("{here}{}", issue.title) } else { issue.title.to_string() };
            (format!("{estate} {here}"), title)
        }
        Scope::Place(place) => {
            let place = if place == "楼下" { format!("{}栋楼下", address.building) } else { place.to_string() };
            let title = if rng.chance(200) { format!("{estate}{}", issue.title) } else { issue.title.to_string() };
            (format!("{estate} {place}"), title)
        }
    };
    let description = describe(ctx, rng, &case);

    // by whom
    let staff = ctx.staff;
    let grid = grid_worker(ctx, building);
    let officer = |rng: &mut Rng| rng.pick(&staff.officers);
    let leader = |rng: &mut Rng| rng.pick(&staff.leaders);
    let logged_by = match channel {
        Channel::Visit | Channel::Phone => rng.pick(&staff.all),
        Channel::Hotline12345 => officer(rng),
        Channel::WeChat | Channel::Patrol | Channel::DoorVisit => grid,
    };
    let assignee = match topic.name {
        "低保救助" | "政策咨询" | "长者食堂" if rng.chance(700) => officer(rng),
        "邻里纠纷" if rng.chance(300) => rng.pick(&staff.members),
        _ if rng.chance(850) => grid,
        _ => rng.pick(&staff.all),
    };

    let urgency = if rng.chance(100) { Urgency::Urgent } else { Urgency::Normal };
    let category_limit = cat.cat.limit_days;
    let limit = limit_for(category_limit, urgency);
    let new = NewRequest {
        channel,
        category: cat.cat.name.clone(),
        title,
        description,
        location,
        resident: resident.map(|k| ResidentId(k as u64 + 1)),
        urgency,
    };
    let r = Request::create(id, new, logged_by, at, category_limit, ctx.cal);
    let mut s = Sim { r, t: at, end, limit: category_limit, cal: ctx.cal, live: true };

    // what happens next
    let path = if stalled != Stall::No {
        Path::Normal
    } else {
        let esc = topic.escalate.min(500);
        rng.weighted(&[(Path::Withdraw, 20), (Path::Transfer, 40), (Path::Escalate, esc), (Path::Normal, 1000 - esc)])
    };
    if rng.chance(40) {
        // the resident asks again before anyone is on it
        let at = s.later(0, rng);
        s.note(at, rng.pick(CHASE), logged_by);
    }
    if path == Path::Transfer && rng.chance(500) {
        // not the community's to handle: passed on straight from the desk
        let at = s.later(rng.range(0, 1), rng);
        let dept = rng.pick(topic.departments);
        if s.mv(at, Move::Transfer(format!("转{dept}处理")), officer(rng)) {
            finish_outside(&mut s, rng, ctx, &case, dept, assignee);
        }
        return s.r;
    }
    let dispatcher = if rng.chance(600) { leader(rng) } else { logged_by };
    let at = s.later(if rng.chance(600) { 0 } else { 1 }, rng);
    if !s.mv(at, Move::Assign(assignee), dispatcher) {
        return s.r;
    }
    if rng.chance(450) {
        let at = s.later(0, rng);
        let pool = if resident.is_some() { AFTER_ASSIGN } else { AFTER_ASSIGN_ANON };
        s.note(at, rng.pick(pool), assignee);
    }
    let mut worker = assignee;
    if rng.chance(50) {
        // handed over to someone else
        worker = rng.pick(&staff.all);
        let at = s.later(rng.range(0, 2), rng);
        s.mv(at, Move::Assign(worker), leader(rng));
    }
    match path {
        Path::Withdraw => {
            let at = s.later(rng.range(0, 3), rng);
            s.mv(at, Move::Withdraw(rng.pick(WITHDRAW).to_string()), worker);
            return s.r;
        }
        Path::Transfer => {
            let at = s.later(rng.range(0, 2), rng);
            let dept = rng.pick(topic.departments);
            if s.mv(at, Move::Transfer(format!("转{dept}处理")), worker) {
                finish_outside(&mut s, rng, ctx, &case, dept, worker);
            }
            return s.r;
        }
        Path::Normal | Path::Escalate => {}
    }
    if rng.chance(550) {
        let at = s.later(rng.range(0, 1), rng);
        s.mv(at, Move::Start, worker);
        if rng.chance(250) {
            let at = s.later(0, rng);
            s.note(at, rng.pick(topic.progress), worker);
        }
    }
    if stalled != Stall::No {
        // nothing moves: a few chasing notes, still open and overdue today
        if stalled == Stall::Escalated {
            let at = s.later(rng.range(1, 5), rng);
            s.mv(at, Move::Escalate(rng.pick(ESCALATE).to_string()), leader(rng));
        }
        for _ in 0..rng.range(1, 3) {
            let at = s.later(rng.range(2, 6), rng);
            s.note(at, rng.pick(CHASE), worker);
        }
        return s.r;
    }
    if path == Path::Escalate {
        let at = s.later(rng.range(0, limit.max(1)), rng);
        if s.mv(at, Move::Escalate(rng.pick(ESCALATE).to_string()), leader(rng)) {
            finish_outside(&mut s, rng, ctx, &case, "街道", worker);
        }
        return s.r;
    }
    if limit >= 5 && rng.chance(300) {
        let at = s.later(rng.range(1, limit / 2), rng);
        s.note(at, rng.pick(topic.progress), worker);
    }
    // on time mostly: within the limit, earlier more often than later
    let wd = if rng.chance(45) {
        limit + if rng.chance(800) { rng.range(1, 5) } else { rng.range(6, 25) }
    } else {
        rng.range(0, limit).min(rng.range(0, limit))
    };
    let at = s.on_day(wd, rng);
    if s.mv(at, Move::Resolve(issue.fix.to_string()), worker) {
        callback_and_close(&mut s, rng, ctx, &case, worker);
    }
    s.r
}

/// The description: who brought it through which channel, what, and what they ask.
fn describe(ctx: &Ctx, rng: &mut Rng, case: &Case) -> String {
    let call = |rng: &mut Rng| match case.resident {
        Some(k) => {
            let p = ctx.people[k];
            let name = &ctx.residents[k].name;
            let compound = SURNAMES.iter().any(|(s, _)| s.chars().count() == 2 && name.starts_with(s));
            let sur: String = name.chars().take(if compound { 2 } else { 1 }).collect();
            let polite = match (p.born < 1960, p.male) {
                (true, true) => "大爷",
                (true, false) => rng.pick(&["阿姨", "婆婆"]),
                (false, true) => "先生",
                (false, false) => "女士",
            };
            format!("{sur}{polite}")
        }
        None => "居民".to_string(),
    };
    let opening = match case.channel {
        Channel::Visit => format!("{}来社区反映，", call(rng)),
        Channel::Phone => format!("{}来电反映，", call(rng)),
        Channel::Hotline12345 => "市民通过12345热线反映，".to_string(),
        Channel::WeChat => "居民在微信群反映，".to_string(),
        Channel::Patrol => "网格员巡查发现，".to_string(),
        Channel::DoorVisit => format!("入户走访时{}反映，", call(rng)),
    };
    let ask = if case.channel == Channel::Patrol { "需协调处理" } else { rng.pick(case.topic.asks) };
    format!("{opening}{}，{ask}。", case.issue.detail)
}

/// After a transfer or an escalation: the other office deals with it, then
/// the community calls back and closes.
fn finish_outside(s: &mut Sim, rng: &mut Rng, ctx: &Ctx, case: &Case, dept: &str, worker: WorkerId) {
    if rng.chance(600) {
        let at = s.later(rng.range(2, 8), rng);
        s.note(at, rng.pick(CHASE), worker);
    }
    // the street office takes its time; departments report back sooner
    let wd = if dept == "街道" { rng.range(10, 60) } else { rng.range(3, 20) };
    let at = s.later(wd, rng);
    if s.mv(at, Move::Resolve(format!("经{dept}处理，{}", case.issue.fix)), worker) {
        callback_and_close(s, rng, ctx, case, worker);
    }
}

/// 回访 with the resident's satisfaction, then 归档; an unsatisfied callback
/// reopens the request, which is resolved and called back once more.
fn callback_and_close(s: &mut Sim, rng: &mut Rng, ctx: &Ctx, case: &Case, worker: WorkerId) {
    let staff = ctx.staff;
    for round in 0..2 {
        let caller = if rng.chance(300) { worker } else { rng.pick(&staff.officers) };
        let at = s.later(rng.range(1, 5), rng);
        let sat = if case.resident.is_none() {
            // nobody to ask: the grid worker checks on the spot
            rng.weighted(&[(Satisfaction::Satisfied, 850), (Satisfaction::Basic, 150)])
        } else if round == 0 {
            rng.weighted(&[(Satisfaction::Satisfied, 750), (Satisfaction::Basic, 170), (Satisfaction::Unsatisfied, 80)])
        } else {
            rng.weighted(&[(Satisfaction::Satisfied, 650), (Satisfaction::Basic, 350)])
        };
        let text = match (sat, case.resident, case.channel) {
            (_, None, _) => rng.pick(CALLBACK_ANON),
            (Satisfaction::Unsatisfied, ..) => rng.pick(CALLBACK_BAD),
            (Satisfaction::Basic, ..) => rng.pick(CALLBACK_BASIC),
            (Satisfaction::Satisfied, _, Channel::Hotline12345) => rng.pick(CALLBACK_12345),
            (Satisfaction::Satisfied, ..) => rng.pick(CALLBACK_OK),
        };
        if !s.mv(at, Move::CallBack(sat, text.to_string()), caller) {
            return;
        }
        if sat != Satisfaction::Unsatisfied {
            let at = s.later(rng.range(0, 2), rng);
            s.mv(at, Move::Close, rng.pick(&[staff.leaders[0], staff.officers[0], caller]));
            return;
        }
        let at = s.later(rng.range(0, 1), rng);
        if !s.mv(at, Move::Reopen(rng.pick(REOPEN).to_string()), rng.pick(&staff.leaders)) {
            return;
        }
        if s.r.assignee.is_none() {
            // passed on from the desk and never assigned: now it is someone's
            let at = s.later(0, rng);
            if !s.mv(at, Move::Assign(worker), rng.pick(&staff.leaders)) {
                return;
            }
        }
        let limit = limit_for(s.limit, s.r.urgency);
        let at = s.later(rng.range(1, limit.max(1)), rng);
        if !s.mv(at, Move::Resolve(format!("再次上门处理，{}", case.issue.fix)), worker) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mask;
    use crate::domain::request::{Deadline, NoteKind, Status};
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
            assert!(m.contains("****") && m.ends_with(&p[p.len() - 4..]), "{m}");
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
        assert!(initials(&zeng.name).starts_with('z'));
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
            let first_resolve = r
                .notes
                .iter()
                .find(|n| matches!(n.kind, NoteKind::Moved { kind: crate::domain::MoveKind::Resolve, .. }));
            let due = cal.add_working_days(
                r.logged_at.date(),
                limit_for(Categories::default().limit_of(&r.category), r.urgency),
            );
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
        println!(
            "tags {:?}",
            tags.iter().map(|(k, v)| format!("{k} {:.1}%", *v as f64 * 100.0 / rn)).collect::<Vec<_>>()
        );
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
}
