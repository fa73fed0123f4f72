//! Hours totals kept up to date on every save: per volunteer, team, post,
//! month and year, and for the whole community.

use super::*;

// ---------------------------------------------------------------------------
// Totals

/// Year and month as one ordered number: 2026-11 is 202611.
pub type Ym = u32;

pub fn ym(d: NaiveDate) -> Ym {
    d.year().max(0) as u32 * 100 + d.month()
}

/// The month before `m` (202601 → 202512).
pub fn prev_ym(m: Ym) -> Ym {
    if m % 100 <= 1 { (m / 100 - 1) * 100 + 12 } else { m - 1 }
}

/// Hours and the number of services (人次).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sum {
    pub minutes: u64,
    pub count: u32,
}

impl Sum {
    fn add(&mut self, minutes: u32) {
        self.minutes += u64::from(minutes);
        self.count += 1;
    }
    fn sub(&mut self, minutes: u32) {
        self.minutes = self.minutes.saturating_sub(u64::from(minutes));
        self.count = self.count.saturating_sub(1);
    }
    pub fn plus(self, o: Sum) -> Sum {
        Sum { minutes: self.minutes + o.minutes, count: self.count + o.count }
    }
}

/// One month's sum in a [`Series`]: 12 bytes where `(Ym, Sum)` takes 24
/// (a month's minutes fit in 32 bits: 8,000 years of service). Saved as
/// `(Ym, Sum)`, as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(Ym, Sum)", into = "(Ym, Sum)")]
struct Month {
    ym: Ym,
    minutes: u32,
    count: u32,
}

impl Month {
    fn sum(self) -> Sum {
        Sum { minutes: u64::from(self.minutes), count: self.count }
    }
}

impl From<(Ym, Sum)> for Month {
    fn from((ym, s): (Ym, Sum)) -> Month {
        Month { ym, minutes: u32::try_from(s.minutes).unwrap_or(u32::MAX), count: s.count }
    }
}

impl From<Month> for (Ym, Sum) {
    fn from(m: Month) -> (Ym, Sum) {
        (m.ym, m.sum())
    }
}

/// One owner's sums: all time and per month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub all: Sum,
    /// In month order, only months with service: a sorted list rather
    /// than a map (2,000 volunteers' and 26,610 activities' months on the
    /// large set: a map's nodes held about twice the bytes).
    months: Vec<Month>,
}

static EMPTY_SERIES: Series = Series { all: Sum { minutes: 0, count: 0 }, months: Vec::new() };

impl Series {
    fn add(&mut self, m: Ym, minutes: u32) {
        self.all.add(minutes);
        match self.months.binary_search_by_key(&m, |x| x.ym) {
            Ok(i) => {
                let x = &mut self.months[i];
                x.minutes = x.minutes.saturating_add(minutes);
                x.count += 1;
            }
            Err(i) => self.months.insert(i, Month { ym: m, minutes, count: 1 }),
        }
    }

    fn sub(&mut self, m: Ym, minutes: u32) {
        self.all.sub(minutes);
        if let Ok(i) = self.months.binary_search_by_key(&m, |x| x.ym) {
            let x = &mut self.months[i];
            x.minutes = x.minutes.saturating_sub(minutes);
            x.count = x.count.saturating_sub(1);
            if x.count == 0 {
                self.months.remove(i);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.all.count == 0
    }

    pub fn month(&self, m: Ym) -> Sum {
        self.months.binary_search_by_key(&m, |x| x.ym).map_or_else(|_| Sum::default(), |i| self.months[i].sum())
    }

    pub fn year(&self, y: i32) -> Sum {
        let y = y.max(0) as u32;
        self.range(y * 100 + 1, y * 100 + 12)
    }

    /// Months `from..=to`.
    pub fn range(&self, from: Ym, to: Ym) -> Sum {
        if from > to {
            return Sum::default();
        }
        let start = self.months.partition_point(|x| x.ym < from);
        self.months[start..].iter().take_while(|x| x.ym <= to).fold(Sum::default(), |a, x| a.plus(x.sum()))
    }

    /// Months with service, newest first.
    pub fn months(&self) -> impl Iterator<Item = (Ym, Sum)> + '_ {
        self.months.iter().rev().map(|x| (x.ym, x.sum()))
    }

    /// Gives back the list's spare room (after a load).
    fn fit(&mut self) {
        self.months.shrink_to_fit();
    }
}

/// A volunteer's hours as the roster shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VolunteerTotals {
    pub all: Sum,
    pub year: Sum,
    pub month: Sum,
}

/// Every total the roster shows, kept up to date record by record (see
/// [`Totals::apply`]) so that none needs a scan of the records; built once
/// from all records at start-up. Equal to [`Totals::from_records`] over the
/// same records, which the tests check. Saved with the roster (see
/// `store::roster::index`) so that a start need not read every record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    volunteers: HashMap<VolunteerId, Series>,
    teams: HashMap<TeamId, Series>,
    posts: HashMap<PostId, Series>,
    /// Each activity's sum, in id order (26,610 on the large set: a map
    /// held twice the bytes); saved as a map, as before.
    #[serde(with = "activity_sums")]
    activities: Vec<ActivitySum>,
    community: Series,
}

/// An activity's minutes and services (人次), 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ActivitySum {
    id: ActivityId,
    minutes: u32,
    count: u32,
}

