//! The 考评 view's figures from the requests (`Store::scan_request_figures`:
//! every request of two years read through sled, 0.2–0.4 s and ~8 MB that
//! sled keeps after reading them on the large set), saved for the years
//! asked, so that opening the view again, or at the next start, reads a
//! small file instead. A cache in the manner of `store::saved_copy`: made
//! at the store's stamp (generation and last request), used only at that
//! stamp, checked by `linli check`.

use super::record::RecordKind;
use super::saved_copy::{self, Stamp};
use super::{Result, Store};
use crate::domain::WorkerId;
use crate::domain::duties::evaluation::Figures;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"LINLIFIG";
const FORMAT: u32 = 1;
/// Years kept in the copy (the newest asked).
const YEARS: usize = 4;

/// Each year's figures, by worker in id order.
type Saved = Vec<(i32, Vec<(WorkerId, Figures)>)>;

/// Where the figures are saved.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("figures.snapshot")
}

fn read(dir: &Path, stamp: Stamp) -> Option<Saved> {
    let sections = saved_copy::read(&path(dir), MAGIC, FORMAT, stamp)?;
    postcard::from_bytes(sections.first()?).ok()
}

fn write(saved: &Saved, dir: &Path, stamp: Stamp) -> std::io::Result<()> {
    let bytes = postcard::to_allocvec(saved).map_err(std::io::Error::other)?;
    saved_copy::write(&path(dir), MAGIC, FORMAT, stamp, &[&bytes])
}

fn sorted(f: &HashMap<WorkerId, Figures>) -> Vec<(WorkerId, Figures)> {
    let mut v: Vec<(WorkerId, Figures)> = f.iter().map(|(w, f)| (*w, f.clone())).collect();
    v.sort_by_key(|(w, _)| *w);
    v
}

impl Store {
    fn figures_stamp(&self) -> Result<Stamp> {
        self.stamp(&[RecordKind::Request])
    }

    /// What the requests say about each assignee's `year`: the saved copy
    /// when made from the requests as they are now, else read from them
    /// (and saved, when nothing changed while reading).
    pub fn request_figures(&self, year: i32) -> Result<HashMap<WorkerId, Figures>> {
        let stamp = self.figures_stamp()?;
        let mut saved = read(self.dir(), stamp).unwrap_or_default();
        if let Some((_, f)) = saved.iter().find(|(y, _)| *y == year) {
            return Ok(f.iter().cloned().collect());
        }
        let out = self.scan_request_figures(year)?;
        if self.figures_stamp()? == stamp {
            saved.push((year, sorted(&out)));
            if saved.len() > YEARS {
                saved.remove(0);
            }
            let _ = write(&saved, self.dir(), stamp);
        }
        Ok(out)
    }

    /// `linli check`: removes saved figures at the store's stamp that
    /// differ from the requests'. Returns whether they were removed.
    pub fn drop_wrong_figures(&self) -> Result<bool> {
        let Some(saved) = read(self.dir(), self.figures_stamp()?) else { return Ok(false) };
        for (year, f) in &saved {
            if *f != sorted(&self.scan_request_figures(*year)?) {
                return Ok(std::fs::remove_file(path(self.dir())).is_ok());
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::Request;
    use chrono::NaiveDate;

    fn at(d: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(10, 0, 0).unwrap()
    }

    fn figures_of(store: &Store) -> HashMap<WorkerId, Figures> {
        store.scan_request_figures(2026).unwrap()
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        (dir, s)
    }

    #[test]
    fn saved_when_read_used_after_reopening_not_after_a_change() {
        let (dir, s) = store();
        add_resolved(&s, 2);
        let first = s.request_figures(2026).unwrap();
        assert_eq!(first[&WorkerId(1)].handled, 1);
        assert!(path(dir.path()).exists());
        drop(s);
        let s = Store::open(dir.path()).unwrap();
        let stamp = s.figures_stamp().unwrap();
        assert_eq!(read(dir.path(), stamp).unwrap(), vec![(2026, sorted(&first))]);
        assert_eq!(s.request_figures(2026).unwrap(), first);
        // another request resolved: the copy is behind, not used
        add_resolved(&s, 3);
        assert!(read(dir.path(), s.figures_stamp().unwrap()).is_none());
        assert_eq!(s.request_figures(2026).unwrap()[&WorkerId(1)].handled, 2);
        assert_eq!(s.request_figures(2026).unwrap(), figures_of(&s));
    }

    #[test]
    fn damaged_or_wrong_figures_are_not_kept() {
        let (dir, s) = store();
        add_resolved(&s, 2);
        s.request_figures(2026).unwrap();
        let p = path(dir.path());
        let mut bytes = std::fs::read(&p).unwrap();
        let n = bytes.len();
        bytes[n - 1] ^= 1;
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(s.request_figures(2026).unwrap(), figures_of(&s), "made again from the requests");
        // figures at the right stamp that disagree: check removes them
        let stamp = s.figures_stamp().unwrap();
        let mut wrong = figures_of(&s);
        wrong.get_mut(&WorkerId(1)).unwrap().handled = 9;
        write(&vec![(2026, sorted(&wrong))], dir.path(), stamp).unwrap();
        s.check(false).unwrap();
        assert!(!p.exists());
        // right ones stay
        s.request_figures(2026).unwrap();
        s.check(false).unwrap();
        assert!(p.exists());
    }

    /// A request of worker 1's, resolved on the day it came (put as a
    /// record: what the figures read is the stored notes).
    fn add_resolved(s: &Store, day: u32) {
        use crate::domain::RequestId;
        use crate::domain::request::{MoveKind, Note, NoteKind, Status};
        let new = crate::domain::request::tests::new_request_parts();
        let cal = crate::domain::calendar::WorkCalendar::builtin();
        let mut r = Request::create(RequestId::new(2026, u64::from(day)), new, WorkerId(1), at(day), 5, &cal);
        r.assignee = Some(WorkerId(1));
        let kind = NoteKind::Moved { kind: MoveKind::Resolve, to: Status::Resolved };
        r.notes.push(Note::new(at(day), WorkerId(1), kind, "换了灯泡".into()));
        r.status = Status::Resolved;
        s.put(&r, WorkerId(1), at(day)).unwrap();
    }
}
