//! The demo community's people: names, the office's workers, and the
//! residents in their estates, buildings and households.

use super::rng::{Rng, Table};
use crate::domain::{Address, Resident, ResidentId, Worker, WorkerId};
use std::collections::HashSet;

// ---------------------------------------------------------------------------
// Names

/// Surnames, weighted roughly by how common they are (per ten thousand);
/// the last few are read differently as surnames (曾 zēng, 单 shàn, 区 ōu…).
#[rustfmt::skip]
pub(super) const SURNAMES: &[(&str, u32)] = &[
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
pub(super) const SHOWCASE_SURNAMES: &[(usize, &str)] = &[(2, "曾"), (5, "单"), (9, "欧阳"), (14, "解")];

/// Given names by generation and sex: (born before, male, female).
pub(super) const GIVEN: &[(u16, &[&str], &[&str])] = &[
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

pub(super) fn given_name(rng: &mut Rng, born: u16, male: bool) -> &'static str {
    let (_, m, f) = GIVEN.iter().find(|(before, _, _)| born < *before).unwrap_or(&GIVEN[GIVEN.len() - 1]);
    if male { rng.pick(m) } else { rng.pick(f) }
}

/// Mobile prefixes, weighted by how common they are.
#[rustfmt::skip]
pub(super) const MOBILE_PREFIXES: &[(u64, u32)] = &[
    (130, 4), (131, 4), (132, 4), (133, 4), (134, 5), (135, 5), (136, 5), (137, 5), (138, 6), (139, 6),
    (150, 3), (151, 3), (152, 3), (153, 3), (155, 3), (156, 3), (157, 3), (158, 3), (159, 3), (173, 2),
    (175, 1), (176, 1), (177, 2), (178, 1), (180, 3), (181, 3), (182, 3), (183, 2), (185, 2), (186, 3),
    (187, 2), (188, 2), (189, 3), (191, 1), (198, 2), (199, 2),
];

/// A mobile number: 13x/15x/17x/18x/19x and eight more digits, unique in `used`.
pub(super) fn mobile(rng: &mut Rng, used: &mut HashSet<u64>) -> String {
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
pub(super) struct Staff {
    /// 书记, 主任, 副主任: they dispatch, escalate and close.
    pub(super) leaders: Vec<WorkerId>,
    /// 委员 (mediation among other things).
    pub(super) members: Vec<WorkerId>,
    /// 专干: civil affairs, the 12345 platform, callbacks.
    pub(super) officers: Vec<WorkerId>,
    /// 网格员, one per grid, in grid order.
    pub(super) grid_workers: Vec<WorkerId>,
    pub(super) all: Vec<WorkerId>,
}

pub(super) fn make_workers(n: usize, rng: &mut Rng) -> (Vec<Worker>, Staff) {
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

pub(super) struct EstateKind {
    pub(super) name: &'static str,
    pub(super) buildings: u32,
    pub(super) units: u32,
    pub(super) floors: u32,
    pub(super) per_floor: u32,
    pub(super) old: bool,
}

pub(super) const ESTATES: &[EstateKind] = &[
    EstateKind { name: "幸福里小区", buildings: 24, units: 3, floors: 6, per_floor: 2, old: true },
    EstateKind { name: "锦绣花园", buildings: 16, units: 2, floors: 18, per_floor: 4, old: false },
    EstateKind { name: "老街坊", buildings: 12, units: 2, floors: 5, per_floor: 2, old: true },
    EstateKind { name: "和平新村", buildings: 30, units: 4, floors: 6, per_floor: 2, old: true },
    EstateKind { name: "棉纺厂宿舍", buildings: 10, units: 3, floors: 7, per_floor: 3, old: true },
    EstateKind { name: "阳光城", buildings: 20, units: 2, floors: 18, per_floor: 4, old: false },
];

pub(super) struct Building {
    pub(super) estate: usize,
    pub(super) no: u32,
    pub(super) grid: usize,
}

/// The community's estates and buildings, split into grids.
pub(super) struct Town {
    pub(super) estates: usize,
    pub(super) buildings: Vec<Building>,
    /// Pick a building weighted by its number of flats.
    pub(super) by_flats: Table<usize>,
    /// Indices into `buildings` of the old estates' buildings.
    pub(super) old: Vec<usize>,
}

impl Town {
    pub(super) fn new(estates: usize, grids: usize) -> Town {
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

    pub(super) fn grid_name(&self, b: usize) -> String {
        format!("第{}网格", self.buildings[b].grid + 1)
    }

    pub(super) fn random_address(&self, rng: &mut Rng) -> (usize, Address) {
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

    pub(super) fn building_of(&self, a: &Address) -> Option<usize> {
        let e = ESTATES[..self.estates].iter().position(|k| k.name == a.estate)?;
        let no: u32 = a.building.parse().ok()?;
        self.buildings.iter().position(|b| b.estate == e && b.no == no)
    }
}

// ---------------------------------------------------------------------------
// Residents

/// What the generator knows about a resident beyond the record.
#[derive(Clone, Copy)]
pub(super) struct Person {
    pub(super) born: u16,
    pub(super) male: bool,
    pub(super) building: usize,
}

#[derive(Clone, Copy)]
pub(super) enum Household {
    SingleElder,
    ElderCouple,
    Couple,
    Family,
    ThreeGenerations,
    YoungSingle,
    Renters,
}

pub(super) const HOUSEHOLDS: &[(Household, u32)] = &[
    (Household::SingleElder, 160),
    (Household::ElderCouple, 140),
    (Household::Couple, 120),
    (Household::Family, 300),
    (Household::ThreeGenerations, 150),
    (Household::YoungSingle, 80),
    (Household::Renters, 50),
];

pub(super) const NOTES_ALONE: &[&str] = &[
    "子女在外地，每周电话联系",
    "行动不便，需上门服务",
    "患有高血压，每月随访",
    "儿子在本市，周末来看望",
    "听力不好，上门请多敲门",
    "老伴去年去世，需多关心",
    "女儿在外省工作，紧急联系人为楼栋长",
];
pub(super) const NOTES_DISABLED: &[&str] = &["肢体残疾，轮椅出行", "视力残疾，办事需陪同", "已办理残疾人证"];
pub(super) const NOTES_POOR: &[&str] = &["低保每年年审", "家中有重病患者", "已享受临时救助"];
pub(super) const NOTES_RENTER: &[&str] = &["租住，租期至明年6月", "租住，房东在外地", "合租，已登记流动人口信息"];
pub(super) const NOTES_OTHER: &[&str] =
    &["联系时请打家属电话", "常年在外务工", "楼栋长", "社区志愿者", "党员，已到社区报到", "白天上班，晚上七点后联系"];

pub(super) fn make_residents(n: usize, town: &Town, workers: &[Worker], rng: &mut Rng) -> (Vec<Resident>, Vec<Person>) {
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
