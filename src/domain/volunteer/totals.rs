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

/// One owner's sums: all time and per month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub all: Sum,
    /// In month order, only months with service: a sorted list rather
    /// than a map (2,000 volunteers' and 26,610 activities' months on the
    /// large set: a map's nodes held about twice the bytes).
    months: Vec<(Ym, Sum)>,
}

static EMPTY_SERIES: Series = Series { all: Sum { minutes: 0, count: 0 }, months: Vec::new() };

impl Series {
    fn add(&mut self, m: Ym, minutes: u32) {
        self.all.add(minutes);
        match self.months.binary_search_by_key(&m, |(k, _)| *k) {
            Ok(i) => self.months[i].1.add(minutes),
            Err(i) => {
                let mut s = Sum::default();
                s.add(minutes);
                self.months.insert(i, (m, s));
            }
        }
    }

    fn sub(&mut self, m: Ym, minutes: u32) {
        self.all.sub(minutes);
        if let Ok(i) = self.months.binary_search_by_key(&m, |(k, _)| *k) {
            let s = &mut self.months[i].1;
            s.sub(minutes);
            if s.count == 0 {
                self.months.remove(i);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.all.count == 0
    }

    pub fn month(&self, m: Ym) -> Sum {
        self.months.binary_search_by_key(&m, |(k, _)| *k).map_or_else(|_| Sum::default(), |i| self.months[i].1)
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
        let start = self.months.partition_point(|(k, _)| *k < from);
        self.months[start..].iter().take_while(|(k, _)| *k <= to).fold(Sum::default(), |a, (_, s)| a.plus(*s))
    }

    /// Months with service, newest first.
    pub fn months(&self) -> impl Iterator<Item = (Ym, Sum)> + '_ {
        self.months.iter().rev().copied()
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
    activities: HashMap<ActivityId, Sum>,
    community: Series,
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
            self.activities.entry(a).or_default().add(r.minutes);
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
            && let Some(s) = self.activities.get_mut(&a)
        {
            s.sub(r.minutes);
            if s.count == 0 {
                self.activities.remove(&a);
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
        self.activities.get(&a).copied().unwrap_or_default()
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
