//! The roster's activities in memory, compact (issue 19: ≤ 80 MB through a
//! day): one fixed-size row each and one arena of their places and titles,
//! each distinct text kept once when the list is read. 26,610 activities of
//! the large set held 4.3 MB as `Activity` values (104 bytes and two
//! strings each; the titles and places repeat the posts' names); here about
//! 1.5 MB. An [`Activity`] is made again on demand for the few shown.
//!
//! The list stays in id order; the saved copy holds it as a sequence of
//! [`Activity`], as before.

use crate::domain::WorkerId;
use crate::domain::volunteer::{Activity, ActivityId, PostId, Span, TeamId};
use chrono::NaiveDate;
use std::collections::HashMap;

/// No team or post (see [`Row`]).
const NONE: u64 = u64::MAX;

fn id_of(id: Option<u64>) -> u64 {
    id.unwrap_or(NONE)
}

fn some(id: u64) -> Option<u64> {
    (id != NONE).then_some(id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    id: ActivityId,
    /// The team's and the post's ids, [`NONE`] for none (an `Option<u64>`
    /// takes 16 bytes; ids are given from 1 up).
    team: u64,
    post: u64,
    logged_by: WorkerId,
    date: NaiveDate,
    span: Span,
    /// Where the place and the title start in the arena, and their lengths.
    place: (u32, u32),
    title: (u32, u32),
}

/// One activity as the list holds it, borrowing its texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityRef<'a> {
    pub id: ActivityId,
    pub date: NaiveDate,
    pub span: Span,
    pub team: Option<TeamId>,
    pub post: Option<PostId>,
    pub place: &'a str,
    pub title: &'a str,
    pub logged_by: WorkerId,
}

