//! The yearly evaluation (年度考评) in three parts: by the street office or
//! township (街道/乡镇考评), by residents' representatives (居民代表测评) and
//! by the worker themself (自评), combined with the office's weights, and
//! shown beside figures derived from the records. Alongside the three
//! sources, the five dimensions offices score (德、能、勤、绩、廉: integrity,
//! ability, diligence, results, probity), each out of 100, combined with
//! weights of their own into a dimensions total.
//!
//! Scores are kept in tenths of a point (0–1000 for 0–100) so that the
//! arithmetic is exact; the weighted total is rounded half up to a tenth.

use crate::domain::WorkerId;
use crate::domain::request::{MoveKind, NoteKind, Request, Satisfaction};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub year: i32,
    pub worker: WorkerId,
    /// 街道/乡镇考评
    pub street: Option<u16>,
    /// 居民代表测评
    pub residents: Option<u16>,
    /// 自评
    pub own: Option<u16>,
    pub comment: String,
    // ---- schema 6 ----
    /// 德、能、勤、绩、廉, in that order (see [`DIMENSIONS`]).
    #[serde(default)]
    pub dims: [Option<u16>; DIMENSIONS],
}

/// How many dimensions are scored: 德、能、勤、绩、廉.
pub const DIMENSIONS: usize = 5;

/// How much each of 德、能、勤、绩、廉 counts (`duties.txt`); need not add
/// up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DimWeights(pub [u32; DIMENSIONS]);

impl Default for DimWeights {
    /// 德 20, 能 20, 勤 20, 绩 30, 廉 10: results weigh most.
    fn default() -> Self {
        DimWeights([20, 20, 20, 30, 10])
    }
}

/// The store key of a worker's sheet for a year.
pub fn evaluation_key(year: i32, worker: WorkerId) -> u64 {
    year.max(0) as u64 * 100_000 + worker.0 % 100_000
}

impl Evaluation {
    pub fn new(year: i32, worker: WorkerId) -> Evaluation {
        Evaluation {
            year,
            worker,
            street: None,
            residents: None,
            own: None,
            comment: String::new(),
            dims: [None; DIMENSIONS],
        }
    }

    /// The weighted total of 德能勤绩廉 in tenths, once all five are scored.
    pub fn dims_total(&self, w: &DimWeights) -> Option<u16> {
        let sum: u64 = w.0.iter().map(|x| u64::from(*x)).sum();
        if sum == 0 {
            return None;
        }
        let mut num = 0u64;
        for (score, weight) in self.dims.iter().zip(w.0) {
            num += u64::from((*score)?) * u64::from(weight);
        }
        u16::try_from((num * 2 + sum) / (sum * 2)).ok()
    }

    pub fn key(&self) -> u64 {
        evaluation_key(self.year, self.worker)
    }

    /// The weighted total in tenths, once all three parts are scored.
    pub fn total(&self, w: &Weights) -> Option<u16> {
        let sum = u64::from(w.street) + u64::from(w.residents) + u64::from(w.own);
        if sum == 0 {
            return None;
        }
        let num = u64::from(self.street?) * u64::from(w.street)
            + u64::from(self.residents?) * u64::from(w.residents)
            + u64::from(self.own?) * u64::from(w.own);
        u16::try_from((num * 2 + sum) / (sum * 2)).ok()
    }
}

/// How much each part counts; need not add up to 100 (5:3:2 works too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    pub street: u32,
    pub residents: u32,
    pub own: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { street: 50, residents: 30, own: 20 }
    }
}

/// Grade bands (优秀 ≥ 90 …), highest first, in tenths; below the last is
/// the `bottom` grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bands {
    pub bands: Vec<(String, u16)>,
    pub bottom: String,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            bands: vec![("优秀".into(), 900), ("称职".into(), 750), ("基本称职".into(), 600)],
            bottom: "不称职".into(),
        }
    }
}

impl Bands {
    pub fn grade(&self, total: u16) -> &str {
        self.bands.iter().find(|(_, min)| total >= *min).map_or(self.bottom.as_str(), |(g, _)| g.as_str())
    }
}

/// What the records say about a worker's year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Requests assigned to them that were resolved in the year.
    pub handled: u32,
    /// … of which on or before their due date.
    pub on_time: u32,
    /// Callbacks on their requests in the year, and how many satisfied
    /// (满意 or 基本满意).
    pub callbacks: u32,
    pub satisfied: u32,
    pub log_entries: u32,
    /// Residents seen on 走访 entries.
    pub visits: u32,
    pub training_half_days: u32,
    pub study_months: u32,
}

impl Figures {
    /// Adds what `r` says about its assignee's `year`.
    pub fn add_request(&mut self, r: &Request, year: i32) {
        let in_year = |n: &&crate::domain::Note| n.at.date().year() == year;
        // the last resolution in the year counts (a reopened one may resolve
        // twice); a repeat resolved along with the request it joined (并单)
        // is that request's, counted once
        if r.merged_into.is_none()
            && let Some(n) = r
                .notes
                .iter()
                .filter(in_year)
                .rfind(|n| matches!(n.kind, NoteKind::Moved { kind: MoveKind::Resolve, .. }))
        {
            self.handled += 1;
            if n.at.date() <= r.due {
                self.on_time += 1;
            }
        }
        for n in r.notes.iter().filter(in_year) {
            if let Some(s) = n.satisfaction {
                self.callbacks += 1;
                if s != Satisfaction::Unsatisfied {
                    self.satisfied += 1;
                }
            }
        }
    }

    /// On-time rate in tenths of a percent.
    pub fn on_time_rate(&self) -> Option<u16> {
        permille(self.on_time, self.handled)
    }

