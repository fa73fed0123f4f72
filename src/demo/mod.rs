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

use crate::domain::{Categories, WorkCalendar};

pub mod duties;
mod people;
mod requests;
pub mod rng;
#[cfg(test)]
mod tests;
pub mod volunteers;

use people::{Town, make_residents, make_workers};
use requests::{Ctx, make_requests};
use rng::Rng;

/// The generated core records (workers, residents, requests), in id order:
/// the store's bulk-load set.
pub use crate::store::bulk::CoreSet as Dataset;
use people::{GIVEN, SURNAMES, given_name, mobile};

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

/// The made-up community's profile (社区信息), so that the demo's
/// printouts carry a name, an issuer and a head as a real office's do.
pub fn profile() -> crate::domain::profile::Profile {
    crate::domain::profile::Profile {
        name: "幸福里社区".into(),
        street: "玉林街道".into(),
        address: "幸福里小区1栋旁 社区服务中心".into(),
        phone: "028-8765 4321".into(),
        head: "谢丽".into(),
        issuer: "幸福里社区居民委员会".into(),
        ..Default::default()
    }
}