impl ActivityRef<'_> {
    pub fn to_activity(self) -> Activity {
        Activity {
            id: self.id,
            date: self.date,
            span: self.span,
            team: self.team,
            post: self.post,
            place: self.place.to_string(),
            title: self.title.to_string(),
            logged_by: self.logged_by,
        }
    }

    pub fn minutes(&self) -> u32 {
        self.span.minutes()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Activities {
    rows: Vec<Row>,
    text: String,
}

/// Builds a list from activities in id order, keeping each distinct text
/// once (the map lives only while the list is built).
#[derive(Default)]
pub struct Builder {
    list: Activities,
    seen: HashMap<String, (u32, u32)>,
}

impl Builder {
    /// Adds one activity; false (and nothing added) when its id is not
    /// above the last one's.
    pub fn push(&mut self, a: &Activity) -> bool {
        if self.list.rows.last().is_some_and(|r| r.id >= a.id) {
            return false;
        }
        let place = self.text(&a.place);
        let title = self.text(&a.title);
        self.list.rows.push(Row::of(a, place, title));
        true
    }

    fn text(&mut self, s: &str) -> (u32, u32) {
        if let Some(&at) = self.seen.get(s) {
            return at;
        }
        let at = self.list.append(s);
        self.seen.insert(s.to_string(), at);
        at
    }

    pub fn finish(self) -> Activities {
        let mut list = self.list;
        // grown by doubling while read
        list.rows.shrink_to_fit();
        list.text.shrink_to_fit();
        list
    }
}

impl Row {
    fn of(a: &Activity, place: (u32, u32), title: (u32, u32)) -> Row {
        Row {
            id: a.id,
            team: id_of(a.team.map(|t| t.0)),
            post: id_of(a.post.map(|p| p.0)),
            logged_by: a.logged_by,
            date: a.date,
            span: a.span,
            place,
            title,
        }
    }
}

impl Activities {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn str_at(&self, (s, l): (u32, u32)) -> &str {
        self.text.get(s as usize..(s as usize + l as usize)).unwrap_or("")
    }

    fn append(&mut self, s: &str) -> (u32, u32) {
        let at = (self.text.len() as u32, s.len() as u32);
        self.text.push_str(s);
        at
    }

    /// The activity at position `i` (in id order).
    pub fn at(&self, i: usize) -> Option<ActivityRef<'_>> {
        let r = self.rows.get(i)?;
        Some(ActivityRef {
            id: r.id,
            date: r.date,
            span: r.span,
            team: some(r.team).map(TeamId),
            post: some(r.post).map(PostId),
            place: self.str_at(r.place),
            title: self.str_at(r.title),
            logged_by: r.logged_by,
        })
    }

    pub fn position(&self, id: ActivityId) -> Option<usize> {
        self.rows.binary_search_by_key(&id, |r| r.id).ok()
    }

    pub fn get(&self, id: ActivityId) -> Option<ActivityRef<'_>> {
        self.position(id).and_then(|i| self.at(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = ActivityRef<'_>> + '_ {
        (0..self.rows.len()).filter_map(|i| self.at(i))
    }

    /// An activity was saved: added in id order, or replaced. Its texts are
    /// added to the arena unless they are the ones it had (the arena is
    /// compacted when the roster is next read).
    pub fn upsert(&mut self, a: &Activity) {
        let old = self.position(a.id).map(|i| self.rows[i]);
        let keep = |at: Option<(u32, u32)>, s: &str, this: &mut Activities| match at {
            Some(at) if this.str_at(at) == s => at,
            _ => this.append(s),
        };
        let place = keep(old.map(|r| r.place), &a.place, self);
        let title = keep(old.map(|r| r.title), &a.title, self);
        let row = Row::of(a, place, title);
        match self.rows.binary_search_by_key(&a.id, |r| r.id) {
            Ok(i) => self.rows[i] = row,
            Err(i) => self.rows.insert(i, row),
        }
    }

    pub fn remove(&mut self, id: ActivityId) {
        self.rows.retain(|r| r.id != id);
    }

    /// Bytes held (for measuring memory).
    pub fn memory(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>() + self.text.capacity()
    }
}

impl FromIterator<Activity> for Activities {
    /// From activities in any order (sorted by id; a repeated id keeps the
    /// last).
    fn from_iter<I: IntoIterator<Item = Activity>>(iter: I) -> Activities {
        let mut all: Vec<Activity> = iter.into_iter().collect();
        all.sort_by_key(|a| a.id);
        all.dedup_by(|later, earlier| {
            let same = later.id == earlier.id;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
        let mut b = Builder::default();
        for a in &all {
            b.push(a);
        }
        b.finish()
    }
}

/// Written as the sequence of [`Activity`] a `Vec<Activity>` writes (the
/// saved copy's format is unchanged).
impl serde::Serialize for Activities {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        // postcard needs the length first
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for a in self.iter() {
            seq.serialize_element(&a.to_activity())?;
        }
        seq.end()
    }
}

/// Read one [`Activity`] at a time into the compact list; ids out of order
/// are refused (a damaged copy).
impl<'de> serde::Deserialize<'de> for Activities {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Activities, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Activities;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("activities in id order")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Activities, A::Error> {
                let mut b = Builder::default();
                if let Some(n) = seq.size_hint() {
                    b.list.rows.reserve_exact(n.min(1 << 20));
                }
                while let Some(a) = seq.next_element::<Activity>()? {
                    if !b.push(&a) {
                        return Err(serde::de::Error::custom("activities out of id order"));
                    }
                }
                Ok(b.finish())
            }
        }
        d.deserialize_seq(Visit)
    }
}

impl PartialEq for Activities {
    /// The same activities (however their texts are laid out).
    fn eq(&self, other: &Activities) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(id: u64, place: &str, title: &str) -> Activity {
        Activity {
            id: ActivityId(id),
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            span: Span::new(540, 630),
            team: id.is_multiple_of(2).then_some(TeamId(id / 2)),
            post: id.is_multiple_of(3).then_some(PostId(id)),
            place: place.into(),
            title: title.into(),
            logged_by: WorkerId(id % 5),
        }
    }

    fn sample() -> Vec<Activity> {
        (1..=40).map(|i| act(i, ["党群服务中心", "幸福小区", ""][i as usize % 3], &format!("活动{}", i % 4))).collect()
    }

    #[test]
    fn holds_each_activity_as_given_and_each_text_once() {
        let all = sample();
        let list: Activities = all.iter().rev().cloned().collect();
        let back: Vec<Activity> = list.iter().map(ActivityRef::to_activity).collect();
        assert_eq!(back, all);
        // three places and four titles, each once
        assert_eq!(list.text.len(), "党群服务中心幸福小区".len() + 4 * "活动0".len());
        assert_eq!(list.get(ActivityId(7)).map(|a| a.title), Some("活动3"));
        assert_eq!(list.position(ActivityId(41)), None);
    }

    #[test]
    fn is_written_as_a_list_of_activities_and_read_back() {
        let all = sample();
        let list: Activities = all.iter().cloned().collect();
        let bytes = postcard::to_allocvec(&list).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&all).unwrap(), "the copy's format is unchanged");
        let back: Activities = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, list);
        let mut shuffled = all.clone();
        shuffled.swap(3, 4);
        assert!(postcard::from_bytes::<Activities>(&postcard::to_allocvec(&shuffled).unwrap()).is_err());
    }

    #[test]
    fn an_edit_a_new_one_and_a_removal_show_as_saved() {
        let mut all = sample();
        let mut list: Activities = all.iter().cloned().collect();
        all[4].title = "改了".into();
        all[4].place = "幸福小区".into();
        list.upsert(&all[4]);
        all.insert(0, act(0, "新地点", "新活动"));
        list.upsert(&all[0]);
        all.push(act(99, "党群服务中心", "活动1"));
        list.upsert(&all[all.len() - 1]);
        all.retain(|a| a.id != ActivityId(9));
        list.remove(ActivityId(9));
        let back: Vec<Activity> = list.iter().map(ActivityRef::to_activity).collect();
        assert_eq!(back, all);
    }
}