    pub fn satisfaction_rate(&self) -> Option<u16> {
        permille(self.satisfied, self.callbacks)
    }
}

fn permille(part: u32, whole: u32) -> Option<u16> {
    (whole > 0)
        .then(|| u16::try_from((u64::from(part) * 2000 + u64::from(whole)) / (u64::from(whole) * 2)).unwrap_or(1000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::{Channel, Move, NewRequest, Urgency};
    use crate::domain::{RequestId, WorkCalendar};
    use chrono::NaiveDate;

    fn ev(s: u16, r: u16, o: u16) -> Evaluation {
        Evaluation { street: Some(s), residents: Some(r), own: Some(o), ..Evaluation::new(2026, WorkerId(1)) }
    }

    #[test]
    fn the_total_weighs_the_three_parts() {
        let w = Weights::default();
        // 0.5 * 90 + 0.3 * 80 + 0.2 * 100 = 89
        assert_eq!(ev(900, 800, 1000).total(&w), Some(890));
        // rounding half up to a tenth: 0.5*88.1 + 0.3*90 + 0.2*95 = 90.05 → 90.1
        assert_eq!(ev(881, 900, 950).total(&w), Some(901));
        // weights need not add up to 100: 5:3:2 is the same
        assert_eq!(ev(900, 800, 1000).total(&Weights { street: 5, residents: 3, own: 2 }), Some(890));
        // only the street office's score counts
        assert_eq!(ev(700, 800, 1000).total(&Weights { street: 1, residents: 0, own: 0 }), Some(700));
        // equal thirds
        assert_eq!(ev(900, 800, 700).total(&Weights { street: 1, residents: 1, own: 1 }), Some(800));
        // incomplete, or no weights at all: no total
        let mut part = ev(900, 800, 1000);
        part.own = None;
        assert_eq!(part.total(&w), None);
        assert_eq!(ev(900, 800, 1000).total(&Weights { street: 0, residents: 0, own: 0 }), None);
        assert_eq!(ev(1000, 1000, 1000).total(&w), Some(1000));
    }

    #[test]
    fn the_five_dimensions_have_a_total_of_their_own() {
        let mut e = ev(900, 800, 1000);
        let w = DimWeights::default();
        assert_eq!(e.dims_total(&w), None, "not scored yet");
        e.dims = [Some(900), Some(800), Some(950), Some(880), Some(1000)];
        // (90*20 + 80*20 + 95*20 + 88*30 + 100*10) / 100 = 89.4
        assert_eq!(e.dims_total(&w), Some(894));
        assert_eq!(e.dims_total(&DimWeights([1, 1, 1, 1, 1])), Some(906));
        assert_eq!(e.dims_total(&DimWeights([0; DIMENSIONS])), None);
        e.dims[4] = None;
        assert_eq!(e.dims_total(&w), None, "all five or none");
        assert_eq!(e.total(&Weights::default()), Some(890), "the sources' total is its own");
    }

    #[test]
    fn grades_follow_the_bands() {
        let b = Bands::default();
        assert_eq!(b.grade(950), "优秀");
        assert_eq!(b.grade(900), "优秀");
        assert_eq!(b.grade(899), "称职");
        assert_eq!(b.grade(600), "基本称职");
        assert_eq!(b.grade(0), "不称职");
    }

    #[test]
    fn figures_count_resolutions_on_time_and_callbacks() {
        let cal = WorkCalendar::builtin();
        let at = |m, d, h| NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
        let new = NewRequest {
            channel: Channel::Phone,
            category: "小修小补".into(),
            title: "灯".into(),
            description: String::new(),
            location: String::new(),
            resident: None,
            urgency: Urgency::Normal,
            work_order: String::new(),
            hotline_due: None,
        };
        let w = WorkerId(1);
        let mut fast = Request::create(RequestId::new(2026, 1), new.clone(), w, at(11, 2, 9), 3, &cal);
        fast.apply(Move::Assign(w), w, at(11, 2, 10), 3, &cal).unwrap();
        fast.apply(Move::Resolve("修好".into()), w, at(11, 3, 10), 3, &cal).unwrap();
        fast.apply(Move::CallBack(Satisfaction::Satisfied, String::new()), w, at(11, 4, 10), 3, &cal).unwrap();
        let mut late = Request::create(RequestId::new(2026, 2), new, w, at(11, 2, 9), 3, &cal);
        late.apply(Move::Assign(w), w, at(11, 2, 10), 3, &cal).unwrap();
        late.apply(Move::Resolve("修好".into()), w, at(11, 16, 10), 3, &cal).unwrap();
        late.apply(Move::CallBack(Satisfaction::Unsatisfied, String::new()), w, at(11, 17, 10), 3, &cal).unwrap();
        let mut f = Figures::default();
        f.add_request(&fast, 2026);
        f.add_request(&late, 2026);
        assert_eq!((f.handled, f.on_time, f.callbacks, f.satisfied), (2, 1, 2, 1));
        assert_eq!(f.on_time_rate(), Some(500));
        let mut other_year = Figures::default();
        other_year.add_request(&fast, 2025);
        assert_eq!(other_year, Figures::default());
        assert_eq!(Figures::default().on_time_rate(), None);
        assert_eq!(permille(2, 3), Some(667));
    }

    #[test]
    fn keys_are_unique_per_year_and_worker() {
        assert_ne!(evaluation_key(2026, WorkerId(1)), evaluation_key(2025, WorkerId(1)));
        assert!(evaluation_key(2025, WorkerId(40)) < evaluation_key(2026, WorkerId(1)));
    }
}
