//! Requests in the store: logging, each step of their lifecycle, edits,
//! notes, due dates recomputed, and the look-ups the screens need.

use super::*;

impl Store {
    // ---- requests --------------------------------------------------------------

    pub fn request(&self, id: RequestId) -> Result<Option<Request>> {
        self.get(id.0)
    }

    /// Logs a new request: gives it the next id of its year, computes its due
    /// date, and indexes it under its resident.
    pub fn create_request(
        &self,
        new: &NewRequest,
        by: WorkerId,
        at: NaiveDateTime,
        cats: &Categories,
        cal: &WorkCalendar,
    ) -> Result<Request> {
        if new.title.trim().is_empty() {
            return Err(StoreError::Invalid("title".into()));
        }
        let limit = cats.limit_of(&new.category);
        self.transact(|t| {
            let year = at.date().year();
            let seq = Self::tx_advance(t, &seq_key("request", year), 1)? + 1;
            let r = Request::create(RequestId::new(year, seq), new.clone(), by, at, limit, cal);
            Self::tx_put(t, None, &r, Some(by), at)?;
            Ok(r)
        })
    }

    /// Applies a change to a request in one durable transaction; `f` may
    /// refuse (an illegal move), and then nothing is written.
    pub(super) fn change_request(
        &self,
        id: RequestId,
        by: WorkerId,
        at: NaiveDateTime,
        f: impl Fn(&mut Request) -> std::result::Result<(), StoreError>,
    ) -> Result<Request> {
        self.transact(|t| {
            let old: Option<Request> = Self::tx_get(t, id.0)?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: "request", key: id.0 });
            };
            let mut r = old.clone();
            if let Err(e) = f(&mut r) {
                return abort(e);
            }
            Self::tx_put(t, Some(&old), &r, Some(by), at)?;
            Ok(r)
        })
    }

    /// Takes one step of a request's lifecycle, in one durable transaction
    /// with everything it touches: deciding an extension and 督办 need a
    /// leader (书记/主任); 并单 writes the earlier request's note too; a
    /// resolution resolves the repeats merged into it.
    pub fn move_request(
        &self,
        id: RequestId,
        mv: &Move,
        by: WorkerId,
        at: NaiveDateTime,
        cats: &Categories,
        cal: &WorkCalendar,
    ) -> Result<Request> {
        use crate::domain::request::{MoveError, MoveKind};
        self.transact(|t| {
            let old: Option<Request> = Self::tx_get(t, id.0)?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: "request", key: id.0 });
            };
            if mv.kind().leaders_only() {
                let w: Option<Worker> = Self::tx_get(t, by.0)?;
                if !w.is_some_and(|w| w.is_leader()) {
                    return abort(StoreError::Rule(MoveError::NotLeader));
                }
            }
            // 并单: the earlier request must be able to take it
            let into = match mv {
                Move::Merge(into, _) => {
                    let into: Option<Request> = Self::tx_get(t, into.0)?;
                    match into {
                        Some(into) if old.may_merge_into(&into) => Some(into),
                        _ => return abort(StoreError::Rule(MoveError::BadMerge)),
                    }
                }
                _ => None,
            };
            let mut r = old.clone();
            if let Err(e) = r.apply(mv.clone(), by, at, cats.limit_of(&r.category), cal) {
                return abort(e.into());
            }
            Self::tx_put(t, Some(&old), &r, Some(by), at)?;
            if let Some(into) = into {
                let mut joined = into.clone();
                joined.absorb(&r, by, at);
                Self::tx_put(t, Some(&into), &joined, Some(by), at)?;
            }
            if mv.kind() == MoveKind::Resolve {
                for rid in r.merged_repeats() {
                    let rep: Option<Request> = Self::tx_get(t, rid.0)?;
                    if let Some(rep) = rep {
                        let mut along = rep.clone();
                        if along.resolve_along(&r, by, at) {
                            Self::tx_put(t, Some(&rep), &along, Some(by), at)?;
                        }
                    }
                }
            }
            Ok(r)
        })
    }

    /// The work calendar changed from `old` to `new`: every open request's
    /// due date is recomputed (`Request::recompute_due`), each change
    /// audited and noted on the request, all in one transaction. Returns
    /// how many moved.
    pub fn recompute_due_dates(&self, old: &WorkCalendar, new: &WorkCalendar, at: NaiveDateTime) -> Result<usize> {
        let mut changed: Vec<(Request, Request)> = Vec::new();
        self.scan(|r: Request| {
            let mut n = r.clone();
            if n.recompute_due(old, new, at).is_some() {
                changed.push((r, n));
            }
        })?;
        if changed.is_empty() {
            return Ok(0);
        }
        self.transact(|t| {
            for (before, after) in &changed {
                Self::tx_put(t, Some(before), after, None, at)?;
            }
            Ok(())
        })?;
        Ok(changed.len())
    }

    /// The requests waiting for a leader's decision on an extension.
    pub fn extensions_asked(&self) -> Result<Vec<Request>> {
        self.linked(TREE_REQ_EXTENSION_ASKED, 0)
    }

    /// Changes what was logged (category, title, resident …). A new category
    /// or urgency recomputes the due date from the day it was logged.
    pub fn edit_request(
        &self,
        id: RequestId,
        new: &NewRequest,
        by: WorkerId,
        at: NaiveDateTime,
        cats: &Categories,
        cal: &WorkCalendar,
    ) -> Result<Request> {
        if new.title.trim().is_empty() {
            return Err(StoreError::Invalid("title".into()));
        }
        self.transact(|t| {
            let old: Option<Request> = Self::tx_get(t, id.0)?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: "request", key: id.0 });
            };
            let mut r = old.clone();
            r.channel = new.channel;
            r.category = new.category.clone();
            r.title = new.title.clone();
            r.description = new.description.clone();
            r.location = new.location.clone();
            r.resident = new.resident;
            r.urgency = new.urgency;
            r.work_order = new.work_order.clone();
            r.hotline_due = new.hotline_due;
            if (r.category != old.category || r.urgency != old.urgency) && r.status.is_open() {
                let limit = crate::domain::request::limit_for(cats.limit_of(&r.category), r.urgency);
                r.due = cal.add_working_days(r.logged_at.date(), limit);
            }
            Self::tx_put(t, Some(&old), &r, Some(by), at)?;
            Ok(r)
        })
    }

    pub fn comment_request(&self, id: RequestId, text: &str, by: WorkerId, at: NaiveDateTime) -> Result<Request> {
        let text = crate::domain::text::clean_input(text, true);
        self.change_request(id, by, at, |r| r.comment(text.clone(), by, at).map_err(StoreError::from))
    }

    /// A resident's requests, oldest first, through the resident index.
    pub fn requests_of(&self, resident: ResidentId) -> Result<Vec<Request>> {
        self.linked(TREE_REQ_BY_RESIDENT, resident.0)
    }

    /// Open requests of the same resident in the same category: a new one
    /// like them is probably a duplicate.
    pub fn open_duplicates(&self, resident: ResidentId, category: &str) -> Result<Vec<Request>> {
        Ok(self.requests_of(resident)?.into_iter().filter(|r| r.status.is_open() && r.category == category).collect())
    }

    /// The newest `n` requests, newest first, without reading the rest: this
    /// is what the first frame shows while the full index loads.
    pub fn latest_requests(&self, n: usize) -> Result<Vec<Request>> {
        let mut out = Vec::with_capacity(n);
        for item in self.tree(RecordKind::Request).iter().rev().take(n) {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            out.push(codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "request", key: id, detail })?);
        }
        Ok(out)
    }

    pub fn scan_requests(&self, f: impl FnMut(Request)) -> Result<()> {
        self.scan(f)
    }

    pub fn count(&self, kind: RecordKind) -> usize {
        // sled's `len` walks every leaf too, but keeps each page it read:
        // +28 MB for the requests of the large set at the start of an export
        self.relieved(self.tree(kind).iter()).count()
    }
}