/// [`Totals::activities`] as the map `HashMap<ActivityId, Sum>` was saved.
mod activity_sums {
    use super::{ActivityId, ActivitySum, Sum};
    use serde::de::{MapAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[ActivitySum], s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(v.iter().map(|a| (a.id, Sum { minutes: u64::from(a.minutes), count: a.count })))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ActivitySum>, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Vec<ActivitySum>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of activities' sums")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(m.size_hint().unwrap_or(0).min(1 << 20));
                while let Some((id, s)) = m.next_entry::<ActivityId, Sum>()? {
                    let minutes = u32::try_from(s.minutes).unwrap_or(u32::MAX);
                    v.push(ActivitySum { id, minutes, count: s.count });
                }
                // a map has no order; one id twice is a damaged copy
                v.sort_unstable_by_key(|a| a.id);
                if v.windows(2).any(|w| w[0].id == w[1].id) {
                    return Err(serde::de::Error::custom("an activity twice"));
                }
                Ok(v)
            }
        }
        d.deserialize_map(Visit)
    }
}

impl Totals {
    /// Gives back the spare room of every list and map (after a load: they
    /// grew by doubling).
    pub fn fit(&mut self) {
        fn fit_all<K: std::hash::Hash + Eq>(m: &mut HashMap<K, Series>) {
            m.values_mut().for_each(Series::fit);
            m.shrink_to_fit();
        }
        fit_all(&mut self.volunteers);
        fit_all(&mut self.teams);
        fit_all(&mut self.posts);
        self.activities.shrink_to_fit();
        self.community.fit();
    }

    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a ServiceRecord>) -> Totals {
        let mut t = Totals::default();
        for r in records {
            t.apply(None, Some(r));
        }
        t
    }

    /// A record was created (`old` None), changed, or is being replaced.
    pub fn apply(&mut self, old: Option<&ServiceRecord>, new: Option<&ServiceRecord>) {
        if let Some(o) = old.filter(|o| o.counts()) {
            self.remove(o);
        }
        if let Some(n) = new.filter(|n| n.counts()) {
            self.add(n);
        }
    }

    fn add(&mut self, r: &ServiceRecord) {
        let m = ym(r.date);
        self.volunteers.entry(r.volunteer).or_default().add(m, r.minutes);
        if let Some(t) = r.team {
            self.teams.entry(t).or_default().add(m, r.minutes);
        }
        if let Some(p) = r.post {
            self.posts.entry(p).or_default().add(m, r.minutes);
        }
        if let Some(a) = r.activity {
            match self.activities.binary_search_by_key(&a, |x| x.id) {
                Ok(i) => {
                    let x = &mut self.activities[i];
                    x.minutes = x.minutes.saturating_add(r.minutes);
                    x.count += 1;
                }
                Err(i) => self.activities.insert(i, ActivitySum { id: a, minutes: r.minutes, count: 1 }),
            }
        }
        self.community.add(m, r.minutes);
    }

    fn remove(&mut self, r: &ServiceRecord) {
        let m = ym(r.date);
        fn sub_in<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Series>, k: K, m: Ym, minutes: u32) {
            if let Some(s) = map.get_mut(&k) {
                s.sub(m, minutes);
                if s.is_empty() {
                    map.remove(&k);
                }
            }
        }
        sub_in(&mut self.volunteers, r.volunteer, m, r.minutes);
        if let Some(t) = r.team {
            sub_in(&mut self.teams, t, m, r.minutes);
        }
        if let Some(p) = r.post {
            sub_in(&mut self.posts, p, m, r.minutes);
        }
        if let Some(a) = r.activity
            && let Ok(i) = self.activities.binary_search_by_key(&a, |x| x.id)
        {
            let x = &mut self.activities[i];
            x.minutes = x.minutes.saturating_sub(r.minutes);
            x.count = x.count.saturating_sub(1);
            if x.count == 0 {
                self.activities.remove(i);
            }
        }
        self.community.sub(m, r.minutes);
    }

    pub fn volunteer_series(&self, v: VolunteerId) -> &Series {
        self.volunteers.get(&v).unwrap_or(&EMPTY_SERIES)
    }

    /// All time, the year of `today` and the month of `today`.
    pub fn volunteer(&self, v: VolunteerId, today: NaiveDate) -> VolunteerTotals {
        let s = self.volunteer_series(v);
        VolunteerTotals { all: s.all, year: s.year(today.year()), month: s.month(ym(today)) }
    }

    pub fn team(&self, t: TeamId) -> &Series {
        self.teams.get(&t).unwrap_or(&EMPTY_SERIES)
    }

    pub fn post(&self, p: PostId) -> &Series {
        self.posts.get(&p).unwrap_or(&EMPTY_SERIES)
    }

    pub fn activity(&self, a: ActivityId) -> Sum {
        self.activities.binary_search_by_key(&a, |x| x.id).map_or_else(
            |_| Sum::default(),
            |i| Sum { minutes: u64::from(self.activities[i].minutes), count: self.activities[i].count },
        )
    }

    pub fn community(&self) -> &Series {
        &self.community
    }

    /// Every team's sum for month `m`, most hours first (teams with none
    /// left out).
    pub fn teams_in_month(&self, m: Ym) -> Vec<(TeamId, Sum)> {
        let mut v: Vec<(TeamId, Sum)> =
            self.teams.iter().map(|(t, s)| (*t, s.month(m))).filter(|(_, s)| s.count > 0).collect();
        v.sort_by_key(|(t, s)| (std::cmp::Reverse(s.minutes), *t));
        v
    }

    /// How many volunteers served in month `m`.
    pub fn people_in_month(&self, m: Ym) -> usize {
        self.volunteers.values().filter(|s| s.month(m).count > 0).count()
    }
}
